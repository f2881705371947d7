package dev.mosaic.server.tablet.query;

import java.util.function.Supplier;

/**
 * Extension point for query consolidation: identical read-only statements in flight at the same
 * time share one MySQL execution. The {@link QueryEngine} calls it for every non-transactional
 * {@link StatementKind#READ} statement, after bind variables were substituted.
 *
 * <p>Implementations must be thread-safe and must either call {@code execution} (at most once per
 * group of identical statements) or return a result (or throw the error) of an execution of the
 * same {@code sql} that was in flight when this call started. Errors are {@code MosaicException}s.
 */
public interface QueryConsolidator {
    /** Runs every statement itself: no consolidation. */
    QueryConsolidator NONE = (sql, execution) -> execution.get();

    /**
     * The result of {@code sql}, from {@code execution} or from an identical execution in flight.
     *
     * @param sql the final SQL text sent to MySQL (the consolidation key)
     * @param execution runs {@code sql} on a pooled connection, with the caller's timeout and row limit
     */
    QueryResult execute(String sql, Supplier<QueryResult> execution);
}
