package dev.mosaic.server.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.proto.vtctldata.GetClusterStatusResponse;
import dev.mosaic.proto.vtctldata.Keyspace;
import dev.mosaic.proto.vtctldata.KeyspaceStatus;
import dev.mosaic.proto.vtctldata.Shard;
import dev.mosaic.proto.vtctldata.ShardStatus;
import dev.mosaic.proto.vtctldata.TabletStatus;
import org.junit.jupiter.api.Test;

class StatusReportTest {
    private static TabletStatus tablet(int uid, TabletType type, boolean reachable, boolean serving, int lag, String error) {
        return TabletStatus.newBuilder().setTablet(Tablet.newBuilder()
                        .setAlias(TabletAlias.newBuilder().setCell("zone1").setUid(uid)).setType(type)
                        .putPortMap("grpc", 16000 + uid))
                .setReachable(reachable).setServing(serving).setReplicationLagSeconds(lag).setHealthError(error).build();
    }

    @Test
    void keyspacesShardsTabletsAndHealth() {
        GetClusterStatusResponse r = GetClusterStatusResponse.newBuilder()
                .addKeyspaces(KeyspaceStatus.newBuilder().setKeyspace(Keyspace.newBuilder().setName("commerce"))
                        .setHasVSchema(true).setSharded(false)
                        .addShards(ShardStatus.newBuilder().setShard(Shard.newBuilder().setKeyspace("commerce").setName("0")
                                        .setShard(dev.mosaic.proto.topo.Shard.newBuilder().setPrimaryAlias(
                                                TabletAlias.newBuilder().setCell("zone1").setUid(100))))
                                .addTablets(tablet(100, TabletType.PRIMARY, true, true, 0, ""))
                                .addTablets(tablet(101, TabletType.REPLICA, true, true, 3, ""))))
                .addKeyspaces(KeyspaceStatus.newBuilder().setKeyspace(Keyspace.newBuilder().setName("customer"))
                        .setHasVSchema(false).setSharded(true)
                        .addShards(ShardStatus.newBuilder().setShard(Shard.newBuilder().setKeyspace("customer").setName("-80"))
                                .addTablets(tablet(300, TabletType.REPLICA, false, false, 0, "connection refused"))
                                .addTablets(tablet(301, TabletType.REPLICA, true, false, 0, "replication is not running"))))
                .build();
        assertEquals("""
                keyspace commerce (unsharded)
                  shard 0: primary zone1-0000000100
                    zone1-0000000100  PRIMARY  serving      grpc 16100
                    zone1-0000000101  REPLICA  serving lag 3s grpc 16101
                keyspace customer (sharded, no vschema)
                  shard -80: primary none
                    zone1-0000000300  REPLICA  unreachable  grpc 16300 connection refused
                    zone1-0000000301  REPLICA  not-serving  grpc 16301 replication is not running
                """, StatusReport.format(r));
        assertEquals("no keyspaces\n", StatusReport.format(GetClusterStatusResponse.getDefaultInstance()));
    }
}
