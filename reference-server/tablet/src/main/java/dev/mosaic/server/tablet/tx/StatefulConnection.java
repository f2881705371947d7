package dev.mosaic.server.tablet.tx;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.tablet.pool.PooledConnection;
import dev.mosaic.server.tablet.query.StatementKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection taken out of the {@code tx} pool for one caller, as Vitess's stateful connection:
 * it hosts a transaction, or is reserved for a client session (its session state kept between
 * calls), or both. Callers name it by its id; the id changes when a transaction on a reserved
 * connection ends (see {@link TxEngine#commit}).
 *
 * <p>At most one caller uses it at a time. Whoever ends it (its user, the killer or shutdown) and
 * whoever last uses it agree, under this object's monitor, on who disposes of it, so disposal
 * happens exactly once: if it ends while in use, its user disposes on {@link #doneUse}.
 *
 * <p>It expires (and the killer ends it) when its timeout passes: while in a transaction, the
 * transaction timeout counted from BEGIN; otherwise (a reserved connection between transactions)
 * the idle timeout counted from the end of its last use. A zero timeout never expires.
 */
final class StatefulConnection {
    /** What {@link #markEnded} found. */
    enum EndState {
        /** Someone else ended it first; nothing to do. */
        ALREADY_ENDED,
        /** Ended now while a caller uses it; that caller disposes of it. */
        IN_USE,
        /** Ended now and idle; the ender disposes of it. */
        IDLE
    }

    final PooledConnection conn;
    private final List<TxSerializer.Hold> holds = new ArrayList<>();
    private long id;
    private boolean reserved;
    private long reservedNanos;
    private boolean inTx;
    private long txStartNanos;
    private Duration timeout = Duration.ZERO;
    private long deadlineNanos;
    private boolean inUse;
    private boolean ended;
    /** The writes of the open transaction, bound, in order: what two-phase commit's redo log replays. */
    private final List<String> txStatements = new ArrayList<>();
    /** Why the open transaction cannot be replayed from {@link #txStatements}, or null. */
    private String notReplayable;

    StatefulConnection(PooledConnection conn) {
        this.conn = conn;
    }

    synchronized long id() {
        return id;
    }

    synchronized void setId(long id) {
        this.id = id;
    }

    /** Marks it in use; false if it already ended. */
    synchronized boolean tryUse() {
        if (ended) {
            return false;
        }
        if (inUse) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION,
                    "transaction " + id + ": in use by another statement");
        }
        inUse = true;
        return true;
    }

    /**
     * The caller is done with it; true if it ended meanwhile, and then the caller must dispose of
     * it. Outside a transaction the idle timeout restarts now.
     */
    synchronized boolean doneUse(long nowNanos) {
        inUse = false;
        if (!ended && !inTx) {
            deadlineNanos = nowNanos + timeout.toNanos();
        }
        return ended;
    }

    /** Its user ends it; false if it had already ended (the user must still dispose of it). */
    synchronized boolean endByUser() {
        inUse = false;
        if (ended) {
            return false;
        }
        ended = true;
        return true;
    }

    /** Ends it from outside (killer, shutdown). */
    synchronized EndState markEnded() {
        if (ended) {
            return EndState.ALREADY_ENDED;
        }
        ended = true;
        return inUse ? EndState.IN_USE : EndState.IDLE;
    }

    /**
     * Ends it if {@link #expired} (atomically, so a caller cannot take it between the check and
     * the end); ALREADY_ENDED if it did not expire.
     */
    synchronized EndState markEndedIfExpired(long nowNanos) {
        return expired(nowNanos) ? markEnded() : EndState.ALREADY_ENDED;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** True if its timeout passed; an in-use connection outside a transaction never expires. */
    synchronized boolean expired(long nowNanos) {
        return !ended && !timeout.isZero() && (inTx || !inUse) && nowNanos - deadlineNanos > 0;
    }

    synchronized Duration timeout() {
        return timeout;
    }

    synchronized boolean reserved() {
        return reserved;
    }

    synchronized boolean inTx() {
        return inTx;
    }

    synchronized long txStartNanos() {
        return txStartNanos;
    }

    synchronized long reservedNanos() {
        return reservedNanos;
    }

    /** Reserves it; a transaction in it keeps its own deadline. */
    synchronized void reserve(long nowNanos, Duration idleTimeout) {
        reserved = true;
        reservedNanos = nowNanos;
        if (!inTx) {
            setTimeout(nowNanos, idleTimeout);
        }
    }

    /** A transaction began in it. */
    synchronized void beginTx(long nowNanos, Duration txTimeout) {
        inTx = true;
        txStatements.clear();
        notReplayable = null;
        txStartNanos = nowNanos;
        setTimeout(nowNanos, txTimeout);
    }

    /**
     * Its transaction ended and it stays reserved under {@code newId}; false (and nothing changed)
     * if it ended meanwhile. Runs {@code moveId} under this monitor, so an ender never sees a
     * half-moved id.
     */
    synchronized boolean renewAfterTx(long newId, long nowNanos, Duration idleTimeout, Runnable moveId) {
        if (ended) {
            return false;
        }
        moveId.run();
        id = newId;
        inTx = false;
        txStatements.clear();
        notReplayable = null;
        setTimeout(nowNanos, idleTimeout);
        return true;
    }

    private void setTimeout(long nowNanos, Duration t) {
        timeout = t;
        deadlineNanos = nowNanos + t.toNanos();
    }

    /**
     * Notes a statement that ran in the open transaction, for two-phase commit's redo log: writes
     * and savepoint statements are kept (replaying them in order rebuilds the transaction); reads
     * change nothing; anything else (DDL, SET, LOCK, CALL, LOAD DATA, ...) makes the transaction
     * impossible to replay, so Prepare refuses it.
     */
    synchronized void recordInTx(String boundSql, StatementKind kind) {
        if (!inTx) {
            return;
        }
        String word = StatementKind.firstWord(boundSql);
        if (kind == StatementKind.READ) {
            return;
        }
        if ((kind == StatementKind.WRITE && !word.equals("load"))
                || word.equals("savepoint") || word.equals("release")
                || (word.equals("rollback") && boundSql.toLowerCase(java.util.Locale.ROOT).contains(" to "))) {
            txStatements.add(boundSql);
            return;
        }
        if (notReplayable == null) {
            String head = boundSql.length() > 60 ? boundSql.substring(0, 60) + "..." : boundSql;
            notReplayable = "the transaction ran a statement that cannot be replayed from the redo log: " + head;
        }
    }

    /** The open transaction's recorded statements (see {@link #recordInTx}). */
    synchronized List<String> txStatements() {
        return List.copyOf(txStatements);
    }

    /** Why the open transaction cannot be replayed, or null if it can. */
    synchronized String notReplayable() {
        return notReplayable;
    }

    synchronized void addHold(TxSerializer.Hold h) {
        holds.add(h);
    }

    /** Releases every hold (once). */
    synchronized void releaseHolds() {
        for (TxSerializer.Hold h : holds) {
            h.release();
        }
        holds.clear();
    }
}
