package dev.mosaic.server.sql.exec;

import dev.mosaic.api.sql.SqlType;
import java.util.Objects;

/**
 * A result column: its name and type, which the gate needs to merge and aggregate rows, and the
 * rest of the column's definition as MySQL described it ({@link Definition}), which the gate
 * passes on to the client.
 *
 * <p>A column without a definition ({@link #Field(String, SqlType)}) is a computed column (an
 * aggregate combined at the gate, a value the gate answers itself): the client is told MySQL's
 * defaults for a computed column of its type.
 *
 * @param name       the column name (the alias the query gave it, else its name)
 * @param type       the column type
 * @param definition the column's definition, or null for a computed column
 */
public record Field(String name, SqlType type, Definition definition) {
    /** Rejects a null name or type. */
    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** A computed column: no table, MySQL's defaults for its type. */
    public Field(String name, SqlType type) {
        this(name, type, null);
    }

    /** True if this column has no definition of its own (see {@link Definition#computed}). */
    public boolean computed() {
        return definition == null || definition.isComputed();
    }

    /**
     * The same column under another type (an aggregate of it), keeping what still holds of the
     * definition: none of it but the number of decimals {@code decimals}, or nothing if
     * {@code decimals} is negative.
     */
    public Field computedAs(SqlType newType, int decimals) {
        return new Field(name, newType, decimals < 0 ? null : Definition.computed(decimals));
    }

    /**
     * The rest of a column definition as MySQL's column-definition packet carries it.
     *
     * @param schema       the schema (database) of the table as the client sees it (a keyspace name at the gate), or empty
     * @param table        the table name or alias the query used, or empty for an expression
     * @param orgTable     the table's real name, or empty
     * @param orgName      the column's real name, or empty for an expression
     * @param columnLength the display length MySQL reports
     * @param charset      the collation id (63 is {@code binary}); 0 only for {@link #computed} definitions
     * @param decimals     digits after the point (DECIMAL scale, fractional seconds; 31 for "not fixed")
     * @param flags        MySQL's column flags ({@code NOT_NULL_FLAG = 1}, {@code PRI_KEY_FLAG = 2}, ...)
     */
    public record Definition(String schema, String table, String orgTable, String orgName, long columnLength,
            int charset, int decimals, int flags) {
        /** Rejects nulls. */
        public Definition {
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(orgTable, "orgTable");
            Objects.requireNonNull(orgName, "orgName");
        }

        /**
         * A computed column of which only the number of decimals is known (e.g. a SUM of a
         * DECIMAL(10,3) column has 3): charset 0 marks it, everything else takes MySQL's defaults.
         */
        public static Definition computed(int decimals) {
            return new Definition("", "", "", "", 0, 0, decimals, 0);
        }

        /** True for a {@link #computed} definition. */
        public boolean isComputed() {
            return charset == 0;
        }

        /** The same definition in schema {@code newSchema}. */
        public Definition withSchema(String newSchema) {
            return new Definition(newSchema, table, orgTable, orgName, columnLength, charset, decimals, flags);
        }
    }
}
