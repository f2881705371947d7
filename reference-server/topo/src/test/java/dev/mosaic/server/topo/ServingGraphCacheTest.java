package dev.mosaic.server.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.proto.topo.SrvVSchema;
import dev.mosaic.proto.topo.VSchema;
import dev.mosaic.spi.topo.TopoStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServingGraphCacheTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ServingGraphCache.Options FAST =
            new ServingGraphCache.Options(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(20));

    private static SrvVSchema srvVSchema(String... keyspaces) {
        SrvVSchema.Builder b = SrvVSchema.newBuilder();
        for (String ks : keyspaces) {
            b.putKeyspaces(ks, TopoServer.vschemaRecord(Fixtures.SHARDED));
        }
        return b.build();
    }

    @Test
    void convergesOnRecordsCreatedAfterItStartsAndNotifiesChangesQuickly() throws Exception {
        String cluster = Fixtures.unique("cache");
        try (TopoServer ts = Fixtures.server(cluster);
             ServingGraphCache cache = ServingGraphCache.start(ts, "zone1", FAST)) {
            // Nothing exists yet: connected, empty.
            assertTrue(cache.await(s -> s.connected(), WAIT).isPresent());
            assertEquals(Optional.empty(), cache.snapshot().srvVSchema());

            ts.updateSrvKeyspace("zone1", "commerce", Fixtures.srvKeyspace("-80", "80-"));
            ts.updateSrvVSchema("zone1", srvVSchema("commerce"));
            var s = cache.await(x -> x.srvKeyspace("commerce").isPresent() && x.vschema("commerce").isPresent(), WAIT)
                    .orElseThrow(() -> new AssertionError("cache never saw the new records: " + cache.snapshot()));
            assertEquals(Fixtures.SHARDED, s.vschema("commerce").get());
            assertEquals(Fixtures.srvKeyspace("-80", "80-"), s.srvKeyspace("commerce").get());

            // A change reaches a listener within milliseconds of the write.
            LinkedBlockingQueue<Long> seen = new LinkedBlockingQueue<>();
            try (AutoCloseable l = cache.addListener(x -> {
                if (x.srvKeyspace("commerce").map(k -> k.getPartitions(0).getShardReferencesCount() == 4).orElse(false)) {
                    seen.add(System.nanoTime());
                }
            })) {
                long t0 = System.nanoTime();
                ts.updateSrvKeyspace("zone1", "commerce", Fixtures.srvKeyspace("-40", "40-80", "80-c0", "c0-"));
                Long t1 = seen.poll(5, TimeUnit.SECONDS);
                assertTrue(t1 != null, "listener was not notified");
                long micros = (t1 - t0) / 1000;
                assertTrue(micros < 500_000, "notification took " + micros + " us");
            }

            // A keyspace removed from the SrvVSchema is dropped; a deleted SrvKeyspace disappears.
            ts.updateSrvKeyspace("zone1", "customer", Fixtures.srvKeyspace("0"));
            ts.updateSrvVSchema("zone1", srvVSchema("commerce", "customer"));
            assertTrue(cache.await(x -> x.srvKeyspace("customer").isPresent(), WAIT).isPresent());
            ts.updateSrvVSchema("zone1", srvVSchema("commerce"));
            assertTrue(cache.await(x -> x.srvKeyspace("customer").isEmpty() && x.vschema("customer").isEmpty(), WAIT)
                    .isPresent());
            ts.deleteSrvKeyspace("zone1", "commerce");
            assertTrue(cache.await(x -> x.srvKeyspace("commerce").isEmpty(), WAIT).isPresent());
            // ... and comes back when re-created.
            ts.updateSrvKeyspace("zone1", "commerce", Fixtures.srvKeyspace("0"));
            assertTrue(cache.await(x -> x.srvKeyspace("commerce").isPresent(), WAIT).isPresent());
        }
    }

    @Test
    void keepsServingTheLastGoodStateWhileTheStoreIsGoneAndReconverges() throws Exception {
        String cluster = Fixtures.unique("outage");
        String cellCluster = cluster + "-zone1";
        try (TopoServer ts = Fixtures.server(cluster)) {
            ts.updateSrvVSchema("zone1", srvVSchema("commerce"));
            ts.updateSrvKeyspace("zone1", "commerce", Fixtures.srvKeyspace("-80", "80-"));

            AtomicReference<TopoStore> current = new AtomicReference<>(Fixtures.store(cellCluster));
            try (ServingGraphCache cache = new ServingGraphCache("zone1", current::get, FAST)) {
                cache.start();
                var good = cache.await(s -> s.connected() && s.srvKeyspace("commerce").isPresent(), WAIT).orElseThrow();

                // The store goes away under the cache: it reports the outage and keeps the last good state.
                current.get().close();
                var degraded = cache.await(s -> !s.connected(), WAIT)
                        .orElseThrow(() -> new AssertionError("cache never noticed the closed store"));
                assertEquals(good.srvKeyspaces(), degraded.srvKeyspaces());
                assertEquals(good.vschemas(), degraded.vschemas());
                assertTrue(degraded.lastError().isPresent());
                // Retries keep failing against the closed store; the state is still served.
                Thread.sleep(150);
                assertEquals(good.srvKeyspaces(), cache.snapshot().srvKeyspaces());
                assertFalse(cache.snapshot().connected());

                // Meanwhile the serving graph changed; a new connection becomes available and the cache catches up.
                ts.updateSrvKeyspace("zone1", "commerce", Fixtures.srvKeyspace("0"));
                current.set(Fixtures.store(cellCluster));
                var back = cache.await(s -> s.connected()
                        && s.srvKeyspace("commerce").equals(Optional.of(Fixtures.srvKeyspace("0"))), WAIT);
                assertTrue(back.isPresent(), "cache did not reconverge: " + cache.snapshot());
                assertEquals(Optional.empty(), back.get().lastError());
            } finally {
                current.get().close();
            }
        }
    }

    @Test
    void anUnreadableVSchemaKeepsThePreviousOne() throws Exception {
        try (TopoServer ts = Fixtures.server(Fixtures.unique("bad"));
             ServingGraphCache cache = ServingGraphCache.start(ts, "zone1", FAST)) {
            ts.updateSrvVSchema("zone1", srvVSchema("commerce"));
            assertTrue(cache.await(s -> s.vschema("commerce").isPresent(), WAIT).isPresent());
            ts.updateSrvVSchema("zone1", SrvVSchema.newBuilder()
                    .putKeyspaces("commerce", VSchema.newBuilder().setJson("{not json").build()).build());
            var s = cache.await(x -> x.lastError().isPresent(), WAIT).orElseThrow();
            assertEquals(Fixtures.SHARDED, s.vschema("commerce").get());
            assertTrue(s.lastError().get().contains("unreadable vschema"), s.lastError().get());
            ts.updateSrvVSchema("zone1", SrvVSchema.newBuilder().putKeyspaces("commerce",
                    TopoServer.vschemaRecord(KeyspaceVSchema.EMPTY)).build());
            assertTrue(cache.await(x -> x.vschema("commerce").equals(Optional.of(KeyspaceVSchema.EMPTY)), WAIT)
                    .isPresent());
        }
    }

    @Test
    void explicitlyWatchedKeyspacesNeedNoSrvVSchema() throws Exception {
        try (TopoServer ts = Fixtures.server(Fixtures.unique("explicit"));
             ServingGraphCache cache = ServingGraphCache.start(ts, "zone1", FAST)) {
            cache.watchKeyspace("lookup");
            ts.updateSrvKeyspace("zone1", "lookup", Fixtures.srvKeyspace("0"));
            assertTrue(cache.await(s -> s.srvKeyspace("lookup").isPresent(), WAIT).isPresent());
        }
    }
}
