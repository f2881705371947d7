package dev.mosaic.server.tablet.twopc;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.server.tablet.query.ExecuteOptions;
import dev.mosaic.server.tablet.query.QueryResult;
import dev.mosaic.server.tablet.tx.DetachedTransaction;
import dev.mosaic.server.tablet.tx.TxEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The tablet's side of two-phase commit (Vitess's {@code DTExecutor} and the two-phase parts of its
 * transaction engine).
 *
 * <p><b>Participant</b> (resource manager): {@link #prepare} takes the transaction's connection out
 * of the {@link TxEngine} into the {@link PreparedPool} (the MySQL transaction stays open with its
 * locks, and the transaction killer no longer sees it) and writes its statements to the redo log in
 * a separate transaction; {@link #commitPrepared} deletes the redo entry <em>inside</em> the prepared
 * transaction and commits it, so the redo entry disappears exactly when the data commits;
 * {@link #rollbackPrepared} deletes the redo entry and rolls the transaction back.
 *
 * <p><b>Coordinator</b> (metadata manager, the first shard of the transaction):
 * {@link #createTransaction} records the dtid in state PREPARE with its participants;
 * {@link #startCommit} moves it to COMMIT inside the coordinator's own transaction and commits that,
 * so the decision and the coordinator's own rows are one MySQL commit; {@link #setRollback} records
 * ROLLBACK (and rolls back the coordinator's transaction); {@link #concludeTransaction} deletes the
 * record; {@link #readTransaction} and {@link #unresolvedTransactions} serve resolvers.
 *
 * <p><b>Recovery</b>: a prepared transaction lives in a MySQL connection, so it is lost when mysqld
 * restarts (InnoDB rolls it back) or when the tablet stops. The redo log survives: on becoming
 * PRIMARY, and whenever a prepared connection is found dead (the {@code tablet-twopc-watcher}
 * thread pings them every {@code watchInterval}; a failed CommitPrepared says so too), the tablet
 * drops the dead connections and replays every PREPARE entry that is not held: each statement again,
 * in a new transaction, which goes back to the pool prepared. A replay that fails marks its entry
 * FAILED (kept, with the reason, for an operator) and CommitPrepared of that dtid fails saying so.
 * CommitPrepared of a dtid whose entry is in the redo log but not held replays first. Demotion and
 * shutdown close the prepared connections (MySQL rolls them back); their redo entries stay, and a
 * replica receives them by replication, so whichever tablet is PRIMARY next replays them.
 *
 * <p>Metrics: {@code mosaic.tablet.twopc.prepared} (gauge), {@code mosaic.tablet.twopc.replayed},
 * {@code mosaic.tablet.twopc.replay_failed} (counters).
 *
 * <p>Thread-safe.
 */
public final class DtExecutor implements AutoCloseable {
    /** How often prepared connections are checked by default. */
    public static final Duration DEFAULT_WATCH_INTERVAL = Duration.ofSeconds(1);

    private final TxEngine tx;
    private final TwoPcStore store;
    private final PreparedPool pool;
    private final ScheduledThreadPoolExecutor watcher;
    private final Counter replayed;
    private final Counter replayFailed;
    private final Object recoveryLock = new Object();
    private long recoveryWanted; // guarded by recoveryLock
    private long recoveryDone; // guarded by recoveryLock
    private volatile boolean primary;
    private volatile boolean closed;

    /**
     * An executor over {@code tx}, keeping its records in sidecar database {@code sidecarDb}; it
     * serves nothing until {@link #setPrimary}{@code (true)}.
     *
     * @param capacity most prepared transactions held at once (Vitess: the transaction pool size)
     * @param watchInterval how often prepared connections are checked and a pending replay retried
     */
    public DtExecutor(TxEngine tx, String sidecarDb, int capacity, Duration watchInterval, MeterRegistry registry) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.store = new TwoPcStore(sidecarDb);
        this.pool = new PreparedPool(capacity);
        Gauge.builder("mosaic.tablet.twopc.prepared", pool, PreparedPool::size)
                .description("prepared transactions held").register(registry);
        this.replayed = Counter.builder("mosaic.tablet.twopc.replayed")
                .description("prepared transactions rebuilt from the redo log").register(registry);
        this.replayFailed = Counter.builder("mosaic.tablet.twopc.replay_failed")
                .description("redo log entries that failed to replay (marked FAILED)").register(registry);
        this.watcher = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tablet-twopc-watcher");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(10, watchInterval.toMillis());
        watcher.scheduleWithFixedDelay(this::watch, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Tells the executor whether the tablet is PRIMARY. Becoming PRIMARY schedules a replay of the
     * redo log; leaving it closes the prepared connections (their redo entries stay).
     */
    public void setPrimary(boolean isPrimary) {
        if (isPrimary == primary) {
            return;
        }
        primary = isPrimary;
        if (isPrimary) {
            requestRecovery();
            watcher.execute(this::watch);
        } else {
            for (DetachedTransaction t : pool.drain()) {
                t.discard();
            }
        }
    }

    // ---- participant -------------------------------------------------------------------------

    /**
     * Prepares transaction {@code txId} as {@code dtid}. A transaction that wrote nothing is rolled
     * back and nothing is prepared (Vitess does the same); CommitPrepared of it then does nothing.
     *
     * @throws MosaicException as {@link TxEngine#detachForPrepare}; ALREADY_EXISTS for a dtid already
     *     prepared; RESOURCE_EXHAUSTED when the prepared pool is full; the MySQL error of writing the
     *     redo log. In every failure case the transaction is rolled back.
     */
    public void prepare(long txId, String dtid) {
        requirePrimary("Prepare");
        DetachedTransaction t = tx.detachForPrepare(txId, dtid);
        if (t.statements().isEmpty()) {
            rollbackQuietly(t);
            return;
        }
        try {
            pool.put(dtid, t);
        } catch (MosaicException e) {
            rollbackQuietly(t);
            throw e;
        }
        try {
            inTransaction(x -> {
                store.saveRedo(x, dtid, t.statements());
                return null;
            });
        } catch (RuntimeException e) {
            pool.forget(dtid);
            rollbackQuietly(t);
            throw e;
        }
    }

    /**
     * Commits prepared transaction {@code dtid}: the redo entry is deleted in the transaction itself,
     * then it commits. If the connection fails (mysqld restarted, say) the redo log says what
     * happened: entry gone means committed; entry there means not, and the transaction is replayed
     * and committed again. An unknown dtid (already committed, or never prepared because it wrote
     * nothing) is success, as in Vitess, so the call can be retried.
     *
     * @throws MosaicException FAILED_PRECONDITION if the dtid's replay failed (FAILED) or another
     *     call is committing it; UNAVAILABLE (or the MySQL error) when mysqld cannot be reached to
     *     find out or to replay: the caller retries later
     */
    public void commitPrepared(String dtid) {
        requirePrimary("CommitPrepared");
        MosaicException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            ensureRecovered();
            DetachedTransaction t = pool.take(dtid);
            if (t == null) {
                String failure = pool.failure(dtid);
                if (failure != null) {
                    throw failedError(dtid, failure);
                }
                RedoEntry e = inTransaction(x -> store.readRedo(x, dtid));
                if (e == null) {
                    return; // committed already, or nothing was prepared
                }
                if (e.state() == DtState.FAILED) {
                    pool.markFailed(dtid, e.message());
                    throw failedError(dtid, e.message());
                }
                // In the redo log but not held: mysqld restarted or the tablet did; replay, then commit.
                requestRecovery();
                continue;
            }
            try {
                store.deleteRedo(t, dtid);
                t.commit();
                pool.forget(dtid);
                return;
            } catch (MosaicException e) {
                // The connection is closed now, whatever happened; the redo log decides.
                t.discard();
                pool.forget(dtid);
                requestRecovery();
                last = e;
            }
        }
        throw new MosaicException(last == null ? ErrorCode.UNAVAILABLE : last.code(),
                "CommitPrepared " + dtid + ": not committed yet, retry: " + (last == null ? "" : last.getMessage()), last);
    }

    /**
     * Rolls back prepared transaction {@code dtid} (and the unprepared transaction
     * {@code originalTxId} if not 0, in case Prepare never ran): the redo entry is deleted, then
     * the transaction rolled back. Unknown dtids are fine (retries).
     *
     * @throws MosaicException the MySQL error of deleting the redo entry
     */
    public void rollbackPrepared(String dtid, long originalTxId) {
        requirePrimary("RollbackPrepared");
        if (originalTxId != 0) {
            try {
                tx.rollback(originalTxId);
            } catch (MosaicException e) {
                // Already ended (or prepared): nothing to do for it.
            }
        }
        DetachedTransaction t = pool.take(dtid);
        try {
            inTransaction(x -> {
                store.deleteRedo(x, dtid);
                return null;
            });
        } catch (RuntimeException e) {
            if (t != null) {
                pool.release(dtid);
            }
            throw e;
        }
        pool.clearFailure(dtid);
        if (t != null) {
            pool.forget(dtid);
            rollbackQuietly(t);
        }
    }

    // ---- coordinator -------------------------------------------------------------------------

    /**
     * Records distributed transaction {@code dtid} in state PREPARE with its participants, in a
     * transaction of its own.
     *
     * @throws MosaicException ALREADY_EXISTS (MySQL's duplicate key) if the dtid is recorded already
     */
    public void createTransaction(String dtid, List<TransactionRecord.Participant> participants) {
        requirePrimary("CreateTransaction");
        inTransaction(x -> {
            store.createTransaction(x, dtid, participants);
            return null;
        });
    }

    /**
     * Decides to commit: in the coordinator's own transaction {@code txId}, moves the record from
     * PREPARE to COMMIT, then commits that transaction. The decision and the coordinator's rows
     * commit together or not at all.
     *
     * @throws MosaicException NOT_FOUND "could not transition to COMMIT" if the record is gone or a
     *     resolver decided ROLLBACK first (the coordinator's transaction is rolled back); the commit's
     *     error: UNAVAILABLE when the connection was lost during COMMIT (outcome unknown: the record
     *     says), anything else when MySQL refused it (not committed)
     */
    public void startCommit(long txId, String dtid) {
        requirePrimary("StartCommit");
        QueryResult r;
        try {
            r = tx.execute(txId, store.commitDecisionSql(dtid), BindVariables.EMPTY, ExecuteOptions.DEFAULT);
        } catch (MosaicException e) {
            rollbackQuietly(txId);
            throw e;
        }
        if (r.rowsAffected() != 1) {
            rollbackQuietly(txId);
            throw new MosaicException(ErrorCode.NOT_FOUND, "could not transition to COMMIT: " + dtid
                    + " (no record in state PREPARE)");
        }
        tx.commit(txId);
    }

    /**
     * Decides to roll back: rolls back the coordinator's transaction {@code txId} (if not 0), then
     * moves the record from PREPARE to ROLLBACK. Already ROLLBACK is fine.
     *
     * @throws MosaicException NOT_FOUND "could not transition to ROLLBACK" if the record is gone or
     *     already decided COMMIT
     */
    public void setRollback(String dtid, long txId) {
        requirePrimary("SetRollback");
        if (txId != 0) {
            rollbackQuietly(txId);
        }
        inTransaction(x -> {
            store.transition(x, dtid, DtState.ROLLBACK);
            return null;
        });
    }

    /** Deletes the record of {@code dtid} (every participant has finished). Unknown dtids are fine. */
    public void concludeTransaction(String dtid) {
        requirePrimary("ConcludeTransaction");
        inTransaction(x -> {
            store.deleteTransaction(x, dtid);
            return null;
        });
    }

    /** The record of {@code dtid}, or null if there is none (never created, or concluded). */
    public TransactionRecord readTransaction(String dtid) {
        requirePrimary("ReadTransaction");
        return inTransaction(x -> store.readTransaction(x, dtid));
    }

    /** The records older than {@code abandonAge}: transactions a resolver should finish. */
    public List<TransactionRecord> unresolvedTransactions(Duration abandonAge) {
        requirePrimary("UnresolvedTransactions");
        Instant cut = Instant.now().minus(abandonAge);
        long nanos = cut.getEpochSecond() * 1_000_000_000L + cut.getNano();
        return inTransaction(x -> store.unresolved(x, nanos));
    }

    // ---- status ------------------------------------------------------------------------------

    /** The dtids prepared and held now. */
    public List<String> preparedDtids() {
        return pool.dtids();
    }

    /** The dtids whose replay failed. */
    public Set<String> failedDtids() {
        return pool.failedDtids();
    }

    /** True while a replay of the redo log is wanted and has not succeeded yet. */
    public boolean recoveryPending() {
        synchronized (recoveryLock) {
            return recoveryDone < recoveryWanted;
        }
    }

    /** Closes the prepared connections (MySQL rolls them back; the redo log keeps them) and stops the watcher. */
    @Override
    public void close() {
        closed = true;
        primary = false;
        watcher.shutdownNow();
        for (DetachedTransaction t : pool.drain()) {
            t.discard();
        }
    }

    // ---- recovery ----------------------------------------------------------------------------

    private void requestRecovery() {
        synchronized (recoveryLock) {
            recoveryWanted++;
        }
    }

    /** Replays the redo log if a replay was asked for and not done since; throws if mysqld cannot be reached. */
    private void ensureRecovered() {
        synchronized (recoveryLock) {
            if (recoveryDone >= recoveryWanted) {
                return;
            }
            long target = recoveryWanted;
            recover();
            recoveryDone = target;
        }
    }

    /** Drops dead prepared connections, then replays every PREPARE redo entry not held. */
    private void recover() {
        for (Map.Entry<String, DetachedTransaction> e : pool.idle().entrySet()) {
            String dtid = e.getKey();
            DetachedTransaction t;
            try {
                t = pool.take(dtid);
            } catch (MosaicException busy) {
                continue;
            }
            if (t == null) {
                continue;
            }
            if (t.isAlive(2)) {
                pool.release(dtid);
            } else {
                t.discard();
                pool.forget(dtid);
            }
        }
        List<RedoEntry> entries = inTransaction(store::readAllRedo);
        for (RedoEntry e : entries) {
            if (e.state() == DtState.FAILED) {
                pool.markFailed(e.dtid(), e.message());
                continue;
            }
            if (!pool.contains(e.dtid())) {
                replay(e);
            }
        }
    }

    private void replay(RedoEntry e) {
        DetachedTransaction t = tx.beginDetached();
        try {
            for (String sql : e.statements()) {
                t.execute(sql);
            }
        } catch (MosaicException failure) {
            t.discard();
            if (failure.code() == ErrorCode.UNAVAILABLE) {
                throw failure; // mysqld went away again: try the whole replay later
            }
            String why = "replaying the redo log failed: " + failure.getMessage();
            inTransaction(x -> {
                store.markRedoFailed(x, e.dtid(), why);
                return null;
            });
            pool.markFailed(e.dtid(), why);
            replayFailed.increment();
            return;
        }
        try {
            pool.put(e.dtid(), t);
        } catch (MosaicException full) {
            t.discard();
            throw full;
        }
        replayed.increment();
    }

    /** The watcher's round: find dead prepared connections, retry a pending replay. */
    private void watch() {
        if (closed || !primary) {
            return;
        }
        try {
            for (Map.Entry<String, DetachedTransaction> e : pool.idle().entrySet()) {
                DetachedTransaction t;
                try {
                    t = pool.take(e.getKey());
                } catch (MosaicException busy) {
                    continue;
                }
                if (t == null) {
                    continue;
                }
                boolean alive = t.isAlive(2);
                pool.release(e.getKey());
                if (!alive) {
                    requestRecovery();
                    break;
                }
            }
            ensureRecovered();
        } catch (RuntimeException e) {
            // mysqld unreachable (or restarting): the next round tries again
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private <T> T inTransaction(Function<DetachedTransaction, T> work) {
        DetachedTransaction t = tx.beginDetached();
        T out;
        try {
            out = work.apply(t);
        } catch (RuntimeException e) {
            t.discard();
            throw e;
        }
        t.commit();
        return out;
    }

    private void requirePrimary(String call) {
        if (closed) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, call + ": the tablet is shutting down");
        }
        if (!primary) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION,
                    call + ": two-phase commit is served by a PRIMARY tablet only");
        }
    }

    private static MosaicException failedError(String dtid, String why) {
        return new MosaicException(ErrorCode.FAILED_PRECONDITION, "dtid " + dtid
                + ": the prepared transaction is in state FAILED (" + why + "); an operator must resolve it");
    }

    private static void rollbackQuietly(DetachedTransaction t) {
        try {
            t.rollback();
        } catch (MosaicException e) {
            // rollback() closed the connection, which rolls back too
        }
    }

    private void rollbackQuietly(long txId) {
        try {
            tx.rollback(txId);
        } catch (MosaicException e) {
            // already ended: nothing to roll back
        }
    }
}
