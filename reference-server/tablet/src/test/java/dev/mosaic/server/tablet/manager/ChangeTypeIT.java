package dev.mosaic.server.tablet.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.query.StreamHealthRequest;
import dev.mosaic.proto.query.StreamHealthResponse;
import dev.mosaic.proto.tabletmanager.ChangeTypeRequest;
import dev.mosaic.proto.tabletmanager.TabletManagerGrpc;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.grpc.TabletGrpcServer;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.health.TabletRegistration;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.server.topo.memory.MemoryTopoFactory;
import dev.mosaic.spi.Plugins;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * ChangeType on a real replica over gRPC: the topology record (memory topo), the health stream and
 * mysqld's read_only follow; PRIMARY and a second drain are refused; repeating a change repairs it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangeTypeIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final TabletAlias ALIAS = TabletAlias.parse("zone1-101");

    private static MysqldCluster cluster;
    private static Mysqld primary;
    private static Mysqld replica;
    private static TopoServer topo;
    private static TabletRegistration registration;
    private static TabletHealth health;
    private static TabletQueryServer engines;
    private static TabletGrpcServer queryServer;
    private static Server managerServer;
    private static ExecutorService managerExecutor;
    private static ManagedChannel queryChannel;
    private static ManagedChannel managerChannel;
    private static final LinkedBlockingQueue<StreamHealthResponse> stream = new LinkedBlockingQueue<>();
    private static final List<TabletType> heard = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        cluster = MysqldCluster.start(2);
        primary = cluster.get(0);
        replica = cluster.get(1);
        primary.replication().makePrimary();
        TabletTestSupport.prepare(primary);
        replica.replication().setReplicationSource(new ReplicationSource("127.0.0.1",
                primary.connectionParams().port(), "root", "", Duration.ofSeconds(1), Duration.ofMillis(500)), false);
        replica.replication().waitForPosition(primary.replication().primaryPosition(), WAIT);

        String name = "ct-" + UUID.randomUUID();
        TopoConnector connector = new TopoConnector(Plugins.of(List.of(new MemoryTopoFactory())));
        topo = connector.openServer(connector.target("memory:" + name, Map.of()), TopoServer.Options.defaults());
        topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(name + "-zone1").build());
        topo.createKeyspace("commerce", Keyspace.getDefaultInstance());
        topo.createShard("commerce", "0");

        registration = new TabletRegistration(topo, TabletRegistration.record(ALIAS, "localhost", 0, "127.0.0.1",
                replica.connectionParams().port(), "commerce", "0", TabletType.REPLICA)).start();
        health = new TabletHealth(ALIAS, "commerce", "0", TabletType.REPLICA, replica.replication()::replicationStatus,
                TabletHealth.Settings.defaults().withInterval(Duration.ofMillis(100))).start();
        engines = TabletTestSupport.open(replica, TabletConfig.defaults(), TabletTestSupport.registry());
        queryServer = TabletGrpcServer.start(engines, health, new InetSocketAddress(0), 4);
        queryChannel = NettyChannelBuilder.forAddress("localhost", queryServer.port()).usePlaintext().build();

        managerExecutor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "change-type-it-manager");
            t.setDaemon(true);
            return t;
        });
        TabletState state = new TabletState(replica.replication(), registration, health);
        state.addTypeListener(heard::add);
        managerServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).executor(managerExecutor)
                .addService(new TabletManagerService(replica, TabletTestSupport.DB, a -> {
                    if (a.getUid() != 100) {
                        throw new MosaicException(ErrorCode.NOT_FOUND, "no tablet " + a);
                    }
                    return new ReplicationSource("127.0.0.1", primary.connectionParams().port(), "root", "",
                            Duration.ofSeconds(1), Duration.ofMillis(500));
                }, state, null))
                .build().start();
        managerChannel = NettyChannelBuilder.forAddress("127.0.0.1", managerServer.getPort()).usePlaintext().build();

        QueryGrpc.newStub(queryChannel).streamHealth(StreamHealthRequest.getDefaultInstance(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(StreamHealthResponse r) {
                        stream.add(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (ManagedChannel c : new ManagedChannel[] {queryChannel, managerChannel}) {
            if (c != null) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        if (managerServer != null) {
            managerServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            managerExecutor.shutdownNow();
        }
        if (health != null) {
            health.close();
        }
        if (queryServer != null) {
            queryServer.close();
        }
        if (engines != null) {
            engines.close();
        }
        if (registration != null) {
            registration.close();
        }
        if (topo != null) {
            topo.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void changeType(TabletType type, boolean semiSync) {
        TabletManagerGrpc.newBlockingStub(managerChannel).withDeadlineAfter(1, TimeUnit.MINUTES)
                .changeType(ChangeTypeRequest.newBuilder().setTabletType(type).setSemiSync(semiSync).build());
    }

    private static StreamHealthResponse awaitHealth(String what, Predicate<StreamHealthResponse> p)
            throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            StreamHealthResponse r = stream.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
            }
            if (p.test(r)) {
                return r;
            }
        }
    }

    private static TabletType topoType() {
        return topo.getTablet(ALIAS).value().getType();
    }

    @Test
    @Order(1)
    void replicaToRdonly() throws InterruptedException {
        awaitHealth("a serving REPLICA", r -> r.getServing() && r.getTarget().getTabletType() == TabletType.REPLICA);
        changeType(TabletType.RDONLY, false);
        assertEquals(TabletType.RDONLY, topoType(), "the topology record follows");
        StreamHealthResponse r = awaitHealth("RDONLY on the stream", x -> x.getTarget().getTabletType() == TabletType.RDONLY);
        assertTrue(r.getServing() || awaitHealth("a serving RDONLY", StreamHealthResponse::getServing).getServing());
        assertTrue(replica.replication().isReadOnly());

        changeType(TabletType.RDONLY, false); // idempotent
        assertEquals(TabletType.RDONLY, topoType());
        assertEquals(TabletType.RDONLY, health.type());
    }

    @Test
    @Order(2)
    void primaryIsRefused() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> changeType(TabletType.PRIMARY, false));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("RDONLY -> PRIMARY"), e.getStatus().getDescription());
        assertEquals(TabletType.RDONLY, topoType(), "nothing changed");
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> changeType(TabletType.UNKNOWN, false));
        assertEquals(Status.Code.INVALID_ARGUMENT, unknown.getStatus().getCode());
    }

    @Test
    @Order(3)
    void drainOnce() throws InterruptedException {
        changeType(TabletType.DRAINED, false);
        assertEquals(TabletType.DRAINED, topoType());
        StreamHealthResponse r = awaitHealth("DRAINED", x -> x.getTarget().getTabletType() == TabletType.DRAINED);
        assertFalse(r.getServing(), "a drained tablet takes no queries");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> changeType(TabletType.DRAINED, false));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("is already drained"), e.getStatus().getDescription());
    }

    @Test
    @Order(4)
    void backToReplicaAsSemiSyncAndRepaired() throws InterruptedException {
        changeType(TabletType.REPLICA, true);
        assertEquals(TabletType.REPLICA, topoType());
        assertTrue(replica.replication().semiSyncStatus().replicaEnabled(), "semi_sync asks the replica to ack");
        StreamHealthResponse r = awaitHealth("a serving REPLICA again",
                x -> x.getServing() && x.getTarget().getTabletType() == TabletType.REPLICA);
        assertNotNull(r);

        // Someone made the replica writable: repeating the change repairs it.
        replica.replication().setReadOnly(false);
        changeType(TabletType.REPLICA, false);
        assertTrue(replica.replication().isReadOnly());
        assertFalse(replica.replication().semiSyncStatus().replicaEnabled());
    }

    @Test
    @Order(5)
    void reparentCallsRecordTheType() throws InterruptedException {
        heard.clear();
        TabletManagerGrpc.newBlockingStub(managerChannel).withDeadlineAfter(1, TimeUnit.MINUTES)
                .promoteReplica(dev.mosaic.proto.tabletmanager.PromoteReplicaRequest.getDefaultInstance());
        assertEquals(TabletType.PRIMARY, topoType());
        assertTrue(topo.getTablet(ALIAS).value().hasPrimaryTermStartTime());
        assertEquals(List.of(TabletType.PRIMARY), heard);
        assertFalse(replica.replication().isReadOnly());
        StreamHealthResponse p = awaitHealth("PRIMARY on the stream",
                x -> x.getTarget().getTabletType() == TabletType.PRIMARY && x.getServing());
        assertTrue(p.getPrimaryTermStartTimestamp() > 0);

        // pointed back at the real primary: a PRIMARY becomes a REPLICA
        TabletManagerGrpc.newBlockingStub(managerChannel).withDeadlineAfter(1, TimeUnit.MINUTES)
                .setReplicationSource(dev.mosaic.proto.tabletmanager.SetReplicationSourceRequest.newBuilder()
                        .setParent(dev.mosaic.proto.topo.TabletAlias.newBuilder().setCell("zone1").setUid(100))
                        .setForceStartReplication(true).build());
        assertEquals(TabletType.REPLICA, topoType());
        assertFalse(topo.getTablet(ALIAS).value().hasPrimaryTermStartTime());
        assertEquals(List.of(TabletType.PRIMARY, TabletType.REPLICA), heard);
        assertTrue(replica.replication().isReadOnly());
        awaitHealth("a serving REPLICA after the reparent",
                x -> x.getServing() && x.getTarget().getTabletType() == TabletType.REPLICA);
    }
}
