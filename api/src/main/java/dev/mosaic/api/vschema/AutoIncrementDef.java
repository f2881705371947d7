package dev.mosaic.api.vschema;

import java.util.Objects;

/**
 * A column filled from a sequence when an insert leaves it out: Vitess's {@code AutoIncrement}.
 *
 * @param column   the auto-increment column
 * @param sequence the sequence table, {@code table} or {@code keyspace.table}
 */
public record AutoIncrementDef(String column, String sequence) {
    /** Rejects nulls. */
    public AutoIncrementDef {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(sequence, "sequence");
    }
}
