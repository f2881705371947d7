package dev.mosaic.server.tablet.twopc;

import java.util.List;
import java.util.Objects;

/**
 * A distributed transaction as its coordinator recorded it ({@code dt_state} and
 * {@code dt_participant}).
 *
 * @param dtid the distributed transaction id
 * @param state {@link DtState#PREPARE} until decided, then {@link DtState#COMMIT} or {@link DtState#ROLLBACK}
 * @param timeCreatedNanos when the record was created, nanoseconds since the epoch
 * @param participants every shard taking part besides the coordinator's own
 */
public record TransactionRecord(String dtid, DtState state, long timeCreatedNanos, List<Participant> participants) {
    public TransactionRecord {
        Objects.requireNonNull(dtid, "dtid");
        Objects.requireNonNull(state, "state");
        participants = List.copyOf(participants);
    }

    /** One participant shard. */
    public record Participant(String keyspace, String shard) {
        public Participant {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(shard, "shard");
        }
    }
}
