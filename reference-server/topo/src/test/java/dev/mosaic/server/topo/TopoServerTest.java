package dev.mosaic.server.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.KeyspaceRoutingRule;
import dev.mosaic.proto.topo.KeyspaceRoutingRules;
import dev.mosaic.proto.topo.LockDescriptor;
import dev.mosaic.proto.topo.RoutingRule;
import dev.mosaic.proto.topo.RoutingRules;
import dev.mosaic.proto.topo.Shard;
import dev.mosaic.proto.topo.ShardReplication;
import dev.mosaic.proto.topo.SrvVSchema;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TopoServerTest {
    private static Tablet tablet(String alias, String keyspace, String shard, TabletType type) {
        TabletAlias a = TabletAlias.parse(alias);
        return Tablet.newBuilder()
                .setAlias(ProtoConversions.toProto(a))
                .setHostname("host-" + a.uid())
                .putPortMap("grpc", 15999)
                .putPortMap("web", 15000)
                .setKeyspace(keyspace)
                .setShard(shard)
                .setKeyRange(Fixtures.range(shard))
                .setType(type)
                .setMysqlHostname("127.0.0.1")
                .setMysqlPort(3306)
                .putTags("rack", "r1")
                .build();
    }

    @Test
    void recordsRoundTripAtVitessPaths() {
        String cluster = Fixtures.unique("layout");
        try (TopoServer ts = Fixtures.server(cluster); TopoStore raw = Fixtures.store(cluster);
             TopoStore rawCell = Fixtures.store(cluster + "-zone1")) {
            Keyspace ks = Keyspace.newBuilder().setDurabilityPolicy("semi_sync").setSidecarDbName("_vt").build();
            ts.createKeyspace("commerce", ks);
            ts.saveVSchema("commerce", Fixtures.SHARDED);
            ts.createShard("commerce", "-80");
            ts.createShard("commerce", "80-");
            Tablet t = tablet("zone1-0000000100", "commerce", "-80", TabletType.PRIMARY);
            ts.createTablet(t);
            ts.updateSrvKeyspace("zone1", "commerce", Fixtures.srvKeyspace("-80", "80-"));
            ts.saveRoutingRules(RoutingRules.newBuilder().addRules(RoutingRule.newBuilder()
                    .setFromTable("customer").addToTables("commerce.customer")).build());
            ts.saveKeyspaceRoutingRules(KeyspaceRoutingRules.newBuilder().addRules(KeyspaceRoutingRule.newBuilder()
                    .setFromKeyspace("old").setToKeyspace("commerce")).build());
            SrvVSchema srv = ts.rebuildSrvVSchema(List.of());

            // Typed reads give back what was written.
            assertEquals(ks, ts.getKeyspace("commerce").value());
            assertEquals(Fixtures.SHARDED, ts.getVSchema("commerce"));
            assertEquals(t, ts.getTablet(TabletAlias.parse("zone1-100")).value());
            assertEquals(Fixtures.range("-80"), ts.getShard("commerce", "-80").value().getKeyRange());
            assertEquals(srv, ts.getSrvVSchema("zone1").value());
            assertEquals(List.of("commerce"), ts.getKeyspaceNames());
            assertEquals(List.of("-80", "80-"), ts.getShardNames("commerce"));
            assertEquals(List.of("zone1"), ts.getCellInfoNames());
            assertEquals(List.of("commerce"), ts.getSrvKeyspaceNames("zone1"));
            assertEquals(List.of(TabletAlias.parse("zone1-100")), ts.getTabletAliasesByCell("zone1"));
            assertEquals(List.of(t.getAlias()), ts.getShardReplication("zone1", "commerce", "-80").value()
                    .getNodesList().stream().map(ShardReplication.Node::getTabletAlias).toList());
            assertEquals("old", ts.getKeyspaceRoutingRules().getRules(0).getFromKeyspace());
            assertEquals(ts.getRoutingRules(), srv.getRoutingRules());

            // The bytes sit exactly where Vitess puts them, global and per cell.
            for (String p : List.of("cells/zone1/CellInfo", "keyspaces/commerce/Keyspace", "keyspaces/commerce/VSchema",
                    "keyspaces/commerce/shards/-80/Shard", "keyspaces/commerce/shards/80-/Shard", "RoutingRules",
                    "routing_rules/keyspace/KeyspaceRoutingRules")) {
                raw.get(p);
            }
            for (String p : List.of("tablets/zone1-0000000100/Tablet", "keyspaces/commerce/SrvKeyspace", "SrvVSchema",
                    "keyspaces/commerce/shards/-80/ShardReplication")) {
                rawCell.get(p);
            }
            assertEquals(ks, Keyspace.parseFrom(raw.get("keyspaces/commerce/Keyspace").contents()));
            assertThrows(TopoException.class, () -> raw.get("tablets/zone1-0000000100/Tablet"), "tablets live in the cell");

            // Duplicates and missing records are typed errors.
            assertEquals(TopoError.NODE_EXISTS, assertThrows(TopoException.class,
                    () -> ts.createKeyspace("commerce", ks)).error());
            assertEquals(TopoError.NO_NODE, assertThrows(TopoException.class,
                    () -> ts.getShard("commerce", "80-c0")).error());
            assertEquals(TopoError.NO_NODE, assertThrows(TopoException.class,
                    () -> ts.getTablet(TabletAlias.parse("zone2-1"))).error());

            // Deleting a tablet also takes it out of the replication graph.
            ts.deleteTablet(TabletAlias.parse("zone1-100"));
            assertEquals(0, ts.getShardReplication("zone1", "commerce", "-80").value().getNodesCount());
            assertEquals(List.of(), ts.getTabletAliasesByCell("zone1"));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aShardOverlappingAnExistingOneStartsNotServing() {
        try (TopoServer ts = Fixtures.server(Fixtures.unique("serving"))) {
            assertTrue(ts.createShard("ks", "0").value().getIsPrimaryServing());
            assertFalse(ts.getShard("ks", "0").value().hasKeyRange(), "the full range is left unset, as in Vitess");
            assertFalse(ts.createShard("ks", "-80").value().getIsPrimaryServing());
            assertFalse(ts.createShard("ks", "80-").value().getIsPrimaryServing());
        }
    }

    @Test
    void casRetriesLoseNoUpdateUnderContention() throws Exception {
        int threads = 8;
        int perThread = 50;
        String cluster = Fixtures.unique("cas");
        try (TopoServer setup = Fixtures.server(cluster)) {
            setup.createShard("ks", "0");
        }
        // Each thread has its own connection (session), as separate processes would.
        List<TopoServer> servers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            servers.add(new TopoServer(Fixtures.store(cluster), info -> Fixtures.store(info.getServerAddress()),
                    TopoServer.Options.defaults()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (TopoServer ts : servers) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        ts.updateShardFields("ks", "0", s -> s.toBuilder().setPrimaryTermStartTime(Timestamp.newBuilder()
                                .setSeconds(s.getPrimaryTermStartTime().getSeconds() + 1)).build());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            assertEquals(threads * perThread, servers.get(0).getShard("ks", "0").value().getPrimaryTermStartTime().getSeconds());
        } finally {
            pool.shutdownNow();
            servers.forEach(TopoServer::close);
        }
    }

    @Test
    void anUpdateThatChangesNothingWritesNothing() {
        try (TopoServer ts = Fixtures.server(Fixtures.unique("noop"))) {
            var created = ts.createShard("ks", "0");
            assertEquals(created.version(), ts.updateShardFields("ks", "0", s -> s).version());
            assertEquals(created.version(), ts.updateShardFields("ks", "0", s -> null).version());
        }
    }

    @Test
    void locksCarryADescriptorAndExcludeOtherHolders() throws Exception {
        String cluster = Fixtures.unique("locks");
        try (TopoServer a = Fixtures.server(cluster);
             TopoServer b = new TopoServer(Fixtures.store(cluster), info -> Fixtures.store(info.getServerAddress()),
                     TopoServer.Options.defaults().withLockTimeout(Duration.ofMillis(100)))) {
            a.createKeyspace("ks", Keyspace.getDefaultInstance());
            a.createShard("ks", "-80");
            try (ActionLock lock = a.lockShard("ks", "-80", "PlannedReparentShard", "maintenance on host-1")) {
                LockDescriptor d = lock.descriptor();
                assertEquals("PlannedReparentShard", d.getAction());
                assertEquals("maintenance on host-1", d.getReason());
                assertEquals(ProcessHandle.current().pid(), d.getPid());
                assertEquals("keyspaces/ks/shards/-80", d.getPath());
                assertFalse(d.getHostname().isEmpty());
                assertTrue(d.getTime().getSeconds() > 0);

                // Another holder times out, and the error tells the operator who holds the lock and why.
                TopoException e = assertThrows(TopoException.class, () -> b.lockShard("ks", "-80", "EmergencyReparentShard"));
                assertEquals(TopoError.TIMEOUT, e.error());
                String contents = e.getMessage().substring(e.getMessage().indexOf('{'));
                assertEquals(d, RecordJson.parseLockContents(contents));

                // The shard lock and the keyspace lock are different locks; another shard is free.
                b.lockKeyspace("ks", "Reshard").close();
                b.lockShard("ks", "80-", "PlannedReparentShard").close();

                // Writes through the lock are checked and scoped.
                lock.updateShardFields(s -> s.toBuilder().setIsPrimaryServing(false).build());
                assertFalse(a.getShard("ks", "-80").value().getIsPrimaryServing());
                assertThrows(IllegalStateException.class, () -> lock.updateShardFields("80-", s -> s));
                assertThrows(IllegalStateException.class, () -> lock.updateKeyspace(k -> k));
            }
            b.lockShard("ks", "-80", "EmergencyReparentShard").close();
        }
    }

    @Test
    void aWriteUnderALockLostToItsTtlFails() throws Exception {
        String cluster = Fixtures.unique("ttl");
        TopoServer.Options opts = TopoServer.Options.defaults().withLockTtl(Duration.ofMillis(100));
        try (TopoServer ts = Fixtures.server(cluster, opts)) {
            ts.createKeyspace("ks", Keyspace.getDefaultInstance());
            ts.createShard("ks", "0");
            ActionLock lock = ts.lockKeyspace("ks", "Reshard");
            lock.check();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!lost(lock)) {
                assertTrue(System.nanoTime() < deadline, "the TTL lock never expired");
                Thread.sleep(10);
            }
            var before = ts.getShard("ks", "0");
            TopoException e = assertThrows(TopoException.class,
                    () -> lock.updateShardFields("0", s -> s.toBuilder().setIsPrimaryServing(false).build()));
            assertEquals(TopoError.NO_NODE, e.error());
            assertTrue(e.getMessage().contains("no longer held"), e.getMessage());
            assertEquals(before, ts.getShard("ks", "0"), "nothing was written under the lost lock");
            assertThrows(TopoException.class, () -> lock.updateKeyspace(k -> k.toBuilder().setDurabilityPolicy("x").build()));
            assertThrows(TopoException.class, () -> lock.updateSrvKeyspace("zone1", Fixtures.srvKeyspace("0")));
            assertThrows(TopoException.class, lock::close, "releasing a lost lock reports it");
        }
    }

    @Test
    void aWriteUnderALockWhoseSessionDiedFails() {
        String cluster = Fixtures.unique("session");
        TopoStore holderStore = Fixtures.store(cluster);
        try (TopoServer observer = Fixtures.server(cluster)) {
            observer.createKeyspace("ks", Keyspace.getDefaultInstance());
            observer.createShard("ks", "0");
            TopoServer holder = new TopoServer(holderStore, info -> Fixtures.store(info.getServerAddress()),
                    TopoServer.Options.defaults());
            ActionLock lock = holder.lockShard("ks", "0", "PlannedReparentShard");
            holderStore.close(); // the holder's session dies: the store releases its locks
            var before = observer.getShard("ks", "0");
            TopoException e = assertThrows(TopoException.class,
                    () -> lock.updateShardFields(s -> s.toBuilder().setIsPrimaryServing(false).build()));
            assertEquals(TopoError.NO_NODE, e.error(), e.getMessage());
            assertEquals(before, observer.getShard("ks", "0"));
            // The lock is free for the next locker at once.
            observer.lockShard("ks", "0", "EmergencyReparentShard").close();
        }
    }

    @Test
    void cellStoresFollowCellInfo() {
        String cluster = Fixtures.unique("cells");
        try (TopoServer ts = Fixtures.server(cluster)) {
            ts.updateSrvKeyspace("zone1", "ks", Fixtures.srvKeyspace("0"));
            assertEquals(TopoError.NO_NODE, assertThrows(TopoException.class, () -> ts.cellStore("zone2")).error());
            // Re-pointing the cell opens a connection to the new address.
            ts.updateCellInfoFields("zone1", c -> c.toBuilder().setServerAddress(cluster + "-zone1b").build());
            assertEquals(TopoError.NO_NODE, assertThrows(TopoException.class,
                    () -> ts.getSrvKeyspace("zone1", "ks")).error());
            ts.updateCellInfoFields("zone1", c -> c.toBuilder().setServerAddress(cluster + "-zone1").build());
            assertEquals(Fixtures.srvKeyspace("0"), ts.getSrvKeyspace("zone1", "ks").value());
            assertEquals(Optional.empty(), Optional.<String>empty());
        }
    }

    private static boolean lost(ActionLock lock) {
        try {
            lock.check();
            return false;
        } catch (TopoException e) {
            return true;
        }
    }
}
