package dev.mosaic.server.mysql.protocol.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The protocol's basic data types on a {@link ByteBuf}: fixed-length little-endian integers are
 * Netty's {@code *LE} methods; this adds length-encoded integers and strings and NUL-terminated
 * strings. Readers throw a non-fatal {@link ProtocolException} on truncated input.
 */
public final class Wire {
    private Wire() {
    }

    /** Reads a length-encoded integer; 0xFB (the NULL marker of text rows) is not accepted here. */
    public static long readLenencInt(ByteBuf in) {
        need(in, 1, "length-encoded integer");
        int first = in.readUnsignedByte();
        if (first < 0xFB) {
            return first;
        }
        switch (first) {
            case 0xFC:
                need(in, 2, "length-encoded integer");
                return in.readUnsignedShortLE();
            case 0xFD:
                need(in, 3, "length-encoded integer");
                return in.readUnsignedMediumLE();
            case 0xFE:
                need(in, 8, "length-encoded integer");
                return in.readLongLE();
            default:
                throw ProtocolException.malformed("bad length-encoded integer prefix 0x" + Integer.toHexString(first));
        }
    }

    /** Writes a length-encoded integer ({@code value} is read as unsigned). */
    public static void writeLenencInt(ByteBuf out, long value) {
        if (value >= 0 && value < 0xFB) {
            out.writeByte((int) value);
        } else if (value >= 0 && value < 0x1_0000) {
            out.writeByte(0xFC);
            out.writeShortLE((int) value);
        } else if (value >= 0 && value < 0x100_0000) {
            out.writeByte(0xFD);
            out.writeMediumLE((int) value);
        } else {
            out.writeByte(0xFE);
            out.writeLongLE(value);
        }
    }

    /** The encoded size of {@link #writeLenencInt}. */
    public static int lenencIntSize(long value) {
        if (value >= 0 && value < 0xFB) {
            return 1;
        } else if (value >= 0 && value < 0x1_0000) {
            return 3;
        } else if (value >= 0 && value < 0x100_0000) {
            return 4;
        }
        return 9;
    }

    /** Reads a length-encoded byte string into a new array. */
    public static byte[] readLenencBytes(ByteBuf in) {
        long len = readLenencInt(in);
        if (len > in.readableBytes()) {
            throw ProtocolException.malformed("length-encoded string of " + len + " bytes, " + in.readableBytes() + " left");
        }
        byte[] b = new byte[(int) len];
        in.readBytes(b);
        return b;
    }

    /** Reads a length-encoded UTF-8 string. */
    public static String readLenencString(ByteBuf in) {
        return new String(readLenencBytes(in), StandardCharsets.UTF_8);
    }

    /** Writes a length-encoded byte string. */
    public static void writeLenencBytes(ByteBuf out, byte[] b) {
        writeLenencInt(out, b.length);
        out.writeBytes(b);
    }

    /** Writes a length-encoded UTF-8 string. */
    public static void writeLenencString(ByteBuf out, String s) {
        writeLenencBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a NUL-terminated byte string (the NUL is consumed, not returned). */
    public static byte[] readNulBytes(ByteBuf in) {
        int nul = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
        if (nul < 0) {
            throw ProtocolException.malformed("missing NUL terminator");
        }
        byte[] b = new byte[nul - in.readerIndex()];
        in.readBytes(b);
        in.skipBytes(1);
        return b;
    }

    /** Reads a NUL-terminated UTF-8 string. */
    public static String readNulString(ByteBuf in) {
        return new String(readNulBytes(in), StandardCharsets.UTF_8);
    }

    /** Writes a UTF-8 string and a NUL. */
    public static void writeNulString(ByteBuf out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.writeByte(0);
    }

    /** Reads the rest of the payload as UTF-8 (the "string<EOF>" type). */
    public static String readRestString(ByteBuf in) {
        String s = in.toString(StandardCharsets.UTF_8);
        in.skipBytes(in.readableBytes());
        return s;
    }

    /** Fails with a malformed-packet error unless {@code n} bytes are readable. */
    public static void need(ByteBuf in, int n, String what) {
        if (in.readableBytes() < n) {
            throw ProtocolException.malformed("truncated " + what + " (need " + n + " bytes, have " + in.readableBytes() + ")");
        }
    }
}
