package dev.mosaic.spi.throttle;

/** The scope of a throttler metric. */
public enum MetricScope {
    /** This tablet's own host and mysqld. */
    SELF,
    /** The worst value over the shard's serving tablets (collected by the primary's throttler). */
    SHARD
}
