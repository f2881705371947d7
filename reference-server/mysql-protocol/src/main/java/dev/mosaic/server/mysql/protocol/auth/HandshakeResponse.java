package dev.mosaic.server.mysql.protocol.auth;

import dev.mosaic.server.mysql.protocol.codec.Capabilities;
import dev.mosaic.server.mysql.protocol.codec.ProtocolException;
import dev.mosaic.server.mysql.protocol.codec.Wire;
import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client's Protocol::HandshakeResponse41.
 *
 * @param capabilities the client's capability flags
 * @param maxPacket the largest packet the client accepts
 * @param charset the client's collation id
 * @param user the user name
 * @param authResponse the proof for {@code plugin}
 * @param schema the database to select, or empty
 * @param plugin the plugin the proof is for ({@code mysql_native_password} if the client did not say)
 * @param attributes the connection attributes
 */
record HandshakeResponse(int capabilities, long maxPacket, int charset, String user, byte[] authResponse,
        String schema, String plugin, Map<String, String> attributes) {

    /** The size of an SSLRequest: capabilities, max packet, charset, 23 filler bytes. */
    static final int SSL_REQUEST_LENGTH = 32;

    /** Parses the payload; fails with a non-fatal {@link ProtocolException} on malformed input. */
    static HandshakeResponse decode(ByteBuf in) {
        Wire.need(in, SSL_REQUEST_LENGTH, "handshake response");
        int caps = in.readIntLE();
        if (!Capabilities.has(caps, Capabilities.PROTOCOL_41)) {
            throw ProtocolException.malformed("client does not speak protocol 4.1");
        }
        long maxPacket = in.readUnsignedIntLE();
        int charset = in.readUnsignedByte();
        in.skipBytes(23);
        if (!in.isReadable() && Capabilities.has(caps, Capabilities.SSL)) {
            throw ProtocolException.malformed("SSLRequest, but this server does not offer TLS");
        }
        String user = Wire.readNulString(in);
        byte[] auth;
        if (Capabilities.has(caps, Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
            auth = Wire.readLenencBytes(in);
        } else if (Capabilities.has(caps, Capabilities.SECURE_CONNECTION)) {
            Wire.need(in, 1, "auth response length");
            int n = in.readUnsignedByte();
            Wire.need(in, n, "auth response");
            auth = new byte[n];
            in.readBytes(auth);
        } else {
            auth = Wire.readNulBytes(in);
        }
        String schema = "";
        if (Capabilities.has(caps, Capabilities.CONNECT_WITH_DB) && in.isReadable()) {
            schema = Wire.readNulString(in);
        }
        String plugin = "mysql_native_password";
        if (Capabilities.has(caps, Capabilities.PLUGIN_AUTH) && in.isReadable()) {
            // Some clients omit the terminating NUL of the last field.
            int nul = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
            plugin = nul < 0 ? Wire.readRestString(in) : Wire.readNulString(in);
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        if (Capabilities.has(caps, Capabilities.CONNECT_ATTRS) && in.isReadable()) {
            long total = Wire.readLenencInt(in);
            if (total > in.readableBytes()) {
                throw ProtocolException.malformed("connection attributes overrun the packet");
            }
            ByteBuf a = in.readSlice((int) total);
            while (a.isReadable()) {
                String k = Wire.readLenencString(a);
                String v = Wire.readLenencString(a);
                attrs.put(k, v);
            }
        }
        return new HandshakeResponse(caps, maxPacket, charset, user, auth, schema, plugin, attrs);
    }
}
