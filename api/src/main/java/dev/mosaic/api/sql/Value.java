package dev.mosaic.api.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A typed SQL value: what a bind variable holds, what a vindex maps, what the planner compares.
 *
 * <p>Each kind keeps the form that is cheapest for its users: integers as {@code long}, strings
 * and binaries as bytes (strings in UTF-8, i.e. utf8mb4). {@link #toBytes()} gives the value's
 * MySQL text form, the bytes a MySQL server sends for it in a text-protocol result and the bytes
 * Vitess's hashing vindexes consume. {@link #toSqlLiteral()} gives a safely quoted SQL literal.
 *
 * <p>All values are immutable; byte arrays are copied in and out.
 */
public sealed interface Value permits Value.Null, Value.Int, Value.Uint, Value.Decimal, Value.Float,
        Value.Text, Value.Binary, Value.Tuple {

    /** The SQL NULL. */
    Null NULL = new Null();

    /** The type of the value. */
    SqlType type();

    /** The MySQL text form; empty for NULL. */
    byte[] toBytes();

    /** A SQL literal that evaluates to this value: {@code NULL}, {@code 42}, {@code 'it''s'}, {@code X'00ff'}. */
    String toSqlLiteral();

    /** True only for {@link #NULL}. */
    default boolean isNull() {
        return false;
    }

    /** A signed 64-bit integer. */
    static Int of(long value) {
        return new Int(value);
    }

    /** An unsigned 64-bit integer given by its bits (so {@code -1L} is 18446744073709551615). */
    static Uint ofUnsigned(long bits) {
        return new Uint(bits);
    }

    /** An exact decimal. */
    static Decimal of(BigDecimal value) {
        return new Decimal(value);
    }

    /** A double-precision float. */
    static Float of(double value) {
        return new Float(value);
    }

    /** A VARCHAR from a Java string, stored as UTF-8. */
    static Text of(String value) {
        return new Text(SqlType.VARCHAR, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A VARBINARY holding a copy of {@code bytes}. */
    static Binary of(byte[] bytes) {
        return new Binary(SqlType.VARBINARY, bytes);
    }

    /** A tuple (the value of an {@code IN (...)} list bind variable). */
    static Tuple tuple(Value... values) {
        return new Tuple(List.of(values));
    }

    /** The SQL NULL. */
    record Null() implements Value {
        @Override
        public SqlType type() {
            return SqlType.NULL_TYPE;
        }

        @Override
        public byte[] toBytes() {
            return new byte[0];
        }

        @Override
        public String toSqlLiteral() {
            return "NULL";
        }

        @Override
        public boolean isNull() {
            return true;
        }
    }

    /** A signed integer (INT64). */
    record Int(long value) implements Value {
        @Override
        public SqlType type() {
            return SqlType.INT64;
        }

        @Override
        public byte[] toBytes() {
            return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toSqlLiteral() {
            return Long.toString(value);
        }
    }

    /** An unsigned integer (UINT64); {@code bits} is read as unsigned. */
    record Uint(long bits) implements Value {
        @Override
        public SqlType type() {
            return SqlType.UINT64;
        }

        /** The value as a non-negative BigInteger. */
        public BigInteger toBigInteger() {
            return new BigInteger(Long.toUnsignedString(bits));
        }

        @Override
        public byte[] toBytes() {
            return Long.toUnsignedString(bits).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toSqlLiteral() {
            return Long.toUnsignedString(bits);
        }

        @Override
        public String toString() {
            return "Uint[" + Long.toUnsignedString(bits) + "]";
        }
    }

    /** An exact decimal (DECIMAL). */
    record Decimal(BigDecimal value) implements Value {
        /** Rejects null. */
        public Decimal {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public SqlType type() {
            return SqlType.DECIMAL;
        }

        @Override
        public byte[] toBytes() {
            return value.toPlainString().getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toSqlLiteral() {
            return value.toPlainString();
        }
    }

    /** A floating-point number (FLOAT64). Not-a-number and infinities are not SQL values. */
    record Float(double value) implements Value {
        /** Rejects NaN and infinities, which MySQL cannot store. */
        public Float {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("not a SQL float: " + value);
            }
        }

        @Override
        public SqlType type() {
            return SqlType.FLOAT64;
        }

        @Override
        public byte[] toBytes() {
            return toSqlLiteral().getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toSqlLiteral() {
            // MySQL prints floats in the shortest form that round-trips, with exponent for large values.
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                return Long.toString((long) value);
            }
            return Double.toString(value).replace("E", "e");
        }
    }

    /**
     * A character string in UTF-8 (utf8mb4), of a text type: VARCHAR, CHAR, TEXT, and also the
     * text forms of temporal, ENUM, SET and JSON values.
     */
    record Text(SqlType type, byte[] utf8) implements Value {
        /** Copies the bytes; the type must not be numeric, binary or a tuple. */
        public Text {
            Objects.requireNonNull(type, "type");
            if (type.isNumber() || type.isBinary() || type == SqlType.TUPLE || type == SqlType.NULL_TYPE) {
                throw new IllegalArgumentException("not a text type: " + type);
            }
            utf8 = utf8.clone();
        }

        /** The bytes (a copy). */
        @Override
        public byte[] utf8() {
            return utf8.clone();
        }

        /** The string. */
        public String asString() {
            return new String(utf8, StandardCharsets.UTF_8);
        }

        @Override
        public byte[] toBytes() {
            return utf8.clone();
        }

        @Override
        public String toSqlLiteral() {
            return Literals.quote(utf8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Text t && type == t.type && Arrays.equals(utf8, t.utf8);
        }

        @Override
        public int hashCode() {
            return 31 * type.hashCode() + Arrays.hashCode(utf8);
        }

        @Override
        public String toString() {
            return "Text[" + type + " '" + asString() + "']";
        }
    }

    /** A byte string of a binary type: VARBINARY, BINARY, BLOB, BIT, ... */
    record Binary(SqlType type, byte[] bytes) implements Value {
        /** Copies the bytes; the type must be a binary type. */
        public Binary {
            Objects.requireNonNull(type, "type");
            if (!type.isBinary()) {
                throw new IllegalArgumentException("not a binary type: " + type);
            }
            bytes = bytes.clone();
        }

        /** The bytes (a copy). */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public byte[] toBytes() {
            return bytes.clone();
        }

        @Override
        public String toSqlLiteral() {
            return Literals.hex(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Binary b && type == b.type && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * type.hashCode() + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Binary[" + type + " " + Literals.hex(bytes) + "]";
        }
    }

    /** A list of values: the value of a list bind variable ({@code IN ::vals}). Not nestable. */
    record Tuple(List<Value> values) implements Value {
        /** Copies the list; rejects nested tuples. */
        public Tuple {
            values = List.copyOf(values);
            for (Value v : values) {
                if (v instanceof Tuple) {
                    throw new IllegalArgumentException("tuples do not nest");
                }
            }
        }

        @Override
        public SqlType type() {
            return SqlType.TUPLE;
        }

        /** The literals joined by commas, in parentheses. */
        @Override
        public byte[] toBytes() {
            return toSqlLiteral().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toSqlLiteral() {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(values.get(i).toSqlLiteral());
            }
            return sb.append(')').toString();
        }
    }
}
