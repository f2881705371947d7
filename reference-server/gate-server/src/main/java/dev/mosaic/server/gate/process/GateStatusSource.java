package dev.mosaic.server.gate.process;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.mosaic.server.gate.gateway.TabletGateway;
import dev.mosaic.server.gate.process.querylog.QueryLog;
import dev.mosaic.server.gate.process.querylog.QueryLoggingHandler;
import dev.mosaic.server.gate.process.status.GateStatus;
import dev.mosaic.server.mysql.protocol.MysqlServer;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.exec.ShardTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds {@link GateStatus} snapshots for the status server from the live parts of the process,
 * and holds the process's lifecycle state (set by {@link GateProcess}).
 */
@Singleton
public final class GateStatusSource {
    private final GateServerConfig config;
    private final MysqlServer server;
    private final QueryLoggingHandler handler;
    private final CachingPlanner planner;
    private final TopologyRefresher refresher;
    private final QueryLog queryLog;
    private final TabletGateway gateway;
    private final MeterRegistry registry;
    private final long startNanos = System.nanoTime();
    private volatile GateStatus.State state = GateStatus.State.STARTING;
    private volatile int mysqlPort;

    @Inject
    GateStatusSource(GateServerConfig config, MysqlServer server, QueryLoggingHandler handler, CachingPlanner planner,
            TopologyRefresher refresher, QueryLog queryLog, TabletGateway gateway, MeterRegistry registry) {
        this.config = config;
        this.server = server;
        this.handler = handler;
        this.planner = planner;
        this.refresher = refresher;
        this.queryLog = queryLog;
        this.gateway = gateway;
        this.registry = registry;
        this.mysqlPort = config.mysql().port();
    }

    /** Moves the process to {@code next}. */
    public void state(GateStatus.State next) {
        state = next;
    }

    /** The current state. */
    public GateStatus.State state() {
        return state;
    }

    /** Records the bound MySQL port (it differs from the configured one when that is 0). */
    void mysqlPort(int port) {
        mysqlPort = port;
    }

    /** A fresh snapshot. */
    public GateStatus snapshot() {
        MysqlServer.Stats stats = server.stats();
        GateStatus.PlanCache cache = new GateStatus.PlanCache(planner.size(), config.planCacheSize(),
                count("mosaic.gate.plan.cache.requests", "result", "hit"),
                count("mosaic.gate.plan.cache.requests", "result", "miss"));
        TopologyRefresher.State t = refresher.state();
        Map<String, List<String>> shards = new LinkedHashMap<>();
        t.shards().keyspaces().forEach((ks, list) -> shards.put(ks, list.stream().map(ShardTarget::name).toList()));
        GateStatus.Topology topology = new GateStatus.Topology(t.keyspaces(), shards, t.vschemaChanges(),
                t.lastRefresh(), t.lastError());
        Map<String, GateStatus.KeyspaceLoad> load = new TreeMap<>();
        Map<String, Double> qps = queryLog.qpsByKeyspace();
        queryLog.totalsByKeyspace().forEach((ks, totals) -> load.put(ks,
                new GateStatus.KeyspaceLoad(qps.getOrDefault(ks, 0.0), totals[0], totals[1])));
        Map<String, Long> shardErrors = new TreeMap<>();
        for (Counter c : registry.find("mosaic.gate.tablet.errors").counters()) {
            String key = c.getId().getTag("keyspace") + "/" + c.getId().getTag("shard");
            shardErrors.merge(key, (long) c.count(), Long::sum);
        }
        return new GateStatus(state, config.gateway().localCell(), Duration.ofNanos(System.nanoTime() - startNanos),
                mysqlPort, config.mysql().serverVersion(), stats.connections(), handler.openSessions(),
                stats.runningCommands(), stats.queuedCommands(), cache, topology, load, shardErrors, gateway.tablets());
    }

    private long count(String name, String tag, String value) {
        Counter c = registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : (long) c.count();
    }
}
