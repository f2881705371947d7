/**
 * The status/metrics HTTP server of a process, on the JDK's HTTP server with a bounded executor:
 * routing, GET/HEAD handling, {@code /metrics} in the Prometheus text format, and HTML escaping.
 * Each process supplies its own pages.
 */
package dev.mosaic.server.process.status;
