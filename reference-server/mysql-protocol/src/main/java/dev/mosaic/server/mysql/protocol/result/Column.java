package dev.mosaic.server.mysql.protocol.result;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.server.mysql.protocol.codec.Wire;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * One column of a result set as the protocol describes it (Protocol::ColumnDefinition41; the
 * catalog is always {@code def}).
 *
 * @param schema the database of the table, or empty
 * @param table the table name as the query used it (alias), or empty
 * @param orgTable the physical table name, or empty
 * @param name the column name as the query used it (alias)
 * @param orgName the physical column name, or empty
 * @param charset the collation id of the column's values: 63 ({@code binary}) for numbers,
 *     temporals and binary strings
 * @param length the column's maximum display length
 * @param type the column type
 * @param flags {@code *_FLAG} bits, see the constants
 * @param decimals the number of decimals (0x1F for "not fixed" in floats and strings)
 */
public record Column(String schema, String table, String orgTable, String name, String orgName,
        int charset, long length, ColumnType type, int flags, int decimals) {
    public static final int NOT_NULL_FLAG = 1;
    public static final int PRI_KEY_FLAG = 2;
    public static final int UNIQUE_KEY_FLAG = 4;
    public static final int MULTIPLE_KEY_FLAG = 8;
    public static final int BLOB_FLAG = 16;
    public static final int UNSIGNED_FLAG = 32;
    public static final int ZEROFILL_FLAG = 64;
    public static final int BINARY_FLAG = 128;
    public static final int ENUM_FLAG = 256;
    public static final int AUTO_INCREMENT_FLAG = 512;
    public static final int TIMESTAMP_FLAG = 1024;
    public static final int SET_FLAG = 2048;
    public static final int NUM_FLAG = 32768;

    /** Collation id of {@code binary}. */
    public static final int BINARY_CHARSET = 63;
    /** Collation id of {@code utf8mb4_general_ci}, known to every MySQL and MariaDB client. */
    public static final int UTF8MB4_GENERAL_CI = 45;

    /** Rejects nulls. */
    public Column {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(orgTable, "orgTable");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(orgName, "orgName");
        Objects.requireNonNull(type, "type");
    }

    /**
     * A computed column (no table) named {@code name} holding values of {@code type}, with the
     * charset, length and flags MySQL reports for such a column.
     */
    public static Column of(String name, SqlType type) {
        ColumnType ct = ColumnType.of(type);
        int charset = type.isText() ? UTF8MB4_GENERAL_CI : BINARY_CHARSET;
        int flags = 0;
        if (type.isUnsigned()) {
            flags |= UNSIGNED_FLAG;
        }
        if (type.isNumber() || type == SqlType.YEAR) {
            flags |= NUM_FLAG;
        }
        // MySQL marks binary strings and temporals (whose charset is binary) with BINARY_FLAG.
        if (type.isBinary() || (type.isTemporal() && type != SqlType.YEAR)) {
            flags |= BINARY_FLAG;
        }
        if (type == SqlType.TEXT || type == SqlType.BLOB) {
            flags |= BLOB_FLAG;
        }
        if (type == SqlType.ENUM) {
            flags |= ENUM_FLAG;
        } else if (type == SqlType.SET) {
            flags |= SET_FLAG;
        }
        int decimals = switch (type) {
            case FLOAT32, FLOAT64, VARCHAR, VARBINARY, TEXT, BLOB, CHAR, BINARY, JSON -> 0x1F;
            default -> 0;
        };
        long length = switch (ct) {
            case TINY -> 4;
            case SHORT -> 6;
            case INT24 -> 9;
            case LONG -> 11;
            case LONGLONG -> 20;
            case FLOAT -> 12;
            case DOUBLE -> 22;
            case NEWDECIMAL -> 65;
            case DATE -> 10;
            case TIME -> 10;
            case DATETIME, TIMESTAMP -> 19;
            case YEAR -> 4;
            case BLOB, JSON, GEOMETRY -> 4_294_967_295L;
            default -> 1024;
        };
        return new Column("", "", "", name, name, charset, length, ct, flags, decimals);
    }

    /** The same column with other flags. */
    public Column withFlags(int newFlags) {
        return new Column(schema, table, orgTable, name, orgName, charset, length, type, newFlags, decimals);
    }

    /** Writes the column definition payload (without a packet header). */
    public void encode(ByteBuf out) {
        out.writeByte(3).writeByte('d').writeByte('e').writeByte('f');
        Wire.writeLenencString(out, schema);
        Wire.writeLenencString(out, table);
        Wire.writeLenencString(out, orgTable);
        Wire.writeLenencString(out, name);
        Wire.writeLenencString(out, orgName);
        out.writeByte(0x0C);
        out.writeShortLE(charset);
        out.writeIntLE((int) length);
        out.writeByte(type.code());
        out.writeShortLE(flags);
        out.writeByte(decimals);
        out.writeShort(0);
    }

    /** True if integer values of this column are unsigned. */
    public boolean unsigned() {
        return (flags & UNSIGNED_FLAG) != 0;
    }
}
