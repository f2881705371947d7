package dev.mosaic.server.ctld.process;

import static dev.mosaic.server.process.status.Html.esc;
import static dev.mosaic.server.process.status.Html.row;

import com.sun.net.httpserver.HttpExchange;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.vtctldata.GetClusterStatusRequest;
import dev.mosaic.proto.vtctldata.GetClusterStatusResponse;
import dev.mosaic.proto.vtctldata.KeyspaceStatus;
import dev.mosaic.proto.vtctldata.ShardStatus;
import dev.mosaic.proto.vtctldata.TabletStatus;
import dev.mosaic.proto.vtctldata.VtctldGrpc;
import dev.mosaic.server.process.status.StatusHttpServer;
import dev.mosaic.server.process.status.StatusHttpServer.Page;
import dev.mosaic.server.process.status.StatusHttpServer.Response;
import io.grpc.stub.StreamObserver;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * ctld's HTTP endpoints (vtctld's web port):
 * <ul>
 * <li>{@code /debug/status}: an HTML page: ctld's state, links to the configured gates' status
 *     pages, and every keyspace with its shards and their tablets (type, addresses, health as
 *     GetClusterStatus reports it), each tablet linked to its own status page;</li>
 * <li>{@code /metrics}: the Prometheus registry (JVM meters, per-verb gRPC calls and latency);</li>
 * <li>{@code /healthz}: {@code 200 ok} while serving, else {@code 500};</li>
 * <li>{@code /}: links to the above.</li>
 * </ul>
 */
final class CtldStatusPages {
    /** How long the status page waits for GetClusterStatus (which asks every tablet for its health). */
    private static final Duration CLUSTER_STATUS_WAIT = Duration.ofSeconds(20);

    /** What the process is doing. */
    enum State { STARTING, SERVING, STOPPING }

    private final VtctldGrpc.AsyncService service;
    private final String cell;
    private final List<URI> gateLinks;
    private final IntSupplier grpcPort;
    private final Supplier<State> state;
    private final Instant started = Instant.now();

    CtldStatusPages(VtctldGrpc.AsyncService service, String cell, List<URI> gateLinks, IntSupplier grpcPort,
            Supplier<State> state) {
        this.service = service;
        this.cell = cell;
        this.gateLinks = gateLinks;
        this.grpcPort = grpcPort;
        this.state = state;
    }

    /** The routes to serve. */
    Map<String, Page> routes(PrometheusMeterRegistry registry) {
        Map<String, Page> routes = new LinkedHashMap<>();
        routes.put("/metrics", StatusHttpServer.metrics(registry));
        routes.put("/debug/status", this::statusPage);
        routes.put("/healthz", this::healthz);
        routes.put("/", this::index);
        return routes;
    }

    private Response healthz(HttpExchange exchange) {
        State s = state.get();
        return s == State.SERVING ? Response.text(200, "ok\n") : Response.text(500, "not ok: " + s + "\n");
    }

    private Response index(HttpExchange exchange) {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            return Response.notFound();
        }
        return Response.html("<!DOCTYPE html><html><head><title>ctld</title></head><body><h1>Mosaic ctld</h1><ul>"
                + "<li><a href=\"/debug/status\">/debug/status</a></li>"
                + "<li><a href=\"/metrics\">/metrics</a></li>"
                + "<li><a href=\"/healthz\">/healthz</a></li></ul></body></html>\n");
    }

    private Response statusPage(HttpExchange exchange) {
        StringBuilder sb = new StringBuilder(8192);
        sb.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>ctld ").append(esc(cell))
                .append("</title><style>body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:8px}"
                        + "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
                        + ".serving{color:#080}.not{color:#b00}</style></head><body>");
        State s = state.get();
        sb.append("<h1>ctld (cell ").append(esc(cell)).append(")</h1><table>")
                .append(row("State", "<span class=\"" + (s == State.SERVING ? "serving" : "not") + "\">" + s
                        + "</span>"))
                .append(row("gRPC port", Integer.toString(grpcPort.getAsInt())))
                .append(row("Uptime", Duration.between(started, Instant.now()).toSeconds() + "s"))
                .append("</table>");
        sb.append("<h2>Gates</h2>");
        if (gateLinks.isEmpty()) {
            sb.append("<p>none configured (status.gate-links)</p>");
        } else {
            sb.append("<ul>");
            for (URI u : gateLinks) {
                sb.append("<li><a href=\"").append(esc(u.toString())).append("\">").append(esc(u.toString()))
                        .append("</a></li>");
            }
            sb.append("</ul>");
        }
        sb.append("<h2>Keyspaces</h2>");
        GetClusterStatusResponse cluster;
        try {
            cluster = clusterStatus();
        } catch (RuntimeException e) {
            sb.append("<p class=\"not\">GetClusterStatus failed: ").append(esc(String.valueOf(e.getMessage())))
                    .append("</p></body></html>\n");
            return Response.html(sb.toString());
        }
        if (cluster.getKeyspacesCount() == 0) {
            sb.append("<p>none</p>");
        }
        for (KeyspaceStatus ks : cluster.getKeyspacesList()) {
            String name = ks.getKeyspace().getName();
            sb.append("<h3>").append(esc(name)).append("</h3><table>")
                    .append(row("Sharded", Boolean.toString(ks.getSharded())))
                    .append(row("VSchema", ks.getHasVSchema() ? "yes" : "none"))
                    .append(row("Durability policy", esc(ks.getKeyspace().getKeyspace().getDurabilityPolicy())))
                    .append(row("Shards", Integer.toString(ks.getShardsCount())))
                    .append("</table>");
            sb.append("<table><tr><th>shard</th><th>primary</th><th>tablet</th><th>type</th><th>address</th>"
                    + "<th>mysql</th><th>health</th><th>lag</th><th>error</th></tr>");
            for (ShardStatus sh : ks.getShardsList()) {
                String primary = sh.getShard().getShard().hasPrimaryAlias()
                        ? alias(sh.getShard().getShard().getPrimaryAlias()) : "none";
                if (sh.getTabletsCount() == 0) {
                    sb.append("<tr><td>").append(esc(sh.getShard().getName())).append("</td><td>").append(esc(primary))
                            .append("</td><td colspan=\"7\">no tablets</td></tr>");
                }
                for (TabletStatus t : sh.getTabletsList()) {
                    tabletRow(sb, sh.getShard().getName(), primary, t);
                }
            }
            sb.append("</table>");
        }
        sb.append("<p><a href=\"/metrics\">/metrics</a> <a href=\"/healthz\">/healthz</a></p></body></html>\n");
        return Response.html(sb.toString());
    }

    private static void tabletRow(StringBuilder sb, String shard, String primary, TabletStatus t) {
        Tablet tablet = t.getTablet();
        String alias = alias(tablet.getAlias());
        int web = tablet.getPortMapOrDefault("vt", 0);
        String aliasCell = tablet.getHostname().isEmpty() || web == 0 ? esc(alias)
                : "<a href=\"" + esc("http://" + tablet.getHostname() + ":" + web + "/debug/status") + "\">"
                        + esc(alias) + "</a>";
        String health;
        if (!t.getReachable()) {
            health = "<span class=\"not\">UNREACHABLE</span>";
        } else if (t.getServing()) {
            health = "<span class=\"serving\">SERVING</span>";
        } else {
            health = "<span class=\"not\">NOT_SERVING</span>";
        }
        sb.append("<tr><td>").append(esc(shard)).append("</td><td>").append(esc(primary)).append("</td><td>")
                .append(aliasCell).append("</td><td>").append(tablet.getType().name()).append("</td><td>")
                .append(esc(tablet.getHostname() + ":" + tablet.getPortMapOrDefault("grpc", 0))).append("</td><td>")
                .append(esc(tablet.getMysqlHostname() + ":" + tablet.getMysqlPort())).append("</td><td>")
                .append(health).append("</td><td>").append(t.getReplicationLagSeconds()).append("s</td><td>")
                .append(esc(t.getHealthError())).append("</td></tr>");
    }

    private static String alias(dev.mosaic.proto.topo.TabletAlias a) {
        return a.getCell() + "-" + String.format("%010d", Integer.toUnsignedLong(a.getUid()));
    }

    /** Calls the service in-process, as a gRPC client would. */
    private GetClusterStatusResponse clusterStatus() {
        CompletableFuture<GetClusterStatusResponse> result = new CompletableFuture<>();
        service.getClusterStatus(GetClusterStatusRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(GetClusterStatusResponse value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                result.completeExceptionally(new IllegalStateException("GetClusterStatus returned no response"));
            }
        });
        try {
            return result.get(CLUSTER_STATUS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for GetClusterStatus", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("GetClusterStatus did not answer within " + CLUSTER_STATUS_WAIT, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }
}
