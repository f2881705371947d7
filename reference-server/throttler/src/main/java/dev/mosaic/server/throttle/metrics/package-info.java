/**
 * The built-in throttler metrics, each a {@link dev.mosaic.spi.throttle.ThrottlerMetricFactory}
 * registered in {@code META-INF/services}: {@code lag}, {@code threads_running}, {@code loadavg},
 * {@code custom} and {@code history_list_length}. They know only the SPI: everything they read
 * comes through the tablet's {@link dev.mosaic.spi.throttle.MetricProbe}. A reading is a real value
 * or a {@link dev.mosaic.api.error.MosaicException}; never a made-up zero.
 */
package dev.mosaic.server.throttle.metrics;
