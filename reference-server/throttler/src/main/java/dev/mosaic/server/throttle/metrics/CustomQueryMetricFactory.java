package dev.mosaic.server.throttle.metrics;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;
import dev.mosaic.spi.throttle.MetricProbe;
import dev.mosaic.spi.throttle.MetricScope;
import dev.mosaic.spi.throttle.ThrottlerMetric;
import java.util.Locale;

/**
 * {@code custom}: the number an operator's query returns (Vitess's custom query metric). The query
 * is a {@code SELECT} (or {@code SHOW}) answering one row; its last column is the value. Self scope.
 * A query answering no row, several rows, NULL or text is a {@code FAILED_PRECONDITION} error.
 */
public final class CustomQueryMetricFactory extends BuiltinMetricFactory {
    /** The metric and type name. */
    public static final String NAME = "custom";
    /** The query key. */
    public static final String QUERY = "query";
    /** The threshold key. */
    public static final String THRESHOLD = "threshold";

    private static final ConfigSpec SPEC = ConfigSpec.of(
            ConfigKey.required(QUERY, ConfigType.STRING, "a SELECT (or SHOW) returning one row whose last column is the metric's value"),
            ConfigKey.optional(THRESHOLD, ConfigType.DOUBLE, "1", "readings above this throttle; finite and greater than 0"));

    /** Creates the factory. */
    public CustomQueryMetricFactory() {
        super(NAME, "The number an operator's SELECT returns (self scope, threshold from config).");
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public ThrottlerMetric create(Config config, PluginContext context) {
        String sql = config.getString(QUERY).trim();
        String lower = sql.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("select") || lower.startsWith("show")) || sql.contains(";")) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "throttler metric 'custom': key '" + QUERY
                    + "' must be one SELECT or SHOW statement, got [" + sql + "]");
        }
        double threshold = config.getDouble(THRESHOLD);
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "throttler metric 'custom': key '" + THRESHOLD
                    + "' must be finite and greater than 0, got " + threshold);
        }
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
                return threshold;
            }

            @Override
            public double read(MetricProbe probe) {
                return Readings.singleNumber(NAME, sql, probe.query(sql));
            }

            @Override
            public String toString() {
                return "custom[" + sql + "]";
            }
        };
    }
}
