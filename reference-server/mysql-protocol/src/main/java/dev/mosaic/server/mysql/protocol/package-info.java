/**
 * The server side of the MySQL client/server protocol on Netty, usable without the gate:
 * {@link dev.mosaic.server.mysql.protocol.MysqlServer} listens and runs each connection through
 * the pipeline {@link dev.mosaic.server.mysql.protocol.MysqlChannelInitializer} builds (framing,
 * authentication, command dispatch), calling a
 * {@link dev.mosaic.server.mysql.protocol.command.SessionHandler} for everything that needs an
 * answer beyond the protocol itself.
 *
 * <p>Implemented: protocol 4.1 framing with 16 MiB splitting both ways; Handshake v10;
 * {@code mysql_native_password} and {@code caching_sha2_password} (fast authentication from a
 * cache, full authentication with the RSA public key, or a clear-text password from a loopback
 * client), AuthSwitchRequest; COM_QUERY (multi-statements and multi-results), COM_INIT_DB,
 * COM_PING, COM_QUIT, COM_FIELD_LIST, COM_SET_OPTION, COM_RESET_CONNECTION, COM_STMT_PREPARE,
 * COM_STMT_EXECUTE, COM_STMT_SEND_LONG_DATA, COM_STMT_RESET, COM_STMT_CLOSE; text and binary
 * result rows; CLIENT_DEPRECATE_EOF.
 *
 * <p>Not implemented (and so not advertised, or answered with an error): TLS, compression,
 * LOAD DATA LOCAL INFILE, session-state tracking, query attributes, COM_CHANGE_USER and other
 * commands (ER_UNKNOWN_COM_ERROR), cursors (a COM_STMT_EXECUTE asking for one on a statement with
 * a result set gets ER_NOT_SUPPORTED_YET; there is no COM_STMT_FETCH).
 */
package dev.mosaic.server.mysql.protocol;
