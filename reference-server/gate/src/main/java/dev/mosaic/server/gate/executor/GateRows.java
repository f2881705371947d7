package dev.mosaic.server.gate.executor;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.server.mysql.protocol.command.ResultSink;
import dev.mosaic.server.mysql.protocol.result.Column;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A small result the gate computes itself (SHOW answers): column names and types, rows of text
 * values ({@code null} for SQL NULL).
 *
 * @param names the column names
 * @param types the column types, one per name
 * @param rows  the rows, each with one value per column
 */
record GateRows(List<String> names, List<SqlType> types, List<List<String>> rows) {
    GateRows {
        names = List.copyOf(names);
        types = List.copyOf(types);
        if (names.size() != types.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + types.size() + " types");
        }
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (List<String> r : rows) {
            Objects.requireNonNull(r, "row");
            if (r.size() != names.size()) {
                throw new IllegalArgumentException("row " + r + " has " + r.size() + " values for " + names.size() + " columns");
            }
            copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(r)));
        }
        rows = List.copyOf(copy);
    }

    /** Only VARCHAR columns. */
    static GateRows varchars(List<String> names, List<List<String>> rows) {
        return new GateRows(names, names.stream().map(n -> SqlType.VARCHAR).toList(), rows);
    }

    /** Writes the result set to {@code sink}. */
    void write(ResultSink sink) {
        List<Column> columns = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            columns.add(Column.of(names.get(i), types.get(i)));
        }
        sink.columns(columns);
        for (List<String> r : rows) {
            byte[][] values = new byte[r.size()][];
            for (int i = 0; i < values.length; i++) {
                String v = r.get(i);
                values[i] = v == null ? null : v.getBytes(StandardCharsets.UTF_8);
            }
            sink.row(values);
        }
        sink.endRows();
    }
}
