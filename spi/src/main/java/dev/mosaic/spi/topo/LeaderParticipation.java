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
     * @throws TopoException {@link TopoError#TIMEOUT}, {@link TopoError#INTERRUPTED}
     */
    LeadershipTerm waitForLeadership(Duration timeout);

    /** The id of the current leader, if any. */
    Optional<String> currentLeader();

    /**
     * Watches who leads: the listener is called with the current leader id (or empty) and then
     * with every change, until the returned handle is closed or the participation stops.
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
        /** True while still leader. */
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
