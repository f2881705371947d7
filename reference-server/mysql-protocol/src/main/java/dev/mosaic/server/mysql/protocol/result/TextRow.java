package dev.mosaic.server.mysql.protocol.result;

import dev.mosaic.server.mysql.protocol.codec.Wire;
import io.netty.buffer.ByteBuf;

/**
 * A text-protocol row (the reply rows of COM_QUERY): each value is its MySQL text form as a
 * length-encoded string, SQL NULL is the byte 0xFB. Values are copied as they are; nothing is
 * parsed or converted.
 */
public final class TextRow {
    private TextRow() {
    }

    /** The NULL marker of a text row. */
    public static final int NULL_MARKER = 0xFB;

    /** Writes a row payload; a {@code null} element is SQL NULL. */
    public static void encode(ByteBuf out, byte[][] values) {
        for (byte[] v : values) {
            if (v == null) {
                out.writeByte(NULL_MARKER);
            } else {
                Wire.writeLenencInt(out, v.length);
                out.writeBytes(v);
            }
        }
    }

    /**
     * Writes a row payload from the packed form the tablet ships (Vitess's {@code Row}): the
     * values concatenated in {@code values} from its reader index, {@code lengths[i]} bytes each,
     * -1 for NULL. The reader index of {@code values} is left unchanged.
     */
    public static void encode(ByteBuf out, long[] lengths, ByteBuf values) {
        int pos = values.readerIndex();
        for (long len : lengths) {
            if (len < 0) {
                out.writeByte(NULL_MARKER);
            } else {
                Wire.writeLenencInt(out, len);
                out.writeBytes(values, pos, (int) len);
                pos += (int) len;
            }
        }
    }
}
