package dev.mosaic.server.ctld;

import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.VSchemaException;
import dev.mosaic.proto.query.StreamHealthRequest;
import dev.mosaic.proto.query.StreamHealthResponse;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.vtctldata.GetClusterStatusResponse;
import dev.mosaic.proto.vtctldata.KeyspaceStatus;
import dev.mosaic.proto.vtctldata.ShardStatus;
import dev.mosaic.proto.vtctldata.TabletStatus;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.topo.TopoException;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GetClusterStatus (Mosaic): keyspaces, shards and tablets from the topology, and each tablet's
 * health from the first message of its StreamHealth stream, asked with a short deadline. Tablets
 * are probed in parallel on a per-call pool of at most {@link #MAX_PROBE_THREADS} threads, so a
 * cluster of dead tablets costs about one deadline, not one per tablet.
 */
final class ClusterStatusProbe {
    /** Upper bound on concurrent health probes of one call. */
    static final int MAX_PROBE_THREADS = 8;

    private final TopoServer topo;
    private final TopologyReads reads;
    private final TabletManagerClients tablets;
    private final Duration probeDeadline;

    ClusterStatusProbe(TopologyReads reads, TabletManagerClients tablets, Duration probeDeadline) {
        this.topo = reads.topo();
        this.reads = reads;
        this.tablets = tablets;
        this.probeDeadline = probeDeadline;
    }

    GetClusterStatusResponse status() {
        List<Tablet> all = reads.allTablets();
        Map<Tablet, TabletStatus> health = probeAll(all);
        GetClusterStatusResponse.Builder out = GetClusterStatusResponse.newBuilder();
        for (String ks : topo.getKeyspaceNames()) {
            var record = reads.findKeyspace(ks);
            if (record.isEmpty()) {
                continue; // deleted while listing
            }
            KeyspaceStatus.Builder k = KeyspaceStatus.newBuilder()
                    .setKeyspace(TopologyVerbs.keyspaceMessage(ks, record.get()));
            try {
                KeyspaceVSchema v = topo.getVSchema(ks);
                k.setHasVSchema(true).setSharded(v.sharded());
            } catch (TopoException e) {
                if (!CtldErrors.isNoNode(e)) {
                    throw e;
                }
            } catch (VSchemaException e) {
                k.setHasVSchema(true); // stored but unreadable: shown as present, not sharded
            }
            for (String shard : topo.getShardNames(ks)) {
                var s = topo.getShard(ks, shard).value();
                ShardStatus.Builder sb = ShardStatus.newBuilder().setShard(TopologyVerbs.shardMessage(ks, shard, s));
                for (Tablet t : all) {
                    if (t.getKeyspace().equals(ks) && t.getShard().equals(shard)) {
                        sb.addTablets(health.get(t));
                    }
                }
                k.addShards(sb);
            }
            out.addKeyspaces(k);
        }
        return out.build();
    }

    private Map<Tablet, TabletStatus> probeAll(List<Tablet> all) {
        Map<Tablet, TabletStatus> out = new LinkedHashMap<>();
        if (all.isEmpty()) {
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PROBE_THREADS, all.size()), threads());
        try {
            List<Future<TabletStatus>> futures = new ArrayList<>();
            for (Tablet t : all) {
                futures.add(pool.submit(() -> probe(t)));
            }
            for (int i = 0; i < all.size(); i++) {
                out.put(all.get(i), futures.get(i).get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing tablet health", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("probing tablet health failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /** The tablet's first health message, or unreachable with the reason. */
    TabletStatus probe(Tablet t) {
        TabletStatus.Builder b = TabletStatus.newBuilder().setTablet(t);
        Context.CancellableContext ctx = Context.current().withCancellation();
        Context previous = ctx.attach();
        try {
            Iterator<StreamHealthResponse> stream = tablets.query(t, probeDeadline)
                    .streamHealth(StreamHealthRequest.getDefaultInstance());
            if (!stream.hasNext()) {
                return b.setHealthError("the health stream ended without a message").build();
            }
            StreamHealthResponse r = stream.next();
            return b.setReachable(true).setServing(r.getServing())
                    .setReplicationLagSeconds(r.getRealtimeStats().getReplicationLagSeconds())
                    .setHealthError(r.getRealtimeStats().getHealthError()).build();
        } catch (StatusRuntimeException e) {
            return b.setHealthError(CtldErrors.text(e)).build();
        } finally {
            ctx.detach(previous);
            ctx.cancel(null); // ends the stream: one message is all a probe needs
        }
    }

    private static ThreadFactory threads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread th = new Thread(r, "ctld-health-probe-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        };
    }
}
