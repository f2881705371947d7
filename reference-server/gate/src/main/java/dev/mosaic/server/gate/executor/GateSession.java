package dev.mosaic.server.gate.executor;

import dev.mosaic.proto.query.Target;
import dev.mosaic.server.gate.gateway.ShardSession;
import dev.mosaic.server.gate.tx.TransactionMode;
import dev.mosaic.server.sql.parse.ParsedStatement;
import dev.mosaic.spi.vindex.VindexCursor.CommitOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gate's state for one client session: the target keyspace, the tablet type reads go to,
 * session variables the client set, and the session's transaction: autocommit mode, whether a
 * transaction is open, its savepoints, and per shard the {@link ShardSession} (transaction and/or
 * reserved connection) that shard's statements go to.
 *
 * <p>Used by one command at a time (the protocol serializes a session's commands), but one
 * multi-shard statement joins shards from several threads at once, so the per-shard sessions are
 * guarded by this object; everything else belongs to the command's thread.
 */
public final class GateSession {
    /** Told when the session's autocommit mode or transaction state changes (for the status flags). */
    @FunctionalInterface
    public interface StatusListener {
        /** The session's new state. */
        void changed(boolean autocommit, boolean inTransaction);
    }

    private String keyspace;
    private String shard;
    private String tabletType = "primary";
    private final int connectionId;
    private final Map<String, String> variables = new LinkedHashMap<>();
    private long lastInsertId;

    private boolean autocommit = true;
    private boolean inTransaction;
    private TransactionMode transactionMode = TransactionMode.MULTI;
    /** SAVEPOINT / ROLLBACK TO / RELEASE statements of the open transaction, replayed on shards joining later. */
    private final List<String> savepoints = new ArrayList<>();
    private final List<String> savepointNames = new ArrayList<>();
    /** System variable name to the statement that sets it on a shard connection, in the order set. */
    private final Map<String, String> settings = new LinkedHashMap<>();
    /** Characteristics for the next transaction only ({@code SET TRANSACTION ...}): name to statement. */
    private final Map<String, String> nextTransaction = new LinkedHashMap<>();
    /** Guarded by this. Open transactions / reserved connections per target, in the order shards joined. */
    private final Map<Target, ShardSession> shards = new LinkedHashMap<>();
    /**
     * Guarded by this. The transaction's pre and post sessions (Vitess's {@code PreSessions} and
     * {@code PostSessions}): per target, the separate transaction that consistent lookup writes of
     * {@link CommitOrder#PRE} / {@link CommitOrder#POST} go to, committed before / after the main
     * one by {@link CommitOrderSessions}.
     */
    private final Map<Target, ShardSession> preShards = new LinkedHashMap<>();
    private final Map<Target, ShardSession> postShards = new LinkedHashMap<>();
    /** Set (from any thread) when a shard said the transaction cannot go on; guarded by this. */
    private String mustRollback;
    private StatusListener listener = (a, t) -> { };
    /** While a VEXPLAIN QUERIES/ALL runs: where its shard queries are recorded. */
    private volatile QueryLog queryLog;

    /** A session with no keyspace selected, reading from primaries. */
    public GateSession(int connectionId) {
        this.connectionId = connectionId;
    }

    /** The target keyspace, or null if none is selected. */
    public String keyspace() {
        return keyspace;
    }

    /** The tablet type, lower case ({@code primary}, {@code replica}, {@code rdonly}). */
    public String tabletType() {
        return tabletType;
    }

    /** The client connection id at the gate. */
    public int connectionId() {
        return connectionId;
    }

    /** Selects a keyspace (null: none) and tablet type; ends any shard targeting. */
    public void target(String keyspace, String tabletType) {
        this.keyspace = keyspace;
        this.shard = null;
        this.tabletType = tabletType;
    }

    /** Targets one shard ({@code USE keyspace/shard}): statements go to it unplanned until the next {@link #target}. */
    public void targetShard(String keyspace, String shard, String tabletType) {
        this.keyspace = keyspace;
        this.shard = shard;
        this.tabletType = tabletType;
    }

    /** The targeted shard, or null when statements are planned over the keyspace. */
    public String shard() {
        return shard;
    }

    /** The last auto-increment id a statement of this session generated (0 if none). */
    public long lastInsertId() {
        return lastInsertId;
    }

    /** Records a generated auto-increment id. */
    public void setLastInsertId(long id) {
        this.lastInsertId = id;
    }

    /**
     * Variables the gate keeps without sending them to shards, as {@code SCOPE:name} to value
     * text: {@code autocommit}, the connection character set ({@code names},
     * {@code character_set_*}, {@code collation_connection}), accepted-and-ignored variables and
     * user-defined {@code @variables} (which shard queries do not see).
     */
    public Map<String, String> variables() {
        return variables;
    }

    /**
     * Forgets variables, settings and autocommit mode (COM_RESET_CONNECTION keeps the keyspace, as
     * MySQL keeps the database). The executor ends transactions and reserved connections first.
     */
    public void resetVariables() {
        variables.clear();
        transactionMode = TransactionMode.MULTI;
        settings.clear();
        nextTransaction.clear();
        setAutocommit(true);
    }

    /** Reports status changes to {@code listener} (replacing any earlier one). */
    public void statusListener(StatusListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        listener.changed(autocommit, inTransaction);
    }

    // ---- transaction state ----------------------------------------------------------------------

    /** The autocommit mode ({@code SET autocommit}). */
    public boolean autocommit() {
        return autocommit;
    }

    void setAutocommit(boolean on) {
        if (autocommit != on) {
            autocommit = on;
            listener.changed(autocommit, inTransaction);
        }
    }

    /** How the session's transactions may span shards ({@code transaction_mode}; MULTI by default, as in Vitess). */
    public TransactionMode transactionMode() {
        return transactionMode;
    }

    void setTransactionMode(TransactionMode mode) {
        this.transactionMode = Objects.requireNonNull(mode, "mode");
    }

    /** True while a transaction is open (begun explicitly, or implicitly with autocommit off). */
    public boolean inTransaction() {
        return inTransaction;
    }

    void beginTransaction() {
        inTransaction = true;
        savepoints.clear();
        savepointNames.clear();
        synchronized (this) {
            mustRollback = null;
        }
        listener.changed(autocommit, true);
    }

    /** Forgets the transaction (its shard sessions must have been ended or detached first). */
    void endTransaction() {
        inTransaction = false;
        savepoints.clear();
        savepointNames.clear();
        nextTransaction.clear();
        synchronized (this) {
            mustRollback = null;
        }
        listener.changed(autocommit, false);
    }

    List<String> savepoints() {
        return List.copyOf(savepoints);
    }

    /** The savepoints that exist now, oldest first. */
    List<String> savepointNames() {
        return List.copyOf(savepointNames);
    }

    /** Records a savepoint statement that ran (and updates which savepoints exist, as MySQL does). */
    void addSavepointStatement(ParsedStatement.TxOp op, String name, String sql) {
        savepoints.add(sql);
        int at = savepointNames.indexOf(name);
        switch (op) {
            case SAVEPOINT -> {
                if (at >= 0) {
                    savepointNames.remove(at);
                }
                savepointNames.add(name);
            }
            case ROLLBACK_TO_SAVEPOINT -> savepointNames.subList(at + 1, savepointNames.size()).clear();
            case RELEASE_SAVEPOINT -> savepointNames.subList(at, savepointNames.size()).clear();
            default -> throw new IllegalArgumentException(op.name());
        }
    }

    /** System variables applied to shard connections (reserved connections hold them). */
    Map<String, String> settings() {
        return settings;
    }

    Map<String, String> nextTransaction() {
        return nextTransaction;
    }

    /** True when statements must run on reserved connections carrying session settings. */
    boolean needsReservedConnections() {
        return !settings.isEmpty();
    }

    /** The statements that put a new shard connection into this session's state. */
    List<String> preQueries() {
        return List.copyOf(settings.values());
    }

    synchronized ShardSession shard(Target target) {
        return shards.get(target);
    }

    synchronized ShardSession putShard(Target target, ShardSession s) {
        return s == null || !s.isOpen() ? shards.remove(target) : shards.put(target, s);
    }

    /** The per-shard sessions, in the order the shards joined. */
    public synchronized List<ShardSession> shardSessions() {
        return List.copyOf(shards.values());
    }

    private Map<Target, ShardSession> ordered(CommitOrder order) {
        return switch (order) {
            case PRE -> preShards;
            case POST -> postShards;
            default -> throw new IllegalArgumentException("no separate sessions for commit order " + order);
        };
    }

    /** The {@link CommitOrder#PRE} or {@link CommitOrder#POST} session on {@code target}, or null. */
    synchronized ShardSession orderedShard(CommitOrder order, Target target) {
        return ordered(order).get(target);
    }

    /** Records (or, for null or a closed session, forgets) the PRE or POST session on {@code target}. */
    synchronized void putOrderedShard(CommitOrder order, Target target, ShardSession s) {
        if (s == null || !s.isOpen()) {
            ordered(order).remove(target);
        } else {
            ordered(order).put(target, s);
        }
    }

    /** The PRE or POST sessions, in the order the shards joined. */
    synchronized List<ShardSession> orderedShardSessions(CommitOrder order) {
        return List.copyOf(ordered(order).values());
    }

    synchronized void mustRollback(String why) {
        if (mustRollback == null) {
            mustRollback = why;
        }
    }

    synchronized String takeMustRollback() {
        String why = mustRollback;
        mustRollback = null;
        return why;
    }

    /** The log recording the shard queries of the VEXPLAIN running now, or null. */
    QueryLog queryLog() {
        return queryLog;
    }

    /** Starts (a log) or stops (null) recording the session's shard queries. */
    void queryLog(QueryLog log) {
        this.queryLog = log;
    }
}
