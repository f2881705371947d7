/**
 * The gate's query log: per normalized statement counts, rows, errors and latency, per keyspace
 * QPS, and the slow log, fed by a {@link dev.mosaic.server.mysql.protocol.command.SessionHandler}
 * in front of the gate's own.
 */
package dev.mosaic.server.gate.process.querylog;
