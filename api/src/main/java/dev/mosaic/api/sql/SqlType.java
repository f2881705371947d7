package dev.mosaic.api.sql;

/**
 * MySQL column and value types, with the names Vitess uses in its query protocol. The category
 * methods say how a value of the type is represented and compared.
 */
public enum SqlType {
    NULL_TYPE, INT8, UINT8, INT16, UINT16, INT24, UINT24, INT32, UINT32, INT64, UINT64,
    FLOAT32, FLOAT64, TIMESTAMP, DATE, TIME, DATETIME, YEAR, DECIMAL, TEXT, BLOB, VARCHAR,
    VARBINARY, CHAR, BINARY, BIT, ENUM, SET, TUPLE, GEOMETRY, JSON, HEXNUM, HEXVAL, BITNUM;

    /** Signed integer types. */
    public boolean isSigned() {
        return this == INT8 || this == INT16 || this == INT24 || this == INT32 || this == INT64 || this == YEAR;
    }

    /** Unsigned integer types. */
    public boolean isUnsigned() {
        return this == UINT8 || this == UINT16 || this == UINT24 || this == UINT32 || this == UINT64;
    }

    /** Signed or unsigned integer types. */
    public boolean isIntegral() {
        return isSigned() || isUnsigned();
    }

    /** Floating-point types. */
    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** Integer, float or decimal. */
    public boolean isNumber() {
        return isIntegral() || isFloat() || this == DECIMAL;
    }

    /** Types whose values are character strings compared under a collation. */
    public boolean isText() {
        return this == TEXT || this == VARCHAR || this == CHAR || this == ENUM || this == SET || this == JSON;
    }

    /** Types whose values are byte strings compared byte-wise. */
    public boolean isBinary() {
        return this == BLOB || this == VARBINARY || this == BINARY || this == BIT || this == GEOMETRY
                || this == HEXNUM || this == HEXVAL || this == BITNUM;
    }

    /** Date and time types. */
    public boolean isTemporal() {
        return this == TIMESTAMP || this == DATE || this == TIME || this == DATETIME || this == YEAR;
    }
}
