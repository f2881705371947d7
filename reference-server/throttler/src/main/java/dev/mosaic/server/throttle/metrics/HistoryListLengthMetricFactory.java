package dev.mosaic.server.throttle.metrics;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.throttle.MetricScope;
import dev.mosaic.spi.throttle.ThrottlerMetric;

/**
 * {@code history_list_length}: InnoDB's undo history list length (transactions' undo not yet
 * purged), from {@code information_schema.INNODB_METRICS} counter {@code trx_rseg_history_len}, the
 * query Vitess uses; MariaDB 10.11 keeps that counter enabled by default. Self scope, threshold
 * 5000 (Vitess's default is 10^9, which in practice never throttles).
 */
public final class HistoryListLengthMetricFactory extends BuiltinMetricFactory {
    /** The metric and type name. */
    public static final String NAME = "history_list_length";
    /** The query. */
    public static final String QUERY = "SELECT `COUNT` FROM information_schema.INNODB_METRICS WHERE NAME = 'trx_rseg_history_len'";

    /** Creates the factory. */
    public HistoryListLengthMetricFactory() {
        super(NAME, "InnoDB's history list length from INNODB_METRICS trx_rseg_history_len (self scope, threshold 5000).");
    }

    @Override
    public ThrottlerMetric create(Config config, PluginContext context) {
        return new QueryMetric(NAME, MetricScope.SELF, 5000, QUERY);
    }
}
