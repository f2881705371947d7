package dev.mosaic.server.throttle.metrics;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.throttle.MetricScope;
import dev.mosaic.spi.throttle.ThrottlerMetric;

/**
 * {@code threads_running}: mysqld's {@code Threads_running} status variable. Self scope and
 * threshold 100, as in Vitess.
 */
public final class ThreadsRunningMetricFactory extends BuiltinMetricFactory {
    /** The metric and type name. */
    public static final String NAME = "threads_running";
    /** The query, as Vitess reads it. */
    public static final String QUERY = "SHOW GLOBAL STATUS LIKE 'Threads_running'";

    /** Creates the factory. */
    public ThreadsRunningMetricFactory() {
        super(NAME, "mysqld's Threads_running status variable (self scope, threshold 100).");
    }

    @Override
    public ThrottlerMetric create(Config config, PluginContext context) {
        return new QueryMetric(NAME, MetricScope.SELF, 100, QUERY);
    }
}
