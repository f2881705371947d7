package dev.mosaic.server.sql.exec;

import java.util.List;

/** LIMIT/OFFSET at the gate: skips {@code offset} rows, then returns at most {@code count}, then closes its input. */
public final class LimitStream implements RowStream {
    private final RowStream input;
    private long toSkip;
    private long remaining;

    /** Applies {@code offset} and {@code count} (both non-negative) to {@code input}. */
    public LimitStream(RowStream input, long count, long offset) {
        if (count < 0 || offset < 0) {
            throw new IllegalArgumentException("negative LIMIT or OFFSET");
        }
        this.input = input;
        this.remaining = count;
        this.toSkip = offset;
    }

    @Override
    public List<Field> fields() {
        return input.fields();
    }

    @Override
    public Row next() {
        if (remaining <= 0) {
            input.close();
            return null;
        }
        while (toSkip > 0) {
            if (input.next() == null) {
                remaining = 0;
                return null;
            }
            toSkip--;
        }
        Row r = input.next();
        if (r == null) {
            remaining = 0;
            return null;
        }
        remaining--;
        return r;
    }

    @Override
    public void close() {
        input.close();
    }
}
