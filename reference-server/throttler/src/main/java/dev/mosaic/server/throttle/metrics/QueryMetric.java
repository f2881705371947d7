package dev.mosaic.server.throttle.metrics;

import dev.mosaic.spi.throttle.MetricProbe;
import dev.mosaic.spi.throttle.MetricScope;
import dev.mosaic.spi.throttle.ThrottlerMetric;

/**
 * A metric read by one query on the tablet's mysqld that answers one row holding a number
 * ({@link Readings#singleNumber}); any other answer is a typed error, never a made-up value.
 */
record QueryMetric(String name, MetricScope defaultScope, double defaultThreshold, String query)
        implements ThrottlerMetric {
    @Override
    public double read(MetricProbe probe) {
        return Readings.singleNumber(name, query, probe.query(query));
    }
}
