package dev.mosaic.spi.topo;

import dev.mosaic.api.error.ErrorCode;

/** The kinds of {@link TopoException}, as Vitess's topo errors. */
public enum TopoError {
    /** The node does not exist. */
    NO_NODE(ErrorCode.NOT_FOUND),
    /** The node already exists. */
    NODE_EXISTS(ErrorCode.ALREADY_EXISTS),
    /** The directory is not empty. */
    NOT_EMPTY(ErrorCode.FAILED_PRECONDITION),
    /** A compare-and-set or versioned delete found another version. */
    BAD_VERSION(ErrorCode.ABORTED),
    /** The operation did not finish in time. */
    TIMEOUT(ErrorCode.DEADLINE_EXCEEDED),
    /** The calling thread was interrupted. */
    INTERRUPTED(ErrorCode.CANCELED),
    /** The backend cannot be reached or lost the session. */
    UNAVAILABLE(ErrorCode.UNAVAILABLE),
    /** The store does not implement the operation (a capability it does not declare). */
    NO_IMPLEMENTATION(ErrorCode.UNIMPLEMENTED);

    private final ErrorCode code;

    TopoError(ErrorCode code) {
        this.code = code;
    }

    /** The general error class this kind belongs to. */
    public ErrorCode code() {
        return code;
    }
}
