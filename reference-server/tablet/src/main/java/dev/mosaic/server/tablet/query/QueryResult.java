package dev.mosaic.server.tablet.query;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The result of one statement in the compact form the gate forwards: field metadata once, then
 * rows of raw MySQL text-protocol values ({@code null} for SQL NULL), exactly the bytes MySQL sent.
 * For a statement without a result set, {@code fields} and {@code rows} are empty and
 * {@code rowsAffected}/{@code insertId} say what it did.
 *
 * <p>In a stream, the first batch carries the fields and no rows; later batches carry rows and no
 * fields. The arrays are not copied: treat them as read-only.
 *
 * @param fields the columns, empty for a statement without a result set (and in later stream batches)
 * @param rows the rows; each array has one entry per field
 * @param rowsAffected rows changed by a DML statement
 * @param insertId the first AUTO_INCREMENT value generated, or 0
 */
public record QueryResult(List<Field> fields, List<byte[][]> rows, long rowsAffected, long insertId) {
    /** No result set, nothing affected. */
    public static final QueryResult EMPTY = new QueryResult(List.of(), List.of(), 0, 0);

    public QueryResult {
        fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
        rows = List.copyOf(Objects.requireNonNull(rows, "rows"));
    }

    /** The number of rows. */
    public int rowCount() {
        return rows.size();
    }

    /** A value as UTF-8 text (tests and diagnostics); null for SQL NULL. */
    public String text(int row, int column) {
        byte[] v = rows.get(row)[column];
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** Every value as text, row by row (tests and diagnostics). */
    public List<List<String>> texts() {
        List<List<String>> out = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = new ArrayList<>();
            for (int c = 0; c < rows.get(r).length; c++) {
                row.add(text(r, c));
            }
            out.add(row);
        }
        return out;
    }

    @Override
    public String toString() {
        return "QueryResult[" + fields.size() + " fields, " + rows.size() + " rows, rowsAffected=" + rowsAffected
                + ", insertId=" + insertId + "]";
    }
}
