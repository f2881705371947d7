package dev.mosaic.server.mysql.protocol.auth;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** The server's Protocol::HandshakeV10, the first packet of every connection. */
final class Greeting {
    private Greeting() {
    }

    /** Writes the greeting payload. */
    static void encode(ByteBuf out, HandshakeConfig config, int connectionId, byte[] nonce, String plugin) {
        out.writeByte(10);
        out.writeBytes(config.serverVersion().getBytes(StandardCharsets.UTF_8));
        out.writeByte(0);
        out.writeIntLE(connectionId);
        out.writeBytes(nonce, 0, 8);
        out.writeByte(0);
        out.writeShortLE(config.capabilities() & 0xFFFF);
        out.writeByte(config.charset());
        out.writeShortLE(dev.mosaic.server.mysql.protocol.codec.ServerStatus.AUTOCOMMIT);
        out.writeShortLE(config.capabilities() >>> 16);
        out.writeByte(nonce.length + 1);
        out.writeZero(10);
        out.writeBytes(nonce, 8, nonce.length - 8);
        out.writeByte(0);
        out.writeBytes(plugin.getBytes(StandardCharsets.US_ASCII));
        out.writeByte(0);
    }
}
