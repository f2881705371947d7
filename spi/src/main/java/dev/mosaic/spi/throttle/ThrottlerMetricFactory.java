package dev.mosaic.spi.throttle;

import dev.mosaic.spi.PluginFactory;

/** Provider of a throttler metric ({@code lag}, {@code threads_running}, {@code loadavg}, {@code custom}, ...). */
public interface ThrottlerMetricFactory extends PluginFactory<ThrottlerMetric> {
}
