package dev.mosaic.server.ctld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.tabletmanager.CheckThrottlerResponseCode;
import dev.mosaic.proto.topo.ThrottledAppRule;
import dev.mosaic.proto.vtctldata.CheckThrottlerRequest;
import dev.mosaic.proto.vtctldata.CheckThrottlerResponse;
import dev.mosaic.proto.vtctldata.CreateKeyspaceRequest;
import dev.mosaic.proto.vtctldata.CreateShardRequest;
import dev.mosaic.proto.vtctldata.GetThrottlerStatusRequest;
import dev.mosaic.proto.vtctldata.InitShardPrimaryRequest;
import dev.mosaic.proto.vtctldata.UpdateThrottlerConfigRequest;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.server.TabletProcess;
import dev.mosaic.server.topo.ProtoConversions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The throttler end to end on real MariaDB: a shard with a primary and a replica (heartbeat on),
 * ctld enabling the throttler with a 2 s lag threshold and an exempt app; replication stopped on
 * the replica makes the primary's {@code /throttler/check?app=vreplication} answer 429 (over real
 * HTTP, and CheckThrottler through ctld says THRESHOLD_EXCEEDED) while the exempt app gets 200; a
 * throttled app gets 417, an unknown metric 404; replication restarted brings 200 back.
 */
class ThrottlerIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final TabletAlias PRIMARY = new TabletAlias("zone1", 100);
    private static final TabletAlias REPLICA = new TabletAlias("zone1", 101);

    private static MysqldCluster mysqlds;
    private static InProcessCtld ctld;
    private static TabletProcess primary;
    private static TabletProcess replica;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startCluster() throws Exception {
        MysqldCluster.requireBinaries();
        mysqlds = MysqldCluster.start(2);
        ctld = new InProcessCtld(Duration.ofSeconds(10));
        ctld.stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("commerce").build());
        ctld.stub.createShard(CreateShardRequest.newBuilder().setKeyspace("commerce").setShardName("0").build());
        Path dir = Files.createTempDirectory("throttler-it");
        primary = startTablet(dir, PRIMARY, 0);
        replica = startTablet(dir, REPLICA, 1);
        ctld.stub.initShardPrimary(InitShardPrimaryRequest.newBuilder().setKeyspace("commerce").setShard("0")
                .setPrimaryElectTabletAlias(ProtoConversions.toProto(PRIMARY))
                .setWaitReplicasTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(30)).build());
    }

    @AfterAll
    static void stopCluster() {
        for (TabletProcess t : new TabletProcess[]{replica, primary}) {
            if (t != null) {
                t.close();
            }
        }
        if (ctld != null) {
            ctld.close();
        }
        if (mysqlds != null) {
            mysqlds.close();
        }
    }

    private static TabletProcess startTablet(Path dir, TabletAlias alias, int mysqld) throws Exception {
        String yaml = String.join("\n",
                "tablet:",
                "  alias: " + alias,
                "  keyspace: commerce",
                "  shard: \"0\"",
                "  type: replica",
                "  hostname: localhost",
                "ports:",
                "  grpc: 0",
                "  status: 0",
                "  mysql: " + mysqlds.get(mysqld).connectionParams().port(),
                "mysqld:",
                "  mode: attached",
                "  host: 127.0.0.1",
                "  user: root",
                "  password: \"\"",
                "topo:",
                "  type: memory",
                "  global-server-address: " + ctld.cluster,
                "query:",
                "  db:",
                "    name: vt_commerce",
                "  heartbeat:",
                "    enable: true",
                "    interval: 250ms",
                "  pool:",
                "    query:",
                "      size: 2",
                "    stream.size: 2",
                "    tx.size: 2",
                "health:",
                "  interval: 200ms",
                "throttler:",
                "  poll-interval: 250ms",
                "  config-refresh: 250ms",
                "  staleness: 2s",
                "");
        Path file = dir.resolve(alias + ".yaml");
        Files.writeString(file, yaml);
        return TabletProcess.start(TabletProcess.loadConfig(file));
    }

    private record Http(int status, String body) {
    }

    private static Http get(TabletProcess t, String pathAndQuery) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.statusPort()
                    + pathAndQuery)).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Http(r.statusCode(), r.body());
        } catch (Exception e) {
            throw new AssertionError("GET " + pathAndQuery + ": " + e, e);
        }
    }

    /** Waits until {@code condition} holds, polling every 100 ms; returns how long it took. */
    private static Duration await(String what, BooleanSupplier condition) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            Thread.sleep(100); // polling a condition bounded by the deadline above
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private static void replicaSql(String sql) throws Exception {
        try (Connection c = mysqlds.get(1).connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static CheckThrottlerResponse grpcCheck(String app) {
        return ctld.stub.checkThrottler(CheckThrottlerRequest.newBuilder().setTabletAlias(ProtoConversions.toProto(PRIMARY))
                .setAppName(app).build());
    }

    private static Timestamp inOneHour() {
        return Timestamp.newBuilder().setSeconds(Instant.now().plus(Duration.ofHours(1)).getEpochSecond()).build();
    }

    @Test
    void stoppedReplicationThrottlesTheShardAndRestartingItReleases() throws Exception {
        // disabled: every check passes
        assertEquals(200, get(primary, "/throttler/check?app=vreplication").status());
        ctld.stub.updateThrottlerConfig(UpdateThrottlerConfigRequest.newBuilder().setKeyspace("commerce").setEnable(true)
                .setThreshold(2).setThrottledApp(ThrottledAppRule.newBuilder().setName("exempt-app").setExempt(true)
                        .setExpiresAt(inOneHour())).build());
        Duration enabled = await("the primary sees the config and reads the replica's lag", () -> {
            Http h = get(primary, "/throttler/check?app=vreplication");
            return h.status() == 200 && h.body().contains("\"MetricName\":\"lag\"");
        });
        System.out.println("throttler: enabled and answering 200 after " + enabled.toMillis() + " ms");
        Http ok = get(primary, "/throttler/check?app=vreplication");
        assertTrue(ok.body().contains("\"StatusCode\":200") && ok.body().contains("\"Threshold\":2.0"), ok.body());
        // The gRPC check answers as HTTP does; awaited, since under load one replica poll can come
        // late and make the reading stale (500) for a moment, as it should.
        await("the gRPC check answers 200 too", () -> grpcCheck("vreplication").getCheck().getStatusCode() == 200);

        replicaSql("STOP SLAVE");
        long stoppedAt = System.nanoTime();
        Duration toThrottle = await("429 after replication stops", () -> get(primary, "/throttler/check?app=vreplication").status() == 429);
        System.out.println("throttler: 429 " + Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis()
                + " ms after STOP SLAVE (lag threshold 2 s)");
        Http exceeded = get(primary, "/throttler/check?app=vreplication");
        assertTrue(exceeded.body().contains("\"ResponseCode\":\"THRESHOLD_EXCEEDED\""), exceeded.body());
        CheckThrottlerResponse grpc = grpcCheck("vreplication");
        assertEquals(429, grpc.getCheck().getStatusCode(), grpc.toString());
        assertEquals(CheckThrottlerResponseCode.THRESHOLD_EXCEEDED, grpc.getCheck().getResponseCode());
        assertTrue(grpc.getCheck().getValue() > 2, grpc.toString());
        assertEquals("lag", grpc.getCheck().getMetricName());
        assertEquals(200, get(primary, "/throttler/check?app=exempt-app").status(), "exempt apps pass");
        assertEquals(200, get(primary, "/throttler/check-self?app=vreplication").status(), "the primary itself is not behind");
        var status = ctld.stub.getThrottlerStatus(GetThrottlerStatusRequest.newBuilder()
                .setTabletAlias(ProtoConversions.toProto(PRIMARY)).build()).getStatus();
        assertTrue(status.getIsLeader() && status.getIsEnabled(), status.toString());
        assertTrue(status.getAggregatedMetricsMap().get("shard/lag").getValue() > 2, status.toString());

        ctld.stub.updateThrottlerConfig(UpdateThrottlerConfigRequest.newBuilder().setKeyspace("commerce")
                .setThrottledApp(ThrottledAppRule.newBuilder().setName("x").setRatio(1).setExpiresAt(inOneHour())).build());
        await("417 for the throttled app", () -> get(primary, "/throttler/check?app=x").status() == 417);
        Http unknown = get(primary, "/throttler/check?app=vreplication&metric=no_such_metric");
        assertEquals(404, unknown.status(), unknown.body());

        replicaSql("START SLAVE");
        long startedAt = System.nanoTime();
        await("200 after replication restarts", () -> get(primary, "/throttler/check?app=vreplication").status() == 200);
        System.out.println("throttler: 200 again " + Duration.ofNanos(System.nanoTime() - startedAt).toMillis()
                + " ms after START SLAVE");
        assertEquals(417, get(primary, "/throttler/check?app=x").status(), "the rule still denies x");
        Http st = get(primary, "/throttler/status");
        assertEquals(200, st.status());
        assertTrue(st.body().contains("\"IsLeader\":true") && st.body().contains("\"exempt-app\""), st.body());
    }
}
