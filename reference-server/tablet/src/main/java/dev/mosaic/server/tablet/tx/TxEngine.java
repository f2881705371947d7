package dev.mosaic.server.tablet.tx;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.pool.ConnectionPool;
import dev.mosaic.server.tablet.pool.PooledConnection;
import dev.mosaic.server.tablet.query.ExecuteOptions;
import dev.mosaic.server.tablet.query.QueryResult;
import dev.mosaic.server.tablet.query.SqlBinder;
import dev.mosaic.server.tablet.query.StatementKind;
import dev.mosaic.server.tablet.query.StatementRunner;
import dev.mosaic.server.tablet.query.TableAclChecker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Transactions, each on its own connection from the {@code tx} pool: {@link #begin},
 * {@link #execute}, {@link #commit}, {@link #rollback}.
 *
 * <ul>
 *   <li>At most {@code tx.max-open} transactions are open; a begin beyond that waits up to
 *       {@code pool.tx.wait-timeout}, then fails with RESOURCE_EXHAUSTED.
 *   <li>The {@code tablet-tx-killer} thread rolls back every transaction open longer than
 *       {@code tx.timeout} (checking every tenth of it). If a statement is running in it, its MySQL
 *       connection is killed, which rolls the transaction back and releases its locks.
 *   <li>An ended transaction's id is remembered (the last 10,000), so using it again says why it
 *       ended: {@code transaction N: ended at <time> (exceeded timeout: 30s)}.
 *   <li>{@link #close()} rolls back every open transaction.
 * </ul>
 *
 * <p>Metrics: {@code mosaic.tablet.tx.open} (gauge), {@code mosaic.tablet.tx.begun},
 * {@code mosaic.tablet.tx.ended} (tag {@code reason=commit|rollback|timeout|shutdown|error}),
 * {@code mosaic.tablet.tx.cap_exceeded} (counters), {@code mosaic.tablet.tx.duration} (timer).
 *
 * <p>Thread-safe. A transaction serves one statement at a time; a second concurrent call on the
 * same id fails with FAILED_PRECONDITION.
 */
public final class TxEngine implements AutoCloseable {
    private static final int REMEMBERED_ENDED = 10_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final TabletConfig config;
    private final ConnectionPool pool;
    private final StatementRunner runner;
    private final TxSerializer serializer;
    private final TableAclChecker acl;
    private final Semaphore openCap;
    private final Map<Long, Transaction> active = new ConcurrentHashMap<>();
    private final Map<Long, String> endedReasons = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > REMEMBERED_ENDED;
        }
    };
    // Seeded from the clock, as Vitess does, so ids are not reused across restarts.
    private final AtomicLong lastId = new AtomicLong(System.currentTimeMillis() * 1000);
    private final ScheduledExecutorService killerThread;
    private final MeterRegistry registry;
    private final Counter begun;
    private final Counter capExceeded;
    private final Timer duration;
    private volatile boolean closed;

    /**
     * Starts the engine and its killer thread (when {@code tx.timeout} is not zero).
     *
     * @param pool the {@code tx} pool
     * @param serializer hot-row protection, or {@link TxSerializer#NONE}
     * @param acl table ACLs, or {@link TableAclChecker#ALLOW_ALL}
     */
    public TxEngine(TabletConfig config, ConnectionPool pool, StatementRunner runner, TxSerializer serializer,
            TableAclChecker acl, MeterRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        this.acl = Objects.requireNonNull(acl, "acl");
        this.registry = registry;
        this.openCap = new Semaphore(config.maxOpenTransactions(), true);
        Gauge.builder("mosaic.tablet.tx.open", active, Map::size).description("open transactions").register(registry);
        this.begun = Counter.builder("mosaic.tablet.tx.begun").description("transactions begun").register(registry);
        this.capExceeded = Counter.builder("mosaic.tablet.tx.cap_exceeded")
                .description("begins refused because tx.max-open transactions were open").register(registry);
        this.duration = Timer.builder("mosaic.tablet.tx.duration").description("transaction lifetimes").register(registry);
        for (String reason : List.of("commit", "rollback", "timeout", "shutdown", "error")) {
            endedCounter(reason);
        }
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "tablet-tx-killer");
            th.setDaemon(true);
            return th;
        });
        if (!config.txTimeout().isZero()) {
            long interval = Math.max(TimeUnit.MILLISECONDS.toNanos(10), config.txTimeout().toNanos() / 10);
            t.scheduleWithFixedDelay(this::killExpired, interval, interval, TimeUnit.NANOSECONDS);
        }
        this.killerThread = t;
    }

    /**
     * Begins a transaction.
     *
     * @return its id, unique for this tablet process (and in practice across restarts)
     * @throws MosaicException TOO_MANY_USER_CONNECTIONS (RESOURCE_EXHAUSTED) if {@code tx.max-open}
     *     transactions stay open for {@code pool.tx.wait-timeout}; UNAVAILABLE after {@link #close()}
     *     or if mysqld cannot be reached
     */
    public long begin(ExecuteOptions options) {
        if (closed) {
            throw new MosaicException(SqlError.SERVER_SHUTDOWN, "transaction engine is closed");
        }
        try {
            if (!openCap.tryAcquire(config.txPoolWaitTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                capExceeded.increment();
                throw new MosaicException(SqlError.TOO_MANY_USER_CONNECTIONS,
                        "resource exhausted: transaction pool connection limit exceeded: " + config.maxOpenTransactions()
                                + " transactions open (" + TabletConfig.TX_MAX_OPEN + "), waited "
                                + config.txPoolWaitTimeout().toMillis() + "ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MosaicException(ErrorCode.CANCELED, "interrupted waiting to begin a transaction", e);
        }
        PooledConnection conn;
        try {
            conn = pool.get();
        } catch (RuntimeException e) {
            openCap.release();
            throw e;
        }
        try {
            runner.execute(conn, "begin", options.effectiveTimeout(config.queryTimeout()), config.maxResultRows(), true);
        } catch (RuntimeException e) {
            conn.discard();
            openCap.release();
            throw e;
        }
        Transaction tx = new Transaction(lastId.incrementAndGet(), conn);
        active.put(tx.id, tx);
        begun.increment();
        if (closed) {
            // close() ran while we began and may have missed this one.
            end(tx, "shutdown", "tablet shutdown");
            throw new MosaicException(SqlError.SERVER_SHUTDOWN, "transaction engine is closed");
        }
        return tx.id;
    }

    /**
     * Runs one statement in transaction {@code txId}.
     *
     * @throws MosaicException NOT_FOUND for an unknown id; ABORTED "transaction N: ended at ..."
     *     for one that ended (committed, rolled back, killed on timeout); DEADLINE_EXCEEDED if the
     *     statement passed its timeout (it was killed; the transaction stays open); RESOURCE_EXHAUSTED
     *     "Row count exceeded N"; errors of the hot-row serializer and ACL checker; the MySQL error
     */
    public QueryResult execute(long txId, String sql, BindVariables bindVars, ExecuteOptions options) {
        StatementKind kind = StatementKind.of(sql);
        acl.check(options.principal(), sql, kind);
        Transaction tx = use(txId);
        try {
            if (kind == StatementKind.WRITE) {
                tx.addHold(serializer.enter(txId, sql, bindVars));
            }
            String bound = SqlBinder.bind(sql, bindVars);
            return runner.execute(tx.conn, bound, options.effectiveTimeout(config.queryTimeout()),
                    config.maxResultRows(), false);
        } catch (MosaicException e) {
            if (tx.ended()) {
                throw endedError(txId, e);
            }
            throw e;
        } finally {
            doneUse(tx);
        }
    }

    /**
     * Commits transaction {@code txId}; it has ended afterwards, whatever the outcome.
     *
     * @throws MosaicException NOT_FOUND / ABORTED as {@link #execute}; the MySQL error if COMMIT
     *     failed (the transaction was rolled back)
     */
    public void commit(long txId) {
        finish(txId, "commit");
    }

    /**
     * Rolls back transaction {@code txId}.
     *
     * @throws MosaicException NOT_FOUND / ABORTED as {@link #execute}
     */
    public void rollback(long txId) {
        finish(txId, "rollback");
    }

    private void finish(long txId, String verb) {
        Transaction tx = use(txId);
        boolean ok = false;
        try {
            runner.execute(tx.conn, verb, config.queryTimeout(), config.maxResultRows(), false);
            ok = true;
        } catch (MosaicException e) {
            if (tx.ended()) {
                throw endedError(txId, e);
            }
            throw e;
        } finally {
            if (active.remove(tx.id, tx)) {
                remember(tx.id, ok ? verb : verb + " failed");
                tx.markEnded();
                tx.doneUse();
                // After a failed COMMIT/ROLLBACK the session state is unknown: roll back or drop it.
                cleanup(tx, ok ? "" : "rollback", ok ? verb : "error");
            } else {
                doneUse(tx);
            }
        }
    }

    /** The number of open transactions. */
    public int openTransactions() {
        return active.size();
    }

    /** Ids of the open transactions (for status pages and tests). */
    public List<Long> openTransactionIds() {
        return List.copyOf(active.keySet());
    }

    /** Rolls back every open transaction and stops the killer. Idempotent. */
    @Override
    public void close() {
        closed = true;
        killerThread.shutdownNow();
        for (Transaction tx : active.values()) {
            end(tx, "shutdown", "tablet shutdown");
        }
    }

    // ------------------------------------------------------------------ internals

    private Transaction use(long txId) {
        Transaction tx = active.get(txId);
        if (tx == null || !tx.tryUse()) {
            throw endedError(txId, null);
        }
        return tx;
    }

    private void doneUse(Transaction tx) {
        if (tx.doneUse()) {
            // Ended (killed) while we used it: its connection was killed, so drop it.
            tx.conn.discard();
            tx.releaseHolds();
            openCap.release();
        }
    }

    private MosaicException endedError(long txId, Throwable cause) {
        String reason;
        synchronized (endedReasons) {
            reason = endedReasons.get(txId);
        }
        if (reason == null) {
            return new MosaicException(ErrorCode.NOT_FOUND, "transaction " + txId + ": not found", cause);
        }
        return new MosaicException(ErrorCode.ABORTED, "transaction " + txId + ": " + reason, cause);
    }

    private void remember(long txId, String why) {
        synchronized (endedReasons) {
            endedReasons.put(txId, "ended at " + TIME.format(Instant.now()) + " (" + why + ")");
        }
    }

    /**
     * Ends {@code tx} from outside (killer, shutdown): rolls it back, or if a statement is running
     * in it, kills its MySQL connection and lets the running caller drop it.
     */
    private void end(Transaction tx, String metricReason, String why) {
        if (!active.remove(tx.id, tx)) {
            return; // someone else ended it
        }
        remember(tx.id, why);
        if (tx.markEnded()) {
            endedCounter(metricReason).increment();
            duration.record(Duration.ofNanos(System.nanoTime() - tx.startNanos));
            runner.killer().killConnection(tx.conn.mysqlThreadId());
        } else {
            cleanup(tx, "rollback", metricReason);
        }
    }

    /** Returns the connection (after {@code sql}, if any; dropping it if that fails) and frees the slot. */
    private void cleanup(Transaction tx, String sql, String metricReason) {
        try {
            if (!sql.isEmpty()) {
                runner.execute(tx.conn, sql, config.queryTimeout(), config.maxResultRows(), true);
            }
            tx.conn.close();
        } catch (RuntimeException e) {
            tx.conn.discard();
        } finally {
            tx.releaseHolds();
            openCap.release();
            endedCounter(metricReason).increment();
            duration.record(Duration.ofNanos(System.nanoTime() - tx.startNanos));
        }
    }

    private void killExpired() {
        long now = System.nanoTime();
        long limit = config.txTimeout().toNanos();
        for (Transaction tx : active.values()) {
            if (now - tx.startNanos > limit) {
                try {
                    end(tx, "timeout", "exceeded timeout: " + format(config.txTimeout()));
                } catch (RuntimeException e) {
                    // keep the killer alive; the next round retries what is still open
                }
            }
        }
    }

    private Counter endedCounter(String reason) {
        return Counter.builder("mosaic.tablet.tx.ended").tag("reason", reason)
                .description("transactions ended, by reason").register(registry);
    }

    /** Go-style duration text, as in Vitess messages: {@code 500ms}, {@code 30s}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
