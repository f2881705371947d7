package dev.mosaic.server.gate.process;

import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.RoutingRule;
import dev.mosaic.api.vschema.RoutingRules;
import dev.mosaic.server.gate.executor.ShardMap;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the gate's routing inputs in step with the topology: every keyspace's vschema and the
 * routing rules (the global records {@code keyspaces/<ks>/VSchema} and {@code RoutingRules}) and
 * each keyspace's serving shards. Read once at startup (a failure there fails the startup), then
 * every {@code interval} on its own thread ({@code gate-topo-refresh}), never on a query's path.
 *
 * <p>A change of a vschema or of the routing rules builds a new {@link VSchemaSnapshot} and installs
 * it in the {@link CachingPlanner} (which drops every cached plan); a change of the shards
 * replaces the snapshot behind {@link #shardMap()}, a {@linkplain ShardMap#view view} the executor
 * reads on every statement. Nothing changes when the records are the same. A failed refresh
 * (topology unreachable, a vschema that does not build) keeps the last good state and is reported
 * in {@link #state()} and the counter {@code mosaic.gate.topo.refresh.errors}.
 */
public final class TopologyRefresher implements AutoCloseable {
    private final TopoServer topo;
    private final Plugins plugins;
    private final List<String> configured;
    private final PrintStream log;
    private final CachingPlanner planner;
    private final ShardMap view;
    private final ScheduledExecutorService scheduler;
    private final Counter errors;
    private volatile ShardMap shards;
    private volatile Inputs inputs;
    private volatile State state;

    /** What a vschema snapshot is built from: compared to skip rebuilding an unchanged one. */
    private record Inputs(Map<String, String> vschemaJson, RoutingRules rules) {
    }

    /**
     * What the refresher last did, for the status page.
     *
     * @param keyspaces the keyspaces served now
     * @param shards the shard map served now
     * @param vschemaChanges how many times a new vschema was installed (the first load included)
     * @param lastRefresh when the topology was last read successfully
     * @param lastError why the last refresh failed; empty if it succeeded
     */
    public record State(List<String> keyspaces, ShardMap shards, long vschemaChanges, Instant lastRefresh,
            String lastError) {
    }

    private TopologyRefresher(TopoServer topo, Plugins plugins, List<String> keyspaces, int planCacheSize,
            MeterRegistry registry, PrintStream log) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.configured = List.copyOf(keyspaces);
        this.log = Objects.requireNonNull(log, "log");
        this.errors = Counter.builder("mosaic.gate.topo.refresh.errors")
                .description("topology refreshes that failed (the last good vschema and shards stay)")
                .register(registry);
        List<String> names = keyspaceNames();
        Inputs first = readInputs(names);
        this.inputs = first;
        this.planner = new CachingPlanner(build(first), planCacheSize, registry);
        this.shards = ShardMap.fromTopology(topo, names);
        this.view = ShardMap.view(() -> shards);
        this.state = new State(names, shards, 1, Instant.now(), "");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gate-topo-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Reads the topology once (throwing if it cannot) and starts refreshing every {@code interval}.
     *
     * @param keyspaces the keyspaces to serve; empty = every keyspace in the topology, re-listed
     *     on every refresh
     */
    public static TopologyRefresher start(TopoServer topo, Plugins plugins, List<String> keyspaces, Duration interval,
            int planCacheSize, MeterRegistry registry, PrintStream log) {
        TopologyRefresher r = new TopologyRefresher(topo, plugins, keyspaces, planCacheSize, registry, log);
        long n = interval.toNanos();
        r.scheduler.scheduleWithFixedDelay(r::refreshQuietly, n, n, TimeUnit.NANOSECONDS);
        return r;
    }

    /** The plan cache over the current vschema. */
    public CachingPlanner planner() {
        return planner;
    }

    /** The live shard map (a view of the current snapshot). */
    public ShardMap shardMap() {
        return view;
    }

    /** What the last refresh found. */
    public State state() {
        return state;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            errors.increment();
            String why = String.valueOf(e.getMessage());
            if (!why.equals(state.lastError())) {
                log.println("gate: topology refresh failed, keeping the last good vschema and shards: " + why);
            }
            State s = state;
            state = new State(s.keyspaces(), s.shards(), s.vschemaChanges(), s.lastRefresh(), why);
        }
    }

    /** Reads the topology now and installs what changed. */
    public synchronized void refresh() {
        List<String> names = keyspaceNames();
        Inputs next = readInputs(names);
        ShardMap nextShards = ShardMap.fromTopology(topo, names);
        long changes = state.vschemaChanges();
        if (!next.equals(inputs)) {
            planner.updateVSchema(build(next));
            inputs = next;
            changes++;
            log.println("gate: installed a new vschema (keyspaces " + next.vschemaJson().keySet() + ")");
        }
        if (!nextShards.keyspaces().equals(shards.keyspaces())) {
            shards = nextShards;
            log.println("gate: serving shards now " + nextShards.keyspaces().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue().stream().map(t -> t.name()).toList()).toList());
        }
        state = new State(names, shards, changes, Instant.now(), "");
    }

    private List<String> keyspaceNames() {
        return configured.isEmpty() ? topo.getKeyspaceNames() : configured;
    }

    private Inputs readInputs(List<String> keyspaces) {
        Map<String, String> json = new TreeMap<>();
        for (String ks : keyspaces) {
            json.put(ks, vschemaJson(ks).orElse(null));
        }
        List<RoutingRule> rules = new ArrayList<>();
        for (var r : topo.getRoutingRules().getRulesList()) {
            rules.add(new RoutingRule(r.getFromTable(), r.getToTablesList()));
        }
        return new Inputs(java.util.Collections.unmodifiableMap(json), new RoutingRules(rules));
    }

    private Optional<String> vschemaJson(String keyspace) {
        try {
            return Optional.of(topo.getVSchemaRecord(keyspace).value().getJson());
        } catch (TopoException e) {
            if (e.error() == TopoError.NO_NODE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A keyspace without a vschema record is served as an unsharded keyspace without tables, as in Vitess. */
    private VSchemaSnapshot build(Inputs in) {
        Map<String, KeyspaceVSchema> vschemas = new TreeMap<>();
        in.vschemaJson().forEach((ks, json) -> vschemas.put(ks, json == null ? KeyspaceVSchema.EMPTY
                : KeyspaceVSchema.fromJson(json)));
        return VSchemaSnapshot.build(vschemas, in.rules(), plugins);
    }

    /** Stops refreshing. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
