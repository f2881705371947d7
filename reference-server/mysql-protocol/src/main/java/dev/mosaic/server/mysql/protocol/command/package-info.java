/**
 * The command phase: decoding COM_* packets, dispatching them in order to a
 * {@link dev.mosaic.server.mysql.protocol.command.SessionHandler} on a bounded executor (never on
 * the event loop), and writing results through a
 * {@link dev.mosaic.server.mysql.protocol.command.ResultSink} with backpressure; prepared
 * statements and the binary parameter encoding live here too.
 */
package dev.mosaic.server.mysql.protocol.command;
