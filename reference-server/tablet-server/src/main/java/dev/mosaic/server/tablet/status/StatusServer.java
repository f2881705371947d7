package dev.mosaic.server.tablet.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.server.tablet.consolidator.ConsolidatorStats;
import dev.mosaic.server.tablet.health.HealthState;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The tablet's HTTP endpoints, on the JDK's {@link HttpServer}:
 * <ul>
 * <li>{@code /metrics}: every meter of the shared registry in the Prometheus text format;</li>
 * <li>{@code /debug/status}: an HTML page (identity, serving state, health, pools, transactions,
 *     consolidations, QPS, errors), as vttablet's status page;</li>
 * <li>{@code /debug/vars}: the same numbers as one JSON object (Vitess's expvar page);</li>
 * <li>{@code /healthz}: {@code 200 ok} while serving without a health error, else
 *     {@code 500 not ok} with the reason;</li>
 * <li>{@code /}: links to the above.</li>
 * </ul>
 * Requests run on a bounded executor of named daemon threads ({@code tablet-status-N}) with a
 * bounded queue; beyond it the server drops the connection rather than queueing without limit.
 */
public final class StatusServer implements AutoCloseable {
    private static final int QUEUE = 64;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final Supplier<TabletStatus> status;
    private final PrometheusMeterRegistry registry;

    private StatusServer(HttpServer server, ThreadPoolExecutor executor, Supplier<TabletStatus> status,
            PrometheusMeterRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.status = status;
        this.registry = registry;
    }

    /**
     * Starts serving on {@code address} (port 0 = ephemeral) with {@code threads} request threads.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static StatusServer start(InetSocketAddress address, int threads, Supplier<TabletStatus> status,
            PrometheusMeterRegistry registry) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "tablet-status-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        HttpServer http;
        try {
            http = HttpServer.create(address, 0);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot start the tablet status server on " + address, e);
        }
        StatusServer s = new StatusServer(http, executor, status, registry);
        http.setExecutor(executor);
        http.createContext("/metrics", s.handler(s::metrics));
        http.createContext("/debug/status", s.handler(s::statusPage));
        http.createContext("/debug/vars", s.handler(s::vars));
        http.createContext("/healthz", s.handler(s::healthz));
        http.createContext("/", s.handler(s::index));
        http.start();
        return s;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** A response: status code, content type, body. */
    private record Response(int code, String contentType, String body) {
    }

    private interface Page {
        Response render(HttpExchange exchange);
    }

    private HttpHandler handler(Page page) {
        return exchange -> {
            try (exchange) {
                Response r;
                if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                    r = new Response(405, "text/plain; charset=utf-8", "only GET\n");
                } else {
                    try {
                        r = page.render(exchange);
                    } catch (RuntimeException e) {
                        r = new Response(500, "text/plain; charset=utf-8", "error: " + e + "\n");
                    }
                }
                byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", r.contentType());
                boolean head = exchange.getRequestMethod().equals("HEAD");
                exchange.sendResponseHeaders(r.code(), head ? -1 : body.length);
                if (!head) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            } catch (IOException e) {
                // the client went away; nothing to tell it
            }
        };
    }

    private Response metrics(HttpExchange exchange) {
        return new Response(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    private Response healthz(HttpExchange exchange) {
        TabletStatus s = status.get();
        if (s.healthy()) {
            return new Response(200, "text/plain; charset=utf-8", "ok\n");
        }
        String why = s.state() != TabletStatus.State.SERVING ? s.state().name() : s.health().healthError();
        return new Response(500, "text/plain; charset=utf-8", "not ok: " + why + "\n");
    }

    private Response index(HttpExchange exchange) {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            return new Response(404, "text/plain; charset=utf-8", "404 page not found\n");
        }
        TabletStatus s = status.get();
        String body = "<!DOCTYPE html><html><head><title>tablet " + esc(s.health().alias().toString())
                + "</title></head><body><h1>Mosaic tablet " + esc(s.health().alias().toString()) + "</h1><ul>"
                + "<li><a href=\"/debug/status\">/debug/status</a></li>"
                + "<li><a href=\"/debug/vars\">/debug/vars</a></li>"
                + "<li><a href=\"/metrics\">/metrics</a></li>"
                + "<li><a href=\"/healthz\">/healthz</a></li></ul></body></html>\n";
        return new Response(200, "text/html; charset=utf-8", body);
    }

    private Response vars(HttpExchange exchange) {
        TabletStatus s = status.get();
        HealthState h = s.health();
        JsonObject.Builder pools = JsonObject.builder();
        for (TabletStatus.Pool p : s.pools()) {
            pools.put(p.name(), JsonObject.builder().put("Capacity", p.capacity()).put("InUse", p.inUse())
                    .put("Waiting", p.waiting()).build());
        }
        JsonObject.Builder b = JsonObject.builder()
                .put("TabletAlias", h.alias().toString())
                .put("Keyspace", h.keyspace())
                .put("Shard", h.shard())
                .put("TabletType", h.type().name())
                .put("TabletStateName", s.state() == TabletStatus.State.SERVING && h.serving() ? "SERVING" : "NOT_SERVING")
                .put("State", s.state().name())
                .put("Serving", h.serving())
                .put("ReplicationLagSeconds", h.replicationLagSeconds())
                .put("HealthError", h.healthError())
                .put("QPS", Json.parse(String.format(java.util.Locale.ROOT, "%.3f", h.qps())))
                .put("QueryErrors", s.queryErrors())
                .put("OpenTransactions", s.openTransactions())
                .put("Pools", pools.build())
                .put("UptimeSeconds", s.uptime().toSeconds())
                .put("GrpcPort", s.grpcPort())
                .put("StatusPort", s.statusPort())
                .put("Mysqld", s.mysqld());
        b.put("SidecarDbName", s.sidecarDb());
        TabletStatus.Schema schema = s.schema();
        if (schema != null) {
            b.put("Schema", JsonObject.builder().put("Tables", schema.tables())
                    .put("LoadedAt", schema.loadedAt().toString())
                    .put("LastReloadError", schema.lastReloadError()).build());
        }
        TabletStatus.Heartbeat hb = s.heartbeat();
        if (hb != null) {
            JsonObject.Builder hj = JsonObject.builder().put("Writing", hb.writing()).put("Error", hb.error());
            if (hb.lag() != null) {
                hj.put("LagSeconds", Json.parse(String.format(java.util.Locale.ROOT, "%.3f", hb.lag().toMillis() / 1000.0)));
            }
            b.put("Heartbeat", hj.build());
        }
        ConsolidatorStats c = s.consolidator();
        if (c != null) {
            b.put("Consolidator", JsonObject.builder().put("Executions", c.executions())
                    .put("Consolidated", c.consolidated()).put("InFlight", c.inFlight()).build());
        }
        return new Response(200, "application/json; charset=utf-8", b.build().toJson() + "\n");
    }

    private Response statusPage(HttpExchange exchange) {
        TabletStatus s = status.get();
        HealthState h = s.health();
        StringBuilder sb = new StringBuilder(4096);
        String alias = esc(h.alias().toString());
        boolean serving = s.state() == TabletStatus.State.SERVING && h.serving();
        sb.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>tablet ").append(alias)
                .append("</title><style>body{font-family:sans-serif}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
                        + ".serving{color:#080}.not{color:#b00}</style></head><body>");
        sb.append("<h1>Tablet ").append(alias).append("</h1>");
        sb.append("<table>")
                .append(row("Alias", alias))
                .append(row("Keyspace", esc(h.keyspace())))
                .append(row("Shard", esc(h.shard())))
                .append(row("Type", esc(h.type().name())))
                .append(row("State", "<span class=\"" + (serving ? "serving" : "not") + "\">"
                        + (serving ? "SERVING" : "NOT_SERVING") + "</span> (" + s.state() + ")"))
                .append(row("gRPC port", Integer.toString(s.grpcPort())))
                .append(row("mysqld", esc(s.mysqld())))
                .append(row("Uptime", esc(format(s.uptime()))))
                .append("</table>");
        sb.append("<h2>Health</h2><table>")
                .append(row("Serving", Boolean.toString(h.serving())))
                .append(row("Replication lag", h.replicationLagSeconds() + "s"))
                .append(row("Last error", h.healthError().isEmpty() ? "none" : esc(h.healthError())))
                .append(row("Checked at", esc(h.checkedAt().toString())))
                .append("</table>");
        sb.append("<h2>Queries</h2><table>")
                .append(row("QPS (1 min)", String.format(java.util.Locale.ROOT, "%.2f", h.qps())))
                .append(row("Errors", Long.toString(s.queryErrors())))
                .append(row("Open transactions", Integer.toString(s.openTransactions())));
        ConsolidatorStats c = s.consolidator();
        if (c == null) {
            sb.append(row("Consolidations", "consolidator off"));
        } else {
            sb.append(row("Consolidations", c.consolidated() + " of " + (c.executions() + c.consolidated())
                    + " reads shared an execution (" + c.inFlight() + " in flight)"));
        }
        sb.append("</table>");
        sb.append("<h2>Schema and replication tracking</h2><table>")
                .append(row("Sidecar database", s.sidecarDb().isEmpty() ? "not resolved yet" : esc(s.sidecarDb())));
        TabletStatus.Schema schema = s.schema();
        if (schema == null) {
            sb.append(row("Schema engine", "not started"));
        } else {
            sb.append(row("Schema tables", Integer.toString(schema.tables())))
                    .append(row("Schema loaded at", esc(schema.loadedAt().toString())))
                    .append(row("Last reload error", schema.lastReloadError().isEmpty() ? "none"
                            : esc(schema.lastReloadError())));
        }
        TabletStatus.Heartbeat hb = s.heartbeat();
        if (hb == null) {
            sb.append(row("Heartbeat", "off (lag from Seconds_Behind_Master)"));
        } else if (hb.writing()) {
            sb.append(row("Heartbeat", "writing (primary)" + (hb.error().isEmpty() ? "" : ": " + esc(hb.error()))));
        } else {
            sb.append(row("Heartbeat", "reading, lag " + (hb.lag() == null ? "unknown"
                    : String.format(java.util.Locale.ROOT, "%.3fs", hb.lag().toMillis() / 1000.0))
                    + (hb.error().isEmpty() ? "" : ": " + esc(hb.error()))));
        }
        sb.append("</table>");
        sb.append("<h2>Pools</h2><table><tr><th>pool</th><th>capacity</th><th>in use</th><th>waiting</th></tr>");
        for (TabletStatus.Pool p : s.pools()) {
            sb.append("<tr><td>").append(esc(p.name())).append("</td><td>").append(p.capacity()).append("</td><td>")
                    .append(p.inUse()).append("</td><td>").append(p.waiting()).append("</td></tr>");
        }
        sb.append("</table>");
        if (!s.components().isEmpty()) {
            sb.append("<h2>Components</h2><ul>");
            s.components().forEach(n -> sb.append("<li>").append(esc(n)).append("</li>"));
            sb.append("</ul>");
        }
        sb.append("<p><a href=\"/debug/vars\">/debug/vars</a> <a href=\"/metrics\">/metrics</a> "
                + "<a href=\"/healthz\">/healthz</a></p></body></html>\n");
        return new Response(200, "text/html; charset=utf-8", sb.toString());
    }

    private static String row(String name, String htmlValue) {
        return "<tr><th>" + name + "</th><td>" + htmlValue + "</td></tr>";
    }

    private static String format(Duration d) {
        return d.toHours() + "h" + d.toMinutesPart() + "m" + d.toSecondsPart() + "s";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** Stops at once (requests are short reads) and stops the threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
