package dev.mosaic.server.tablet.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.ExecuteRequest;
import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.tabletmanager.PingRequest;
import dev.mosaic.proto.tabletmanager.TabletManagerGrpc;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.server.testing.EtcdProcess;
import dev.mosaic.server.tablet.server.testing.TabletTesting;
import dev.mosaic.server.tablet.server.testing.TabletTesting.Http;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tablet process started through its real entry point ({@link TabletProcess#loadConfig} +
 * {@link TabletProcess#start}, as {@code mosaic tablet} does) on a real MariaDB (attached) and a
 * real etcd: it registers, answers a query over gRPC, serves /metrics, /debug/status, /debug/vars
 * and /healthz, and on close clears its record's addresses as vttablet does.
 */
class TabletProcessIT {
    private static final TabletAlias ALIAS = new TabletAlias("zone1", 101);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static MysqldCluster cluster;
    private static EtcdProcess etcd;
    private static TopoServer topo;

    @BeforeAll
    static void startComponents() {
        etcd = EtcdProcess.start();
        cluster = MysqldCluster.start(1);
        Mysqld m = cluster.get(0);
        m.executeAll(List.of("SET GLOBAL read_only = 0", "CREATE DATABASE IF NOT EXISTS vt_commerce",
                "CREATE TABLE vt_commerce.product (sku VARCHAR(20) PRIMARY KEY, price INT)",
                "INSERT INTO vt_commerce.product VALUES ('a', 10), ('b', 20)"));
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

    @Test
    void startsRegistersServesAndShutsDownAsVttablet(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tablet.yaml");
        Files.writeString(file, TabletTesting.attachedConfig(ALIAS.toString(),
                cluster.get(0).connectionParams().port(), etcd, 0, 0));
        TabletServerConfig config = TabletProcess.loadConfig(file);

        int grpcPort;
        int statusPort;
        try (TabletProcess tablet = TabletProcess.start(config)) {
            grpcPort = tablet.grpcPort();
            statusPort = tablet.statusPort();

            // The record, as another process sees it through etcd.
            Tablet record = topo.getTablet(ALIAS).value();
            assertEquals("zone1", record.getAlias().getCell());
            assertEquals(101, record.getAlias().getUid());
            assertEquals("commerce", record.getKeyspace());
            assertEquals("0", record.getShard());
            assertEquals(TabletType.REPLICA, record.getType());
            assertEquals("localhost", record.getHostname());
            assertEquals(grpcPort, record.getPortMapOrThrow("grpc"));
            assertEquals(statusPort, record.getPortMapOrThrow("vt"));
            assertEquals(cluster.get(0).connectionParams().port(), record.getMysqlPort());
            assertEquals("vt_commerce", record.getDbNameOverride());
            assertTrue(topo.getShardNames("commerce").contains("0"), "the shard record was created");
            assertTrue(topo.getShardReplication("zone1", "commerce", "0").value().getNodesList().stream()
                    .anyMatch(n -> n.getTabletAlias().getUid() == 101), "in the shard's replication graph");

            // A query through the published gRPC port.
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", record.getPortMapOrThrow("grpc"))
                    .usePlaintext().build();
            try {
                QueryResult r = QueryGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .execute(ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder()
                                .setSql("SELECT price FROM product WHERE sku = 'b'")).build()).getResult();
                assertEquals(1, r.getRowsCount());
                assertEquals("20", r.getRows(0).getValues().toStringUtf8());
                var bad = assertThrows(io.grpc.StatusRuntimeException.class, () -> QueryGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(30, TimeUnit.SECONDS).execute(ExecuteRequest.newBuilder()
                                .setQuery(BoundQuery.newBuilder().setSql("SELECT nope FROM product")).build()));
                assertTrue(bad.getMessage().contains("nope"), bad.getMessage());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }

            // Prometheus metrics: pools, queries, errors, consolidator, tablet state, JVM.
            Http metrics = TabletTesting.get(statusPort, "/metrics");
            assertEquals(200, metrics.code());
            for (String name : List.of("mosaic_tablet_pool_in_use{", "mosaic_tablet_pool_capacity{",
                    "mosaic_tablet_query_duration_seconds_count{", "mosaic_tablet_query_errors_total{",
                    "mosaic_tablet_tx_open{", "mosaic_tablet_consolidator_executions_total{",
                    "mosaic_tablet_serving{", "jvm_memory_used_bytes{")) {
                assertTrue(metrics.body().contains(name), name + " missing from /metrics:\n" + metrics.body());
            }
            assertTrue(metrics.body().contains("alias=\"zone1-0000000101\""), "common tags");
            assertTrue(metrics.body().contains("pool=\"query\""), "pool tag");

            // The status page and the vars.
            Http status = TabletTesting.get(statusPort, "/debug/status");
            assertEquals(200, status.code());
            for (String s : List.of("zone1-0000000101", "commerce", "REPLICA", "Replication lag", "Pools",
                    "Open transactions", "Consolidations", "QPS", "Errors", "query")) {
                assertTrue(status.body().contains(s), s + " missing from /debug/status:\n" + status.body());
            }
            Http vars = TabletTesting.get(statusPort, "/debug/vars");
            assertEquals(200, vars.code());
            assertTrue(vars.body().contains("\"TabletAlias\":\"zone1-0000000101\""), vars.body());
            assertTrue(vars.body().contains("\"QueryErrors\":1"), vars.body());
            // A replica with no replication configured is up but not healthy (as vttablet's /healthz).
            Http healthz = TabletTesting.get(statusPort, "/healthz");
            assertEquals(500, healthz.code(), healthz.body());
            assertTrue(healthz.body().contains("replication is not configured"), healthz.body());
            assertEquals(404, TabletTesting.get(statusPort, "/nope").code());
        }

        // vttablet's shutdown: the record stays, without hostname, MySQL hostname or ports.
        Tablet after = topo.getTablet(ALIAS).value();
        assertEquals("", after.getHostname());
        assertEquals("", after.getMysqlHostname());
        assertTrue(after.getPortMapMap().isEmpty(), after.getPortMapMap().toString());
        assertEquals("commerce", after.getKeyspace());
        assertFalse(listening(grpcPort), "gRPC port closed");
        assertFalse(acceptsTcp(statusPort), "status port closed");
        // The attached mysqld is not ours to stop.
        assertTrue(cluster.get(0).isRunning());
    }

    @Test
    void aFailedStartStopsWhatItStarted(@TempDir Path dir) throws Exception {
        TabletAlias unknownCell = new TabletAlias("nocell", 102);
        Path file = dir.resolve("tablet.yaml");
        Files.writeString(file, TabletTesting.attachedConfig(unknownCell.toString(),
                cluster.get(0).connectionParams().port(), etcd, 0, 0));
        TabletServerConfig config = TabletProcess.loadConfig(file);
        TopoException e = assertThrows(TopoException.class, () -> TabletProcess.start(config));
        assertEquals(TopoError.NO_NODE, e.error());
        assertTrue(e.getMessage().contains("nocell"), e.getMessage());
        assertThrows(TopoException.class, () -> topo.getTablet(unknownCell));
    }

    @Test
    void managedMysqldIsInitializedStartedAndStopped(@TempDir Path dir) throws Exception {
        TabletAlias alias = new TabletAlias("zone1", 103);
        int mysqlPort = EtcdProcess.freePort();
        Path file = dir.resolve("tablet.yaml");
        Files.writeString(file, String.join("\n",
                "tablet: {alias: " + alias + ", keyspace: customer, shard: \"-80\", type: rdonly, hostname: localhost}",
                "ports: {grpc: 0, status: 0, mysql: " + mysqlPort + "}",
                "mysqld: {mode: managed, root: " + dir.resolve("vtdataroot") + ", flavor: mariadb}",
                "topo: {type: etcd, global-root: " + TabletTesting.GLOBAL_ROOT + ", config: {endpoints: " + etcd.endpoint() + "}}",
                "query: {db.name: mysql}",
                ""));
        TabletServerConfig config = TabletProcess.loadConfig(file);
        Mysqld mysqld;
        try (TabletProcess tablet = TabletProcess.start(config)) {
            mysqld = tablet.injector().getInstance(Mysqld.class);
            assertTrue(mysqld.isManaged());
            assertTrue(mysqld.isRunning(), "managed mysqld answers");
            assertTrue(Files.isDirectory(dir.resolve("vtdataroot").resolve("vt_0000000103")), "under the data root");
            Tablet record = topo.getTablet(alias).value();
            assertEquals(TabletType.RDONLY, record.getType());
            assertEquals(mysqlPort, record.getMysqlPort());
            assertEquals("-80", record.getShard());
            assertTrue(record.hasKeyRange(), "key range from the shard name");
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", tablet.grpcPort()).usePlaintext().build();
            try {
                QueryResult r = QueryGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .execute(ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder()
                                .setSql("SELECT @@port")).build()).getResult();
                assertEquals(Integer.toString(mysqlPort), r.getRows(0).getValues().toStringUtf8());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        assertFalse(mysqld.isRunning(), "a managed mysqld is stopped with the tablet");
        assertTrue(mysqld.pid().isEmpty(), "no mysqld process left");
        assertEquals("", topo.getTablet(alias).value().getHostname());
    }

    @Test
    void componentsStartBeforeTheGrpcServerAndCloseAfterIt(@TempDir Path dir) throws Exception {
        TabletAlias alias = new TabletAlias("zone1", 104);
        int grpcPort = EtcdProcess.freePort();
        Path file = dir.resolve("tablet.yaml");
        Files.writeString(file, TabletTesting.attachedConfig(alias.toString(), cluster.get(0).connectionParams().port(),
                etcd, grpcPort, 0));
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        TabletComponent probe = new TabletComponent() {
            @Override
            public String name() {
                return "probe-component";
            }

            @Override
            public void start() {
                events.add("start, grpc listening=" + listening(grpcPort));
            }

            @Override
            public void close() {
                events.add("close, grpc listening=" + listening(grpcPort));
            }
        };
        try (TabletProcess tablet = TabletProcess.start(TabletProcess.loadConfig(file),
                binder -> TabletServerModule.components(binder).addBinding().toInstance(probe))) {
            assertEquals(List.of("start, grpc listening=false"), events);
            assertTrue(listening(grpcPort));
            // after the built-in ones, in binding order
            assertEquals(List.of("sidecar database", "heartbeat", "schema engine", "throttler", "probe-component"),
                    tablet.status().components());
            assertTrue(TabletTesting.get(tablet.statusPort(), "/debug/status").body().contains("probe-component"));
        }
        assertEquals(List.of("start, grpc listening=false", "close, grpc listening=false"), events);
    }

    private static boolean acceptsTcp(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether this test's tablet answers gRPC on {@code port}. A Ping rather than a bare TCP connect: on a
     * shared machine another process may bind the freed port, or a connect to a free ephemeral port may
     * connect to itself, and neither answers a TabletManager Ping.
     */
    private static boolean listening(int port) {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            TabletManagerGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .ping(PingRequest.newBuilder().setPayload("probe").build());
            return true;
        } catch (io.grpc.StatusRuntimeException e) {
            return false;
        } finally {
            ch.shutdownNow();
        }
    }
}
