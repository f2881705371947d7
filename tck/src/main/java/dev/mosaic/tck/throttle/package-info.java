/**
 * The throttler-metric contract: {@link dev.mosaic.tck.throttle.ThrottlerMetricContract} checks that
 * a metric is well named and unique, declares a sane scope and threshold, reads a real number within
 * its deadline, and reports a reading it cannot take as {@code UNAVAILABLE} instead of a made-up
 * zero. {@link dev.mosaic.tck.throttle.ScriptedMetricProbe} is the in-memory probe it reads through.
 */
package dev.mosaic.tck.throttle;
