package dev.mosaic.server.sql.plan;

import java.util.Objects;

/**
 * One aggregate computed at the gate from the per-shard partial results.
 *
 * @param function    the gate-side function
 * @param column      the column holding the per-shard partial value (for AVG, the per-shard SUM)
 * @param countColumn for AVG, the column holding the per-shard COUNT; -1 otherwise
 * @param alias       the column name the client sees
 * @param weightStringColumn for MIN/MAX, the column holding {@code weight_string()} of the partial
 *                    value, compared instead of the value when it is text (so the collation
 *                    decides, as on the shards); -1 otherwise
 */
public record AggregateParam(AggregateFunction function, int column, int countColumn, String alias, int weightStringColumn) {
    /** Checks the fields. */
    public AggregateParam {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(alias, "alias");
        if (column < 0 || (function == AggregateFunction.AVG) != (countColumn >= 0)) {
            throw new IllegalArgumentException("bad aggregate columns for " + function);
        }
        if (weightStringColumn >= 0 && function != AggregateFunction.MIN && function != AggregateFunction.MAX
                && function != AggregateFunction.COUNT_DISTINCT && function != AggregateFunction.SUM_DISTINCT
                && function != AggregateFunction.AVG_DISTINCT) {
            throw new IllegalArgumentException("only MIN, MAX and the DISTINCT aggregates compare weight strings");
        }
    }

    /** An aggregate without a weight-string column. */
    public AggregateParam(AggregateFunction function, int column, int countColumn, String alias) {
        this(function, column, countColumn, alias, -1);
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
        AVG,
        /**
         * The number of distinct non-NULL values: the shards return each group's distinct values
         * (grouped by them), sorted after the grouping keys, so equal values arrive adjacent; text
         * compares through the weight-string column, so the collation decides equality.
         */
        COUNT_DISTINCT,
        /** The sum of the distinct non-NULL values, read as {@link #COUNT_DISTINCT} reads them. */
        SUM_DISTINCT,
        /** The average of the distinct non-NULL values, read as {@link #COUNT_DISTINCT} reads them. */
        AVG_DISTINCT
    }
}
