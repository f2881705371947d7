package dev.mosaic.server.tablet.pool;

import dev.mosaic.server.mysqlctl.ConnectionParams;
import dev.mosaic.server.tablet.config.TabletConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The tablet's four pools, sized from {@link TabletConfig}: {@code query} for plain statements,
 * {@code stream} for streaming ones, {@code tx} for transactions and {@code dba} for the tablet's
 * own work (killing queries). Query and tx connections carry {@code sql_select_limit =
 * max-result-rows + 1}, so an oversized result is cut at MySQL and detected here, never shipped whole.
 */
public final class TabletPools implements AutoCloseable {
    private final ConnectionPool query;
    private final ConnectionPool stream;
    private final ConnectionPool tx;
    private final ConnectionPool dba;

    /** Creates the pools (connections open lazily). */
    public TabletPools(TabletConfig config, ConnectionParams params, MeterRegistry registry) {
        List<String> limited = List.of("SET SESSION sql_select_limit = " + ((long) config.maxResultRows() + 1));
        this.query = new ConnectionPool("query", params, config.dbName(), config.queryPoolSize(),
                config.queryPoolWaitTimeout(), config.poolWaiterCap(), config.poolIdleTimeout(),
                config.connectTimeout(), limited, registry);
        this.stream = new ConnectionPool("stream", params, config.dbName(), config.streamPoolSize(),
                config.streamPoolWaitTimeout(), config.poolWaiterCap(), config.poolIdleTimeout(),
                config.connectTimeout(), List.of(), registry);
        this.tx = new ConnectionPool("tx", params, config.dbName(), config.txPoolSize(),
                config.txPoolWaitTimeout(), config.poolWaiterCap(), config.poolIdleTimeout(),
                config.connectTimeout(), limited, registry);
        this.dba = new ConnectionPool("dba", params, "", config.dbaPoolSize(),
                config.connectTimeout(), config.poolWaiterCap(), config.poolIdleTimeout(),
                config.connectTimeout(), List.of(), registry);
    }

    /** Plain, non-transactional statements. */
    public ConnectionPool query() {
        return query;
    }

    /** Streaming statements. */
    public ConnectionPool stream() {
        return stream;
    }

    /** Transactions (one connection per open transaction). */
    public ConnectionPool tx() {
        return tx;
    }

    /** The tablet's own statements: {@code KILL}. */
    public ConnectionPool dba() {
        return dba;
    }

    /** Closes all four pools. */
    @Override
    public void close() {
        for (ConnectionPool p : List.of(query, stream, tx, dba)) {
            p.close();
        }
    }
}
