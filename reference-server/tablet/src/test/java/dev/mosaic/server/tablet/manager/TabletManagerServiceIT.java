package dev.mosaic.server.tablet.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.Errors;
import dev.mosaic.proto.query.Field;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Rows;
import dev.mosaic.proto.tabletmanager.ApplySchemaRequest;
import dev.mosaic.proto.tabletmanager.ApplySchemaResponse;
import dev.mosaic.proto.tabletmanager.ChangeTypeRequest;
import dev.mosaic.proto.tabletmanager.DemotePrimaryRequest;
import dev.mosaic.proto.tabletmanager.ExecuteFetchAsDbaRequest;
import dev.mosaic.proto.tabletmanager.GetSchemaRequest;
import dev.mosaic.proto.tabletmanager.InitPrimaryRequest;
import dev.mosaic.proto.tabletmanager.PingRequest;
import dev.mosaic.proto.tabletmanager.PrimaryPositionRequest;
import dev.mosaic.proto.tabletmanager.PrimaryStatus;
import dev.mosaic.proto.tabletmanager.PromoteReplicaRequest;
import dev.mosaic.proto.tabletmanager.ReplicationState;
import dev.mosaic.proto.tabletmanager.ReplicationStatus;
import dev.mosaic.proto.tabletmanager.ReplicationStatusRequest;
import dev.mosaic.proto.tabletmanager.SetReadOnlyRequest;
import dev.mosaic.proto.tabletmanager.SetReadWriteRequest;
import dev.mosaic.proto.tabletmanager.SetReplicationSourceRequest;
import dev.mosaic.proto.tabletmanager.StartReplicationRequest;
import dev.mosaic.proto.tabletmanager.StopReplicationRequest;
import dev.mosaic.proto.tabletmanager.TableDefinition;
import dev.mosaic.proto.tabletmanager.TabletManagerGrpc;
import dev.mosaic.proto.tabletmanager.TabletManagerGrpc.TabletManagerBlockingStub;
import dev.mosaic.proto.tabletmanager.WaitForPositionRequest;
import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two tablets, each a real MariaDB behind a TabletManagerService on a real grpc-netty server:
 * replication set up, observed, stopped and started, and the roles swapped, all over gRPC.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TabletManagerServiceIT {
    private static final String DB = "vt_tm";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static MysqldCluster cluster;
    private static final Tablet[] tablets = new Tablet[2];

    /** One tablet: its mysqld, gRPC server (on a bounded named executor) and client stub. */
    private record Tablet(Mysqld mysqld, Server server, ExecutorService executor, ManagedChannel channel) {
        TabletManagerBlockingStub stub() {
            return TabletManagerGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.MINUTES);
        }
    }

    private static TabletAlias alias(int i) {
        return TabletAlias.newBuilder().setCell("zone1").setUid(i + 1).build();
    }

    @BeforeAll
    static void start() throws IOException {
        cluster = MysqldCluster.start(2);
        ReplicationSourceResolver resolver = a -> {
            int i = a.getUid() - 1;
            if (i < 0 || i >= tablets.length) {
                throw new MosaicException(ErrorCode.NOT_FOUND, "no tablet " + a);
            }
            return new ReplicationSource("127.0.0.1", cluster.get(i).connectionParams().port(), "root", "",
                    Duration.ofSeconds(1), Duration.ofMillis(500));
        };
        for (int i = 0; i < 2; i++) {
            Mysqld m = cluster.get(i);
            AtomicInteger n = new AtomicInteger();
            int tablet = i;
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "tablet-manager-" + tablet + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .executor(executor)
                    .addService(new TabletManagerService(m, DB, resolver))
                    .build().start();
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
            tablets[i] = new Tablet(m, server, executor, channel);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Tablet t : tablets) {
            if (t != null) {
                t.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                t.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                t.executor.shutdownNow();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static TabletManagerBlockingStub tm(int i) {
        return tablets[i].stub();
    }

    private static QueryResult dba(int i, String sql) {
        return tm(i).executeFetchAsDba(ExecuteFetchAsDbaRequest.newBuilder()
                .setQuery(ByteString.copyFromUtf8(sql)).build()).getResult();
    }

    private static List<String> column(QueryResult r, int col) {
        return r.getRowsList().stream()
                .map(row -> new String(Rows.decode(row).get(col), StandardCharsets.UTF_8)).toList();
    }

    private static String position(int i) {
        return tm(i).primaryPosition(PrimaryPositionRequest.getDefaultInstance()).getPosition();
    }

    private static void waitFor(int i, String position) {
        tm(i).waitForPosition(WaitForPositionRequest.newBuilder().setPosition(position).build());
    }

    private static ReplicationStatus status(int i) {
        return tm(i).replicationStatus(ReplicationStatusRequest.getDefaultInstance()).getStatus();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    @Order(1)
    void ping() {
        for (int i = 0; i < 2; i++) {
            assertEquals("hello " + i, tm(i).ping(PingRequest.newBuilder().setPayload("hello " + i).build()).getPayload());
        }
    }

    @Test
    @Order(2)
    void replicaFollowsThePrimary() {
        String start = tm(0).initPrimary(InitPrimaryRequest.getDefaultInstance()).getPosition();
        assertTrue(start.startsWith("MariaDB/"), start);
        tm(1).setReplicationSource(SetReplicationSourceRequest.newBuilder().setParent(alias(0))
                .setTimeCreatedNs(System.nanoTime()).setWaitPosition(start).build());

        // The tablet's database does not exist yet: run in another one to create it.
        tm(0).executeFetchAsDba(ExecuteFetchAsDbaRequest.newBuilder().setDbName("mysql")
                .setQuery(ByteString.copyFromUtf8("CREATE DATABASE " + DB)).build());
        dba(0, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
        QueryResult ins = dba(0, "INSERT INTO t VALUES (1, 'one'), (2, 'two')");
        assertEquals(2, ins.getRowsAffected());
        String pos = position(0);
        assertEquals("MariaDB/0-1-3", pos);

        waitFor(1, pos);
        QueryResult r = dba(1, "SELECT id, v FROM t ORDER BY id");
        assertEquals(List.of("id", "v"), r.getFieldsList().stream().map(Field::getName).toList());
        assertEquals(List.of("one", "two"), column(r, 1));

        ReplicationStatus s = status(1);
        assertEquals(ReplicationState.RUNNING, s.getIoState());
        assertEquals(ReplicationState.RUNNING, s.getSqlState());
        assertFalse(s.getReplicationLagUnknown());
        assertEquals(0, s.getReplicationLagSeconds());
        assertEquals(pos, s.getPosition());
        assertEquals(tablets[0].mysqld.connectionParams().port(), s.getSourcePort());
        assertEquals("", s.getLastSqlError());

        StatusRuntimeException notReplica = assertThrows(StatusRuntimeException.class, () -> status(0));
        assertEquals(Status.Code.FAILED_PRECONDITION, notReplica.getStatus().getCode());
        assertEquals("1", column(dba(1, "SELECT @@GLOBAL.read_only"), 0).get(0), "a replica is read-only");
    }

    @Test
    @Order(3)
    void badSqlKeepsItsMysqlErrnoAndSqlState() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> dba(0, "SELEKT 1"));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        MosaicException m = Errors.fromStatus(e);
        assertEquals(1064, m.mysqlErrno());
        assertEquals("42000", m.sqlState());

        StatusRuntimeException noTable = assertThrows(StatusRuntimeException.class, () -> dba(0, "SELECT * FROM nope"));
        assertEquals(1146, Errors.fromStatus(noTable).mysqlErrno());
        assertEquals("42S02", Errors.fromStatus(noTable).sqlState());
    }

    @Test
    @Order(4)
    void maxRowsIsALimitNotATruncation() {
        ExecuteFetchAsDbaRequest.Builder req = ExecuteFetchAsDbaRequest.newBuilder()
                .setQuery(ByteString.copyFromUtf8("SELECT * FROM t")).setDbName(DB);
        assertEquals(2, tm(0).executeFetchAsDba(req.setMaxRows(2).build()).getResult().getRowsCount());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> tm(0).executeFetchAsDba(req.setMaxRows(1).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    }

    @Test
    @Order(5)
    void stopAndStartReplicationAndWaitBoundedByTheDeadline() throws InterruptedException {
        tm(1).stopReplication(StopReplicationRequest.getDefaultInstance());
        assertEquals(ReplicationState.STOPPED, status(1).getIoState());
        assertTrue(status(1).getReplicationLagUnknown());
        dba(0, "INSERT INTO t VALUES (3, 'three')");
        String pos = position(0);

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> TabletManagerGrpc.newBlockingStub(tablets[1].channel).withDeadlineAfter(1500, TimeUnit.MILLISECONDS)
                        .waitForPosition(WaitForPositionRequest.newBuilder().setPosition(pos).build()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());

        tm(1).startReplication(StartReplicationRequest.getDefaultInstance());
        waitFor(1, pos);
        assertEquals(List.of("three"), column(dba(1, "SELECT v FROM t WHERE id = 3"), 0));
        await("both threads running", () -> {
            ReplicationStatus s = status(1);
            return s.getIoState() == ReplicationState.RUNNING && s.getSqlState() == ReplicationState.RUNNING;
        });
    }

    @Test
    @Order(6)
    void applyAndGetSchema() {
        ApplySchemaResponse r = tm(0).applySchema(ApplySchemaRequest.newBuilder().setAllowReplication(true)
                .setSql("CREATE TABLE u (id BIGINT PRIMARY KEY, note VARCHAR(10) DEFAULT 'a;b'); "
                        + "CREATE VIEW w AS SELECT id FROM u").build());
        assertEquals(List.of("t"), r.getBeforeSchema().getTableDefinitionsList().stream().map(TableDefinition::getName).toList());
        assertEquals(List.of("t", "u", "w"), r.getAfterSchema().getTableDefinitionsList().stream().map(TableDefinition::getName).toList());

        StatusRuntimeException stale = assertThrows(StatusRuntimeException.class, () -> tm(0).applySchema(
                ApplySchemaRequest.newBuilder().setSql("DROP TABLE u").setBeforeSchema(r.getBeforeSchema()).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, stale.getStatus().getCode());

        waitFor(1, position(0));
        var schema = tm(1).getSchema(GetSchemaRequest.newBuilder().addTables("/^[tu]$/").build()).getSchemaDefinition();
        assertTrue(schema.getDatabaseSchema().startsWith("CREATE DATABASE"), schema.getDatabaseSchema());
        assertEquals(2, schema.getTableDefinitionsCount());
        TableDefinition u = schema.getTableDefinitions(1);
        assertEquals("u", u.getName());
        assertEquals("BASE TABLE", u.getType());
        assertTrue(u.getSchema().startsWith("CREATE TABLE `u`"), u.getSchema());
        assertEquals(List.of("id", "note"), u.getColumnsList());
        assertEquals(List.of("id"), u.getPrimaryKeyColumnsList());

        var views = tm(1).getSchema(GetSchemaRequest.newBuilder().setIncludeViews(true).addExcludeTables("t")
                .setTableSchemaOnly(true).build()).getSchemaDefinition();
        assertEquals(List.of("u", "w"), views.getTableDefinitionsList().stream().map(TableDefinition::getName).toList());
        assertEquals("VIEW", views.getTableDefinitions(1).getType());
        assertTrue(views.getTableDefinitions(1).getColumnsList().isEmpty());
    }

    @Test
    @Order(7)
    void readOnlyAndReadWrite() {
        tm(0).setReadOnly(SetReadOnlyRequest.getDefaultInstance());
        assertTrue(tablets[0].mysqld.replication().isReadOnly());
        tm(0).setReadWrite(SetReadWriteRequest.getDefaultInstance());
        assertFalse(tablets[0].mysqld.replication().isReadOnly());
    }

    @Test
    @Order(8)
    void demoteThePrimaryPromoteTheReplicaAndReplicateTheOtherWay() {
        PrimaryStatus last = tm(0).demotePrimary(DemotePrimaryRequest.getDefaultInstance()).getPrimaryStatus();
        assertTrue(tablets[0].mysqld.replication().isReadOnly());
        assertEquals(1, last.getServerId());
        assertTrue(last.getFilePosition().contains(":"), last.getFilePosition());
        assertEquals(position(0), last.getPosition());

        waitFor(1, last.getPosition());
        String promoted = tm(1).promoteReplica(PromoteReplicaRequest.getDefaultInstance()).getPosition();
        assertEquals(last.getPosition(), promoted);
        assertFalse(tablets[1].mysqld.replication().isReadOnly());
        assertEquals(Status.Code.FAILED_PRECONDITION,
                assertThrows(StatusRuntimeException.class, () -> status(1)).getStatus().getCode());

        tm(0).setReplicationSource(SetReplicationSourceRequest.newBuilder().setParent(alias(1))
                .setTimeCreatedNs(System.nanoTime()).setWaitPosition(promoted).build());
        dba(1, "INSERT INTO t VALUES (4, 'four')");
        String pos = position(1);
        assertNotEquals(promoted, pos);
        waitFor(0, pos);
        assertEquals(List.of("four"), column(dba(0, "SELECT v FROM t WHERE id = 4"), 0));
        ReplicationStatus s = status(0);
        assertEquals(ReplicationState.RUNNING, s.getSqlState());
        assertEquals(tablets[1].mysqld.connectionParams().port(), s.getSourcePort());

        // A stale reparent (older time_created_ns) is ignored: tablet 0 keeps following tablet 1.
        tm(0).setReplicationSource(SetReplicationSourceRequest.newBuilder().setParent(alias(0))
                .setTimeCreatedNs(1).build());
        assertEquals(tablets[1].mysqld.connectionParams().port(), status(0).getSourcePort());
    }

    @Test
    @Order(9)
    void changeTypeWithoutTabletStateIsUnimplemented() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> tm(0).changeType(ChangeTypeRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("topology"), e.getStatus().getDescription());
    }
}
