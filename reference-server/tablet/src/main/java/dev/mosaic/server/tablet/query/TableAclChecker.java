package dev.mosaic.server.tablet.query;

/**
 * Extension point for per-table access control. The engines call it before running any statement,
 * plain, streaming or in a transaction, with the statement as the caller sent it (bind variables
 * not yet substituted).
 *
 * <p>Implementations are thread-safe and fast (they run on every statement); a denial is a
 * {@code MosaicException} with {@code ErrorCode.PERMISSION_DENIED}.
 */
public interface TableAclChecker {
    /** Allows everything. */
    TableAclChecker ALLOW_ALL = (principal, sql, kind) -> { };

    /**
     * Throws if {@code principal} may not run {@code sql}.
     *
     * @param principal the caller, possibly empty
     * @param sql the statement text
     * @param kind what the statement does
     */
    void check(String principal, String sql, StatementKind kind);
}
