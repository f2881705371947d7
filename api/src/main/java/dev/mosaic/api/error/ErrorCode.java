package dev.mosaic.api.error;

/**
 * The class of an error, in the spirit of Vitess's vtrpc codes (and so of gRPC status codes):
 * coarse enough that a caller can decide to retry, fail over or give up, and mapped one-to-one to
 * a gRPC status between gate and tablet.
 *
 * <p>Each code carries the MySQL error number and SQLSTATE sent to a client when no more
 * specific {@link SqlError} was attached to the error.
 */
public enum ErrorCode {
    /** The operation was cancelled, typically by the caller. */
    CANCELED(1317, "70100"),
    /** An error with no better class; prefer a specific code. */
    UNKNOWN(1105, "HY000"),
    /** The request was invalid regardless of system state (bad SQL, bad config, bad value). */
    INVALID_ARGUMENT(1105, "HY000"),
    /** A deadline expired before the operation completed. */
    DEADLINE_EXCEEDED(1317, "70100"),
    /** A requested entity (keyspace, shard, node, table) does not exist. */
    NOT_FOUND(1105, "HY000"),
    /** An entity the caller tried to create already exists. */
    ALREADY_EXISTS(1062, "23000"),
    /** The caller is known but may not perform the operation. */
    PERMISSION_DENIED(1142, "42000"),
    /** A quota or pool is exhausted (connections, transactions, rows). */
    RESOURCE_EXHAUSTED(1203, "42000"),
    /** The system is not in the state the operation needs (e.g. not primary, wrong version). */
    FAILED_PRECONDITION(1105, "HY000"),
    /** The operation was aborted, e.g. by a concurrency conflict; retrying the transaction may work. */
    ABORTED(1317, "70100"),
    /** A value is outside its valid range. */
    OUT_OF_RANGE(1690, "22003"),
    /** The operation is not implemented or not supported. */
    UNIMPLEMENTED(1235, "42000"),
    /** An invariant of Mosaic itself is broken: a bug. */
    INTERNAL(1815, "HY000"),
    /** The service is currently unavailable; retrying later (or elsewhere) may work. */
    UNAVAILABLE(1105, "HY000"),
    /** Unrecoverable data loss or corruption. */
    DATA_LOSS(1105, "HY000"),
    /** The caller could not be authenticated. */
    UNAUTHENTICATED(1045, "28000"),
    /** A cluster event (reparent, resharding) interrupted the operation; retry after it settles. */
    CLUSTER_EVENT(1105, "HY000"),
    /** A write reached a server that is read-only. */
    READ_ONLY(1290, "HY000");

    private final int mysqlErrno;
    private final String sqlState;

    ErrorCode(int mysqlErrno, String sqlState) {
        this.mysqlErrno = mysqlErrno;
        this.sqlState = sqlState;
    }

    /** The MySQL error number to report when no specific {@link SqlError} applies. */
    public int mysqlErrno() {
        return mysqlErrno;
    }

    /** The five-character SQLSTATE to report when no specific {@link SqlError} applies. */
    public String sqlState() {
        return sqlState;
    }
}
