package dev.mosaic.spi.topo;

import java.time.Duration;
import java.util.Optional;

/**
 * A participant in one leader election (Vitess's {@code LeaderParticipation}). At most one
 * participant per election is leader at any time.
 */
public interface LeaderParticipation extends AutoCloseable {
    /**
     * Blocks until this participant becomes leader, or {@code timeout} passes.
     *
     * @return a handle to the term, which ends when this participant resigns, stops, or loses its
     *         session
     * @throws TopoException {@link TopoError#TIMEOUT} (the participant then no longer
     *         candidates); {@link TopoError#INTERRUPTED} if the thread is interrupted or the
     *         participation was stopped or lost its session
     */
    LeadershipTerm waitForLeadership(Duration timeout);

    /** The id of the current leader of this election (any participant's), if any. */
    Optional<String> currentLeader();

    /**
     * Watches who leads: the listener is called with the current leader id (or empty) and then
     * with changes, one call at a time and in order, until the returned handle is closed. Like a
     * file watch it may skip intermediate leaders, but after a quiet period the last value it
     * received is the current leader.
     */
    AutoCloseable watchLeader(java.util.function.Consumer<Optional<String>> listener);

    /** Leaves the election (resigning if leader). Idempotent. */
    void stop();

    /** Same as {@link #stop()}. */
    @Override
    default void close() {
        stop();
    }

    /** One term of leadership. */
    interface LeadershipTerm {
        /** True while still leader; false once leadership was resigned, stopped or lost. */
        boolean isLeader();

        /**
         * Blocks until leadership is lost or {@code timeout} passes.
         *
         * @return true if leadership was lost
         */
        boolean awaitLoss(Duration timeout);

        /** Gives up leadership; another participant may take over. Idempotent. */
        void resign();
    }
}
