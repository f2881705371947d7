package dev.mosaic.server.tablet.sequence;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.server.tablet.pool.ConnectionPool;
import dev.mosaic.server.tablet.pool.PooledConnection;
import dev.mosaic.server.tablet.query.Field;
import dev.mosaic.server.tablet.query.QueryResult;
import dev.mosaic.server.tablet.query.StatementRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Serves {@code SELECT NEXT n VALUES FROM seq} for sequence tables (Vitess's {@code Nextval} plan):
 * a table {@code (id INT, next_id BIGINT, cache BIGINT, PRIMARY KEY (id))} with one row
 * {@code id = 0}. Each table has a block of reserved ids in memory ({@link SequenceBlock}); a request
 * the block cannot serve refills it in a short transaction of its own on a pooled connection:
 * {@code SELECT next_id, cache ... WHERE id = 0 FOR UPDATE}, move {@code next_id} past
 * {@code max(cache, n)} more ids (in whole {@code cache} steps), commit. The answer is one row,
 * column {@code nextval}: the first of {@code n} consecutive ids.
 *
 * <p>Requests for one table are serialized by its lock (held through a refill); different tables
 * proceed in parallel. Ids a tablet reserved but did not hand out are lost when it stops, so
 * sequences have gaps but never repeat. Thread-safe.
 */
public final class SequenceEngine {
    private static final List<Field> FIELDS = List.of(
            // BIGINT NOT NULL, binary collation, as MySQL describes an integer expression.
            new Field("nextval", "", "", "", "", SqlType.INT64, 8, 20, 63, 0, 1 | 128));

    private final ConcurrentMap<String, SequenceBlock> blocks = new ConcurrentHashMap<>();
    private final StatementRunner runner;

    /** An engine that runs its refills with {@code runner}. */
    public SequenceEngine(StatementRunner runner) {
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /**
     * Reserves the statement's count of ids.
     *
     * @param pool where the refill transaction gets its connection
     * @param timeout the limit on each statement of a refill
     * @throws MosaicException INVALID_ARGUMENT for a count below 1, a cache below 1 or a table without
     *     exactly one row {@code id = 0}; OUT_OF_RANGE past the largest BIGINT; the MySQL error of a
     *     refill statement (e.g. no such table)
     */
    public QueryResult next(NextValuesStatement statement, BindVariables bindVars, ConnectionPool pool, Duration timeout) {
        long n = statement.count(bindVars);
        String table = statement.table();
        SequenceBlock block = blocks.computeIfAbsent(table, t -> new SequenceBlock());
        long first;
        synchronized (block) {
            if (block.needsRefill(n)) {
                try {
                    block.apply(refill(block, table, n, pool, timeout));
                } catch (RuntimeException e) {
                    if (block.limit() == 0) {
                        // Never loaded (e.g. no such table): don't keep an entry per name callers made up.
                        // A caller still holding this block refills it from the table, which stays correct.
                        blocks.remove(table, block);
                    }
                    throw e;
                }
            }
            first = block.take(n);
        }
        byte[][] row = {Long.toString(first).getBytes(StandardCharsets.US_ASCII)};
        return new QueryResult(FIELDS, List.<byte[][]>of(row), 0, 0);
    }

    /** How many tables have a block (tests). */
    int tablesCached() {
        return blocks.size();
    }

    private SequenceBlock.Refill refill(SequenceBlock block, String table, long n, ConnectionPool pool, Duration timeout) {
        String quoted = "`" + table.replace("`", "``") + "`";
        PooledConnection c = pool.get();
        boolean committed = false;
        try {
            runner.execute(c, "begin", timeout, 1, true);
            QueryResult r = runner.execute(c, "select next_id, cache from " + quoted + " where id = 0 for update",
                    timeout, 10, true);
            if (r.rowCount() != 1) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                        "unexpected rows from reading sequence " + table + " (possible mis-route): " + r.rowCount());
            }
            long nextId = number(table, r.text(0, 0), "next_id");
            long cache = number(table, r.text(0, 1), "cache");
            SequenceBlock.Refill refill = block.refill(table, nextId, cache, n);
            runner.execute(c, "update " + quoted + " set next_id = " + refill.limit() + " where id = 0", timeout, 0, true);
            runner.execute(c, "commit", timeout, 0, true);
            committed = true;
            return refill;
        } finally {
            if (committed) {
                c.close();
            } else {
                c.discard(); // closing the MySQL connection rolls back whatever the refill did
            }
        }
    }

    private static long number(String table, String text, String column) {
        if (text == null) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "error loading sequence " + table + ": " + column + " is NULL");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                    "error loading sequence " + table + ": " + column + " is not an integer: " + text);
        }
    }
}
