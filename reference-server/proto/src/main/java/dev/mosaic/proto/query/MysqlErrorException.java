package dev.mosaic.proto.query;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;

/**
 * A {@link MosaicException} carrying a MySQL error number and SQLSTATE that no
 * {@link dev.mosaic.api.error.SqlError} constant names (for example mysqld's own 1452 foreign-key
 * error forwarded by a tablet), so that it reaches the client exactly. Made by
 * {@link Errors#mysqlError}; callers see it as a plain MosaicException.
 */
final class MysqlErrorException extends MosaicException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String sqlState;

    MysqlErrorException(ErrorCode code, int errno, String sqlState, String message, Throwable cause) {
        super(code, message, cause);
        this.errno = errno;
        this.sqlState = sqlState;
    }

    @Override
    public int mysqlErrno() {
        return errno;
    }

    @Override
    public String sqlState() {
        return sqlState;
    }

    @Override
    public String toString() {
        return code() + " (" + errno + ")" + ": " + getMessage();
    }
}
