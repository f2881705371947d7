package dev.mosaic.server.tablet.server;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.repltracker.Heartbeat;
import dev.mosaic.server.tablet.server.TabletServerConfig.Identity;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/**
 * The heartbeat ({@code query.heartbeat.enable}): written by the primary into the sidecar, read
 * by the other types as their replication lag. Started after the {@link SidecarComponent}, which
 * names the sidecar. Off, it does nothing and the health check uses {@code Seconds_Behind_Master}.
 */
@Singleton
final class HeartbeatComponent implements TabletComponent {
    private final TabletConfig config;
    private final Identity id;
    private final Mysqld mysqld;
    private final SidecarComponent sidecar;
    private final TabletType startType;
    private final MeterRegistry registry;
    private volatile Heartbeat heartbeat; // null while off or not started

    @Inject
    HeartbeatComponent(TabletServerConfig config, Mysqld mysqld, SidecarComponent sidecar, TabletType startType,
            MeterRegistry registry) {
        this.config = config.query();
        this.id = config.tablet();
        this.mysqld = mysqld;
        this.sidecar = sidecar;
        this.startType = startType;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "heartbeat";
    }

    @Override
    public void start() {
        if (config.heartbeatEnable()) {
            heartbeat = Heartbeat.start(mysqld, sidecar.sidecarDb(), id.alias(), id.keyspace(), id.shard(), startType,
                    new Heartbeat.Settings(config.heartbeatInterval()), registry);
        }
    }

    /** The running heartbeat, empty when disabled. */
    Optional<Heartbeat> heartbeat() {
        return Optional.ofNullable(heartbeat);
    }

    /**
     * The health check's probe: {@code base}, with the lag taken from the heartbeat while one runs.
     * Decided on each call, so the probe can be built before the heartbeat starts.
     */
    TabletHealth.ReplicationProbe probe(TabletHealth.ReplicationProbe base) {
        return () -> {
            Heartbeat h = heartbeat;
            return h == null ? base.status() : h.replicationProbe(base).status();
        };
    }

    /** Writes on a PRIMARY, reads otherwise. */
    void setType(TabletType type) {
        Heartbeat h = heartbeat;
        if (h != null) {
            h.setType(type);
        }
    }

    @Override
    public void close() {
        Heartbeat h = heartbeat;
        heartbeat = null;
        if (h != null) {
            h.close();
        }
    }
}
