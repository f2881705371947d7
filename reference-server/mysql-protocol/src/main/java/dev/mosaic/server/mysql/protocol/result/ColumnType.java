package dev.mosaic.server.mysql.protocol.result;

import dev.mosaic.api.sql.SqlType;

/** MySQL's column (field) types with their protocol codes ({@code MYSQL_TYPE_*}). */
public enum ColumnType {
    DECIMAL(0), TINY(1), SHORT(2), LONG(3), FLOAT(4), DOUBLE(5), NULL(6), TIMESTAMP(7), LONGLONG(8),
    INT24(9), DATE(10), TIME(11), DATETIME(12), YEAR(13), NEWDATE(14), VARCHAR(15), BIT(16),
    JSON(245), NEWDECIMAL(246), ENUM(247), SET(248), TINY_BLOB(249), MEDIUM_BLOB(250),
    LONG_BLOB(251), BLOB(252), VAR_STRING(253), STRING(254), GEOMETRY(255);

    private static final ColumnType[] BY_CODE = new ColumnType[256];

    static {
        for (ColumnType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    ColumnType(int code) {
        this.code = code;
    }

    /** The protocol code. */
    public int code() {
        return code;
    }

    /** The type with protocol code {@code code}, or null if there is none. */
    public static ColumnType ofCode(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }

    /**
     * The column type MySQL reports for a value of {@code type} (signedness is a column flag,
     * see {@link Column#of(String, SqlType)}).
     */
    public static ColumnType of(SqlType type) {
        return switch (type) {
            case NULL_TYPE -> NULL;
            case INT8, UINT8 -> TINY;
            case INT16, UINT16 -> SHORT;
            case INT24, UINT24 -> INT24;
            case INT32, UINT32 -> LONG;
            case INT64, UINT64 -> LONGLONG;
            case FLOAT32 -> FLOAT;
            case FLOAT64 -> DOUBLE;
            case TIMESTAMP -> TIMESTAMP;
            case DATE -> DATE;
            case TIME -> TIME;
            case DATETIME -> DATETIME;
            case YEAR -> YEAR;
            case DECIMAL -> NEWDECIMAL;
            case TEXT, BLOB -> BLOB;
            case VARCHAR, VARBINARY, HEXNUM, HEXVAL, BITNUM, TUPLE -> VAR_STRING;
            case CHAR, BINARY -> STRING;
            case BIT -> BIT;
            // MySQL reports ENUM and SET columns as STRING with the ENUM/SET flag.
            case ENUM, SET -> STRING;
            case GEOMETRY -> GEOMETRY;
            case JSON -> JSON;
        };
    }
}
