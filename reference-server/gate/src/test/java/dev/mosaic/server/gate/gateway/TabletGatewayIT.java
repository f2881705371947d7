package dev.mosaic.server.gate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.proto.query.ExecuteOptions;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Rows;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletExtensions;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.grpc.TabletGrpcServer;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.health.TabletRegistration;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.server.topo.memory.MemoryTopoFactory;
import dev.mosaic.spi.Plugins;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The gateway over real tablets: a primary tablet on one MariaDB and two replica tablets on its
 * replica (two tablets on one mysqld, so reads have somewhere else to go), registered in the
 * in-memory topology.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TabletGatewayIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String DB = "vt_test";
    private static final CallerID CALLER = CallerID.newBuilder().setPrincipal("app").build();
    private static final ExecuteOptions OPTS = ExecuteOptions.getDefaultInstance();
    private static final Target PRIMARY = target(TabletType.PRIMARY);
    private static final Target REPLICA = target(TabletType.REPLICA);

    private static MysqldCluster cluster;
    private static TopoServer topo;
    private static final List<RealTablet> tablets = new ArrayList<>();
    private static RealTablet p;
    private static RealTablet r1;
    private static RealTablet r2;
    private static SimpleMeterRegistry registry;
    private static TabletGateway gateway;

    /** One tablet: engines, health and gRPC server on a mysqld. */
    static final class RealTablet {
        final TabletAlias alias;
        final Mysqld mysqld;
        final TabletQueryServer engines;
        final TabletHealth health;
        volatile TabletGrpcServer server;
        final int port;

        RealTablet(int uid, Mysqld mysqld, TabletType type, TabletHealth.ReplicationProbe probe) {
            this.alias = new TabletAlias("zone1", uid);
            this.mysqld = mysqld;
            TabletConfig config = TabletConfig.defaults().toBuilder().dbName(DB).queryPoolSize(4).streamPoolSize(2)
                    .txPoolSize(2).maxOpenTransactions(2).build();
            engines = TabletQueryServer.open(config, mysqld.connectionParams(), new SimpleMeterRegistry(),
                    TabletExtensions.NONE);
            health = new TabletHealth(alias, "commerce", "0", type, probe, TabletHealth.Settings.defaults()
                    .withInterval(Duration.ofMillis(100)).withHeartbeat(Duration.ofMillis(500))).start();
            server = TabletGrpcServer.start(engines, health, new InetSocketAddress(0), 4);
            port = server.port();
            topo.createTablet(TabletRegistration.record(alias, "localhost", port, "127.0.0.1",
                    mysqld.connectionParams().port(), "commerce", "0", type));
        }

        long served() {
            return health.qpsCounter().total();
        }

        void close() {
            health.close();
            if (server != null) {
                server.close();
            }
            engines.close();
        }
    }

    private static Target target(TabletType type) {
        return Target.newBuilder().setKeyspace("commerce").setShard("0").setTabletType(type).build();
    }

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(2);
        Mysqld primary = cluster.get(0);
        Mysqld replica = cluster.get(1);
        primary.replication().makePrimary();
        primary.executeAll(List.of("SET GLOBAL read_only = 0", "CREATE DATABASE IF NOT EXISTS " + DB,
                "CREATE TABLE " + DB + ".t (id INT PRIMARY KEY, v VARCHAR(20))"));
        replica.replication().setReplicationSource(new ReplicationSource("127.0.0.1",
                primary.connectionParams().port(), "root", "", Duration.ofSeconds(1), Duration.ofMillis(500)), false);
        replica.replication().waitForPosition(primary.replication().primaryPosition(), DEADLINE);

        String name = "gateway-it-" + UUID.randomUUID();
        TopoConnector connector = new TopoConnector(Plugins.of(List.of(new MemoryTopoFactory())));
        topo = connector.openServer(connector.target("memory:" + name, Map.of()), TopoServer.Options.defaults());
        topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(name + "-zone1").build());

        p = new RealTablet(100, primary, TabletType.PRIMARY, Optional::empty);
        r1 = new RealTablet(101, replica, TabletType.REPLICA, replica.replication()::replicationStatus);
        r2 = new RealTablet(102, replica, TabletType.REPLICA, replica.replication()::replicationStatus);
        tablets.addAll(List.of(p, r1, r2));

        registry = new SimpleMeterRegistry();
        gateway = TabletGateway.start(topo, GatewayConfig.defaults(List.of("zone1"))
                .withTabletRefreshInterval(Duration.ofMillis(200)).withHealthCheckTimeout(Duration.ofSeconds(5))
                .withHealthRetry(Duration.ofMillis(50), Duration.ofMillis(500)), registry);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        tablets.forEach(RealTablet::close);
        if (topo != null) {
            topo.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static void await(String what, BooleanSupplier c) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + DEADLINE + " waiting for: " + what
                        + "; tablets: " + gateway.tablets());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static BoundQuery sql(String s) {
        return BoundQuery.newBuilder().setSql(s).build();
    }

    private static String single(QueryResult r) {
        byte[] v = Rows.decode(r.getRows(0)).get(0);
        return new String(v, StandardCharsets.UTF_8);
    }

    private static void awaitAllHealthy() {
        await("the primary and both replicas healthy", () -> gateway.healthyTablets(PRIMARY).size() == 1
                && gateway.healthyTablets(REPLICA).size() == 2);
    }

    private static double retries() {
        return registry.find("mosaic.gate.tablet.retries").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    @Order(1)
    void discoversTheTabletsAndRoutesByType() {
        awaitAllHealthy();
        assertEquals(List.of(p.alias, r1.alias, r2.alias), gateway.tablets().stream().map(TabletStatus::alias).toList());
        assertEquals(p.alias, gateway.healthyTablets(PRIMARY).get(0).alias());
        String primaryPort = String.valueOf(p.mysqld.connectionParams().port());
        String replicaPort = String.valueOf(r1.mysqld.connectionParams().port());
        assertEquals(primaryPort, single(gateway.execute(PRIMARY, CALLER, sql("SELECT @@port"), OPTS)));
        for (int i = 0; i < 5; i++) {
            assertEquals(replicaPort, single(gateway.execute(REPLICA, CALLER, sql("SELECT @@port"), OPTS)));
        }

        // A write on the primary, in a transaction pinned to it, shows up on the replicas.
        ShardSession tx = gateway.begin(PRIMARY, CALLER, OPTS);
        assertEquals(p.alias, tx.tablet());
        assertTrue(tx.transactionId() != 0);
        gateway.execute(tx, CALLER, sql("INSERT INTO t VALUES (1, 'one')"), OPTS);
        ShardSession after = gateway.commit(tx, CALLER);
        assertFalse(after.isOpen());
        await("the row replicated", () -> "1".equals(single(gateway.execute(REPLICA, CALLER,
                sql("SELECT COUNT(*) FROM t WHERE id = 1"), OPTS))));

        // A reserved connection keeps its session state, because every call goes to its tablet and connection.
        Opened reserved = gateway.reserveExecute(REPLICA, CALLER, sql("SELECT @x"), OPTS, List.of("SET @x = 5"));
        assertTrue(reserved.error().isEmpty(), () -> reserved.error().get().getMessage());
        assertEquals("5", single(reserved.result()));
        for (int i = 0; i < 5; i++) {
            assertEquals("5", single(gateway.execute(reserved.session(), CALLER, sql("SELECT @x"), OPTS)));
        }
        gateway.release(reserved.session(), CALLER);
        Opened rb = gateway.reserveBeginExecute(PRIMARY, CALLER, sql("INSERT INTO t VALUES (2, 'two')"), OPTS,
                List.of("SET @y = 7"), List.of());
        assertTrue(rb.error().isEmpty());
        assertTrue(rb.session().transactionId() != 0 && rb.session().reservedId() != 0);
        assertEquals("7", single(gateway.execute(rb.session(), CALLER, sql("SELECT @y"), OPTS)));
        ShardSession rolledBack = gateway.rollback(rb.session(), CALLER);
        // The tablet may re-issue the reserved id after the transaction ends; the connection stays.
        assertTrue(rolledBack.reservedId() != 0 && rolledBack.transactionId() == 0);
        assertEquals("7", single(gateway.execute(rolledBack, CALLER, sql("SELECT @y"), OPTS)));
        gateway.release(rolledBack, CALLER);
        assertEquals("0", single(gateway.execute(PRIMARY, CALLER, sql("SELECT COUNT(*) FROM t WHERE id = 2"), OPTS)));

        List<QueryResult> chunks = new ArrayList<>();
        gateway.streamExecute(REPLICA, CALLER, sql("SELECT id, v FROM t"), OPTS, chunks::add);
        assertEquals("id", chunks.get(0).getFields(0).getName());
        assertEquals(1, chunks.stream().mapToInt(QueryResult::getRowsCount).sum());

        assertTrue(registry.get("mosaic.gate.tablet.calls").tag("tablet_type", "REPLICA").tag("call", "execute")
                .timer().count() >= 6);
    }

    @Test
    @Order(2)
    void aTabletThatStopsServingIsRoutedAround() {
        awaitAllHealthy();
        r1.health.setType(TabletType.DRAINED);
        await("r1 out of the REPLICA list", () -> gateway.healthyTablets(REPLICA).size() == 1);
        TabletStatus s1 = gateway.tablets().get(1);
        assertEquals(TabletType.DRAINED, s1.target().getTabletType());
        assertFalse(s1.serving());
        long before1 = r1.served();
        long before2 = r2.served();
        for (int i = 0; i < 20; i++) {
            gateway.execute(REPLICA, CALLER, sql("SELECT 1"), OPTS);
        }
        assertEquals(before1, r1.served(), "nothing went to the drained tablet");
        assertEquals(before2 + 20, r2.served());
        r1.health.setType(TabletType.REPLICA);
        awaitAllHealthy();
    }

    @Test
    @Order(4)
    void aReadIsRetriedOnTheOtherReplicaAndTheGatewayReconnectsAfterARestart() throws Exception {
        awaitAllHealthy();
        // Closing the server while the health checker runs: for its grace period the server
        // refuses new calls while r2's health stream still says serving.
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> r2.server.close());
        double retriesBefore = retries();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        int reads = 0;
        while (retries() == retriesBefore && System.nanoTime() < end) {
            assertEquals("1", single(gateway.execute(REPLICA, CALLER, sql("SELECT 1"), OPTS)), "every read succeeds");
            reads++;
        }
        assertTrue(retries() > retriesBefore, "a read failed on r2 and was retried on r1 (" + reads + " reads)");
        closing.get(30, TimeUnit.SECONDS);
        r2.server = null;
        await("r2 unhealthy once its stream broke", () -> gateway.healthyTablets(REPLICA).size() == 1);
        assertFalse(gateway.tablets().get(2).error().isEmpty());

        r2.server = TabletGrpcServer.start(r2.engines, r2.health, new InetSocketAddress(r2.port), 4);
        await("r2 healthy again after the restart", () -> gateway.healthyTablets(REPLICA).size() == 2);
        long before = r2.served();
        await("reads reach r2 again", () -> {
            gateway.execute(REPLICA, CALLER, sql("SELECT 1"), OPTS);
            return r2.served() > before;
        });
    }

    @Test
    @Order(3)
    void readsSpreadOverTheReplicasAndTheGatewayCostsLittle() {
        awaitAllHealthy();
        int n = 2000;
        // The same statement straight to r1 over a channel of our own, for comparison; the two are
        // interleaved (after a warm-up of both) so neither gets the warmer JIT or pools.
        io.grpc.ManagedChannel direct = io.grpc.netty.NettyChannelBuilder.forAddress("localhost", r1.port)
                .usePlaintext().build();
        try {
            var stub = dev.mosaic.proto.query.QueryGrpc.newBlockingStub(direct);
            var request = dev.mosaic.proto.query.ExecuteRequest.newBuilder().setTarget(REPLICA)
                    .setQuery(sql("SELECT 1")).build();
            for (int i = 0; i < 500; i++) {
                gateway.execute(REPLICA, CALLER, sql("SELECT 1"), OPTS);
                stub.withDeadlineAfter(30, TimeUnit.SECONDS).execute(request);
            }
            long b1 = r1.served();
            long b2 = r2.served();
            long[] viaGateway = new long[n];
            long[] straight = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                gateway.execute(REPLICA, CALLER, sql("SELECT 1"), OPTS);
                long t1 = System.nanoTime();
                stub.withDeadlineAfter(30, TimeUnit.SECONDS).execute(request);
                straight[i] = System.nanoTime() - t1;
                viaGateway[i] = t1 - t0;
            }
            long d1 = r1.served() - b1 - n; // minus the direct calls, all on r1
            long d2 = r2.served() - b2;
            assertEquals(n, d1 + d2);
            assertTrue(d1 > n * 0.35 && d2 > n * 0.35, "random among equals: r1 " + d1 + ", r2 " + d2);
            java.util.Arrays.sort(viaGateway);
            java.util.Arrays.sort(straight);
            System.out.printf("SELECT 1 x %d: gateway p50 %d us p99 %d us; direct stub p50 %d us p99 %d us%n", n,
                    viaGateway[n / 2] / 1000, viaGateway[n * 99 / 100] / 1000, straight[n / 2] / 1000,
                    straight[n * 99 / 100] / 1000);
        } finally {
            direct.shutdownNow();
        }
    }

    @Test
    @Order(5)
    void noHealthyTabletIsAClearError() {
        MosaicException e = assertThrows(MosaicException.class,
                () -> gateway.execute(target(TabletType.RDONLY), CALLER, sql("SELECT 1"), OPTS));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertEquals("no healthy tablet available for 'keyspace:\"commerce\" shard:\"0\" tablet_type:RDONLY'",
                e.getMessage());
        MosaicException shard = assertThrows(MosaicException.class, () -> gateway.execute(
                PRIMARY.toBuilder().setShard("-80").build(), CALLER, sql("SELECT 1"), OPTS));
        assertTrue(shard.getMessage().contains("shard:\"-80\" tablet_type:PRIMARY"), shard.getMessage());
    }

    @Test
    @Order(6)
    void aTabletRemovedFromTheTopologyIsDropped() {
        awaitAllHealthy();
        topo.deleteTablet(r1.alias);
        await("r1 dropped", () -> gateway.tablets().size() == 2 && gateway.healthyTablets(REPLICA).size() == 1);
        assertEquals(List.of(r2.alias), gateway.healthyTablets(REPLICA).stream().map(TabletStatus::alias).toList());
        long before = r1.served();
        for (int i = 0; i < 10; i++) {
            gateway.execute(REPLICA, CALLER, sql("SELECT 1"), OPTS);
        }
        assertEquals(before, r1.served(), "nothing goes to a tablet no longer in the topology");
        topo.createTablet(TabletRegistration.record(r1.alias, "localhost", r1.port, "127.0.0.1",
                r1.mysqld.connectionParams().port(), "commerce", "0", TabletType.REPLICA));
        awaitAllHealthy();
    }
}
