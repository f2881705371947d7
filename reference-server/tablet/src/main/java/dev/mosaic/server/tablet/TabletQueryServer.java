package dev.mosaic.server.tablet;

import dev.mosaic.server.mysqlctl.ConnectionParams;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.pool.TabletPools;
import dev.mosaic.server.tablet.query.DdlListener;
import dev.mosaic.server.tablet.query.QueryEngine;
import dev.mosaic.server.tablet.query.QueryKiller;
import dev.mosaic.server.tablet.query.StatementRunner;
import dev.mosaic.server.tablet.twopc.DtExecutor;
import dev.mosaic.server.tablet.tx.TxEngine;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The query-serving core of a tablet, wired: pools, the query killer, the {@link QueryEngine},
 * the {@link TxEngine} and two-phase commit's {@link DtExecutor}. The gRPC query service calls {@link #queries()} and
 * {@link #transactions()}. {@link #close()} closes prepared transactions (their redo log stays), rolls back open transactions and closes reserved
 * connections, stops the killer threads and closes every pool (aborting connections still in use),
 * in that order.
 */
public final class TabletQueryServer implements AutoCloseable {
    private final TabletPools pools;
    private final QueryKiller killer;
    private final QueryEngine queries;
    private final TxEngine transactions;
    private final StatementRunner runner;
    private final DtExecutor twoPc;

    private TabletQueryServer(TabletPools pools, QueryKiller killer, QueryEngine queries, TxEngine transactions,
            StatementRunner runner, DtExecutor twoPc) {
        this.runner = runner;
        this.twoPc = twoPc;
        this.pools = pools;
        this.killer = killer;
        this.queries = queries;
        this.transactions = transactions;
    }

    /**
     * Creates the pools (connections open lazily) and engines.
     *
     * @param config validated configuration
     * @param mysqld where mysqld is and who to log in as (a user allowed to KILL other sessions)
     * @param registry where metrics go
     * @param extensions consolidator, hot-row serializer and ACL checker, or {@link TabletExtensions#NONE}
     */
    public static TabletQueryServer open(TabletConfig config, ConnectionParams mysqld, MeterRegistry registry,
            TabletExtensions extensions) {
        return open(config, mysqld, registry, extensions, config.sidecarDbName());
    }

    /**
     * As {@link #open(TabletConfig, ConnectionParams, MeterRegistry, TabletExtensions)}, with
     * two-phase commit's records in sidecar database {@code sidecarDb} (the keyspace record may
     * name another than the config's). Two-phase commit serves nothing until
     * {@code twoPc().setPrimary(true)}.
     */
    public static TabletQueryServer open(TabletConfig config, ConnectionParams mysqld, MeterRegistry registry,
            TabletExtensions extensions, String sidecarDb) {
        TabletPools pools = new TabletPools(config, mysqld, registry);
        QueryKiller killer = new QueryKiller(pools.dba(), registry);
        StatementRunner runner = new StatementRunner(killer, registry);
        QueryEngine queries = new QueryEngine(config, pools, runner, extensions.consolidator(), extensions.acl(), registry);
        TxEngine tx = new TxEngine(config, pools.tx(), runner, extensions.txSerializer(), extensions.acl(), registry);
        DtExecutor twoPc = new DtExecutor(tx, sidecarDb, Math.max(1, config.maxOpenTransactions()),
                DtExecutor.DEFAULT_WATCH_INTERVAL, registry);
        return new TabletQueryServer(pools, killer, queries, tx, runner, twoPc);
    }

    /** Two-phase commit: prepared transactions, the redo log and coordinator records. */
    public DtExecutor twoPc() {
        return twoPc;
    }

    /** Non-transactional execute and stream. */
    public QueryEngine queries() {
        return queries;
    }

    /** Transactions and reserved connections: begin, reserve, execute, commit, rollback, release. */
    public TxEngine transactions() {
        return transactions;
    }

    /**
     * Adds a listener told after each DDL statement run by the query or transaction engine (the
     * schema engine's {@code ddlListener()}).
     */
    public void addDdlListener(DdlListener listener) {
        runner.addDdlListener(listener);
    }

    /** The pools (for status pages and tests). */
    public TabletPools pools() {
        return pools;
    }

    @Override
    public void close() {
        try {
            twoPc.close();
            transactions.close();
        } finally {
            killer.close();
            pools.close();
        }
    }
}
