package dev.mosaic.server.sql.plan;

/**
 * One key of a gate-side comparison (merge sort, grouping): which result column to compare, and
 * how.
 *
 * @param column              the column index in the shard results
 * @param weightStringColumn  the index of the column holding {@code weight_string()} of it, compared
 *                            byte-wise instead of the value when the value is text (so the
 *                            column's collation decides order); -1 if none
 * @param descending          true for DESC
 */
public record OrderBy(int column, int weightStringColumn, boolean descending) {
    /** Checks the indexes. */
    public OrderBy {
        if (column < 0 || weightStringColumn < -1) {
            throw new IllegalArgumentException("bad column index");
        }
    }

    /** True if the comparison uses the collation (through the weight-string column). */
    public boolean usesCollation() {
        return weightStringColumn >= 0;
    }
}
