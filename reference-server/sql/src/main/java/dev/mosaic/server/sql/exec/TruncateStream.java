package dev.mosaic.server.sql.exec;

import java.util.List;

/** Drops the helper columns (weight strings, AVG counts) the plan added after the client's columns. */
public final class TruncateStream implements RowStream {
    private final RowStream input;
    private final int columns;
    private final List<Field> fields;

    /** Keeps the first {@code columns} columns of {@code input}'s rows. */
    public TruncateStream(RowStream input, int columns) {
        this.input = input;
        this.columns = columns;
        this.fields = List.copyOf(input.fields().subList(0, Math.min(columns, input.fields().size())));
    }

    @Override
    public List<Field> fields() {
        return fields;
    }

    @Override
    public Row next() {
        Row r = input.next();
        return r == null ? null : r.truncate(columns);
    }

    @Override
    public void close() {
        input.close();
    }
}
