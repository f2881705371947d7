package dev.mosaic.server.throttle.metrics;

import dev.mosaic.api.cluster.TabletType;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.throttle.MetricProbe;
import dev.mosaic.spi.throttle.MetricScope;
import dev.mosaic.spi.throttle.ThrottlerMetric;
import java.util.OptionalDouble;

/**
 * {@code lag}: replication lag in seconds, as the tablet's heartbeat reader measures it (the age of
 * the newest row the primary wrote into {@code <sidecar>.heartbeat}), not
 * {@code Seconds_Behind_Master}. Shard scope by default (the worst replica counts), threshold 5 s
 * as in Vitess. A primary is the source of the heartbeats, so its own lag is 0.
 */
public final class LagMetricFactory extends BuiltinMetricFactory {
    /** The metric and type name. */
    public static final String NAME = "lag";
    /** Vitess's default lag threshold, in seconds. */
    public static final double DEFAULT_THRESHOLD = 5.0;

    /** Creates the factory. */
    public LagMetricFactory() {
        super(NAME, "Replication lag in seconds measured from the heartbeat table (shard scope, threshold 5).");
    }

    @Override
    public ThrottlerMetric create(Config config, PluginContext context) {
        return new Lag();
    }

    private static final class Lag implements ThrottlerMetric {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public MetricScope defaultScope() {
            return MetricScope.SHARD;
        }

        @Override
        public double defaultThreshold() {
            return DEFAULT_THRESHOLD;
        }

        @Override
        public double read(MetricProbe probe) {
            OptionalDouble lag = probe.replicationLagSeconds();
            if (lag.isPresent()) {
                double v = lag.getAsDouble();
                if (Double.isNaN(v) || v < 0 || Double.isInfinite(v)) {
                    throw Readings.unavailable(NAME, "the heartbeat reader reported " + v);
                }
                return v;
            }
            if (probe.tabletType() == TabletType.PRIMARY) {
                return 0.0;
            }
            throw Readings.unavailable(NAME, "no heartbeat has been read on this " + probe.tabletType().lowerName()
                    + " tablet (replication stopped, or the heartbeat table unreadable)");
        }
    }
}
