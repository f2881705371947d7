package dev.mosaic.server.throttle.metrics;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.throttle.MetricProbe;
import dev.mosaic.spi.throttle.MetricScope;
import dev.mosaic.spi.throttle.ThrottlerMetric;
import java.util.OptionalDouble;

/**
 * {@code loadavg}: the host's one-minute load average divided by its core count. Self scope,
 * threshold 1.0 (one runnable task per core), as in Vitess.
 */
public final class LoadAvgMetricFactory extends BuiltinMetricFactory {
    /** The metric and type name. */
    public static final String NAME = "loadavg";

    /** Creates the factory. */
    public LoadAvgMetricFactory() {
        super(NAME, "The host's one-minute load average per core (self scope, threshold 1.0).");
    }

    @Override
    public ThrottlerMetric create(Config config, PluginContext context) {
        return new ThrottlerMetric() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public MetricScope defaultScope() {
                return MetricScope.SELF;
            }

            @Override
            public double defaultThreshold() {
                return 1.0;
            }

            @Override
            public double read(MetricProbe probe) {
                OptionalDouble v = probe.loadAveragePerCore();
                if (v.isEmpty() || Double.isNaN(v.getAsDouble()) || v.getAsDouble() < 0) {
                    throw Readings.unavailable(NAME, "the operating system reports no load average");
                }
                return v.getAsDouble();
            }
        };
    }
}
