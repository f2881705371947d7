package dev.mosaic.spi.throttle;

/**
 * One named reading the tablet throttler polls to decide whether background writers (VReplication,
 * online DDL, batch clients) may write now. A reading above its threshold throttles them.
 */
public interface ThrottlerMetric {
    /** The metric's name, e.g. {@code lag}; unique per tablet. */
    String name();

    /** Whether the metric is about this tablet's host or aggregated over the shard by default. */
    MetricScope defaultScope();

    /** The threshold used when the operator configures none; readings above it throttle. */
    double defaultThreshold();

    /**
     * Takes one reading. Must return within a second or two; the throttler polls often.
     *
     * @return the value, in the metric's unit (seconds of lag, running threads, load per core)
     * @throws dev.mosaic.api.error.MosaicException {@code UNAVAILABLE} if it cannot be read now; the
     *         throttler then treats the metric as failing (and throttles)
     */
    double read(MetricProbe probe);
}
