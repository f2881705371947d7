package dev.mosaic.server.tablet.query;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.pool.PooledConnection;
import dev.mosaic.server.tablet.pool.TabletPools;
import dev.mosaic.server.tablet.sequence.NextValuesStatement;
import dev.mosaic.server.tablet.sequence.SequenceEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Non-transactional query serving: {@link #execute} on the {@code query} pool (whole result, row
 * limit) and {@link #streamExecute} on the {@code stream} pool (batches, no row limit). Every
 * statement is checked by the {@link TableAclChecker}, has its bind variables substituted, and
 * runs under a timeout that kills it in MySQL. Reads go through the {@link QueryConsolidator}.
 * {@code SELECT NEXT n VALUES FROM seq} is answered by the {@link SequenceEngine} (sequence tables).
 *
 * <p>Metrics: {@code mosaic.tablet.query.duration} (timer, tag {@code path=execute|stream}),
 * {@code mosaic.tablet.query.errors} (counter, tags {@code path}, {@code code}),
 * {@code mosaic.tablet.query.reads_retried} (counter: reads run again on a fresh connection after
 * finding theirs lost, e.g. after a mysqld restart).
 *
 * <p>Thread-safe; calls block the calling thread until MySQL answers (bounded by the timeout).
 */
public final class QueryEngine {
    private final TabletConfig config;
    private final TabletPools pools;
    private final StatementRunner runner;
    private final QueryConsolidator consolidator;
    private final SequenceEngine sequences;
    private final TableAclChecker acl;
    private final MeterRegistry registry;
    private final Timer executeTimer;
    private final Timer streamTimer;
    private final Counter readsRetried;

    /** An engine over {@code pools}; use {@link QueryConsolidator#NONE} and {@link TableAclChecker#ALLOW_ALL} for none. */
    public QueryEngine(TabletConfig config, TabletPools pools, StatementRunner runner, QueryConsolidator consolidator,
            TableAclChecker acl, MeterRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.pools = Objects.requireNonNull(pools, "pools");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.consolidator = Objects.requireNonNull(consolidator, "consolidator");
        this.sequences = new SequenceEngine(runner);
        this.acl = Objects.requireNonNull(acl, "acl");
        this.registry = registry;
        this.executeTimer = Timer.builder("mosaic.tablet.query.duration").tag("path", "execute")
                .description("time to run a statement, including the pool wait").register(registry);
        this.streamTimer = Timer.builder("mosaic.tablet.query.duration").tag("path", "stream")
                .description("time to run a statement, including the pool wait").register(registry);
        this.readsRetried = Counter.builder("mosaic.tablet.query.reads_retried")
                .description("reads outside a transaction run again after losing their MySQL connection")
                .register(registry);
    }

    /**
     * Runs one statement outside any transaction (autocommit) and returns its whole result.
     *
     * @param sql one SQL statement, with optional {@code :name} bind variables
     * @param bindVars values for the bind variables, or {@link BindVariables#EMPTY}
     * @param options timeout and caller
     * @return the result: fields once, rows as raw MySQL text values
     * @throws MosaicException TOO_MANY_USER_CONNECTIONS (RESOURCE_EXHAUSTED) if no connection frees
     *     up within {@code pool.query.wait-timeout}; DEADLINE_EXCEEDED if the statement passed its
     *     timeout (it was killed in MySQL); RESOURCE_EXHAUSTED "Row count exceeded N" if the result has
     *     more than {@code query.max-result-rows} rows; PERMISSION_DENIED from the ACL checker;
     *     INVALID_ARGUMENT for an unbound variable; the MySQL error (mapped) otherwise
     */
    public QueryResult execute(String sql, BindVariables bindVars, ExecuteOptions options) {
        long t0 = System.nanoTime();
        try {
            StatementKind kind = StatementKind.of(sql);
            acl.check(options.principal(), sql, kind);
            Duration timeout = options.effectiveTimeout(config.queryTimeout());
            Optional<NextValuesStatement> next = NextValuesStatement.parse(sql);
            if (next.isPresent()) {
                return sequences.next(next.get(), bindVars, pools.query(), timeout);
            }
            String bound = SqlBinder.bind(sql, bindVars);
            if (kind == StatementKind.READ) {
                return consolidator.execute(bound, () -> runRead(bound, timeout));
            }
            return run(bound, timeout);
        } catch (MosaicException e) {
            countError("execute", e);
            throw e;
        } finally {
            executeTimer.record(Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private QueryResult run(String sql, Duration timeout) {
        try (PooledConnection c = pools.query().get()) {
            return runner.execute(c, sql, timeout, config.maxResultRows(), true);
        }
    }

    /**
     * A read outside a transaction that found its connection lost (mysqld restarted since the
     * connection was last used) runs once more on a fresh one: running a read twice changes
     * nothing. Writes are not retried: whether a write on a lost connection reached mysqld is
     * unknowable, so it fails with UNAVAILABLE, as in Vitess.
     */
    private QueryResult runRead(String sql, Duration timeout) {
        try {
            return run(sql, timeout);
        } catch (MosaicException e) {
            if (!MysqlErrors.connectionLost(e)) {
                throw e;
            }
            readsRetried.increment();
            return run(sql, timeout);
        }
    }

    /**
     * Runs one statement outside any transaction, handing its result to {@code consumer} in
     * batches as it arrives: first a batch with the fields and no rows, then batches of rows of
     * about {@code query.stream-buffer-size} bytes each. Memory use is bounded by one batch
     * whatever the result's size; there is no row limit. The timeout is the call's own
     * ({@link ExecuteOptions#timeout()}); streams have none by default.
     *
     * <p>The consumer runs on the calling thread; if it throws, the MySQL query is killed and the
     * exception propagates.
     *
     * @throws MosaicException as {@link #execute}, except that there is no row limit
     */
    public void streamExecute(String sql, BindVariables bindVars, ExecuteOptions options, Consumer<QueryResult> consumer) {
        long t0 = System.nanoTime();
        try {
            StatementKind kind = StatementKind.of(sql);
            acl.check(options.principal(), sql, kind);
            Optional<NextValuesStatement> next = NextValuesStatement.parse(sql);
            if (next.isPresent()) {
                QueryResult r = sequences.next(next.get(), bindVars, pools.query(),
                        options.effectiveTimeout(config.queryTimeout()));
                consumer.accept(new QueryResult(r.fields(), List.of(), 0, 0));
                consumer.accept(new QueryResult(List.of(), r.rows(), 0, 0));
                return;
            }
            String bound = SqlBinder.bind(sql, bindVars);
            Duration timeout = options.timeout() == null ? Duration.ZERO : options.timeout();
            boolean[] delivered = {false};
            Consumer<QueryResult> tracking = r -> {
                delivered[0] = true;
                consumer.accept(r);
            };
            try {
                stream(bound, timeout, tracking);
            } catch (MosaicException e) {
                // As execute: a read that lost its connection before its first batch runs once more.
                if (kind != StatementKind.READ || delivered[0] || !MysqlErrors.connectionLost(e)) {
                    throw e;
                }
                readsRetried.increment();
                stream(bound, timeout, tracking);
            }
        } catch (MosaicException e) {
            countError("stream", e);
            throw e;
        } finally {
            streamTimer.record(Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private void stream(String sql, Duration timeout, Consumer<QueryResult> consumer) {
        try (PooledConnection c = pools.stream().get()) {
            runner.stream(c, sql, timeout, config.streamBufferSize(), consumer);
        }
    }

    private void countError(String path, MosaicException e) {
        Counter.builder("mosaic.tablet.query.errors").tag("path", path).tag("code", e.code().name())
                .description("statements that failed, by error class").register(registry).increment();
    }
}
