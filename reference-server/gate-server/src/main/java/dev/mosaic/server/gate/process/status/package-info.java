/**
 * The gate process's HTTP endpoints: {@code /debug/status}, {@code /debug/query_stats},
 * {@code /debug/vars}, Prometheus {@code /metrics} and {@code /healthz}.
 */
package dev.mosaic.server.gate.process.status;
