package dev.mosaic.server.sql.planner;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;

/** The planner's errors, worded as Vitess words them where Vitess has the same error. */
final class Errors {
    private Errors() {
    }

    /** {@code VT12001: unsupported: <what>} (MySQL error 1235, ER_NOT_SUPPORTED_YET). */
    static MosaicException unsupported(String what) {
        return new MosaicException(SqlError.NOT_SUPPORTED_YET, "VT12001: unsupported: " + what);
    }

    /** A statement that is wrong whatever the vschema. */
    static MosaicException invalid(String what) {
        return new MosaicException(ErrorCode.INVALID_ARGUMENT, what);
    }
}
