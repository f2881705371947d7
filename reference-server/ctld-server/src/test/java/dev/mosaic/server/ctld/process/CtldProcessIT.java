package dev.mosaic.server.ctld.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.proto.vtctldata.CreateKeyspaceRequest;
import dev.mosaic.proto.vtctldata.CreateShardRequest;
import dev.mosaic.proto.vtctldata.GetKeyspaceRequest;
import dev.mosaic.proto.vtctldata.GetKeyspacesRequest;
import dev.mosaic.proto.vtctldata.GetShardRequest;
import dev.mosaic.proto.vtctldata.VtctldGrpc;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real ctld on the in-memory topology: verbs over real gRPC, the status page listing what the
 * verbs created (with links to tablets and gates), per-verb metrics, and a clean shutdown.
 */
class CtldProcessIT {
    private static final Plugins PLUGINS = Plugins.load(CtldProcessIT.class.getClassLoader());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static CtldServerConfig config(String cluster, int grpcPort, String... gateLinks) {
        StringBuilder yaml = new StringBuilder("topo: {type: memory, config: {cluster: " + cluster + "}}\n"
                + "cell: zone1\n"
                + "grpc: {bind-address: 127.0.0.1, port: " + grpcPort + "}\n"
                + "status: {bind-address: 127.0.0.1, port: 0}\n"
                + "tablet-manager.call-timeout: 2s\n");
        if (gateLinks.length > 0) {
            yaml.append("status.gate-links: [").append(String.join(", ", gateLinks)).append("]\n");
        }
        return new CtldServerConfigLoader(PLUGINS).parse(yaml.toString(), "it.yaml");
    }

    /** A memory cluster with cell zone1 registered, as a local cluster sets it up. */
    private static String cluster() {
        String cluster = "ctld-it-" + UUID.randomUUID();
        try (TopoServer ts = new dev.mosaic.server.process.config.TopoSettings("memory",
                java.util.Map.of("cluster", cluster)).open(PLUGINS)) {
            ts.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(cluster + "-zone1").build());
        }
        return cluster;
    }

    private static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void servesVerbsStatusPageAndMetricsThenShutsDown() throws Exception {
        String cluster = cluster();
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        CtldProcess ctld = CtldProcess.start(config(cluster, 0, "http://gate1.example:15001/debug/status"), PLUGINS,
                log);
        int statusPort = ctld.statusPort();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", ctld.grpcPort()).usePlaintext().build();
        try {
            assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("ctld zone1 serving: grpc port "
                    + ctld.grpcPort() + ", status port " + statusPort), logBytes.toString(StandardCharsets.UTF_8));
            VtctldGrpc.VtctldBlockingStub stub = VtctldGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS);

            stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("commerce")
                    .setDurabilityPolicy("none").setSidecarDbName("_vt").build());
            assertEquals("none", stub.getKeyspace(GetKeyspaceRequest.newBuilder().setKeyspace("commerce").build())
                    .getKeyspace().getKeyspace().getDurabilityPolicy());
            assertEquals(1, stub.getKeyspaces(GetKeyspacesRequest.getDefaultInstance()).getKeyspacesCount());
            stub.createShard(CreateShardRequest.newBuilder().setKeyspace("commerce").setShardName("0").build());
            assertEquals("0", stub.getShard(GetShardRequest.newBuilder().setKeyspace("commerce").setShardName("0")
                    .build()).getShard().getName());
            StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                    () -> stub.getKeyspace(GetKeyspaceRequest.newBuilder().setKeyspace("nosuch").build()));
            assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode(), missing.toString());

            // A tablet registered in the topology but not running: listed, unreachable, linked.
            int deadPort;
            try (ServerSocket s = new ServerSocket(0)) {
                deadPort = s.getLocalPort();
            }
            try (TopoServer ts = ctldTopo(cluster)) {
                ts.createTablet(Tablet.newBuilder().setAlias(TabletAlias.newBuilder().setCell("zone1").setUid(100))
                        .setHostname("127.0.0.1").putPortMap("grpc", deadPort).putPortMap("vt", 15100)
                        .setKeyspace("commerce").setShard("0").setType(TabletType.REPLICA)
                        .setMysqlHostname("127.0.0.1").setMysqlPort(17100).build());
            }

            HttpResponse<String> page = get(statusPort, "/debug/status");
            assertEquals(200, page.statusCode());
            String html = page.body();
            assertTrue(html.contains("ctld (cell zone1)"), html);
            assertTrue(html.contains("<h3>commerce</h3>"), html);
            assertTrue(html.contains("<tr><th>Durability policy</th><td>none</td></tr>"), html);
            assertTrue(html.contains("<a href=\"http://gate1.example:15001/debug/status\">"), html);
            assertTrue(html.contains("<a href=\"http://127.0.0.1:15100/debug/status\">zone1-0000000100</a>"), html);
            assertTrue(html.contains("UNREACHABLE"), html);

            assertEquals(200, get(statusPort, "/healthz").statusCode());
            assertEquals(404, get(statusPort, "/nosuch").statusCode());
            String metrics = get(statusPort, "/metrics").body();
            assertTrue(metrics.contains("mosaic_ctld_rpc_calls_total{cell=\"zone1\",code=\"OK\",component=\"ctld\","
                    + "method=\"CreateKeyspace\"} 1.0"), metrics);
            assertTrue(metrics.contains("code=\"NOT_FOUND\",component=\"ctld\",method=\"GetKeyspace\"} 1.0"), metrics);
            assertTrue(metrics.contains("mosaic_ctld_rpc_duration_seconds_count{cell=\"zone1\",component=\"ctld\","
                    + "method=\"GetKeyspace\"} 2"), metrics);
            assertTrue(metrics.contains("executor_queued_tasks{cell=\"zone1\",component=\"ctld\",name=\"ctld-grpc\"}"),
                    metrics);
            assertTrue(metrics.contains("jvm_memory_used_bytes"), metrics);
        } finally {
            channel.shutdownNow();
            ctld.close();
        }
        assertTrue(ctld.awaitClosed(Duration.ZERO));
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("ctld stopped in"));
        assertThrows(ConnectException.class, () -> HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + statusPort + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()));
        ctld.close(); // idempotent
    }

    @Test
    void aCallPastItsDeadlineCountsAsDeadlineExceeded() throws Exception {
        String cluster = cluster();
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        // A tablet whose gRPC port accepts connections and never answers: its health probe waits
        // for its full deadline, longer than the client waits for GetClusterStatus.
        try (ServerSocket silent = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
             CtldProcess ctld = CtldProcess.start(config(cluster, 0), PLUGINS,
                     new PrintStream(new ByteArrayOutputStream()))) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (TopoServer ts = ctldTopo(cluster)) {
                ts.createKeyspace("ks", dev.mosaic.proto.topo.Keyspace.getDefaultInstance());
                ts.createShard("ks", "0");
                ts.createTablet(Tablet.newBuilder().setAlias(TabletAlias.newBuilder().setCell("zone1").setUid(7))
                        .setHostname("127.0.0.1").putPortMap("grpc", silent.getLocalPort()).setKeyspace("ks")
                        .setShard("0").setType(TabletType.REPLICA).build());
            }
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", ctld.grpcPort()).usePlaintext().build();
            try {
                // Connected first, so the short deadline below is spent in ctld, not in the connect.
                VtctldGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getKeyspaces(GetKeyspacesRequest.getDefaultInstance());
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> VtctldGrpc
                        .newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                        .getClusterStatus(dev.mosaic.proto.vtctldata.GetClusterStatusRequest.getDefaultInstance()));
                assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
            } finally {
                channel.shutdownNow();
            }
            String cancelled = "code=\"DEADLINE_EXCEEDED\",component=\"ctld\",method=\"GetClusterStatus\"} 1.0";
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String metrics = get(ctld.statusPort(), "/metrics").body();
            while (!metrics.contains(cancelled)) {
                assertTrue(System.nanoTime() < deadline, "no DEADLINE_EXCEEDED count within 30 s:\n" + metrics);
                Thread.sleep(50); // polling the metrics page; the deadline above bounds it
                metrics = get(ctld.statusPort(), "/metrics").body();
            }
            assertTrue(!metrics.contains("code=\"OK\",component=\"ctld\",method=\"GetClusterStatus\""),
                    "counted once, as the client saw it:\n" + metrics);
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aBusyGrpcPortFailsTheStartupNamingTheKey() throws Exception {
        String cluster = cluster();
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> CtldProcess.start(
                    config(cluster, busy.getLocalPort()), PLUGINS, new PrintStream(new ByteArrayOutputStream())));
            assertTrue(e.getMessage().contains("grpc.port"), e.getMessage());
            CtldServerConfig busyStatus = new CtldServerConfigLoader(PLUGINS).parse(
                    "topo: {type: memory, config: {cluster: " + cluster + "}}\ncell: zone1\n"
                            + "grpc: {bind-address: 127.0.0.1, port: 0}\n"
                            + "status: {bind-address: 127.0.0.1, port: " + busy.getLocalPort() + "}\n", "it.yaml");
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            RuntimeException s = assertThrows(RuntimeException.class,
                    () -> CtldProcess.start(busyStatus, PLUGINS, new PrintStream(log, true, StandardCharsets.UTF_8)));
            assertTrue(s.getMessage().contains("status.port"), s.getMessage());
            assertEquals("", log.toString(StandardCharsets.UTF_8), "what had started stopped without a failure");
        }
    }

    private static TopoServer ctldTopo(String cluster) {
        return new dev.mosaic.server.process.config.TopoSettings("memory", java.util.Map.of("cluster", cluster))
                .open(PLUGINS);
    }
}
