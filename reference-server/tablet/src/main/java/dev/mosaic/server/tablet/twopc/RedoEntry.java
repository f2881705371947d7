package dev.mosaic.server.tablet.twopc;

import java.util.List;
import java.util.Objects;

/**
 * One prepared transaction in the redo log ({@code redo_state} and {@code redo_statement}).
 *
 * @param dtid the distributed transaction id
 * @param state {@link DtState#PREPARE}, or {@link DtState#FAILED} if replaying it failed
 * @param timeCreatedNanos when it was prepared, nanoseconds since the epoch
 * @param message why it failed, or empty
 * @param statements the transaction's statements, in order
 */
public record RedoEntry(String dtid, DtState state, long timeCreatedNanos, String message, List<String> statements) {
    public RedoEntry {
        Objects.requireNonNull(dtid, "dtid");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(message, "message");
        statements = List.copyOf(statements);
    }
}
