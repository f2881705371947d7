package dev.mosaic.server.topo;

import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.KeyRange;
import dev.mosaic.proto.topo.ShardReference;
import dev.mosaic.proto.topo.SrvKeyspace;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.topo.memory.MemoryTopoFactory;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.topo.TopoStore;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Memory-store servers with unique cluster names, and sample records. */
final class Fixtures {
    static final Plugins PLUGINS = Plugins.of(List.of(new MemoryTopoFactory()));
    static final TopoConnector CONNECTOR = new TopoConnector(PLUGINS);

    static final KeyspaceVSchema SHARDED = KeyspaceVSchema.fromJson("""
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"customer": {"column_vindexes": [{"column": "customer_id", "name": "hash"}]}}}""");

    private Fixtures() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static TopoConnector.Target memory(String cluster) {
        return CONNECTOR.target("memory:" + cluster, Map.of());
    }

    static TopoStore store(String cluster) {
        return CONNECTOR.openStore(memory(cluster), "test");
    }

    /** A server on a fresh memory cluster with cell zone1 registered (its store is cluster + "-zone1"). */
    static TopoServer server(String cluster, TopoServer.Options options) {
        TopoServer ts = CONNECTOR.openServer(memory(cluster), options);
        ts.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(cluster + "-zone1").build());
        return ts;
    }

    static TopoServer server(String cluster) {
        return server(cluster, TopoServer.Options.defaults().withLockTimeout(java.time.Duration.ofMillis(200)));
    }

    static SrvKeyspace srvKeyspace(String... shards) {
        SrvKeyspace.KeyspacePartition.Builder p = SrvKeyspace.KeyspacePartition.newBuilder().setServedType(TabletType.PRIMARY);
        for (String s : shards) {
            ShardReference.Builder r = ShardReference.newBuilder().setName(s);
            ProtoConversions.shardKeyRange(s).ifPresent(r::setKeyRange);
            p.addShardReferences(r);
        }
        return SrvKeyspace.newBuilder().addPartitions(p).build();
    }

    static KeyRange range(String shard) {
        return ProtoConversions.shardKeyRange(shard).orElse(KeyRange.getDefaultInstance());
    }
}
