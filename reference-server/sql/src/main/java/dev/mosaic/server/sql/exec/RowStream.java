package dev.mosaic.server.sql.exec;

import java.util.List;

/**
 * A pull-based stream of rows with their fields: one shard's result as it arrives, or the output
 * of a gate-side operator. Single-consumer, not thread-safe. {@link #close()} releases the source
 * (e.g. cancels a shard stream) and may be called before the end.
 */
public interface RowStream extends AutoCloseable {
    /** The result's columns; known before the first row. */
    List<Field> fields();

    /** The next row, or null at the end. */
    Row next();

    /** Releases the source; idempotent. */
    @Override
    default void close() {
    }

    /** A stream over rows already in memory. */
    static RowStream of(List<Field> fields, List<Row> rows) {
        return new RowStream() {
            private int i;

            @Override
            public List<Field> fields() {
                return fields;
            }

            @Override
            public Row next() {
                return i < rows.size() ? rows.get(i++) : null;
            }
        };
    }
}
