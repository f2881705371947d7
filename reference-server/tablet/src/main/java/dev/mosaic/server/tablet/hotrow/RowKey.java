package dev.mosaic.server.tablet.hotrow;

import dev.mosaic.api.sql.Value;
import java.util.List;
import java.util.Objects;

/**
 * Identifies one row: its table and the values of its primary key columns, in key order.
 *
 * @param table the table name
 * @param columns the primary key column names, in key order
 * @param values the primary key values, one per column
 */
public record RowKey(String table, List<String> columns, List<Value> values) {
    /** Copies the lists and checks that there is one value per column. */
    public RowKey {
        Objects.requireNonNull(table, "table");
        columns = List.copyOf(columns);
        values = List.copyOf(values);
        if (columns.isEmpty() || columns.size() != values.size()) {
            throw new IllegalArgumentException("a row key needs one value per primary key column, got columns "
                    + columns + " and " + values.size() + " value(s)");
        }
    }

    /** A row of a table whose primary key is the single column {@code column}. */
    public static RowKey of(String table, String column, Value value) {
        return new RowKey(table, List.of(column), List.of(value));
    }

    /** The row as Vitess names it in errors: {@code table where pk1 = v1 and pk2 = v2}. */
    public String description() {
        StringBuilder sb = new StringBuilder(table).append(" where ");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(" and ");
            }
            sb.append(columns.get(i)).append(" = ").append(values.get(i).toSqlLiteral());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return description();
    }
}
