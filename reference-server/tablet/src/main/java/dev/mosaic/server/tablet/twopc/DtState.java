package dev.mosaic.server.tablet.twopc;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;

/**
 * States of the sidecar's two-phase commit rows, with Vitess's numbers (they are stored). A
 * coordinator record ({@code dt_state}) is PREPARE, COMMIT or ROLLBACK (the numbers of the
 * protocol's {@code TransactionState}); a redo log entry ({@code redo_state}) is PREPARE or FAILED
 * (Vitess stores a failed one as 0).
 */
public enum DtState {
    /** A redo log entry that could not be replayed. */
    FAILED(0),
    /** Prepared / not decided yet. */
    PREPARE(1),
    /** Decided: roll back. */
    ROLLBACK(2),
    /** Decided: commit. */
    COMMIT(3);

    private final int code;

    DtState(int code) {
        this.code = code;
    }

    /** The stored number. */
    public int code() {
        return code;
    }

    /** The state stored as {@code code}. */
    public static DtState of(long code) {
        for (DtState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new MosaicException(ErrorCode.INTERNAL, "unknown two-phase commit state in the sidecar: " + code);
    }
}
