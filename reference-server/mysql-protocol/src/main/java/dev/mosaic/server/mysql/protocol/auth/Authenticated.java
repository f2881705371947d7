package dev.mosaic.server.mysql.protocol.auth;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The user event {@link AuthHandler} fires when a client has proven who it is. The next handler
 * (the command stage) completes the handshake: it selects {@link #schema} if one was asked for
 * and sends the OK packet (or an ERR) numbered {@link #okSequenceId}.
 *
 * @param connectionId the id announced in the greeting
 * @param user the authenticated user name
 * @param remote the client's address
 * @param schema the database named in the handshake response, or empty
 * @param capabilities the capabilities in effect: the client's, limited to the server's
 * @param charset the client's collation id
 * @param attributes the connection attributes the client sent (CLIENT_CONNECT_ATTRS)
 * @param okSequenceId the sequence id of the packet that ends the handshake
 */
public record Authenticated(int connectionId, String user, InetSocketAddress remote, String schema,
        int capabilities, int charset, Map<String, String> attributes, int okSequenceId) {
    /** Copies the attributes. */
    public Authenticated {
        attributes = Map.copyOf(attributes);
    }
}
