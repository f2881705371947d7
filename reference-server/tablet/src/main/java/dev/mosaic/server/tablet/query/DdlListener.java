package dev.mosaic.server.tablet.query;

/**
 * Told when a DDL statement ({@link StatementKind#DDL}) has run through the query or transaction
 * engine, whether it succeeded or failed (a failed multi-table DDL may have changed some tables).
 * The schema engine reloads on it. Called on the caller's thread after the statement returned, so
 * the caller's next statement sees the reloaded schema; it must not throw.
 */
@FunctionalInterface
public interface DdlListener {
    /** {@code sql} (as sent to MySQL) has run. */
    void ddlExecuted(String sql);
}
