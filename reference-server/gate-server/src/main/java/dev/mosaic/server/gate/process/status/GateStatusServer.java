package dev.mosaic.server.gate.process.status;

import static dev.mosaic.server.process.status.Html.esc;
import static dev.mosaic.server.process.status.Html.row;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.server.gate.gateway.TabletStatus;
import dev.mosaic.server.gate.process.querylog.QueryLog;
import dev.mosaic.server.process.status.StatusHttpServer;
import dev.mosaic.server.process.status.StatusHttpServer.Page;
import dev.mosaic.server.process.status.StatusHttpServer.Response;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The gate's HTTP endpoints (vtgate's web port), on the JDK's {@link HttpServer}:
 * <ul>
 * <li>{@code /debug/status}: an HTML page: sessions, plan cache, topology refresh, per-keyspace
 *     QPS, per-shard errors, and every tablet the gateway sees with its target, serving state,
 *     replication lag and error;</li>
 * <li>{@code /debug/query_stats}: the normalized statements with the most total time (count,
 *     total, mean and max latency, rows, errors); {@code ?format=json} for JSON;</li>
 * <li>{@code /debug/vars}: the status numbers as one JSON object;</li>
 * <li>{@code /metrics}: every meter of the shared registry in the Prometheus text format;</li>
 * <li>{@code /healthz}: {@code 200 ok} while serving, else {@code 500};</li>
 * <li>{@code /}: links to the above.</li>
 * </ul>
 * Requests run on a bounded executor of named daemon threads ({@code gate-status-N}); beyond its
 * queue the server drops the connection rather than queueing without limit.
 */
public final class GateStatusServer implements AutoCloseable {
    private static final int TOP_QUERIES = 100;

    private final StatusHttpServer server;

    private GateStatusServer(StatusHttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving on {@code address} (port 0 = ephemeral) with {@code threads} request threads.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static GateStatusServer start(InetSocketAddress address, int threads, Supplier<GateStatus> status,
            QueryLog queryLog, PrometheusMeterRegistry registry) {
        Pages pages = new Pages(status, queryLog);
        Map<String, Page> routes = new LinkedHashMap<>();
        routes.put("/metrics", StatusHttpServer.metrics(registry));
        routes.put("/debug/status", pages::statusPage);
        routes.put("/debug/query_stats", pages::queryStats);
        routes.put("/debug/vars", pages::vars);
        routes.put("/healthz", pages::healthz);
        routes.put("/", pages::index);
        return new GateStatusServer(StatusHttpServer.start("gate", address, threads, routes));
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

    /** The gate's own pages, rendered from a fresh status snapshot each. */
    private record Pages(Supplier<GateStatus> status, QueryLog queryLog) {

        private Response healthz(HttpExchange exchange) {
            GateStatus s = status.get();
            return s.healthy() ? Response.text(200, "ok\n")
                    : Response.text(500, "not ok: " + s.state() + "\n");
        }

        private Response index(HttpExchange exchange) {
            if (!exchange.getRequestURI().getPath().equals("/")) {
                return Response.notFound();
            }
            String body = "<!DOCTYPE html><html><head><title>gate</title></head><body><h1>Mosaic gate</h1><ul>"
                    + "<li><a href=\"/debug/status\">/debug/status</a></li>"
                    + "<li><a href=\"/debug/query_stats\">/debug/query_stats</a></li>"
                    + "<li><a href=\"/debug/vars\">/debug/vars</a></li>"
                    + "<li><a href=\"/metrics\">/metrics</a></li>"
                    + "<li><a href=\"/healthz\">/healthz</a></li></ul></body></html>\n";
            return Response.html(body);
        }

        private Response vars(HttpExchange exchange) {
            GateStatus s = status.get();
            JsonObject.Builder ks = JsonObject.builder();
            s.keyspaces().forEach((name, l) -> ks.put(name.isEmpty() ? "(none)" : name, JsonObject.builder()
                    .put("QPS", number(l.qps())).put("Queries", l.queries()).put("Errors", l.errors()).build()));
            JsonObject.Builder shardErrors = JsonObject.builder();
            s.shardErrors().forEach(shardErrors::put);
            List<Json> tablets = new ArrayList<>();
            for (TabletStatus t : s.tablets()) {
                tablets.add(tabletJson(t));
            }
            GateStatus.PlanCache pc = s.planCache();
            GateStatus.Topology topo = s.topology();
            JsonObject.Builder shards = JsonObject.builder();
            topo.shards().forEach((k, v) -> shards.put(k, Json.ofStrings(v)));
            JsonObject b = JsonObject.builder()
                    .put("State", s.state().name())
                    .put("Cell", s.cell())
                    .put("UptimeSeconds", s.uptime().toSeconds())
                    .put("MysqlPort", s.mysqlPort())
                    .put("ServerVersion", s.serverVersion())
                    .put("Connections", s.connections())
                    .put("Sessions", s.sessions())
                    .put("RunningCommands", s.runningCommands())
                    .put("QueuedCommands", s.queuedCommands())
                    .put("PlanCache", JsonObject.builder().put("Size", pc.size()).put("Capacity", pc.capacity())
                            .put("Hits", pc.hits()).put("Misses", pc.misses()).build())
                    .put("Topology", JsonObject.builder().put("Shards", shards.build())
                            .put("VSchemaChanges", topo.vschemaChanges())
                            .put("LastRefresh", topo.lastRefresh().toString())
                            .put("LastError", topo.lastError()).build())
                    .put("Keyspaces", ks.build())
                    .put("ShardErrors", shardErrors.build())
                    .put("Tablets", new JsonArray(tablets))
                    .build();
            return Response.json(b.toJson() + "\n");
        }

        private static Json tabletJson(TabletStatus t) {
            return JsonObject.builder()
                    .put("Alias", t.alias().toString())
                    .put("Hostname", t.hostname())
                    .put("GrpcPort", t.grpcPort())
                    .put("Keyspace", t.target().getKeyspace())
                    .put("Shard", t.target().getShard())
                    .put("TabletType", t.target().getTabletType().name())
                    .put("Serving", t.serving())
                    .put("ReplicationLagSeconds", t.replicationLagSeconds())
                    .put("Error", t.error())
                    .build();
        }

        private Response queryStats(HttpExchange exchange) {
            List<QueryLog.QueryStats> top = queryLog.top(TOP_QUERIES);
            String q = exchange.getRequestURI().getQuery();
            if (q != null && q.contains("format=json")) {
                List<Json> rows = new ArrayList<>();
                for (QueryLog.QueryStats s : top) {
                    rows.add(JsonObject.builder().put("Query", s.query()).put("Keyspace", s.keyspace())
                            .put("Count", s.count()).put("TotalMs", number(s.total().toNanos() / 1e6))
                            .put("MeanMs", number(s.mean().toNanos() / 1e6)).put("MaxMs", number(s.max().toNanos() / 1e6))
                            .put("Rows", s.rows()).put("Errors", s.errors()).build());
                }
                return Response.json(new JsonArray(rows).toJson() + "\n");
            }
            StringBuilder sb = new StringBuilder(4096);
            head(sb, "gate query stats");
            sb.append("<h1>Query stats</h1><p>The ").append(TOP_QUERIES)
                    .append(" normalized statements with the most total time since the start; statements of at least ")
                    .append(esc(format(queryLog.slowThreshold()))).append(" also go to the slow log.</p>");
            sb.append("<table><tr><th>query</th><th>keyspace</th><th>count</th><th>total ms</th><th>mean ms</th>"
                    + "<th>max ms</th><th>rows</th><th>errors</th></tr>");
            for (QueryLog.QueryStats s : top) {
                sb.append("<tr><td><code>").append(esc(s.query())).append("</code></td><td>").append(esc(s.keyspace()))
                        .append("</td><td>").append(s.count()).append("</td><td>").append(ms(s.total()))
                        .append("</td><td>").append(ms(s.mean())).append("</td><td>").append(ms(s.max()))
                        .append("</td><td>").append(s.rows()).append("</td><td>").append(s.errors()).append("</td></tr>");
            }
            sb.append("</table><p><a href=\"/debug/status\">/debug/status</a></p></body></html>\n");
            return Response.html(sb.toString());
        }

        private Response statusPage(HttpExchange exchange) {
            GateStatus s = status.get();
            StringBuilder sb = new StringBuilder(8192);
            head(sb, "gate " + s.cell());
            sb.append("<h1>Gate (cell ").append(esc(s.cell())).append(")</h1><table>")
                    .append(row("State", "<span class=\"" + (s.healthy() ? "serving" : "not") + "\">" + s.state()
                            + "</span>"))
                    .append(row("MySQL port", Integer.toString(s.mysqlPort())))
                    .append(row("Server version", esc(s.serverVersion())))
                    .append(row("Uptime", esc(format(s.uptime()))))
                    .append("</table>");
            sb.append("<h2>Sessions</h2><table>")
                    .append(row("Client sessions", Integer.toString(s.sessions())))
                    .append(row("Client connections", Integer.toString(s.connections())))
                    .append(row("Commands running", Integer.toString(s.runningCommands())))
                    .append(row("Commands queued", Integer.toString(s.queuedCommands())))
                    .append("</table>");
            GateStatus.PlanCache pc = s.planCache();
            long lookups = pc.hits() + pc.misses();
            sb.append("<h2>Plan cache</h2><table>")
                    .append(row("Plans", pc.size() + " of " + pc.capacity()))
                    .append(row("Hits", Long.toString(pc.hits())))
                    .append(row("Misses", Long.toString(pc.misses())))
                    .append(row("Hit rate", lookups == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%",
                            100.0 * pc.hits() / lookups)))
                    .append("</table>");
            GateStatus.Topology topo = s.topology();
            sb.append("<h2>Keyspaces</h2><table><tr><th>keyspace</th><th>serving shards</th><th>QPS (1 min)</th>"
                    + "<th>queries</th><th>errors</th></tr>");
            List<String> names = new ArrayList<>(topo.keyspaces());
            s.keyspaces().keySet().stream().filter(k -> !names.contains(k)).forEach(names::add);
            for (String ks : names) {
                GateStatus.KeyspaceLoad l = s.keyspaces().getOrDefault(ks, new GateStatus.KeyspaceLoad(0, 0, 0));
                List<String> shards = topo.shards().get(ks);
                sb.append("<tr><td>").append(ks.isEmpty() ? "(none)" : esc(ks)).append("</td><td>")
                        .append(shards == null ? "" : esc(String.join(" ", shards))).append("</td><td>")
                        .append(String.format(Locale.ROOT, "%.2f", l.qps())).append("</td><td>").append(l.queries())
                        .append("</td><td>").append(l.errors()).append("</td></tr>");
            }
            sb.append("</table><table>")
                    .append(row("VSchemas installed", Long.toString(topo.vschemaChanges())))
                    .append(row("Topology read at", esc(topo.lastRefresh().toString())))
                    .append(row("Last refresh error", topo.lastError().isEmpty() ? "none" : esc(topo.lastError())))
                    .append("</table>");
            sb.append("<h2>Shard errors</h2>");
            if (s.shardErrors().isEmpty()) {
                sb.append("<p>none</p>");
            } else {
                sb.append("<table><tr><th>keyspace/shard</th><th>failed tablet calls</th></tr>");
                new java.util.TreeMap<>(s.shardErrors()).forEach((k, v) -> sb.append("<tr><td>").append(esc(k))
                        .append("</td><td>").append(v).append("</td></tr>"));
                sb.append("</table>");
            }
            sb.append("<h2>Tablets</h2><table><tr><th>alias</th><th>address</th><th>keyspace</th><th>shard</th>"
                    + "<th>type</th><th>serving</th><th>lag</th><th>error</th></tr>");
            for (TabletStatus t : s.tablets()) {
                sb.append("<tr><td>").append(esc(t.alias().toString())).append("</td><td>")
                        .append(esc(t.hostname() + ":" + t.grpcPort())).append("</td><td>")
                        .append(esc(t.target().getKeyspace())).append("</td><td>").append(esc(t.target().getShard()))
                        .append("</td><td>").append(esc(t.target().getTabletType().name())).append("</td><td class=\"")
                        .append(t.healthy() ? "serving\">SERVING" : "not\">NOT_SERVING").append("</td><td>")
                        .append(t.replicationLagSeconds()).append("s</td><td>")
                        .append(t.error().isEmpty() ? "" : esc(t.error())).append("</td></tr>");
            }
            sb.append("</table><p><a href=\"/debug/query_stats\">/debug/query_stats</a> "
                    + "<a href=\"/debug/vars\">/debug/vars</a> <a href=\"/metrics\">/metrics</a> "
                    + "<a href=\"/healthz\">/healthz</a></p></body></html>\n");
            return Response.html(sb.toString());
        }

        private static void head(StringBuilder sb, String title) {
            sb.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                    .append("</title><style>body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:8px}"
                            + "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
                            + ".serving{color:#080}.not{color:#b00}</style></head><body>");
        }

        private static Json number(double d) {
            return Json.parse(String.format(Locale.ROOT, "%.3f", d));
        }

        private static String ms(Duration d) {
            return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e6);
        }

        private static String format(Duration d) {
            if (d.toHours() == 0 && d.toMinutes() == 0) {
                return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
            }
            return d.toHours() + "h" + d.toMinutesPart() + "m" + d.toSecondsPart() + "s";
        }
    }
}
