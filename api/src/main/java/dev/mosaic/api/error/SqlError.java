package dev.mosaic.api.error;

/**
 * Specific MySQL errors Mosaic reports with the exact error number and SQLSTATE a MySQL server
 * would use, so that client libraries and applications react to them as they do to MySQL's own
 * (e.g. retry on deadlock, report a duplicate key). Numbers are MySQL's {@code ER_*} codes.
 */
public enum SqlError {
    /** ER_ACCESS_DENIED_ERROR: bad user or password. */
    ACCESS_DENIED(1045, "28000", ErrorCode.UNAUTHENTICATED),
    /** ER_NO_DB_ERROR: no database (keyspace) selected. */
    NO_DB(1046, "3D000", ErrorCode.FAILED_PRECONDITION),
    /** ER_UNKNOWN_COM_ERROR: unknown protocol command. */
    UNKNOWN_COMMAND(1047, "08S01", ErrorCode.UNIMPLEMENTED),
    /** ER_BAD_DB_ERROR: unknown database (keyspace). */
    BAD_DB(1049, "42000", ErrorCode.NOT_FOUND),
    /** ER_BAD_NULL_ERROR: column cannot be null. */
    BAD_NULL(1048, "23000", ErrorCode.INVALID_ARGUMENT),
    /** ER_BAD_FIELD_ERROR: unknown column. */
    BAD_FIELD(1054, "42S22", ErrorCode.NOT_FOUND),
    /** ER_WRONG_FIELD_WITH_GROUP: non-aggregated column not in GROUP BY. */
    WRONG_FIELD_WITH_GROUP(1055, "42000", ErrorCode.INVALID_ARGUMENT),
    /** ER_DUP_ENTRY: duplicate key. */
    DUP_ENTRY(1062, "23000", ErrorCode.ALREADY_EXISTS),
    /** ER_PARSE_ERROR: SQL syntax error. */
    PARSE_ERROR(1064, "42000", ErrorCode.INVALID_ARGUMENT),
    /** ER_EMPTY_QUERY: query was empty. */
    EMPTY_QUERY(1065, "42000", ErrorCode.INVALID_ARGUMENT),
    /** ER_WRONG_VALUE_COUNT_ON_ROW: column count does not match value count. */
    WRONG_VALUE_COUNT_ON_ROW(1136, "21S01", ErrorCode.INVALID_ARGUMENT),
    /** ER_NO_SUCH_TABLE: table does not exist. */
    NO_SUCH_TABLE(1146, "42S02", ErrorCode.NOT_FOUND),
    /** ER_NET_PACKET_TOO_LARGE: packet bigger than max_allowed_packet. */
    NET_PACKET_TOO_LARGE(1153, "08S01", ErrorCode.RESOURCE_EXHAUSTED),
    /** ER_NET_READ_ERROR / malformed input on the wire. */
    MALFORMED_PACKET(1835, "HY000", ErrorCode.INVALID_ARGUMENT),
    /** ER_UNKNOWN_SYSTEM_VARIABLE: unknown system variable. */
    UNKNOWN_SYSTEM_VARIABLE(1193, "HY000", ErrorCode.INVALID_ARGUMENT),
    /** ER_TOO_MANY_USER_CONNECTIONS: a connection or pool limit was hit. */
    TOO_MANY_USER_CONNECTIONS(1203, "42000", ErrorCode.RESOURCE_EXHAUSTED),
    /** ER_LOCK_WAIT_TIMEOUT: lock wait timeout exceeded. */
    LOCK_WAIT_TIMEOUT(1205, "HY000", ErrorCode.DEADLINE_EXCEEDED),
    /** ER_LOCK_DEADLOCK: deadlock found; restart the transaction. */
    LOCK_DEADLOCK(1213, "40001", ErrorCode.ABORTED),
    /** ER_WRONG_VALUE_FOR_VAR: a variable cannot be set to that value. */
    WRONG_VALUE_FOR_VAR(1231, "42000", ErrorCode.INVALID_ARGUMENT),
    /** ER_NOT_SUPPORTED_YET: the statement or feature is not supported. */
    NOT_SUPPORTED_YET(1235, "42000", ErrorCode.UNIMPLEMENTED),
    /** ER_OPERAND_COLUMNS: operand should contain N column(s). */
    OPERAND_COLUMNS(1241, "21000", ErrorCode.INVALID_ARGUMENT),
    /** ER_SUBQUERY_NO_1_ROW: subquery returns more than one row. */
    SUBQUERY_NO_1_ROW(1242, "21000", ErrorCode.INVALID_ARGUMENT),
    /** ER_UNKNOWN_STMT_HANDLER: unknown prepared statement handler. */
    UNKNOWN_STMT_HANDLER(1243, "HY000", ErrorCode.NOT_FOUND),
    /** ER_OPTION_PREVENTS_STATEMENT: e.g. running with --read-only. */
    OPTION_PREVENTS_STATEMENT(1290, "HY000", ErrorCode.READ_ONLY),
    /** ER_QUERY_INTERRUPTED: query execution was interrupted (killed or timed out). */
    QUERY_INTERRUPTED(1317, "70100", ErrorCode.CANCELED),
    /** ER_DATA_OUT_OF_RANGE: value out of range. */
    DATA_OUT_OF_RANGE(1690, "22003", ErrorCode.OUT_OF_RANGE),
    /** ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION. */
    TX_READ_ONLY(1792, "25006", ErrorCode.FAILED_PRECONDITION),
    /** ER_HANDSHAKE_ERROR: bad handshake. */
    HANDSHAKE_ERROR(1043, "08S01", ErrorCode.INVALID_ARGUMENT),
    /** ER_SERVER_SHUTDOWN: server shutdown in progress. */
    SERVER_SHUTDOWN(1053, "08S01", ErrorCode.UNAVAILABLE),
    /** ER_INTERNAL_ERROR: an internal error (a Mosaic bug). */
    INTERNAL_ERROR(1815, "HY000", ErrorCode.INTERNAL);

    private final int errno;
    private final String sqlState;
    private final ErrorCode code;

    SqlError(int errno, String sqlState, ErrorCode code) {
        this.errno = errno;
        this.sqlState = sqlState;
        this.code = code;
    }

    /** MySQL's error number. */
    public int errno() {
        return errno;
    }

    /** MySQL's SQLSTATE for this error. */
    public String sqlState() {
        return sqlState;
    }

    /** The class of error this belongs to. */
    public ErrorCode code() {
        return code;
    }
}
