package dev.mosaic.server.gate.tx;

import dev.mosaic.proto.query.Target;
import java.util.List;

/**
 * Told when an atomic commit passes a point of the protocol, on the committing thread, which waits
 * until it returns: a seam for observing the protocol and for failure drills (a test pauses the
 * commit there and kills a mysqld). {@link #NONE} by default.
 */
@FunctionalInterface
public interface CommitHook {
    /** Does nothing. */
    CommitHook NONE = (point, dtid, coordinator, participants) -> { };

    /** Where the commit is. */
    enum Point {
        /** The coordinator's record exists; no participant is prepared yet. */
        CREATED,
        /** Every participant is prepared; the decision is not taken yet. */
        PREPARED,
        /** The decision (commit) is recorded; no participant is committed yet. */
        DECIDED
    }

    /**
     * The commit reached {@code point}.
     *
     * @param dtid the distributed transaction id
     * @param coordinator the coordinator's (first) shard
     * @param participants the other shards
     */
    void reached(Point point, String dtid, Target coordinator, List<Target> participants);
}
