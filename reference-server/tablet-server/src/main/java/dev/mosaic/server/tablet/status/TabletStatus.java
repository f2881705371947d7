package dev.mosaic.server.tablet.status;

import dev.mosaic.server.tablet.consolidator.ConsolidatorStats;
import dev.mosaic.server.tablet.health.HealthState;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One snapshot of what the status page, {@code /debug/vars} and {@code /healthz} show.
 *
 * @param state the process's serving state
 * @param health the latest health check (alias, keyspace, shard, type, serving, lag, error, QPS)
 * @param pools each connection pool's numbers
 * @param openTransactions transactions open now
 * @param consolidator the consolidator's counters, or null when consolidation is off
 * @param queryErrors statements that failed since the start
 * @param uptime time since the process started
 * @param grpcPort the gRPC port
 * @param statusPort this HTTP server's port
 * @param mysqld where the mysqld is (never the password) and whether Mosaic manages it
 * @param components the extra components running ({@code TabletComponent} names)
 */
public record TabletStatus(State state, HealthState health, List<Pool> pools, int openTransactions,
        ConsolidatorStats consolidator, long queryErrors, Duration uptime, int grpcPort, int statusPort,
        String mysqld, List<String> components) {

    /** The process's lifecycle state, as vttablet's TabletStateName. */
    public enum State {
        /** Starting up: not registered yet. */
        STARTING,
        /** Registered and taking queries. */
        SERVING,
        /** Shutting down. */
        STOPPING
    }

    /**
     * A pool's numbers.
     *
     * @param name the pool's name (query, stream, tx, dba)
     * @param capacity connections it may open
     * @param inUse connections handed out
     * @param waiting callers waiting for one
     */
    public record Pool(String name, int capacity, int inUse, int waiting) {
    }

    public TabletStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(health, "health");
        pools = List.copyOf(pools);
        components = List.copyOf(components);
    }

    /** True if {@code /healthz} answers ok: serving state reached and no health error. */
    public boolean healthy() {
        return state == State.SERVING && health.healthError().isEmpty();
    }
}
