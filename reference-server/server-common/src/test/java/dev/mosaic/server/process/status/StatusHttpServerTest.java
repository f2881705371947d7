package dev.mosaic.server.process.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.process.status.StatusHttpServer.Response;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusHttpServerTest {
    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> send(int port, String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPagesMetricsAndErrors() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("demo_requests").increment();
        try (StatusHttpServer server = StatusHttpServer.start("demo", new InetSocketAddress("127.0.0.1", 0), 2,
                Map.of("/metrics", StatusHttpServer.metrics(registry),
                        "/page", exchange -> Response.html("<p>" + Html.esc("<a & 'b'>") + "</p>"),
                        "/broken", exchange -> {
                            throw new IllegalStateException("boom");
                        }))) {
            HttpResponse<String> page = send(server.port(), "GET", "/page");
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
            assertEquals("<p>&lt;a &amp; &#39;b&#39;&gt;</p>", page.body());

            HttpResponse<String> head = send(server.port(), "HEAD", "/page");
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());

            assertEquals(405, send(server.port(), "POST", "/page").statusCode());

            HttpResponse<String> broken = send(server.port(), "GET", "/broken");
            assertEquals(500, broken.statusCode());
            assertEquals("error: java.lang.IllegalStateException: boom\n", broken.body());

            HttpResponse<String> metrics = send(server.port(), "GET", "/metrics");
            assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().firstValue("Content-Type").orElse(""));
            assertTrue(metrics.body().contains("demo_requests_total 1.0"), metrics.body());
        }
    }

    @Test
    void htmlRowsHoldEscapedValues() {
        assertEquals("<tr><th>Name</th><td>&quot;x&quot;</td></tr>", Html.row("Name", Html.esc("\"x\"")));
    }
}
