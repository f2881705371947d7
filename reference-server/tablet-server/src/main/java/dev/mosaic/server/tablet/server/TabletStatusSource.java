package dev.mosaic.server.tablet.server;

import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.consolidator.EngineConsolidator;
import dev.mosaic.server.tablet.grpc.TabletGrpcServer;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.pool.ConnectionPool;
import dev.mosaic.server.tablet.pool.TabletPools;
import dev.mosaic.server.tablet.repltracker.Heartbeat;
import dev.mosaic.server.tablet.schema.SchemaEngine;
import dev.mosaic.server.tablet.schema.SchemaSnapshot;
import dev.mosaic.server.tablet.status.StatusServer;
import dev.mosaic.server.tablet.status.TabletStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds {@link TabletStatus} snapshots for the status server from the live parts of the process,
 * and holds the process's lifecycle state (set by {@link TabletProcess}).
 */
@Singleton
public final class TabletStatusSource {
    private final TabletServerConfig config;
    private final TabletHealth health;
    private final TabletQueryServer engines;
    private final Optional<EngineConsolidator> consolidator;
    private final MeterRegistry registry;
    private final Set<TabletComponent> components;
    private final Provider<TabletGrpcServer> grpc;
    private final Provider<StatusServer> status;
    private final SidecarComponent sidecar;
    private final SchemaEngineComponent schema;
    private final HeartbeatComponent heartbeat;
    private final long startNanos = System.nanoTime();
    private volatile TabletStatus.State state = TabletStatus.State.STARTING;

    @Inject
    TabletStatusSource(TabletServerConfig config, TabletHealth health, TabletQueryServer engines,
            Optional<EngineConsolidator> consolidator, MeterRegistry registry, Set<TabletComponent> components,
            Provider<TabletGrpcServer> grpc, Provider<StatusServer> status, SidecarComponent sidecar,
            SchemaEngineComponent schema, HeartbeatComponent heartbeat) {
        this.sidecar = sidecar;
        this.schema = schema;
        this.heartbeat = heartbeat;
        this.config = config;
        this.health = health;
        this.engines = engines;
        this.consolidator = consolidator;
        this.registry = registry;
        this.components = components;
        this.grpc = grpc;
        this.status = status;
    }

    /** Moves the process to {@code next}. */
    public void state(TabletStatus.State next) {
        state = next;
    }

    /** The current state. */
    public TabletStatus.State state() {
        return state;
    }

    /** A fresh snapshot. */
    public TabletStatus snapshot() {
        TabletPools p = engines.pools();
        List<TabletStatus.Pool> pools = List.of(pool(p.query()), pool(p.stream()), pool(p.tx()), pool(p.dba()));
        double errors = registry.find("mosaic.tablet.query.errors").counters().stream().mapToDouble(Counter::count).sum();
        var m = config.mysqld();
        String mysqld = m.user() + "@" + m.host() + ":" + m.port() + " (" + m.mode().name().toLowerCase(java.util.Locale.ROOT) + ")";
        return new TabletStatus(state, health.current(), pools, engines.transactions().openTransactions(),
                TabletServerModule.stats(consolidator), (long) errors, Duration.ofNanos(System.nanoTime() - startNanos),
                state == TabletStatus.State.STARTING ? config.grpc().port() : grpc.get().port(),
                state == TabletStatus.State.STARTING ? config.status().port() : status.get().port(), mysqld,
                components.stream().map(TabletComponent::name).toList(), sidecar.sidecarDbOrEmpty(), schema(),
                heartbeat());
    }

    private TabletStatus.Schema schema() {
        SchemaEngine se = schema.engineOrNull();
        if (se == null) {
            return null;
        }
        SchemaSnapshot s = se.current();
        return new TabletStatus.Schema(s.tables().size(), s.loadedAt(), se.lastReloadError());
    }

    private TabletStatus.Heartbeat heartbeat() {
        return heartbeat.heartbeat().map(h -> {
            if (h.isWriting()) {
                return new TabletStatus.Heartbeat(true, null, h.lastWriteError());
            }
            Heartbeat.Status s = h.status();
            return new TabletStatus.Heartbeat(false, s.lag().orElse(null), s.error());
        }).orElse(null);
    }

    private static TabletStatus.Pool pool(ConnectionPool c) {
        return new TabletStatus.Pool(c.name(), c.size(), c.inUse(), c.waiting());
    }
}
