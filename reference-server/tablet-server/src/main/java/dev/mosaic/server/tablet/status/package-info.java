/**
 * The tablet process's HTTP endpoints: Prometheus {@code /metrics}, the {@code /debug/status}
 * page, {@code /debug/vars} JSON and {@code /healthz}, served by the JDK's HTTP server on a
 * bounded executor.
 */
package dev.mosaic.server.tablet.status;
