package dev.mosaic.server.sql.exec;

import dev.mosaic.server.sql.plan.OrderBy;
import java.util.ArrayList;
import java.util.List;

/**
 * Sorts its whole input at the gate (stable: equal rows keep their input order). Reads every row
 * on the first {@link #next()}, so memory grows with the input; used only above an aggregation,
 * whose output is one row per group.
 */
public final class MemorySortStream implements RowStream {
    private final RowStream input;
    private final RowComparator comparator;
    private List<Row> rows;
    private int next;

    /** Sorts {@code input} by {@code keys}. */
    public MemorySortStream(RowStream input, List<OrderBy> keys) {
        this.input = input;
        this.comparator = new RowComparator(keys, input.fields());
    }

    @Override
    public List<Field> fields() {
        return input.fields();
    }

    @Override
    public Row next() {
        if (rows == null) {
            rows = new ArrayList<>();
            Row r;
            while ((r = input.next()) != null) {
                rows.add(r);
            }
            rows.sort(comparator);
        }
        return next < rows.size() ? rows.get(next++) : null;
    }

    @Override
    public void close() {
        input.close();
    }
}
