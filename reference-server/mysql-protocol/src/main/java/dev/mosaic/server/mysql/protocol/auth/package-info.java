/**
 * The connection phase: the Handshake v10 greeting, the client's HandshakeResponse41, and
 * authentication with {@code mysql_native_password} and {@code caching_sha2_password} (fast
 * auth from a cache of verified accounts, full auth over plain TCP with the RSA public key),
 * switching plugins with AuthSwitchRequest when the client starts with another one.
 * {@link dev.mosaic.server.mysql.protocol.auth.Authenticator} is where accounts come from.
 */
package dev.mosaic.server.mysql.protocol.auth;
