package dev.mosaic.server.sql.plan;

import java.util.Objects;

/**
 * One aggregate computed at the gate from the per-shard partial results.
 *
 * @param function    the gate-side function
 * @param column      the column holding the per-shard partial value (for AVG, the per-shard SUM)
 * @param countColumn for AVG, the column holding the per-shard COUNT; -1 otherwise
 * @param alias       the column name the client sees
 */
public record AggregateParam(AggregateFunction function, int column, int countColumn, String alias) {
    /** Checks the fields. */
    public AggregateParam {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(alias, "alias");
        if (column < 0 || (function == AggregateFunction.AVG) != (countColumn >= 0)) {
            throw new IllegalArgumentException("bad aggregate columns for " + function);
        }
    }

    /** How partial results combine. */
    public enum AggregateFunction {
        /** Sum of per-shard counts; 0 when there is no row. */
        COUNT,
        /** Sum of per-shard sums; NULL if every partial sum is NULL. */
        SUM,
        /** Smallest non-NULL partial minimum. */
        MIN,
        /** Largest non-NULL partial maximum. */
        MAX,
        /** Sum of per-shard sums divided by the sum of per-shard counts. */
        AVG
    }
}
