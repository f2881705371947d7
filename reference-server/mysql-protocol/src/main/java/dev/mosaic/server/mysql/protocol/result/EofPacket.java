package dev.mosaic.server.mysql.protocol.result;

import io.netty.buffer.ByteBuf;

/** The EOF packet that ends column definitions and rows for clients without CLIENT_DEPRECATE_EOF. */
public final class EofPacket {
    private EofPacket() {
    }

    /** Writes an EOF payload: 0xFE, warnings, status flags. */
    public static void encode(ByteBuf out, int warnings, int statusFlags) {
        out.writeByte(0xFE);
        out.writeShortLE(warnings);
        out.writeShortLE(statusFlags);
    }
}
