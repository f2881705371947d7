package dev.mosaic.server.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.json.Json;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.ShardReference;
import dev.mosaic.proto.topo.SrvKeyspace;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.TopoServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TopoCommandTest {
    private static final KeyspaceVSchema VSCHEMA = KeyspaceVSchema.fromJson(
            "{\"sharded\":true,\"vindexes\":{\"hash\":{\"type\":\"hash\"}},"
                    + "\"tables\":{\"customer\":{\"column_vindexes\":[{\"column\":\"id\",\"name\":\"hash\"}]}}}");

    /** A memory cluster with one keyspace, two shards, a tablet and a serving graph in cell zone1. */
    private static String populated() {
        String cluster = "cli-" + UUID.randomUUID();
        try (TopoServer ts = TopoCommand.openServer("memory:" + cluster, Map.of())) {
            ts.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(cluster + "-zone1").build());
            ts.createKeyspace("commerce", Keyspace.newBuilder().setDurabilityPolicy("semi_sync").build());
            ts.saveVSchema("commerce", VSCHEMA);
            ts.createShard("commerce", "-80");
            ts.createShard("commerce", "80-");
            ts.createTablet(Tablet.newBuilder().setAlias(ProtoConversions.toProto(TabletAlias.parse("zone1-100")))
                    .setHostname("db1").putPortMap("grpc", 15999).setKeyspace("commerce").setShard("-80")
                    .setType(TabletType.PRIMARY).setMysqlHostname("db1").setMysqlPort(3306).build());
            ts.updateSrvKeyspace("zone1", "commerce", srvKeyspace(2));
            ts.rebuildSrvVSchema(List.of());
        }
        return cluster;
    }

    private static SrvKeyspace srvKeyspace(int shards) {
        SrvKeyspace.KeyspacePartition.Builder p = SrvKeyspace.KeyspacePartition.newBuilder().setServedType(TabletType.PRIMARY);
        for (String s : dev.mosaic.api.key.KeyRange.splitNames(shards)) {
            ShardReference.Builder r = ShardReference.newBuilder().setName(s);
            ProtoConversions.shardKeyRange(s).ifPresent(r::setKeyRange);
            p.addShardReferences(r);
        }
        return SrvKeyspace.newBuilder().addPartitions(p).build();
    }

    @Test
    void lsListsCellsDirectoriesAndFiles() {
        String c = populated();
        assertEquals(new MosaicCliTest.Result(0, "global/\nzone1/\n", ""), MosaicCliTest.run("topo", "ls", "--topo", "memory:" + c));
        assertEquals("cells/\nkeyspaces/\n", MosaicCliTest.run("topo", "ls", "--topo", "memory:" + c, "/global").out());
        assertEquals("Keyspace\nVSchema\nshards/\n",
                MosaicCliTest.run("topo", "ls", "--topo", "memory:" + c, "/global/keyspaces/commerce").out());
        assertEquals("Keyspace\nVSchema\nshards/\n",
                MosaicCliTest.run("topo", "ls", "--topo", "memory", "--topo-config", "cluster=" + c, "keyspaces/commerce").out());
        assertEquals("SrvVSchema\nkeyspaces/\ntablets/\n", MosaicCliTest.run("topo", "ls", "--topo", "memory:" + c, "/zone1").out());
        var missing = MosaicCliTest.run("topo", "ls", "--topo", "memory:" + c, "/zone2");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("cell 'zone2' is not registered"), missing.err());
    }

    @Test
    void catDecodesRecordsAsJson() {
        String c = populated();
        var shard = MosaicCliTest.run("topo", "cat", "--topo", "memory:" + c, "/global/keyspaces/commerce/shards/80-/Shard");
        assertEquals(0, shard.code(), shard.err());
        assertEquals(Json.parse("{\"key_range\":{\"start\":\"80\"},\"is_primary_serving\":true}"),
                Json.parse(shard.out()));
        var tablet = MosaicCliTest.run("topo", "cat", "--topo", "memory:" + c, "/zone1/tablets/zone1-0000000100/Tablet");
        assertEquals(Json.parse("""
                {"alias": {"cell": "zone1", "uid": 100}, "hostname": "db1", "port_map": {"grpc": 15999},
                 "keyspace": "commerce", "shard": "-80", "type": "PRIMARY", "mysql_hostname": "db1", "mysql_port": 3306}"""),
                Json.parse(tablet.out()));
        var vschema = MosaicCliTest.run("topo", "cat", "--topo", "memory:" + c, "keyspaces/commerce/VSchema");
        assertEquals(Json.parse("{\"json\":" + VSCHEMA.toJson() + "}"), Json.parse(vschema.out()));
        var two = MosaicCliTest.run("topo", "cat", "--topo", "memory:" + c, "/global/cells/zone1/CellInfo", "/zone1/SrvVSchema");
        assertTrue(two.out().startsWith("# /global/cells/zone1/CellInfo (version "), two.out());
        assertTrue(two.out().contains("# /zone1/SrvVSchema (version "), two.out());
        var dir = MosaicCliTest.run("topo", "cat", "--topo", "memory:" + c, "/global");
        assertEquals(1, dir.code());
        var none = MosaicCliTest.run("topo", "cat", "--topo", "memory:" + c, "keyspaces/nope/Keyspace");
        assertEquals(1, none.code());
        assertTrue(none.err().startsWith("error: no_node at 'keyspaces/nope/Keyspace'"), none.err());
    }

    @Test
    void watchPrintsEachChangeAsAJsonLine() throws Exception {
        String c = populated();
        CompletableFuture<MosaicCliTest.Result> watching = CompletableFuture.supplyAsync(() ->
                MosaicCliTest.run("topo", "watch", "--topo", "memory:" + c, "--count", "3", "/zone1/keyspaces/commerce/SrvKeyspace"));
        try (TopoServer ts = TopoCommand.openServer("memory:" + c, Map.of())) {
            // Writes repeat until the watcher has printed its three lines (it may start after the first write).
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int shards = 2;
            while (!watching.isDone()) {
                assertTrue(System.nanoTime() < deadline, "watch did not finish");
                ts.updateSrvKeyspace("zone1", "commerce", srvKeyspace(shards = shards == 16 ? 2 : shards * 2));
                Thread.sleep(20);
            }
        }
        var r = watching.get(5, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        var first = (dev.mosaic.api.json.JsonObject) Json.parse(lines.get(0));
        assertEquals(Json.of("initial"), first.get("event").get());
        assertEquals(Json.of("/zone1/keyspaces/commerce/SrvKeyspace"), first.get("path").get());
        assertTrue(first.get("value").get().toJson().contains("\"served_type\":\"PRIMARY\""), lines.get(0));
        assertEquals(Json.of("changed"), ((dev.mosaic.api.json.JsonObject) Json.parse(lines.get(1))).get("event").get());
    }

    @Test
    void copyMovesATopologyBetweenTwoMemoryClusters() {
        String src = populated();
        String dst = "cli-dst-" + UUID.randomUUID();
        String[] copy = {"topo", "copy", "--from", "memory:" + src, "--to", "memory:" + dst,
            "--cell-address", "zone1=" + dst + "-zone1"};

        var dry = MosaicCliTest.run(concat(copy, "--dry-run"));
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("create    /global/keyspaces/commerce/Keyspace\n"), dry.out());
        assertTrue(dry.out().endsWith("copy: 9 created, 0 updated, 0 unchanged (dry run: nothing written)\n"), dry.out());
        assertEquals("global/\n", MosaicCliTest.run("topo", "ls", "--topo", "memory:" + dst).out());

        var real = MosaicCliTest.run(copy);
        assertEquals(0, real.code(), real.err());
        assertEquals(dry.out().replace(" (dry run: nothing written)", ""), real.out());
        assertEquals(MosaicCliTest.run("topo", "cat", "--topo", "memory:" + src, "/zone1/tablets/zone1-0000000100/Tablet").out(),
                MosaicCliTest.run("topo", "cat", "--topo", "memory:" + dst, "/zone1/tablets/zone1-0000000100/Tablet").out());
        assertEquals(MosaicCliTest.run("topo", "cat", "--topo", "memory:" + src, "keyspaces/commerce/VSchema").out(),
                MosaicCliTest.run("topo", "cat", "--topo", "memory:" + dst, "keyspaces/commerce/VSchema").out());

        var again = MosaicCliTest.run("topo", "copy", "--from", "memory:" + src, "--to", "memory:" + dst);
        assertTrue(again.out().endsWith("copy: 0 created, 0 updated, 8 unchanged\n"), again.out());
    }

    @Test
    void connectionErrorsAreClear() {
        var noTopo = MosaicCliTest.run("topo", "ls", "/");
        assertEquals(2, noTopo.code());
        assertTrue(noTopo.err().contains("--topo"), noTopo.err());
        var unknown = MosaicCliTest.run("topo", "ls", "--topo", "nosuch:addr", "/");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown topo type 'nosuch'"), unknown.err());
        var badKey = MosaicCliTest.run("topo", "ls", "--topo", "memory", "--topo-config", "bogus=1", "/");
        assertEquals(1, badKey.code());
        assertTrue(badKey.err().contains("bogus"), badKey.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
