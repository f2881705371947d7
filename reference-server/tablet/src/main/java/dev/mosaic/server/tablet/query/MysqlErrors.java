package dev.mosaic.server.tablet.query;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.proto.query.Errors;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Turns a MySQL error (a {@link SQLException} with its errno) into Mosaic's error model. */
public final class MysqlErrors {
    private static final Map<Integer, SqlError> BY_ERRNO = new HashMap<>();
    private static final int MAX_SQL_IN_MESSAGE = 256;

    static {
        for (SqlError e : SqlError.values()) {
            BY_ERRNO.putIfAbsent(e.errno(), e);
        }
    }

    private MysqlErrors() {
    }

    /**
     * The Mosaic error for {@code e} raised by {@code sql}: the matching {@link SqlError} when
     * there is one; UNAVAILABLE for a lost or refused connection (SQLSTATE class 08, errno 2013,
     * 1927); otherwise UNKNOWN. MySQL's own errno and SQLSTATE stay attached either way, so the
     * gate's client sees the number mysqld gave (1298 for an unknown time zone, not 1105). The
     * message keeps MySQL's text, errno and SQLSTATE, then the query (cut to 256 characters), as
     * Vitess does.
     */
    public static MosaicException toMosaic(SQLException e, String sql) {
        int errno = e.getErrorCode();
        String state = e.getSQLState() == null ? "HY000" : e.getSQLState();
        String message = e.getMessage() + " (errno " + errno + ") (sqlstate " + state + ") during query: " + shorten(sql);
        SqlError known = BY_ERRNO.get(errno);
        if (known != null && known.sqlState().equals(state)) {
            return new MosaicException(known, message, e);
        }
        ErrorCode code = known != null ? known.code()
                : state.startsWith("08") || errno == 2013 || errno == 2006 || errno == 1927 ? ErrorCode.UNAVAILABLE
                : ErrorCode.UNKNOWN;
        return errno > 0 ? Errors.mysqlError(code, errno, state, message, e) : new MosaicException(code, message, e);
    }

    /**
     * True if {@code e} says the connection to mysqld is gone (SQLSTATE class 08: Connector/J's
     * communications failures; errno 2006 server gone away, 2013 lost during query) rather than
     * that the statement failed: the connection cannot be used again, and neither can any other
     * opened to the same mysqld before it went away, if it restarted.
     */
    public static boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        int errno = e.getErrorCode();
        return state != null && state.startsWith("08") || errno == 2006 || errno == 2013;
    }

    /** True if {@code e} was raised for a lost connection ({@link #connectionLost(SQLException)} of its cause). */
    public static boolean connectionLost(MosaicException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return connectionLost(sql);
            }
        }
        return false;
    }

    static String shorten(String sql) {
        return sql.length() <= MAX_SQL_IN_MESSAGE ? sql : sql.substring(0, MAX_SQL_IN_MESSAGE) + " [TRUNCATED]";
    }
}
