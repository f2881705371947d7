package dev.mosaic.server.tablet.tx;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.tablet.query.QueryResult;
import java.sql.SQLException;
import java.util.List;

/**
 * A transaction on a {@code tx} pool connection that no transaction id names: one taken out of the
 * {@link TxEngine} by two-phase commit's Prepare ({@link TxEngine#detachForPrepare}), or begun for
 * the tablet's own work ({@link TxEngine#beginDetached}). Its owner runs statements on it and ends
 * it exactly once with {@link #commit}, {@link #rollback} or {@link #discard}; until then it holds
 * its MySQL transaction (and row locks) and a place under {@code tx.max-open}. The killer never
 * ends it.
 *
 * <p>Not thread-safe: one owner at a time (two-phase commit's prepared pool hands it to one caller).
 */
public final class DetachedTransaction {
    private final TxEngine engine;
    private final StatefulConnection c;
    private final List<String> statements;
    private boolean done;

    DetachedTransaction(TxEngine engine, StatefulConnection c, List<String> statements) {
        this.engine = engine;
        this.c = c;
        this.statements = List.copyOf(statements);
    }

    /** The writes (and savepoint statements) the transaction ran before it was detached, in order. */
    public List<String> statements() {
        return statements;
    }

    /** MySQL's id of the connection ({@code CONNECTION_ID()}). */
    public long mysqlThreadId() {
        return c.conn.mysqlThreadId();
    }

    /**
     * Runs {@code sql} in the transaction, with the tablet's query timeout and row limit.
     *
     * @throws MosaicException the mapped MySQL error (UNAVAILABLE when the connection is lost)
     */
    public QueryResult execute(String sql) {
        check();
        return engine.runDetached(c, sql);
    }

    /**
     * Commits; the connection goes back to the pool. On failure it is closed (MySQL rolls back
     * whatever was not committed) and the error thrown: the caller must find out from the data
     * whether the commit happened when the connection was lost during it.
     */
    public void commit() {
        finish("commit");
    }

    /** Rolls back; on failure the connection is closed, which rolls back too. */
    public void rollback() {
        finish("rollback");
    }

    /** Closes the connection without a word to MySQL; MySQL rolls the transaction back. Idempotent. */
    public void discard() {
        if (!done) {
            done = true;
            engine.endDetached(c, false);
        }
    }

    /** True if it has not ended and its MySQL connection answers within {@code timeoutSeconds}. */
    public boolean isAlive(int timeoutSeconds) {
        if (done || c.conn.returned()) {
            return false;
        }
        try {
            return c.conn.jdbc().isValid(timeoutSeconds);
        } catch (SQLException e) {
            return false;
        }
    }

    /** True once ended. */
    public boolean ended() {
        return done;
    }

    private void finish(String verb) {
        check();
        try {
            engine.runDetached(c, verb);
        } catch (RuntimeException e) {
            discard();
            throw e;
        }
        done = true;
        engine.endDetached(c, true);
    }

    private void check() {
        if (done) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "the detached transaction has ended");
        }
    }
}
