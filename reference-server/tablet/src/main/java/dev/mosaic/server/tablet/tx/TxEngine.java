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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Transactions and reserved connections, each on its own connection from the {@code tx} pool
 * (Vitess's transaction engine and stateful connection pool): {@link #begin}, {@link #execute},
 * {@link #commit}, {@link #rollback}; {@link #reserve}, {@link #reserveBegin}, {@link #release}.
 *
 * <p>Both kinds share one id space, one cap and one killer, as in Vitess, because one connection
 * can be both: a <em>reserved connection</em> is taken out of the pool for one client session
 * after running that session's pre-queries ({@code SET ...}) and keeps its session state (session
 * variables, temporary tables, {@code GET_LOCK} locks) across calls until {@link #release}, which
 * closes it (its session state is dirty, so it never goes back to the pool). It may host
 * transactions one after the other: reserve-and-begin, begin on a reserved id, and commit/rollback
 * that keep it reserved under a new id (so a stale transaction id cannot run statements outside
 * the transaction it meant). The ids a caller gets back are transaction ids and reserved ids at
 * once; {@link #execute} takes either.
 *
 * <ul>
 *   <li>At most {@code tx.max-open} transactions and reserved connections are open together; one
 *       more waits up to {@code pool.tx.wait-timeout}, then fails with RESOURCE_EXHAUSTED.
 *   <li>The {@code tablet-tx-killer} thread ends every transaction open longer than {@code tx.timeout}
 *       and every reserved connection left idle (outside a transaction, not in use) longer than
 *       {@code reserved.idle-timeout}, checking every tenth of the smaller one. A transaction is
 *       rolled back (if a statement is running in it, its MySQL connection is killed); a reserved
 *       connection is closed, with any transaction in it.
 *   <li>An ended id is remembered (the last 10,000), so using it again says why it ended, in
 *       Vitess's words: {@code transaction N: ended at <time> (exceeded timeout: 30s)}.
 *   <li>{@link #close()} ends everything open.
 * </ul>
 *
 * <p>Metrics: {@code mosaic.tablet.tx.open} (gauge), {@code mosaic.tablet.tx.begun},
 * {@code mosaic.tablet.tx.ended} (tag {@code reason=commit|rollback|timeout|shutdown|error|release|prepare}),
 * {@code mosaic.tablet.tx.cap_exceeded} (counters), {@code mosaic.tablet.tx.duration} (timer);
 * {@code mosaic.tablet.reserved.open} (gauge), {@code mosaic.tablet.reserved.created},
 * {@code mosaic.tablet.reserved.ended} (tag {@code reason=release|timeout|shutdown|error})
 * (counters), {@code mosaic.tablet.reserved.duration} (timer).
 *
 * <p>Thread-safe. A connection serves one statement at a time; a second concurrent call on the
 * same id fails with FAILED_PRECONDITION.
 */
public final class TxEngine implements AutoCloseable {
    private static final int REMEMBERED_ENDED = 10_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** What becomes of a connection that ended. */
    private enum Disposal {
        /** Close the MySQL connection (session state unknown or dirty). */
        DISCARD,
        /** Back to the pool as it is (its transaction ended cleanly). */
        RETURN,
        /** ROLLBACK first; back to the pool if that works, else closed. */
        ROLLBACK_THEN_RETURN
    }

    private final TabletConfig config;
    private final ConnectionPool pool;
    private final StatementRunner runner;
    private final TxSerializer serializer;
    private final TableAclChecker acl;
    private final Semaphore openCap;
    private final Map<Long, StatefulConnection> active = new ConcurrentHashMap<>();
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
    private final Counter reservedCreated;
    private final Timer reservedDuration;
    private volatile boolean closed;

    /**
     * Starts the engine and its killer thread (when {@code tx.timeout} or
     * {@code reserved.idle-timeout} is not zero).
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
        Gauge.builder("mosaic.tablet.tx.open", this, e -> e.count(StatefulConnection::inTx))
                .description("open transactions").register(registry);
        this.begun = Counter.builder("mosaic.tablet.tx.begun").description("transactions begun").register(registry);
        this.capExceeded = Counter.builder("mosaic.tablet.tx.cap_exceeded")
                .description("begins and reserves refused because tx.max-open connections were open").register(registry);
        this.duration = Timer.builder("mosaic.tablet.tx.duration").description("transaction lifetimes").register(registry);
        for (String reason : List.of("commit", "rollback", "timeout", "shutdown", "error", "release", "prepare")) {
            endedCounter(reason);
        }
        Gauge.builder("mosaic.tablet.reserved.open", this, e -> e.count(StatefulConnection::reserved))
                .description("open reserved connections").register(registry);
        this.reservedCreated = Counter.builder("mosaic.tablet.reserved.created")
                .description("connections reserved").register(registry);
        this.reservedDuration = Timer.builder("mosaic.tablet.reserved.duration")
                .description("reserved connection lifetimes").register(registry);
        for (String reason : List.of("release", "timeout", "shutdown", "error")) {
            reservedEndedCounter(reason);
        }
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "tablet-tx-killer");
            th.setDaemon(true);
            return th;
        });
        long shortest = shortestNonZero(config.txTimeout(), config.reservedIdleTimeout());
        if (shortest > 0) {
            long interval = Math.max(TimeUnit.MILLISECONDS.toNanos(10), shortest / 10);
            t.scheduleWithFixedDelay(this::killExpired, interval, interval, TimeUnit.NANOSECONDS);
        }
        this.killerThread = t;
    }

    private static long shortestNonZero(Duration a, Duration b) {
        if (a.isZero()) {
            return b.toNanos();
        }
        return b.isZero() ? a.toNanos() : Math.min(a.toNanos(), b.toNanos());
    }

    // ------------------------------------------------------------------ transactions

    /**
     * Begins a transaction on a connection of its own.
     *
     * @return its id, unique for this tablet process (and in practice across restarts)
     * @throws MosaicException TOO_MANY_USER_CONNECTIONS (RESOURCE_EXHAUSTED) if {@code tx.max-open}
     *     connections stay open for {@code pool.tx.wait-timeout}; UNAVAILABLE after {@link #close()}
     *     or if mysqld cannot be reached
     */
    public long begin(ExecuteOptions options) {
        StatefulConnection c = open();
        try {
            runBegin(c, options);
        } catch (RuntimeException e) {
            abandon(c);
            throw e;
        }
        return register(c);
    }

    /**
     * Begins a transaction on reserved connection {@code reservedId}; the transaction's id is
     * {@code reservedId}. The connection's idle timeout gives way to the transaction timeout.
     *
     * @throws MosaicException NOT_FOUND / ABORTED as {@link #execute}; FAILED_PRECONDITION if a
     *     transaction is already open on it; the MySQL error of BEGIN (the reserved connection is
     *     then closed: its state is unknown)
     */
    public long begin(long reservedId, ExecuteOptions options) {
        StatefulConnection c = use(reservedId);
        if (c.inTx()) {
            doneUse(c);
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION,
                    "transaction " + reservedId + ": already in a transaction");
        }
        try {
            runBegin(c, options);
        } catch (MosaicException e) {
            boolean endedMeanwhile = c.ended();
            endByUser(c, "error", "error", "begin failed", Disposal.DISCARD);
            throw endedMeanwhile ? endedError(reservedId, e) : e;
        }
        doneUse(c);
        return reservedId;
    }

    /**
     * Runs one statement on transaction or reserved connection {@code connId}.
     *
     * @throws MosaicException NOT_FOUND for an unknown id; ABORTED "transaction N: ended at ..."
     *     for one that ended (committed, rolled back, released, killed on timeout); DEADLINE_EXCEEDED
     *     if the statement passed its timeout (it was killed; the transaction stays open);
     *     RESOURCE_EXHAUSTED "Row count exceeded N"; errors of the hot-row serializer and ACL
     *     checker; the MySQL error
     */
    public QueryResult execute(long connId, String sql, BindVariables bindVars, ExecuteOptions options) {
        StatementKind kind = StatementKind.of(sql);
        acl.check(options.principal(), sql, kind);
        StatefulConnection c = use(connId);
        try {
            // Hot-row holds last until the transaction ends; outside one a write is autocommitted.
            if (kind == StatementKind.WRITE && c.inTx()) {
                c.addHold(serializer.enter(connId, sql, bindVars));
            }
            String bound = SqlBinder.bind(sql, bindVars);
            QueryResult r = runner.execute(c.conn, bound, options.effectiveTimeout(config.queryTimeout()),
                    config.maxResultRows(), false);
            c.recordInTx(bound, kind);
            return r;
        } catch (MosaicException e) {
            if (c.ended()) {
                throw endedError(connId, e);
            }
            throw e;
        } finally {
            doneUse(c);
        }
    }

    /**
     * Streams one statement's result on transaction or reserved connection {@code connId}, as
     * {@code QueryEngine.streamExecute} does on a pooled connection (the timeout is the call's own;
     * none by default). If the stream fails half-way (consumer error, timeout) the MySQL
     * connection had to be closed, so the transaction or reserved connection ends.
     *
     * <p>Streams have no row limit, but {@code tx} connections carry the tablet's
     * {@code sql_select_limit} (see {@code TabletPools}): when the session still has the tablet's
     * value it is lifted for the stream and put back afterwards (two extra statements before and one
     * after); a value the session set itself (say in a pre-query) is left alone and applies.
     *
     * @throws MosaicException as {@link #execute}, except that there is no row limit
     */
    public void streamExecute(long connId, String sql, BindVariables bindVars, ExecuteOptions options,
            Consumer<QueryResult> consumer) {
        StatementKind kind = StatementKind.of(sql);
        acl.check(options.principal(), sql, kind);
        StatefulConnection c = use(connId);
        boolean done = false;
        try {
            if (kind == StatementKind.WRITE && c.inTx()) {
                c.addHold(serializer.enter(connId, sql, bindVars));
            }
            String bound = SqlBinder.bind(sql, bindVars);
            Duration timeout = options.timeout() == null ? Duration.ZERO : options.timeout();
            boolean lifted = liftSelectLimit(c, options);
            try {
                runner.stream(c.conn, bound, timeout, config.streamBufferSize(), consumer);
                c.recordInTx(bound, kind);
            } finally {
                if (lifted && !c.conn.returned()) {
                    restoreSelectLimit(c, options);
                }
            }
        } catch (MosaicException e) {
            if (c.ended()) {
                done = true;
                doneUse(c);
                throw endedError(connId, e);
            }
            throw e;
        } finally {
            if (!done) {
                if (c.conn.returned()) {
                    endByUser(c, "error", "error", "connection closed after a failed stream", Disposal.DISCARD);
                } else {
                    doneUse(c);
                }
            }
        }
    }

    private String tabletSelectLimit() {
        return Long.toString((long) config.maxResultRows() + 1);
    }

    /** Lifts the tablet's {@code sql_select_limit} if the session still has it; true if it did. */
    private boolean liftSelectLimit(StatefulConnection c, ExecuteOptions options) {
        QueryResult r = runSetup(c, "SELECT @@session.sql_select_limit", options);
        byte[] v = r.rows().isEmpty() ? null : r.rows().get(0)[0];
        if (v == null || !new String(v, StandardCharsets.US_ASCII).equals(tabletSelectLimit())) {
            return false;
        }
        runSetup(c, "SET SESSION sql_select_limit = DEFAULT", options);
        return true;
    }

    /**
     * Puts the tablet's {@code sql_select_limit} back. If that fails the connection would run on
     * without it, so it is closed; the transaction or reserved connection then ends (the next call
     * on it says so) and the stream's own outcome stands.
     */
    private void restoreSelectLimit(StatefulConnection c, ExecuteOptions options) {
        try {
            runSetup(c, "SET SESSION sql_select_limit = " + tabletSelectLimit(), options);
        } catch (MosaicException e) {
            c.conn.discard();
        }
    }

    private QueryResult runSetup(StatefulConnection c, String sql, ExecuteOptions options) {
        return runner.execute(c.conn, sql, options.effectiveTimeout(config.queryTimeout()), config.maxResultRows(), false);
    }

    /**
     * Commits transaction {@code txId}; the transaction has ended afterwards, whatever the outcome.
     *
     * @return 0, or for a transaction on a reserved connection the connection's new reserved id
     *     (the connection stays reserved; {@code txId} is no longer valid)
     * @throws MosaicException NOT_FOUND / ABORTED as {@link #execute}; FAILED_PRECONDITION for a
     *     reserved connection with no transaction open; the MySQL error if COMMIT failed (the
     *     transaction was rolled back; a reserved connection is closed)
     */
    public long commit(long txId) {
        return finish(txId, "commit");
    }

    /**
     * Rolls back transaction {@code txId}.
     *
     * @return as {@link #commit}; on a reserved connection with no transaction open it does
     *     nothing and returns {@code txId}
     * @throws MosaicException NOT_FOUND / ABORTED as {@link #execute}
     */
    public long rollback(long txId) {
        return finish(txId, "rollback");
    }

    private long finish(long txId, String verb) {
        StatefulConnection c = use(txId);
        if (!c.inTx()) {
            // Only a reserved connection can be open without a transaction.
            doneUse(c);
            if (verb.equals("commit")) {
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "transaction " + txId
                        + ": not in a transaction (a reserved connection with no transaction open)");
            }
            return txId;
        }
        try {
            runner.execute(c.conn, verb, config.queryTimeout(), config.maxResultRows(), false);
        } catch (MosaicException e) {
            boolean endedMeanwhile = c.ended();
            // After a failed COMMIT/ROLLBACK the session state is unknown: roll back or drop it.
            endByUser(c, "error", "error", verb + " failed",
                    c.reserved() ? Disposal.DISCARD : Disposal.ROLLBACK_THEN_RETURN);
            throw endedMeanwhile ? endedError(txId, e) : e;
        }
        if (!c.reserved()) {
            endByUser(c, verb, "", verb, Disposal.RETURN);
            return 0;
        }
        long newId = lastId.incrementAndGet();
        long txStart = c.txStartNanos();
        long now = System.nanoTime();
        boolean renewed = c.renewAfterTx(newId, now, config.reservedIdleTimeout(), () -> {
            active.put(newId, c);
            active.remove(txId, c);
        });
        if (!renewed) {
            // The killer or shutdown ended it during the statement and killed its MySQL connection.
            // The COMMIT went through, so report success; the reserved connection is gone.
            doneUse(c);
            return 0;
        }
        remember(txId, verb + "; the reserved connection continues as " + newId);
        endedCounter(verb).increment();
        duration.record(Duration.ofNanos(now - txStart));
        c.releaseHolds();
        doneUse(c);
        return newId;
    }

    // ------------------------------------------------------------------ reserved connections

    /**
     * Reserves a connection: takes one from the {@code tx} pool and runs {@code preQueries} on it.
     *
     * @return its reserved id
     * @throws MosaicException as {@link #begin(ExecuteOptions)}; the MySQL error of a pre-query
     *     (the connection is then closed and nothing stays reserved)
     */
    public long reserve(List<String> preQueries, ExecuteOptions options) {
        StatefulConnection c = open();
        try {
            runPreQueries(c, preQueries, options);
        } catch (RuntimeException e) {
            abandon(c);
            throw e;
        }
        c.reserve(System.nanoTime(), config.reservedIdleTimeout());
        reservedCreated.increment();
        return register(c);
    }

    /**
     * Reserves the connection that transaction {@code txId} holds, running {@code preQueries} on
     * it. The reserved id is {@code txId}; the transaction goes on.
     *
     * @throws MosaicException NOT_FOUND / ABORTED as {@link #execute}; FAILED_PRECONDITION if it
     *     is already reserved; the MySQL error of a pre-query (the connection is then closed and
     *     its transaction rolled back)
     */
    public long reserve(long txId, List<String> preQueries, ExecuteOptions options) {
        StatefulConnection c = use(txId);
        if (c.reserved()) {
            doneUse(c);
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION,
                    "transaction " + txId + ": connection is already reserved");
        }
        c.reserve(System.nanoTime(), config.reservedIdleTimeout());
        reservedCreated.increment();
        try {
            runPreQueries(c, preQueries, options);
        } catch (MosaicException e) {
            boolean endedMeanwhile = c.ended();
            endByUser(c, "error", "error", "error during connection setup", Disposal.DISCARD);
            throw endedMeanwhile ? endedError(txId, e) : e;
        }
        doneUse(c);
        return txId;
    }

    /**
     * Reserves a connection, runs {@code preQueries} on it, then begins a transaction on it.
     *
     * @return the id, which is both the reserved id and the transaction id
     * @throws MosaicException as {@link #reserve(List, ExecuteOptions)}, or the error of BEGIN
     *     (nothing stays reserved)
     */
    public long reserveBegin(List<String> preQueries, ExecuteOptions options) {
        StatefulConnection c = open();
        try {
            runPreQueries(c, preQueries, options);
            runBegin(c, options);
        } catch (RuntimeException e) {
            abandon(c);
            throw e;
        }
        c.reserve(System.nanoTime(), config.reservedIdleTimeout());
        reservedCreated.increment();
        return register(c);
    }

    /**
     * Ends transaction or reserved connection {@code connId}: a reserved connection is closed (with
     * any transaction in it, which MySQL then rolls back); a plain transaction is rolled back and
     * its connection returned to the pool.
     *
     * @throws MosaicException NOT_FOUND / ABORTED as {@link #execute}
     */
    public void release(long connId) {
        StatefulConnection c = use(connId);
        if (c.reserved()) {
            endByUser(c, "release", "release", "released", Disposal.DISCARD);
        } else {
            endByUser(c, "rollback", "", "rollback (released)", Disposal.ROLLBACK_THEN_RETURN);
        }
    }

    // ------------------------------------------------------------------ two-phase commit

    /**
     * Takes transaction {@code txId}'s connection out of the engine for two-phase commit's Prepare:
     * the id ends (using it again says it was prepared), the transaction stays open in MySQL with
     * its locks, and from now on the returned {@link DetachedTransaction} owns it. It no longer
     * counts as an open transaction and the killer no longer sees it (a prepared transaction must
     * never be rolled back on a timeout, as in Vitess), but it keeps its place under
     * {@code tx.max-open} until it ends.
     *
     * <p>Refused, with the transaction rolled back, as Vitess refuses it: a transaction on a
     * reserved connection (its session state, temporary tables, locks could not be rebuilt), and
     * one that ran a statement the redo log cannot replay.
     *
     * @throws MosaicException NOT_FOUND / ABORTED as {@link #execute}; FAILED_PRECONDITION for a
     *     reserved connection with no transaction open, and for the refusals above
     */
    public DetachedTransaction detachForPrepare(long txId, String dtid) {
        StatefulConnection c = use(txId);
        if (!c.inTx()) {
            doneUse(c);
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "transaction " + txId
                    + ": not in a transaction (a reserved connection with no transaction open)");
        }
        String refusal = c.reserved() ? "cannot prepare the transaction on a reserved connection" : c.notReplayable();
        if (refusal != null) {
            endByUser(c, "rollback", "release", "rolled back: prepare refused: " + refusal, Disposal.DISCARD);
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION,
                    "atomic distributed transaction not allowed: " + refusal);
        }
        if (!c.endByUser()) {
            // Ended (killed on timeout, shutdown) while we took it.
            dispose(c, Disposal.DISCARD);
            throw endedError(txId, null);
        }
        active.remove(txId, c);
        remember(txId, "prepared as " + dtid);
        endedCounter("prepare").increment();
        duration.record(Duration.ofNanos(System.nanoTime() - c.txStartNanos()));
        return new DetachedTransaction(this, c, c.txStatements());
    }

    /**
     * Begins a transaction on a connection of its own that no id names: for the tablet's own
     * transactional work (two-phase commit's sidecar records, replaying a redo log). It counts
     * under {@code tx.max-open}; the killer does not see it. A pooled connection whose BEGIN finds
     * it lost is dropped and another one tried, up to {@code pool.tx.size + 1} times: after a mysqld
     * restart every idle connection of the pool is dead, and recovery must not fail on them.
     *
     * @throws MosaicException as {@link #begin(ExecuteOptions)}
     */
    public DetachedTransaction beginDetached() {
        for (int attempt = 0; ; attempt++) {
            StatefulConnection c = open();
            try {
                runBegin(c, ExecuteOptions.DEFAULT);
                return new DetachedTransaction(this, c, List.of());
            } catch (MosaicException e) {
                abandon(c);
                if (e.code() != ErrorCode.UNAVAILABLE || attempt >= config.txPoolSize()) {
                    throw e;
                }
            } catch (RuntimeException e) {
                abandon(c);
                throw e;
            }
        }
    }

    QueryResult runDetached(StatefulConnection c, String sql) {
        return runner.execute(c.conn, sql, config.queryTimeout(), config.maxResultRows(), false);
    }

    /** Ends a detached transaction's connection: {@code commit} keeps it for the pool, else it is closed. */
    void endDetached(StatefulConnection c, boolean reusable) {
        dispose(c, reusable ? Disposal.RETURN : Disposal.DISCARD);
    }

    // ------------------------------------------------------------------ status

    /** The number of open transactions (on their own or on reserved connections). */
    public int openTransactions() {
        return count(StatefulConnection::inTx);
    }

    /** Ids of the open transactions (for status pages and tests). */
    public List<Long> openTransactionIds() {
        return ids(StatefulConnection::inTx);
    }

    /** The number of open reserved connections. */
    public int openReservedConnections() {
        return count(StatefulConnection::reserved);
    }

    /** Ids of the open reserved connections (for status pages and tests). */
    public List<Long> reservedConnectionIds() {
        return ids(StatefulConnection::reserved);
    }

    /** Ends every open transaction and reserved connection and stops the killer. Idempotent. */
    @Override
    public void close() {
        closed = true;
        killerThread.shutdownNow();
        for (StatefulConnection c : active.values()) {
            end(c, "shutdown", "tablet shutdown");
        }
    }

    // ------------------------------------------------------------------ internals

    private int count(Predicate<StatefulConnection> p) {
        int n = 0;
        for (StatefulConnection c : active.values()) {
            if (p.test(c)) {
                n++;
            }
        }
        return n;
    }

    private List<Long> ids(Predicate<StatefulConnection> p) {
        List<Long> out = new ArrayList<>();
        for (Map.Entry<Long, StatefulConnection> e : active.entrySet()) {
            if (p.test(e.getValue())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** A connection under the open cap, not yet registered. */
    private StatefulConnection open() {
        if (closed) {
            throw new MosaicException(SqlError.SERVER_SHUTDOWN, "transaction engine is closed");
        }
        try {
            if (!openCap.tryAcquire(config.txPoolWaitTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                capExceeded.increment();
                throw new MosaicException(SqlError.TOO_MANY_USER_CONNECTIONS,
                        "resource exhausted: transaction pool connection limit exceeded: " + config.maxOpenTransactions()
                                + " transactions and reserved connections open (" + TabletConfig.TX_MAX_OPEN
                                + "), waited " + config.txPoolWaitTimeout().toMillis() + "ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MosaicException(ErrorCode.CANCELED, "interrupted waiting for a transaction pool connection", e);
        }
        try {
            return new StatefulConnection(pool.get());
        } catch (RuntimeException e) {
            openCap.release();
            throw e;
        }
    }

    /** Drops a connection that was never registered. */
    private void abandon(StatefulConnection c) {
        c.conn.discard();
        c.releaseHolds();
        openCap.release();
    }

    /** Gives it an id and makes it visible (to callers, the killer and shutdown). */
    private long register(StatefulConnection c) {
        long id = lastId.incrementAndGet();
        c.setId(id);
        active.put(id, c);
        if (closed) {
            // close() ran meanwhile and may have missed this one.
            end(c, "shutdown", "tablet shutdown");
            throw new MosaicException(SqlError.SERVER_SHUTDOWN, "transaction engine is closed");
        }
        return id;
    }

    private void runBegin(StatefulConnection c, ExecuteOptions options) {
        runner.execute(c.conn, "begin", options.effectiveTimeout(config.queryTimeout()), config.maxResultRows(), false);
        c.beginTx(System.nanoTime(), config.txTimeout());
        begun.increment();
    }

    private void runPreQueries(StatefulConnection c, List<String> preQueries, ExecuteOptions options) {
        for (String q : preQueries) {
            runSetup(c, q, options);
        }
    }

    private StatefulConnection use(long connId) {
        StatefulConnection c = active.get(connId);
        if (c == null || !c.tryUse()) {
            throw endedError(connId, null);
        }
        return c;
    }

    private void doneUse(StatefulConnection c) {
        if (c.doneUse(System.nanoTime())) {
            // Ended (killed) while we used it: its MySQL connection was killed, so drop it.
            dispose(c, Disposal.DISCARD);
        }
    }

    /**
     * Its user ends it: forgets the id (remembering {@code why}), counts the end under
     * {@code txReason} if a transaction was open and {@code reservedReason} if it was reserved,
     * and disposes of it. If it had been ended meanwhile (killer, shutdown), only drops it.
     */
    private void endByUser(StatefulConnection c, String txReason, String reservedReason, String why, Disposal d) {
        if (c.endByUser()) {
            long id = c.id();
            active.remove(id, c);
            remember(id, why);
            countEnd(c, txReason, reservedReason);
            dispose(c, d);
        } else {
            dispose(c, Disposal.DISCARD);
        }
    }

    private MosaicException endedError(long connId, Throwable cause) {
        String reason;
        synchronized (endedReasons) {
            reason = endedReasons.get(connId);
        }
        if (reason == null) {
            return new MosaicException(ErrorCode.NOT_FOUND, "transaction " + connId + ": not found", cause);
        }
        return new MosaicException(ErrorCode.ABORTED, "transaction " + connId + ": " + reason, cause);
    }

    private void remember(long connId, String why) {
        synchronized (endedReasons) {
            endedReasons.put(connId, "ended at " + TIME.format(Instant.now()) + " (" + why + ")");
        }
    }

    /**
     * Ends {@code c} from outside (killer, shutdown): rolls back its transaction, or closes it if
     * reserved; if a statement is running in it, kills its MySQL connection and lets the running
     * caller drop it.
     */
    private void end(StatefulConnection c, String metricReason, String why) {
        afterEnd(c, c.markEnded(), metricReason, why);
    }

    private void afterEnd(StatefulConnection c, StatefulConnection.EndState state, String metricReason, String why) {
        if (state == StatefulConnection.EndState.ALREADY_ENDED) {
            return;
        }
        long id = c.id();
        active.remove(id, c);
        remember(id, why);
        countEnd(c, metricReason, metricReason);
        if (state == StatefulConnection.EndState.IN_USE) {
            runner.killer().killConnection(c.conn.mysqlThreadId());
        } else {
            dispose(c, c.reserved() ? Disposal.DISCARD : Disposal.ROLLBACK_THEN_RETURN);
        }
    }

    private void countEnd(StatefulConnection c, String txReason, String reservedReason) {
        long now = System.nanoTime();
        if (c.inTx()) {
            endedCounter(txReason).increment();
            duration.record(Duration.ofNanos(now - c.txStartNanos()));
        }
        if (c.reserved()) {
            reservedEndedCounter(reservedReason).increment();
            reservedDuration.record(Duration.ofNanos(now - c.reservedNanos()));
        }
    }

    /** Gives the connection back (or closes it) and frees its slot; called once per connection. */
    private void dispose(StatefulConnection c, Disposal d) {
        try {
            switch (d) {
                case DISCARD -> c.conn.discard();
                case RETURN -> c.conn.close();
                case ROLLBACK_THEN_RETURN -> {
                    runner.execute(c.conn, "rollback", config.queryTimeout(), config.maxResultRows(), true);
                    c.conn.close();
                }
                default -> throw new IllegalStateException(d.name());
            }
        } catch (RuntimeException e) {
            c.conn.discard();
        } finally {
            c.releaseHolds();
            openCap.release();
        }
    }

    private void killExpired() {
        long now = System.nanoTime();
        for (StatefulConnection c : active.values()) {
            if (c.expired(now)) {
                try {
                    // Read before ending: a transaction's timeout, or a reserved connection's idle one.
                    String why = "exceeded timeout: " + format(c.timeout());
                    afterEnd(c, c.markEndedIfExpired(now), "timeout", why);
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

    private Counter reservedEndedCounter(String reason) {
        return Counter.builder("mosaic.tablet.reserved.ended").tag("reason", reason)
                .description("reserved connections ended, by reason").register(registry);
    }

    /** Go-style duration text, as in Vitess messages: {@code 500ms}, {@code 30s}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
