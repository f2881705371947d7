package dev.mosaic.server.tablet.tx;

/**
 * Extension point for hot-row protection: serialize transactions that write the same row. The
 * {@link TxEngine} calls {@link #enter} before every write statement ({@code StatementKind.WRITE})
 * in a transaction, after the ACL check and before bind variables are substituted into the text
 * sent to MySQL; the returned {@link Hold} is released exactly once when the transaction ends
 * (commit, rollback, timeout or shutdown).
 *
 * <p>Implementations are thread-safe. {@code enter} may block, bounded by its own timeout, and
 * throws {@code MosaicException} (RESOURCE_EXHAUSTED when the queue for the row is full,
 * DEADLINE_EXCEEDED when the wait times out).
 */
public interface TxSerializer {
    /** Never waits. */
    TxSerializer NONE = (txId, sql, bindVars) -> Hold.NONE;

    /**
     * Waits until transaction {@code txId} may run {@code sql}, and returns what to release when
     * the transaction ends.
     */
    Hold enter(long txId, String sql, dev.mosaic.api.sql.BindVariables bindVars);

    /** What a transaction holds until it ends. */
    @FunctionalInterface
    interface Hold {
        /** Holds nothing. */
        Hold NONE = () -> { };

        /** Lets the next waiter go; called once. */
        void release();
    }
}
