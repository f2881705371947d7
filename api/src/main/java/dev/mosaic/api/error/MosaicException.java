package dev.mosaic.api.error;

import java.util.Objects;
import java.util.Optional;

/**
 * The one exception type of Mosaic's error model: a class ({@link ErrorCode}), optionally a
 * specific MySQL error ({@link SqlError}), and a message meant for the person who reads it.
 *
 * <p>At the MySQL protocol edge the error becomes an error packet with {@link #mysqlErrno()} and
 * {@link #sqlState()}; between gate and tablet it becomes a gRPC status of the same code.
 * Unchecked, so that it crosses functional interfaces; every API that throws it says so.
 */
public class MosaicException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final SqlError sqlError;

    /** An error of class {@code code}. */
    public MosaicException(ErrorCode code, String message) {
        this(code, null, message, null);
    }

    /** An error of class {@code code} caused by {@code cause}. */
    public MosaicException(ErrorCode code, String message, Throwable cause) {
        this(code, null, message, cause);
    }

    /** A specific MySQL error; its class is {@code sqlError.code()}. */
    public MosaicException(SqlError sqlError, String message) {
        this(sqlError.code(), sqlError, message, null);
    }

    /** A specific MySQL error caused by {@code cause}. */
    public MosaicException(SqlError sqlError, String message, Throwable cause) {
        this(sqlError.code(), sqlError, message, cause);
    }

    private MosaicException(ErrorCode code, SqlError sqlError, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.sqlError = sqlError;
    }

    /** The error's class. */
    public ErrorCode code() {
        return code;
    }

    /** The specific MySQL error, if one was attached. */
    public Optional<SqlError> sqlError() {
        return Optional.ofNullable(sqlError);
    }

    /** The MySQL error number for a client: the specific error's, else the class's default. */
    public int mysqlErrno() {
        return sqlError != null ? sqlError.errno() : code.mysqlErrno();
    }

    /** The SQLSTATE for a client: the specific error's, else the class's default. */
    public String sqlState() {
        return sqlError != null ? sqlError.sqlState() : code.sqlState();
    }

    /** {@code CODE: message}. */
    @Override
    public String toString() {
        return code + (sqlError != null ? " (" + sqlError.errno() + ")" : "") + ": " + getMessage();
    }
}
