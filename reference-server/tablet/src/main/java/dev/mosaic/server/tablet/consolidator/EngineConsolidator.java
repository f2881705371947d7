package dev.mosaic.server.tablet.consolidator;

import dev.mosaic.server.tablet.query.QueryConsolidator;
import dev.mosaic.server.tablet.query.QueryResult;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Plugs a {@link Consolidator} into the query engine's {@link QueryConsolidator} extension point:
 * identical reads in flight at the same time on this tablet share one MySQL execution. The key is
 * the tablet's target plus the bound SQL text the engine sends (bind variables are already
 * substituted), and each execution reports its result's size, so that large results stop being
 * shared beyond the consolidator's memory bounds.
 */
public final class EngineConsolidator implements QueryConsolidator {
    private final String target;
    private final Consolidator<QueryResult> consolidator;

    /**
     * @param target       what makes results of the same SQL differ between engines (e.g.
     *                     {@code keyspace/shard@type} and the database name)
     * @param consolidator the consolidator to share executions through
     */
    public EngineConsolidator(String target, Consolidator<QueryResult> consolidator) {
        this.target = Objects.requireNonNull(target, "target");
        this.consolidator = Objects.requireNonNull(consolidator, "consolidator");
    }

    @Override
    public QueryResult execute(String sql, Supplier<QueryResult> execution) {
        return consolidator.run(ConsolidationKey.of(target, sql), size -> {
            QueryResult result = execution.get();
            size.add(bytes(result));
            return result;
        });
    }

    /** The consolidator, for its statistics. */
    public Consolidator<QueryResult> consolidator() {
        return consolidator;
    }

    private static long bytes(QueryResult r) {
        long n = 0;
        for (byte[][] row : r.rows()) {
            for (byte[] v : row) {
                n += v == null ? 1 : v.length + 1;
            }
        }
        return n;
    }
}
