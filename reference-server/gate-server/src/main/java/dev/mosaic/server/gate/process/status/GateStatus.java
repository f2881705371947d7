package dev.mosaic.server.gate.process.status;

import dev.mosaic.server.gate.gateway.TabletStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One snapshot of what the gate's status page, {@code /debug/vars} and {@code /healthz} show.
 *
 * @param state the process's lifecycle state
 * @param cell the gate's cell
 * @param uptime time since the process started
 * @param mysqlPort the MySQL port clients connect to
 * @param serverVersion the version announced to clients
 * @param connections open client connections (authenticated or not)
 * @param sessions authenticated client sessions
 * @param runningCommands client commands executing now
 * @param queuedCommands client commands waiting for a command thread
 * @param planCache the plan cache's numbers
 * @param topology what the last topology refresh found
 * @param keyspaces per keyspace: statements per second (last minute), statements and errors since the start
 * @param shardErrors per {@code keyspace/shard}: failed calls to its tablets since the start
 * @param tablets every tablet the gateway knows, with its health
 */
public record GateStatus(State state, String cell, Duration uptime, int mysqlPort, String serverVersion,
        int connections, int sessions, int runningCommands, int queuedCommands, PlanCache planCache,
        Topology topology, Map<String, KeyspaceLoad> keyspaces, Map<String, Long> shardErrors,
        List<TabletStatus> tablets) {

    /** The process's lifecycle state. */
    public enum State {
        /** Starting: not taking clients yet. */
        STARTING,
        /** Taking clients. */
        SERVING,
        /** Shutting down. */
        STOPPING
    }

    /**
     * The plan cache.
     *
     * @param size plans cached now
     * @param capacity plans it holds at most
     * @param hits lookups that found a plan
     * @param misses lookups that had to plan
     */
    public record PlanCache(long size, int capacity, long hits, long misses) {
    }

    /**
     * The topology refresh.
     *
     * @param keyspaces the keyspaces served
     * @param shards each keyspace's serving shards
     * @param vschemaChanges vschemas installed since the start (the first included)
     * @param lastRefresh when the topology was last read successfully
     * @param lastError why the last refresh failed; empty if it succeeded
     */
    public record Topology(List<String> keyspaces, Map<String, List<String>> shards, long vschemaChanges,
            Instant lastRefresh, String lastError) {
    }

    /**
     * One keyspace's load.
     *
     * @param qps statements per second over the last minute
     * @param queries statements since the start
     * @param errors failed statements since the start
     */
    public record KeyspaceLoad(double qps, long queries, long errors) {
    }

    public GateStatus {
        Objects.requireNonNull(state, "state");
        keyspaces = Map.copyOf(keyspaces);
        shardErrors = Map.copyOf(shardErrors);
        tablets = List.copyOf(tablets);
    }

    /** True if {@code /healthz} answers ok: serving. */
    public boolean healthy() {
        return state == State.SERVING;
    }
}
