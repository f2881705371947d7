package dev.mosaic.server.sql.exec;

import dev.mosaic.server.sql.plan.OrderBy;
import java.util.List;

/**
 * DISTINCT over an input sorted by the distinct columns: a row is returned unless it equals the
 * previous returned row in every distinct column (text compared through weight strings, so
 * {@code 'a'} and {@code 'A'} are one value under a case-insensitive collation, as in MySQL).
 * Streaming, O(1) memory.
 */
public final class DistinctStream implements RowStream {
    private final RowStream input;
    private final RowComparator equality;
    private Row previous;

    /** Distinct rows of {@code input} by {@code columns}. */
    public DistinctStream(RowStream input, List<OrderBy> columns) {
        this.input = input;
        this.equality = new RowComparator(columns, input.fields());
    }

    @Override
    public List<Field> fields() {
        return input.fields();
    }

    @Override
    public Row next() {
        Row r;
        while ((r = input.next()) != null) {
            if (previous == null || equality.compare(previous, r) != 0) {
                previous = r;
                return r;
            }
        }
        return null;
    }

    @Override
    public void close() {
        input.close();
    }
}
