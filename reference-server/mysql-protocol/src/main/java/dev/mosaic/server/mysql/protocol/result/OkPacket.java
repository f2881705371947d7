package dev.mosaic.server.mysql.protocol.result;

import dev.mosaic.server.mysql.protocol.codec.Wire;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The OK packet: a statement that returned no rows completed, or (with header 0xFE and
 * CLIENT_DEPRECATE_EOF) a result set ended.
 *
 * @param affectedRows rows changed (or found, with CLIENT_FOUND_ROWS), read as unsigned
 * @param lastInsertId the AUTO_INCREMENT value generated, read as unsigned
 * @param statusFlags {@code SERVER_STATUS_*} bits
 * @param warnings the number of warnings
 * @param info a human-readable message (e.g. "Rows matched: 1  Changed: 1  Warnings: 0"), or empty
 */
public record OkPacket(long affectedRows, long lastInsertId, int statusFlags, int warnings, String info) {
    /** The OK header byte. */
    public static final int OK_HEADER = 0x00;
    /** The header of an OK packet that ends a result set under CLIENT_DEPRECATE_EOF. */
    public static final int EOF_HEADER = 0xFE;

    /** Writes the payload, with {@code header} {@link #OK_HEADER} or {@link #EOF_HEADER}. */
    public void encode(ByteBuf out, int header) {
        out.writeByte(header);
        Wire.writeLenencInt(out, affectedRows);
        Wire.writeLenencInt(out, lastInsertId);
        out.writeShortLE(statusFlags);
        out.writeShortLE(warnings);
        if (!info.isEmpty()) {
            out.writeBytes(info.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The same packet with other status flags. */
    public OkPacket withStatus(int flags) {
        return new OkPacket(affectedRows, lastInsertId, flags, warnings, info);
    }
}
