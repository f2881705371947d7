package dev.mosaic.server.mysql.protocol.command;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.mysql.protocol.codec.ProtocolException;
import dev.mosaic.server.mysql.protocol.codec.Wire;
import dev.mosaic.server.mysql.protocol.result.ColumnType;
import io.netty.buffer.ByteBuf;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the parameters of a COM_STMT_EXECUTE (after statement id, flags and iteration count):
 * NULL bitmap, new-params-bound flag, the types (kept on the statement for later executions that
 * do not resend them), and each value in its binary form, or the data sent earlier with
 * COM_STMT_SEND_LONG_DATA. Integers become {@link Value.Int}/{@link Value.Uint}, FLOAT/DOUBLE
 * {@link Value.Float}, DECIMAL {@link Value.Decimal}, temporals {@link Value.Text} of the temporal
 * type in MySQL's text form, strings {@link Value.Text}, blobs/BIT/GEOMETRY {@link Value.Binary}.
 * Malformed input fails with a non-fatal {@link ProtocolException}.
 */
final class BinaryParams {
    private static final int UNSIGNED = 0x8000;

    private BinaryParams() {
    }

    /** Decodes {@code statement}'s parameters from {@code in}. */
    static List<Value> decode(ByteBuf in, PreparedStatement statement) {
        int n = statement.boundTypes.length;
        List<Value> out = new ArrayList<>(n);
        if (n == 0) {
            return out;
        }
        int bitmapLen = (n + 7) / 8;
        Wire.need(in, bitmapLen + 1, "NULL bitmap");
        ByteBuf bitmap = in.readSlice(bitmapLen);
        int newBound = in.readUnsignedByte();
        if (newBound == 1) {
            Wire.need(in, 2 * n, "parameter types");
            for (int i = 0; i < n; i++) {
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                if (ColumnType.ofCode(type) == null) {
                    throw ProtocolException.malformed("unknown parameter type " + type);
                }
                statement.boundTypes[i] = type | ((flags & 0x80) != 0 ? UNSIGNED : 0);
            }
        } else if (newBound != 0) {
            throw ProtocolException.malformed("new-params-bound flag " + newBound);
        }
        for (int i = 0; i < n; i++) {
            int bound = statement.boundTypes[i];
            boolean isNull = (bitmap.getUnsignedByte(i >> 3) & (1 << (i & 7))) != 0;
            if (statement.longData[i] != null) {
                out.add(fromLongData(ColumnType.ofCode(bound < 0 ? ColumnType.BLOB.code() : bound & 0xFF),
                        statement.longData[i].toByteArray()));
                continue;
            }
            if (isNull) {
                out.add(Value.NULL);
                continue;
            }
            if (bound < 0) {
                throw ProtocolException.malformed("parameter " + i + " has no type (none bound yet)");
            }
            out.add(read(in, ColumnType.ofCode(bound & 0xFF), (bound & UNSIGNED) != 0));
        }
        return out;
    }

    private static Value fromLongData(ColumnType type, byte[] data) {
        return switch (type) {
            case VARCHAR, VAR_STRING, STRING, ENUM, SET -> new Value.Text(SqlType.VARCHAR, data);
            case JSON -> new Value.Text(SqlType.JSON, data);
            default -> new Value.Binary(SqlType.VARBINARY, data);
        };
    }

    /** Reads one non-NULL value of {@code type}. */
    static Value read(ByteBuf in, ColumnType type, boolean unsigned) {
        switch (type) {
            case NULL:
                return Value.NULL;
            case TINY:
                Wire.need(in, 1, "TINY");
                return unsigned ? Value.ofUnsigned(in.readUnsignedByte()) : Value.of(in.readByte());
            case SHORT:
            case YEAR:
                Wire.need(in, 2, type.name());
                return unsigned ? Value.ofUnsigned(in.readUnsignedShortLE()) : Value.of(in.readShortLE());
            case LONG:
            case INT24:
                Wire.need(in, 4, type.name());
                return unsigned ? Value.ofUnsigned(in.readUnsignedIntLE()) : Value.of(in.readIntLE());
            case LONGLONG:
                Wire.need(in, 8, "LONGLONG");
                return unsigned ? Value.ofUnsigned(in.readLongLE()) : Value.of(in.readLongLE());
            case FLOAT: {
                Wire.need(in, 4, "FLOAT");
                // The shortest decimal that reads back as the same float (1.1f gives 1.1, not 1.100000023841858).
                return floatValue(Double.parseDouble(Float.toString(in.readFloatLE())));
            }
            case DOUBLE:
                Wire.need(in, 8, "DOUBLE");
                return floatValue(in.readDoubleLE());
            case DECIMAL:
            case NEWDECIMAL: {
                String s = new String(Wire.readLenencBytes(in), StandardCharsets.US_ASCII);
                try {
                    return Value.of(new BigDecimal(s));
                } catch (NumberFormatException e) {
                    throw ProtocolException.malformed("DECIMAL parameter '" + s + "'");
                }
            }
            case DATE:
            case NEWDATE:
                return new Value.Text(SqlType.DATE, readDateTime(in, false).getBytes(StandardCharsets.US_ASCII));
            case DATETIME:
                return new Value.Text(SqlType.DATETIME, readDateTime(in, true).getBytes(StandardCharsets.US_ASCII));
            case TIMESTAMP:
                return new Value.Text(SqlType.TIMESTAMP, readDateTime(in, true).getBytes(StandardCharsets.US_ASCII));
            case TIME:
                return new Value.Text(SqlType.TIME, readTime(in).getBytes(StandardCharsets.US_ASCII));
            case VARCHAR:
            case VAR_STRING:
            case STRING:
            case ENUM:
            case SET:
                return new Value.Text(SqlType.VARCHAR, Wire.readLenencBytes(in));
            case JSON:
                return new Value.Text(SqlType.JSON, Wire.readLenencBytes(in));
            case BIT:
                return new Value.Binary(SqlType.BIT, Wire.readLenencBytes(in));
            case GEOMETRY:
                return new Value.Binary(SqlType.GEOMETRY, Wire.readLenencBytes(in));
            case TINY_BLOB:
            case MEDIUM_BLOB:
            case LONG_BLOB:
            case BLOB:
                return new Value.Binary(SqlType.VARBINARY, Wire.readLenencBytes(in));
            default:
                throw ProtocolException.malformed("parameter type " + type);
        }
    }

    private static Value floatValue(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw ProtocolException.malformed("floating-point parameter " + d);
        }
        return Value.of(d);
    }

    private static String readDateTime(ByteBuf in, boolean withTime) {
        Wire.need(in, 1, "temporal length");
        int len = in.readUnsignedByte();
        if (len != 0 && len != 4 && len != 7 && len != 11) {
            throw ProtocolException.malformed("temporal parameter of length " + len);
        }
        Wire.need(in, len, "temporal parameter");
        int year = 0;
        int month = 0;
        int day = 0;
        int hour = 0;
        int minute = 0;
        int second = 0;
        long micros = 0;
        if (len >= 4) {
            year = in.readUnsignedShortLE();
            month = in.readUnsignedByte();
            day = in.readUnsignedByte();
        }
        if (len >= 7) {
            hour = in.readUnsignedByte();
            minute = in.readUnsignedByte();
            second = in.readUnsignedByte();
        }
        if (len == 11) {
            micros = in.readUnsignedIntLE();
        }
        String date = String.format("%04d-%02d-%02d", year, month, day);
        if (!withTime) {
            return date;
        }
        String dt = date + String.format(" %02d:%02d:%02d", hour, minute, second);
        return micros != 0 ? dt + String.format(".%06d", micros) : dt;
    }

    private static String readTime(ByteBuf in) {
        Wire.need(in, 1, "TIME length");
        int len = in.readUnsignedByte();
        if (len != 0 && len != 8 && len != 12) {
            throw ProtocolException.malformed("TIME parameter of length " + len);
        }
        Wire.need(in, len, "TIME parameter");
        if (len == 0) {
            return "00:00:00";
        }
        boolean neg = in.readUnsignedByte() == 1;
        long days = in.readUnsignedIntLE();
        int hour = in.readUnsignedByte();
        int minute = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long micros = len == 12 ? in.readUnsignedIntLE() : 0;
        String t = String.format("%s%02d:%02d:%02d", neg ? "-" : "", days * 24 + hour, minute, second);
        return micros != 0 ? t + String.format(".%06d", micros) : t;
    }
}
