package dev.mosaic.server.mysql.protocol.command;

import dev.mosaic.api.sql.Value;
import dev.mosaic.server.mysql.protocol.result.Column;
import java.util.List;

/**
 * What the server asks of the application behind it (the gate): run queries, prepare and execute
 * statements, switch databases. Errors are reported by throwing a
 * {@link dev.mosaic.api.error.MosaicException}, whose MySQL error number and SQLSTATE reach the
 * client; any other exception is reported as an internal error.
 *
 * <p>Calls run on the server's command executor, never on an event loop, so they may block. Calls
 * for one session are made one at a time, in the order the client sent its commands; calls for
 * different sessions run concurrently, so an implementation must be thread-safe across sessions.
 */
public interface SessionHandler {
    /**
     * A connection was authenticated; called before the client is told so. Throwing refuses it
     * ({@link #close} is still called).
     */
    default void open(Session session) {
    }

    /**
     * COM_QUERY: run {@code sql} (several statements if {@link Session#multiStatements()}) and
     * write each statement's result to {@code sink}.
     */
    void query(Session session, String sql, ResultSink sink);

    /** COM_STMT_PREPARE: describe {@code sql}'s parameters and result columns. */
    PreparedInfo prepare(Session session, String sql);

    /**
     * COM_STMT_EXECUTE: run {@code statement} with {@code params} (one per parameter, typed as the
     * client bound them) and write its result to {@code sink}; result rows go out in the binary
     * protocol.
     */
    void execute(Session session, PreparedStatement statement, List<Value> params, ResultSink sink);

    /**
     * COM_STMT_CLOSE (or the end of the connection): the statement will not be executed again.
     * The client gets no reply, so a failure here is only logged.
     */
    default void closeStatement(Session session, PreparedStatement statement) {
    }

    /** COM_INIT_DB, and a database named in the handshake: make {@code schema} current or throw. */
    void initDb(Session session, String schema);

    /** COM_FIELD_LIST: the columns of {@code table} whose names match {@code wildcard} (LIKE, may be empty). */
    List<Column> fieldList(Session session, String table, String wildcard);

    /** COM_RESET_CONNECTION: drop session state (variables, temporary tables, transactions). */
    void reset(Session session);

    /** The connection closed; the last call for the session. A failure here is only logged. */
    void close(Session session);
}
