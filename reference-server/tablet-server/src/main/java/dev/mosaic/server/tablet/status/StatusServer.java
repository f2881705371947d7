package dev.mosaic.server.tablet.status;

import static dev.mosaic.server.process.status.Html.esc;
import static dev.mosaic.server.process.status.Html.row;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.server.process.status.StatusHttpServer;
import dev.mosaic.server.process.status.StatusHttpServer.Page;
import dev.mosaic.server.process.status.StatusHttpServer.Response;
import dev.mosaic.server.tablet.consolidator.ConsolidatorStats;
import dev.mosaic.server.tablet.health.HealthState;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * <li>{@code /throttler/check}, {@code /throttler/check-self}, {@code /throttler/status}: the
 *     throttler's API ({@link ThrottlerPages}), when the process passes it;</li>
 * <li>{@code /}: links to the above.</li>
 * </ul>
 * Requests run on a bounded executor of named daemon threads ({@code tablet-status-N}) with a
 * bounded queue; beyond it the server drops the connection rather than queueing without limit.
 */
public final class StatusServer implements AutoCloseable {
    private final StatusHttpServer server;

    private StatusServer(StatusHttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving on {@code address} (port 0 = ephemeral) with {@code threads} request threads.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static StatusServer start(InetSocketAddress address, int threads, Supplier<TabletStatus> status,
            PrometheusMeterRegistry registry) {
        return start(address, threads, status, registry, Map.of());
    }

    /**
     * Starts serving, with {@code more} pages besides the tablet's own (the throttler's
     * {@code /throttler/...} API, see {@link ThrottlerPages}).
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static StatusServer start(InetSocketAddress address, int threads, Supplier<TabletStatus> status,
            PrometheusMeterRegistry registry, Map<String, Page> more) {
        Pages pages = new Pages(status);
        Map<String, Page> routes = new LinkedHashMap<>(more);
        routes.put("/metrics", StatusHttpServer.metrics(registry));
        routes.put("/debug/status", pages::statusPage);
        routes.put("/debug/vars", pages::vars);
        routes.put("/healthz", pages::healthz);
        routes.put("/", pages::index);
        return new StatusServer(StatusHttpServer.start("tablet", address, threads, routes));
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /** Stops at once (requests are short reads) and stops the threads. */
    @Override
    public void close() {
        server.close();
    }

    /** The tablet's own pages, rendered from a fresh status snapshot each. */
    private record Pages(Supplier<TabletStatus> status) {

        private Response healthz(HttpExchange exchange) {
            TabletStatus s = status.get();
            if (s.healthy()) {
                return Response.text(200, "ok\n");
            }
            String why = s.state() != TabletStatus.State.SERVING ? s.state().name() : s.health().healthError();
            return Response.text(500, "not ok: " + why + "\n");
        }

        private Response index(HttpExchange exchange) {
            if (!exchange.getRequestURI().getPath().equals("/")) {
                return Response.notFound();
            }
            TabletStatus s = status.get();
            String body = "<!DOCTYPE html><html><head><title>tablet " + esc(s.health().alias().toString())
                    + "</title></head><body><h1>Mosaic tablet " + esc(s.health().alias().toString()) + "</h1><ul>"
                    + "<li><a href=\"/debug/status\">/debug/status</a></li>"
                    + "<li><a href=\"/debug/vars\">/debug/vars</a></li>"
                    + "<li><a href=\"/metrics\">/metrics</a></li>"
                    + "<li><a href=\"/healthz\">/healthz</a></li></ul></body></html>\n";
            return Response.html(body);
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
            return Response.json(b.build().toJson() + "\n");
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
            return Response.html(sb.toString());
        }

        private static String format(Duration d) {
            return d.toHours() + "h" + d.toMinutesPart() + "m" + d.toSecondsPart() + "s";
        }
    }
}
