/**
 * The server side of the MySQL client/server protocol on Netty, usable without the gate:
 * {@link dev.mosaic.server.mysql.protocol.MysqlServer} listens and runs each connection through
 * the pipeline {@link dev.mosaic.server.mysql.protocol.MysqlChannelInitializer} builds (framing,
 * authentication, command dispatch), calling a
 * {@link dev.mosaic.server.mysql.protocol.command.SessionHandler} for everything that needs an
 * answer beyond the protocol itself.
 */
package dev.mosaic.server.mysql.protocol;
