package dev.mosaic.server.tablet.status;

import dev.mosaic.server.tablet.consolidator.ConsolidatorStats;
import dev.mosaic.server.tablet.health.HealthState;
import java.time.Duration;
import java.time.Instant;
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
 * @param components the components running ({@code TabletComponent} names)
 * @param sidecarDb the sidecar database's name; empty before it is resolved
 * @param schema the schema engine's numbers; null before it has started
 * @param heartbeat the heartbeat's numbers; null when {@code heartbeat.enable} is off
 */
public record TabletStatus(State state, HealthState health, List<Pool> pools, int openTransactions,
        ConsolidatorStats consolidator, long queryErrors, Duration uptime, int grpcPort, int statusPort,
        String mysqld, List<String> components, String sidecarDb, Schema schema, Heartbeat heartbeat) {

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

    /**
     * The schema engine's numbers.
     *
     * @param tables tables and views it knows in the tablet's database
     * @param loadedAt when the current snapshot was loaded (the last successful reload)
     * @param lastReloadError why the last reload failed; empty if it succeeded
     */
    public record Schema(int tables, Instant loadedAt, String lastReloadError) {
        public Schema {
            Objects.requireNonNull(loadedAt, "loadedAt");
            Objects.requireNonNull(lastReloadError, "lastReloadError");
        }
    }

    /**
     * The heartbeat's numbers.
     *
     * @param writing true on the primary (it writes), false on the others (they read)
     * @param lag the lag read last; null while writing or when unknown
     * @param error the last write's or read's error; empty if it succeeded
     */
    public record Heartbeat(boolean writing, Duration lag, String error) {
        public Heartbeat {
            Objects.requireNonNull(error, "error");
        }
    }

    public TabletStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sidecarDb, "sidecarDb");
        Objects.requireNonNull(health, "health");
        pools = List.copyOf(pools);
        components = List.copyOf(components);
    }

    /** True if {@code /healthz} answers ok: serving state reached and no health error. */
    public boolean healthy() {
        return state == State.SERVING && health.healthError().isEmpty();
    }
}
