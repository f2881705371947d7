package dev.mosaic.server.tablet.schema;

import java.util.List;
import java.util.Objects;

/**
 * One table or view of the tablet's database, as the schema engine last loaded it. Two loads of an
 * unchanged table are equal; any change to its kind, columns (name, type, order), primary key or
 * create time makes them differ.
 *
 * @param name the table name
 * @param kind base table or view
 * @param columns columns in ordinal order
 * @param primaryKey primary key columns in key order; empty for views and tables without one
 * @param createTimeSeconds {@code CREATE_TIME} in seconds since the epoch, 0 when the server reports none (views)
 */
public record Table(String name, Kind kind, List<Column> columns, List<String> primaryKey, long createTimeSeconds) {

    /** What {@code information_schema.TABLES.TABLE_TYPE} says. */
    public enum Kind {
        /** {@code BASE TABLE} (also {@code SYSTEM VERSIONED} and {@code SEQUENCE} on MariaDB). */
        BASE,
        /** {@code VIEW}. */
        VIEW;

        /** Parses a {@code TABLE_TYPE} value. */
        public static Kind of(String tableType) {
            return "VIEW".equalsIgnoreCase(tableType) ? VIEW : BASE;
        }
    }

    public Table {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /** The column named {@code name}, or null. */
    public Column column(String name) {
        for (Column c : columns) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }
}
