package dev.mosaic.server.tablet.hotrow;

import dev.mosaic.api.sql.Value;
import java.util.List;
import java.util.Objects;

/**
 * Identifies the row (or range of rows) a transaction updates the way Vitess's transaction
 * serializer does: the table and the text of the statement's WHERE clause, with bind variables
 * substituted. Two transactions conflict when both are equal, so {@code id = 1} and {@code id = 2}
 * are different rows, while {@code id = 1} and {@code id=1} are only the same row if the caller
 * normalizes the text (the statement analyzer does).
 *
 * @param table the table name
 * @param whereClause the condition, without the {@code WHERE} keyword: {@code id = 1 and sub_id = 2}
 */
public record RowKey(String table, String whereClause) {
    /** Checks that both parts are present. */
    public RowKey {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(whereClause, "whereClause");
        if (whereClause.isBlank()) {
            throw new IllegalArgumentException("a row key needs a WHERE clause");
        }
    }

    /**
     * The row of {@code table} whose primary key columns have the given values, in key order:
     * the WHERE clause {@code pk1 = v1 and pk2 = v2}.
     */
    public RowKey(String table, List<String> columns, List<Value> values) {
        this(table, primaryKeyCondition(columns, values));
    }

    /** A row of a table whose primary key is the single column {@code column}. */
    public static RowKey of(String table, String column, Value value) {
        return new RowKey(table, List.of(column), List.of(value));
    }

    private static String primaryKeyCondition(List<String> columns, List<Value> values) {
        if (columns.isEmpty() || columns.size() != values.size()) {
            throw new IllegalArgumentException("a row key needs one value per primary key column, got columns "
                    + columns + " and " + values.size() + " value(s)");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(" and ");
            }
            sb.append(columns.get(i)).append(" = ").append(values.get(i).toSqlLiteral());
        }
        return sb.toString();
    }

    /** The row as Vitess names it in errors: {@code table where pk1 = v1 and pk2 = v2}. */
    public String description() {
        return table + " where " + whereClause;
    }

    @Override
    public String toString() {
        return description();
    }
}
