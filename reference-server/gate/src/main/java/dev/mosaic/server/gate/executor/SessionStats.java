package dev.mosaic.server.gate.executor;

import dev.mosaic.server.gate.gateway.ShardSession;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Read-only counters over every session of one {@link Executor}, for status pages: how many
 * sessions have a transaction open, and how many shard transactions and reserved connections they
 * hold on tablets. Thread-safe.
 */
public final class SessionStats {
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong shardTransactions = new AtomicLong();
    private final AtomicLong reservedConnections = new AtomicLong();

    /** Sessions with a transaction open (begun explicitly, or implicitly with autocommit off). */
    public long openTransactions() {
        return transactions.get();
    }

    /** Transactions open on tablets (one per shard a session's transaction touched). */
    public long openShardTransactions() {
        return shardTransactions.get();
    }

    /** Reserved connections held on tablets (one per shard a session with settings touched). */
    public long reservedConnections() {
        return reservedConnections.get();
    }

    void transactionBegun() {
        transactions.incrementAndGet();
    }

    void transactionEnded() {
        transactions.decrementAndGet();
    }

    /** Counts the change of one shard's session from {@code before} to {@code after} (either may be null). */
    void shardChanged(ShardSession before, ShardSession after) {
        shardTransactions.addAndGet(tx(after) - tx(before));
        reservedConnections.addAndGet(reserved(after) - reserved(before));
    }

    private static long tx(ShardSession s) {
        return s != null && s.transactionId() != 0 ? 1 : 0;
    }

    private static long reserved(ShardSession s) {
        return s != null && s.reservedId() != 0 ? 1 : 0;
    }

    @Override
    public String toString() {
        return "SessionStats[transactions=" + openTransactions() + ", shardTransactions=" + openShardTransactions()
                + ", reservedConnections=" + reservedConnections() + "]";
    }
}
