package dev.mosaic.server.tablet.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.tablet.consolidator.ConsolidatorStats;
import dev.mosaic.server.tablet.health.HealthState;
import dev.mosaic.server.tablet.health.TabletHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusServerTest {
    private final AtomicReference<TabletStatus> status = new AtomicReference<>();
    private PrometheusMeterRegistry registry;
    private StatusServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    /** A real first health snapshot: a PRIMARY serves; a REPLICA without replication does not, with an error. */
    private static HealthState health(boolean serving) {
        try (TabletHealth h = new TabletHealth(new TabletAlias("zone1", 100), "commerce", "-80",
                serving ? TabletType.PRIMARY : TabletType.REPLICA, Optional::empty, TabletHealth.Settings.defaults())) {
            return h.current();
        }
    }

    private static TabletStatus status(TabletStatus.State state, boolean serving, ConsolidatorStats c) {
        HealthState h = health(serving);
        return new TabletStatus(state, h, List.of(new TabletStatus.Pool("query", 16, 2, 1)), 4, c, 7,
                Duration.ofSeconds(3725), 16100, 15100, "root@127.0.0.1:17100 (managed)", List.of("schema <engine>"),
                "_vt", new TabletStatus.Schema(12, java.time.Instant.parse("2026-01-02T03:04:05Z"), ""),
                new TabletStatus.Heartbeat(false, Duration.ofMillis(2500), ""));
    }

    @BeforeEach
    void start() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        status.set(status(TabletStatus.State.SERVING, true, new ConsolidatorStats(10, 5, 0, 1, 0)));
        server = StatusServer.start(new InetSocketAddress("127.0.0.1", 0), 2, status::get, registry);
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        Counter.builder("mosaic.test.things").tag("kind", "a").register(registry).increment(3);
        HttpResponse<String> r = send("GET", "/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
        assertTrue(r.body().contains("# TYPE mosaic_test_things_total counter"), r.body());
        assertTrue(r.body().contains("mosaic_test_things_total{kind=\"a\"} 3.0"), r.body());
    }

    @Test
    void statusPageShowsEverythingAndEscapes() throws Exception {
        HttpResponse<String> r = send("GET", "/debug/status");
        assertEquals(200, r.statusCode());
        String b = r.body();
        for (String s : List.of("zone1-0000000100", "commerce", "-80", "PRIMARY", "SERVING", "0s", "0.00",
                "<td>7</td>", "<td>4</td>", "5 of 15", "<td>query</td><td>16</td><td>2</td><td>1</td>", "1h2m5s",
                "schema &lt;engine&gt;",
                "<th>Sidecar database</th><td>_vt</td>", "<th>Schema tables</th><td>12</td>",
                "2026-01-02T03:04:05Z", "reading, lag 2.500s")) {
            assertTrue(b.contains(s), s + " missing:\n" + b);
        }
        assertFalse(b.contains("<engine>"), "names are escaped");
    }

    @Test
    void healthzFollowsStateAndHealthError() throws Exception {
        assertEquals(200, send("GET", "/healthz").statusCode());
        assertEquals("ok\n", send("GET", "/healthz").body());
        status.set(status(TabletStatus.State.SERVING, false, null));
        HttpResponse<String> bad = send("GET", "/healthz");
        assertEquals(500, bad.statusCode());
        assertEquals("not ok: replication is not configured on this REPLICA\n", bad.body());
        status.set(status(TabletStatus.State.STARTING, true, null));
        assertEquals("not ok: STARTING\n", send("GET", "/healthz").body());
    }

    @Test
    void varsIsOneJsonObject() throws Exception {
        HttpResponse<String> r = send("GET", "/debug/vars");
        assertEquals(200, r.statusCode());
        var json = (dev.mosaic.api.json.JsonObject) dev.mosaic.api.json.Json.parse(r.body());
        assertTrue(json.toJson().contains("\"TabletStateName\":\"SERVING\""), r.body());
        assertTrue(r.body().contains("\"QueryErrors\":7"), r.body());
        assertTrue(r.body().contains("\"Consolidated\":5"), r.body());
        assertTrue(r.body().contains("\"SidecarDbName\":\"_vt\""), r.body());
        assertTrue(r.body().contains("\"Tables\":12"), r.body());
        assertTrue(r.body().contains("\"LagSeconds\":2.5"), r.body());
        status.set(status(TabletStatus.State.SERVING, false, null));
        assertTrue(send("GET", "/debug/vars").body().contains("\"TabletStateName\":\"NOT_SERVING\""));
    }

    @Test
    void onlyGetAndKnownPaths() throws Exception {
        assertEquals(405, send("POST", "/debug/status").statusCode());
        assertEquals(404, send("GET", "/debug/nothing-here").statusCode());
        assertEquals(404, send("GET", "/nothing").statusCode());
        assertTrue(send("GET", "/").body().contains("/debug/status"));
    }
}
