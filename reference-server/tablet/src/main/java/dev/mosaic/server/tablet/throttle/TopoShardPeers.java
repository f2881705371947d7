package dev.mosaic.server.tablet.throttle;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.Errors;
import dev.mosaic.proto.tabletmanager.CheckThrottlerRequest;
import dev.mosaic.proto.tabletmanager.TabletManagerGrpc;
import dev.mosaic.proto.topo.ShardReplication;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The shard as a primary's throttler sees it: REPLICA tablets found through each cell's
 * ShardReplication record and their tablet records, asked for their self readings with the
 * tablet-manager {@code CheckThrottler} call (app {@value TabletThrottler#VITESS_APP}, scope self),
 * each call bounded by the RPC timeout. One channel per tablet address, kept; used from the
 * throttler's poll thread only.
 */
public final class TopoShardPeers implements ShardPeers, AutoCloseable {
    private final TopoServer topo;
    private final String keyspace;
    private final String shard;
    private final Duration rpcTimeout;
    private final Clock clock;
    private final Map<TabletAlias, Tablet> records = new HashMap<>();
    private final Map<String, ManagedChannel> channels = new HashMap<>();

    /** Peers of {@code keyspace/shard}. */
    public TopoShardPeers(TopoServer topo, String keyspace, String shard, Duration rpcTimeout, Clock clock) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.shard = Objects.requireNonNull(shard, "shard");
        this.rpcTimeout = Objects.requireNonNull(rpcTimeout, "rpcTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized List<TabletAlias> replicas() {
        List<TabletAlias> out = new ArrayList<>();
        records.clear();
        for (String cell : topo.getCellInfoNames()) {
            ShardReplication sr;
            try {
                sr = topo.getShardReplication(cell, keyspace, shard).value();
            } catch (TopoException e) {
                if (e.error() == TopoError.NO_NODE) {
                    continue;
                }
                throw e;
            }
            for (ShardReplication.Node n : sr.getNodesList()) {
                TabletAlias alias = ProtoConversions.fromProto(n.getTabletAlias());
                Tablet t;
                try {
                    t = topo.getTablet(alias).value();
                } catch (TopoException e) {
                    if (e.error() == TopoError.NO_NODE) {
                        continue;
                    }
                    throw e;
                }
                if (t.getType() == TabletType.REPLICA) {
                    records.put(alias, t);
                    out.add(alias);
                }
            }
        }
        return out;
    }

    @Override
    public synchronized Map<String, Reading> selfReadings(TabletAlias alias) {
        Tablet t = records.get(alias);
        if (t == null) {
            throw new MosaicException(ErrorCode.NOT_FOUND, "tablet " + alias + " is not a replica of " + keyspace + "/" + shard);
        }
        Integer port = t.getPortMapMap().get("grpc");
        if (t.getHostname().isEmpty() || port == null || port <= 0) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "tablet " + alias + " publishes no gRPC address (is it running?)");
        }
        String key = t.getHostname() + ":" + port;
        ManagedChannel ch = channels.get(key);
        if (ch == null || ch.isShutdown()) {
            ch = NettyChannelBuilder.forAddress(t.getHostname(), port).usePlaintext().build();
            channels.put(key, ch);
        } else {
            ch.resetConnectBackoff(); // a replica that was down may be back
        }
        try {
            var response = TabletManagerGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(rpcTimeout.toNanos(), TimeUnit.NANOSECONDS)
                    .checkThrottler(CheckThrottlerRequest.newBuilder().setAppName(TabletThrottler.VITESS_APP)
                            .setScope("self").setMultiMetricsEnabled(true).setSkipRequestHeartbeats(true).build());
            return ThrottlerProtos.readings(response, clock.instant());
        } catch (StatusRuntimeException e) {
            throw Errors.fromStatus(e);
        }
    }

    /** Shuts the channels down. */
    @Override
    public synchronized void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
