package dev.mosaic.server.mysql.protocol.result;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysql.protocol.codec.Wire;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A binary-protocol row (the reply rows of COM_STMT_EXECUTE), built from the same MySQL text
 * values as a text row: integers, floats and temporals are parsed from their text form and written
 * in their binary form according to the column's type; DECIMAL, strings, blobs, BIT, ENUM, SET,
 * JSON and GEOMETRY stay length-encoded strings. NULLs are bits of a bitmap offset by 2.
 *
 * <p>A value that does not parse as its column's type is a Mosaic bug (the tablet's columns and
 * values disagree) and fails with {@link ErrorCode#INTERNAL}.
 */
public final class BinaryRow {
    private BinaryRow() {
    }

    /** Writes a row payload; {@code values[i]} is the text form of column i, {@code null} for NULL. */
    public static void encode(ByteBuf out, List<Column> columns, byte[][] values) {
        int n = columns.size();
        if (values.length != n) {
            throw new MosaicException(ErrorCode.INTERNAL, "row has " + values.length + " values for " + n + " columns");
        }
        out.writeByte(0x00);
        int bitmapStart = out.writerIndex();
        int bitmapLen = (n + 7 + 2) / 8;
        out.writeZero(bitmapLen);
        for (int i = 0; i < n; i++) {
            byte[] v = values[i];
            if (v == null) {
                int bit = i + 2;
                int at = bitmapStart + (bit >> 3);
                out.setByte(at, out.getByte(at) | (1 << (bit & 7)));
            } else {
                encodeValue(out, columns.get(i), v);
            }
        }
    }

    /** Writes one non-NULL value of {@code column} given in its text form. */
    public static void encodeValue(ByteBuf out, Column column, byte[] text) {
        switch (column.type()) {
            case TINY -> out.writeByte((int) parseLong(text, column));
            case SHORT, YEAR -> out.writeShortLE((int) parseLong(text, column));
            case LONG, INT24 -> out.writeIntLE((int) parseLong(text, column));
            case LONGLONG -> out.writeLongLE(parseLong(text, column));
            case FLOAT -> out.writeFloatLE(Float.parseFloat(ascii(text, column)));
            case DOUBLE -> out.writeDoubleLE(parseDouble(text, column));
            case DATE, DATETIME, TIMESTAMP, NEWDATE -> writeDateTime(out, text, column);
            case TIME -> writeTime(out, text, column);
            default -> {
                Wire.writeLenencInt(out, text.length);
                out.writeBytes(text);
            }
        }
    }

    /**
     * Parses a decimal integer (optionally signed); an unsigned BIGINT above 2^63-1 comes back as
     * its two's-complement bits, which is what the wire carries.
     */
    static long parseLong(byte[] b, Column c) {
        int i = 0;
        boolean neg = false;
        if (b.length > 0 && (b[0] == '-' || b[0] == '+')) {
            neg = b[0] == '-';
            i = 1;
        }
        if (i == b.length) {
            throw bad(b, c);
        }
        long v = 0;
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw bad(b, c);
            }
            v = v * 10 + d; // wraps for unsigned values above Long.MAX_VALUE, giving their bits
        }
        return neg ? -v : v;
    }

    private static double parseDouble(byte[] b, Column c) {
        try {
            return Double.parseDouble(ascii(b, c));
        } catch (NumberFormatException e) {
            throw bad(b, c);
        }
    }

    private static String ascii(byte[] b, Column c) {
        if (b.length == 0) {
            throw bad(b, c);
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** {@code YYYY-MM-DD[ HH:MM:SS[.ffffff]]} to the binary form with the shortest length byte. */
    private static void writeDateTime(ByteBuf out, byte[] b, Column c) {
        if (b.length < 10 || b[4] != '-' || b[7] != '-') {
            throw bad(b, c);
        }
        int year = digits(b, 0, 4, c);
        int month = digits(b, 5, 2, c);
        int day = digits(b, 8, 2, c);
        int hour = 0;
        int minute = 0;
        int second = 0;
        int micros = 0;
        if (b.length > 10) {
            if (b.length < 19 || (b[10] != ' ' && b[10] != 'T') || b[13] != ':' || b[16] != ':') {
                throw bad(b, c);
            }
            hour = digits(b, 11, 2, c);
            minute = digits(b, 14, 2, c);
            second = digits(b, 17, 2, c);
            micros = fraction(b, 19, c);
        }
        if (micros != 0) {
            out.writeByte(11);
        } else if (hour != 0 || minute != 0 || second != 0) {
            out.writeByte(7);
        } else if (year != 0 || month != 0 || day != 0) {
            out.writeByte(4);
        } else {
            out.writeByte(0);
            return;
        }
        out.writeShortLE(year);
        out.writeByte(month);
        out.writeByte(day);
        if (micros != 0 || hour != 0 || minute != 0 || second != 0) {
            out.writeByte(hour);
            out.writeByte(minute);
            out.writeByte(second);
            if (micros != 0) {
                out.writeIntLE(micros);
            }
        }
    }

    /** {@code [-]H+:MM:SS[.ffffff]} to the binary form (days and hours split). */
    private static void writeTime(ByteBuf out, byte[] b, Column c) {
        int i = 0;
        boolean neg = false;
        if (b.length > 0 && b[0] == '-') {
            neg = true;
            i = 1;
        }
        int colon = i;
        while (colon < b.length && b[colon] != ':') {
            colon++;
        }
        if (colon == i || colon + 6 > b.length || b[colon + 3] != ':') {
            throw bad(b, c);
        }
        int hours = digits(b, i, colon - i, c);
        int minute = digits(b, colon + 1, 2, c);
        int second = digits(b, colon + 4, 2, c);
        int micros = fraction(b, colon + 6, c);
        if (hours == 0 && minute == 0 && second == 0 && micros == 0) {
            out.writeByte(0);
            return;
        }
        out.writeByte(micros != 0 ? 12 : 8);
        out.writeByte(neg ? 1 : 0);
        out.writeIntLE(hours / 24);
        out.writeByte(hours % 24);
        out.writeByte(minute);
        out.writeByte(second);
        if (micros != 0) {
            out.writeIntLE(micros);
        }
    }

    /** The microseconds of an optional {@code .f{1,6}} suffix at {@code at}. */
    private static int fraction(byte[] b, int at, Column c) {
        if (at == b.length) {
            return 0;
        }
        if (b[at] != '.' || b.length - at - 1 > 6 || b.length - at - 1 < 1) {
            throw bad(b, c);
        }
        int n = b.length - at - 1;
        int v = digits(b, at + 1, n, c);
        for (int k = n; k < 6; k++) {
            v *= 10;
        }
        return v;
    }

    private static int digits(byte[] b, int at, int n, Column c) {
        if (n <= 0 || n > 9) {
            throw bad(b, c);
        }
        int v = 0;
        for (int k = at; k < at + n; k++) {
            int d = b[k] - '0';
            if (d < 0 || d > 9) {
                throw bad(b, c);
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static MosaicException bad(byte[] b, Column c) {
        return new MosaicException(ErrorCode.INTERNAL, "value '" + new String(b, StandardCharsets.UTF_8)
                + "' of column " + c.name() + " is not a valid " + c.type());
    }
}
