package dev.mosaic.server.tablet.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.ExecuteRequest;
import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.query.StreamHealthRequest;
import dev.mosaic.proto.query.StreamHealthResponse;
import dev.mosaic.proto.tabletmanager.ChangeTypeRequest;
import dev.mosaic.proto.tabletmanager.GetSchemaRequest;
import dev.mosaic.proto.tabletmanager.InitPrimaryRequest;
import dev.mosaic.proto.tabletmanager.SetReplicationSourceRequest;
import dev.mosaic.proto.tabletmanager.TableDefinition;
import dev.mosaic.proto.tabletmanager.TabletManagerGrpc;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.server.testing.EtcdProcess;
import dev.mosaic.server.tablet.server.testing.TabletTesting;
import dev.mosaic.server.tablet.status.TabletStatus;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.TopoServer;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar database, heartbeat, schema engine and type state as the tablet process wires them,
 * on a real MariaDB pair and a real etcd: two fresh mysqlds, each with a tablet process started as
 * REPLICA with the heartbeat on. InitPrimary (through the TabletManager gRPC service) makes the
 * first one primary, which creates the tablet's database and the sidecar and starts writing
 * heartbeats; the second, pointed at it with SetReplicationSource, receives both by replication
 * and reports its lag from the heartbeat. A CREATE TABLE through the primary's Query service
 * reaches its health stream and GetSchema; ChangeType REPLICA -> RDONLY reaches etcd.
 */
class TabletProcessWiringIT {
    private static final TabletAlias PRIMARY = new TabletAlias("zone1", 201);
    private static final TabletAlias REPLICA = new TabletAlias("zone1", 202);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static MysqldCluster cluster;
    private static EtcdProcess etcd;
    private static TopoServer topo;

    @BeforeAll
    static void startComponents() {
        etcd = EtcdProcess.start();
        cluster = MysqldCluster.start(2);
        topo = TabletTesting.topo(etcd);
        TabletTesting.addCell(topo, etcd, "zone1");
    }

    @AfterAll
    static void stopComponents() {
        if (topo != null) {
            topo.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private static TabletProcess start(Path dir, TabletAlias alias, Mysqld mysqld) throws Exception {
        Path file = dir.resolve(alias + ".yaml");
        String yaml = TabletTesting.attachedConfig(alias.toString(), mysqld.connectionParams().port(), etcd, 0, 0)
                .replace("\nquery:\n", "\nquery:\n  heartbeat: {enable: true, interval: 250ms}\n");
        Files.writeString(file, yaml);
        return TabletProcess.start(TabletProcess.loadConfig(file));
    }

    private static boolean exists(Mysqld m, String schema, String table) {
        String sql = table == null
                ? "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + schema + "'"
                : "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + schema + "' AND TABLE_NAME = '"
                        + table + "'";
        return !m.fetch(sql).isEmpty();
    }

    /** The messages of one StreamHealth call, kept until {@link #close}. */
    private static final class HealthWatch implements AutoCloseable {
        final List<StreamHealthResponse> messages = new CopyOnWriteArrayList<>();
        final Context.CancellableContext context = Context.current().withCancellation();

        HealthWatch(ManagedChannel channel) {
            context.run(() -> QueryGrpc.newStub(channel).streamHealth(StreamHealthRequest.getDefaultInstance(),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(StreamHealthResponse r) {
                            messages.add(r);
                        }

                        @Override
                        public void onError(Throwable t) {
                            // CANCELLED by close(), or the tablet stopping; await() fails on missing messages
                        }

                        @Override
                        public void onCompleted() {
                        }
                    }));
        }

        StreamHealthResponse await(String what, Predicate<StreamHealthResponse> p) {
            return awaitFrom(0, what, p);
        }

        /** The first message at or after index {@code from} that matches. */
        StreamHealthResponse awaitFrom(int from, String what, Predicate<StreamHealthResponse> p) {
            TabletTesting.await(what, WAIT, () -> messages.stream().skip(from).anyMatch(p));
            return messages.stream().skip(from).filter(p).findFirst().orElseThrow();
        }

        @Override
        public void close() {
            context.cancel(null);
        }
    }

    /**
     * A tablet whose shard record names it primary starts as PRIMARY: it creates its database and
     * the sidecar, named by the keyspace record's sidecar_db_name, and writes heartbeats at once.
     */
    @Test
    void aTabletStartingAsPrimaryCreatesItsDatabaseAndTheKeyspacesSidecar(@TempDir Path dir) throws Exception {
        TabletAlias alias = new TabletAlias("zone1", 203);
        Mysqld m0 = cluster.get(0);
        topo.createKeyspace("customer", dev.mosaic.proto.topo.Keyspace.newBuilder()
                .setSidecarDbName("_vt_customer").build());
        topo.createShard("customer", "0");
        topo.updateShardFields("customer", "0",
                s -> s.toBuilder().setPrimaryAlias(ProtoConversions.toProto(alias)).build());
        Path file = dir.resolve("customer.yaml");
        Files.writeString(file, TabletTesting.attachedConfig(alias.toString(), m0.connectionParams().port(), etcd, 0, 0)
                .replace("keyspace: commerce", "keyspace: customer")
                .replace("name: vt_commerce", "name: vt_customer")
                .replace("\nquery:\n", "\nquery:\n  heartbeat: {enable: true, interval: 250ms}\n"));
        assertFalse(exists(m0, "vt_customer", null));
        try (TabletProcess tablet = TabletProcess.start(TabletProcess.loadConfig(file))) {
            assertEquals(TabletType.PRIMARY, topo.getTablet(alias).value().getType());
            assertEquals("_vt_customer", tablet.status().sidecarDb(), "the keyspace record names the sidecar");
            assertTrue(exists(m0, "vt_customer", null), "the tablet's database");
            assertTrue(exists(m0, "_vt_customer", "heartbeat"), "the keyspace's sidecar");
            assertTrue(tablet.status().heartbeat().writing());
            TabletTesting.await("heartbeats for customer:0", WAIT, () -> !m0.fetch(
                    "SELECT ts FROM _vt_customer.heartbeat WHERE keyspaceShard = 'customer:0'").isEmpty());
        }
    }

    private static ManagedChannel channel(TabletProcess t) {
        return NettyChannelBuilder.forAddress("127.0.0.1", t.grpcPort()).usePlaintext().build();
    }

    @Test
    void sidecarHeartbeatSchemaEngineAndTypeStateAreWired(@TempDir Path dir) throws Exception {
        Mysqld m0 = cluster.get(0);
        Mysqld m1 = cluster.get(1);
        try (TabletProcess primary = start(dir, PRIMARY, m0);
                TabletProcess replica = start(dir, REPLICA, m1)) {
            ManagedChannel pc = channel(primary);
            ManagedChannel rc = channel(replica);
            try {
                // As replicas, neither tablet writes: no tablet database, no sidecar yet.
                TabletStatus before = primary.status();
                assertEquals("_vt", before.sidecarDb());
                assertNotNull(before.schema(), "schema engine running");
                assertEquals(0, before.schema().tables());
                assertNotNull(before.heartbeat(), "heartbeat on");
                assertFalse(before.heartbeat().writing(), "a replica reads the heartbeat");
                assertFalse(exists(m0, "_vt", null), "a replica does not create the sidecar");
                assertFalse(exists(m0, "vt_commerce", null), "a replica does not create the tablet's database");
                assertEquals(List.of("sidecar database", "heartbeat", "schema engine", "throttler"), before.components());

                // InitPrimary: PRIMARY in etcd, the database and the sidecar created, heartbeats written.
                long t0 = System.nanoTime();
                TabletManagerGrpc.newBlockingStub(pc).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .initPrimary(InitPrimaryRequest.getDefaultInstance());
                System.err.println("InitPrimary (with database + sidecar creation) took "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms");
                assertEquals(TabletType.PRIMARY, topo.getTablet(PRIMARY).value().getType());
                assertTrue(exists(m0, "vt_commerce", null), "the primary creates the tablet's database");
                for (String table : List.of("sidecar_version", "heartbeat", "redo_state", "dt_state")) {
                    assertTrue(exists(m0, "_vt", table), "_vt." + table + " on the primary");
                }
                TabletTesting.await("the primary writes heartbeats", WAIT,
                        () -> !m0.fetch("SELECT ts FROM _vt.heartbeat WHERE keyspaceShard = 'commerce:0'").isEmpty());
                assertTrue(primary.status().heartbeat().writing(), "the heartbeat switched to writing");

                // The replica follows the primary and receives both databases by replication.
                TabletManagerGrpc.newBlockingStub(rc).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .setReplicationSource(SetReplicationSourceRequest.newBuilder()
                                .setParent(ProtoConversions.toProto(PRIMARY)).setForceStartReplication(true).build());
                TabletTesting.await("vt_commerce and _vt.heartbeat replicated", WAIT,
                        () -> exists(m1, "vt_commerce", null) && exists(m1, "_vt", "heartbeat"));
                TabletTesting.await("the replica reads a heartbeat lag", WAIT, () -> {
                    TabletStatus.Heartbeat hb = replica.status().heartbeat();
                    return hb != null && !hb.writing() && hb.lag() != null && hb.error().isEmpty();
                });
                assertTrue(TabletTesting.get(replica.statusPort(), "/debug/status").body().contains("reading, lag "));

                // A CREATE TABLE through the primary's Query service: health stream and GetSchema.
                try (HealthWatch watch = new HealthWatch(pc)) {
                    watch.await("a first health message", r -> r.getServing());
                    QueryGrpc.newBlockingStub(pc).withDeadlineAfter(30, TimeUnit.SECONDS).execute(ExecuteRequest
                            .newBuilder().setQuery(BoundQuery.newBuilder().setSql(
                                    "CREATE TABLE customer (id BIGINT PRIMARY KEY, email VARCHAR(64))")).build());
                    watch.await("customer in table_schema_changed",
                            r -> r.getRealtimeStats().getTableSchemaChangedList().contains("customer"));
                }
                List<String> tables = TabletManagerGrpc.newBlockingStub(pc).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getSchema(GetSchemaRequest.getDefaultInstance()).getSchemaDefinition()
                        .getTableDefinitionsList().stream().map(TableDefinition::getName).toList();
                assertEquals(List.of("customer"), tables, "GetSchema: the tablet's tables, not the sidecar's");
                assertEquals(1, primary.status().schema().tables());
                assertTrue(TabletTesting.get(primary.statusPort(), "/debug/vars").body().contains("\"Tables\":1"));

                // Lag from the heartbeat: with replication stopped Seconds_Behind_Master is NULL, the
                // heartbeat's age keeps growing, and the health stream reports it.
                try (HealthWatch watch = new HealthWatch(rc)) {
                    watch.await("the replica serves with no lag",
                            r -> r.getServing() && r.getRealtimeStats().getReplicationLagSeconds() == 0);
                    m1.replication().stopReplication();
                    StreamHealthResponse lagging = watch.await("heartbeat lag of 2s or more",
                            r -> r.getRealtimeStats().getReplicationLagSeconds() >= 2);
                    assertFalse(lagging.getServing(), "stopped replication does not serve");
                    int mark = watch.messages.size();
                    m1.replication().startReplication();
                    watch.awaitFrom(mark, "caught up again", r -> r.getServing()
                            && r.getRealtimeStats().getReplicationLagSeconds() == 0);
                }

                // ChangeType through the manager: etcd and the health stream follow.
                TabletManagerGrpc.newBlockingStub(rc).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .changeType(ChangeTypeRequest.newBuilder().setTabletType(TabletType.RDONLY).build());
                assertEquals(TabletType.RDONLY, topo.getTablet(REPLICA).value().getType());
                assertEquals(TabletType.RDONLY, replica.status().health().type());
                assertFalse(replica.status().heartbeat().writing(), "an RDONLY reads the heartbeat");
                assertEquals("", replica.status().schema().lastReloadError());

                // The primary's mysqld dies: the primary stops serving, saying why, and serves again
                // once mysqld is back; its pooled connections (all dead) are not handed out again.
                QueryGrpc.newBlockingStub(pc).withDeadlineAfter(30, TimeUnit.SECONDS).execute(ExecuteRequest
                        .newBuilder().setQuery(BoundQuery.newBuilder().setSql("SELECT COUNT(*) FROM customer")).build());
                try (HealthWatch watch = new HealthWatch(pc)) {
                    watch.await("the primary serves", r -> r.getServing());
                    ProcessHandle mysqld = ProcessHandle.of(m0.pid().orElseThrow()).orElseThrow();
                    mysqld.destroyForcibly();
                    mysqld.onExit().get(30, TimeUnit.SECONDS);
                    StreamHealthResponse down = watch.await("not serving while mysqld is gone", r -> !r.getServing());
                    assertTrue(down.getRealtimeStats().getHealthError().startsWith("mysqld is unreachable: "),
                            down.getRealtimeStats().getHealthError());
                    int mark = watch.messages.size();
                    m0.start(MysqldCluster.START_TIMEOUT);
                    watch.awaitFrom(mark, "serving again", r -> r.getServing()
                            && r.getRealtimeStats().getHealthError().isEmpty());
                }
                assertEquals("0", QueryGrpc.newBlockingStub(pc).withDeadlineAfter(30, TimeUnit.SECONDS).execute(
                        ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder()
                                .setSql("SELECT COUNT(*) FROM customer")).build())
                        .getResult().getRows(0).getValues().toStringUtf8());
            } finally {
                pc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                rc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        assertEquals("", topo.getTablet(PRIMARY).value().getHostname(), "closed: addresses cleared");
    }
}
