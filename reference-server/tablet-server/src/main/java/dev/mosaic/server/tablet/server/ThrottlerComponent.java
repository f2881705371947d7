package dev.mosaic.server.tablet.server;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.tablet.manager.TabletState;
import dev.mosaic.server.tablet.repltracker.Heartbeat;
import dev.mosaic.server.tablet.server.TabletServerConfig.Identity;
import dev.mosaic.server.tablet.throttle.TabletMetricProbe;
import dev.mosaic.server.tablet.throttle.TabletThrottler;
import dev.mosaic.server.tablet.throttle.ThrottlerSettings;
import dev.mosaic.server.tablet.throttle.TopoShardPeers;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The tablet throttler ({@code throttler.*} keys; enabled and configured per keyspace in the
 * topology). Built with the process (the tablet manager and the status server answer its checks),
 * started after the heartbeat, whose reader gives the {@code lag} metric its value. Its metrics are
 * the {@code throttler_metric} plugins on the class path.
 */
@Singleton
final class ThrottlerComponent implements TabletComponent {
    private final TabletThrottler throttler;
    private final TabletMetricProbe probe;
    private final TopoShardPeers peers;

    @Inject
    ThrottlerComponent(TabletServerConfig config, Plugins plugins, Mysqld mysqld, TopoServer topo, TabletState state,
            HeartbeatComponent heartbeat) {
        Identity id = config.tablet();
        ThrottlerSettings settings = config.throttler();
        this.probe = new TabletMetricProbe(mysqld, () -> ProtoConversions.fromProto(state.type()),
                () -> heartbeatLag(heartbeat.heartbeat()), settings.readTimeout());
        this.peers = new TopoShardPeers(topo, id.keyspace(), id.shard(), settings.rpcTimeout(), Clock.systemUTC());
        this.throttler = new TabletThrottler(id.alias(), id.keyspace(), id.shard(), plugins, probe, peers,
                () -> topo.getKeyspace(id.keyspace()).value().getThrottlerConfig(), state::type, settings);
    }

    /** The lag the heartbeat reader measured, empty on a writer (the primary) or when unknown. */
    private static OptionalDouble heartbeatLag(Optional<Heartbeat> heartbeat) {
        if (heartbeat.isEmpty() || heartbeat.get().isWriting()) {
            return OptionalDouble.empty();
        }
        return heartbeat.get().status().lag().map(d -> OptionalDouble.of(d.toNanos() / 1e9)).orElse(OptionalDouble.empty());
    }

    /** The throttler (not polling until {@link #start}). */
    TabletThrottler throttler() {
        return throttler;
    }

    @Override
    public String name() {
        return "throttler";
    }

    @Override
    public void start() {
        throttler.start();
    }

    @Override
    public void close() {
        throttler.close();
        peers.close();
        probe.close();
    }
}
