package dev.mosaic.server.tablet.status;

import com.sun.net.httpserver.HttpExchange;
import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.proto.topo.ThrottledAppRule;
import dev.mosaic.server.process.status.StatusHttpServer.Page;
import dev.mosaic.server.process.status.StatusHttpServer.Response;
import dev.mosaic.server.tablet.throttle.CheckResult;
import dev.mosaic.server.tablet.throttle.Reading;
import dev.mosaic.server.tablet.throttle.TabletThrottler;
import dev.mosaic.server.tablet.throttle.ThrottlerProtos;
import dev.mosaic.spi.throttle.MetricScope;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The throttler's HTTP API, as vttablet serves it:
 * <ul>
 * <li>{@code /throttler/check?app=<app>[&scope=self|shard][&metric=<name>...]}: answers with the
 *     check's status code itself (200, 429, 417, 404, 500) and a JSON body with Vitess's field
 *     names ({@code StatusCode}, {@code Value}, {@code Threshold}, {@code Message}, {@code Metrics}, ...);</li>
 * <li>{@code /throttler/check-self}: the same in self scope;</li>
 * <li>{@code /throttler/status}: the throttler's state as JSON.</li>
 * </ul>
 */
public final class ThrottlerPages {
    private final TabletThrottler throttler;

    /** Pages of {@code throttler}. */
    public ThrottlerPages(TabletThrottler throttler) {
        this.throttler = Objects.requireNonNull(throttler, "throttler");
    }

    /** The routes, by path. */
    public Map<String, Page> routes() {
        Map<String, Page> out = new LinkedHashMap<>();
        out.put("/throttler/check-self", e -> check(e, Optional.of(MetricScope.SELF)));
        out.put("/throttler/check", e -> check(e, Optional.empty()));
        out.put("/throttler/status", this::status);
        return out;
    }

    private static Map<String, List<String>> query(HttpExchange e) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String q = e.getRequestURI().getRawQuery();
        if (q == null || q.isEmpty()) {
            return out;
        }
        for (String part : q.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private Response check(HttpExchange e, Optional<MetricScope> fixed) {
        String path = e.getRequestURI().getPath();
        if (!path.equals("/throttler/check") && !path.equals("/throttler/check-self")) {
            return Response.notFound();
        }
        Map<String, List<String>> q = query(e);
        String app = q.getOrDefault("app", List.of("")).get(0);
        Optional<MetricScope> scope = fixed;
        if (scope.isEmpty()) {
            try {
                scope = ThrottlerProtos.scope(q.getOrDefault("scope", List.of("")).get(0));
            } catch (IllegalArgumentException ex) {
                return Response.text(400, ex.getMessage() + "\n");
            }
        }
        List<String> metrics = new ArrayList<>();
        for (String m : q.getOrDefault("metric", List.of())) {
            if (!m.isBlank()) {
                metrics.add(m.trim());
            }
        }
        CheckResult r = throttler.check(app, scope, metrics);
        return new Response(r.statusCode(), "application/json; charset=utf-8", json(r).toJson() + "\n");
    }

    /** A check result with Vitess's JSON field names. */
    static JsonObject json(CheckResult r) {
        JsonObject.Builder metrics = JsonObject.builder();
        r.metrics().forEach((name, m) -> metrics.put(name, JsonObject.builder()
                .put("StatusCode", m.code().httpStatus())
                .put("ResponseCode", m.code().name())
                .put("Value", num(m.value()))
                .put("Threshold", num(m.threshold()))
                .put("Error", m.error())
                .put("Scope", m.scope().name().toLowerCase(Locale.ROOT))
                .build()));
        return JsonObject.builder()
                .put("StatusCode", r.statusCode())
                .put("ResponseCode", r.code().name())
                .put("Value", num(r.value()))
                .put("Threshold", num(r.threshold()))
                .put("Error", r.error())
                .put("Message", r.message())
                .put("AppName", r.appName())
                .put("MetricName", r.metricName())
                .put("Metrics", metrics.build())
                .build();
    }

    private static Json num(double v) {
        return Json.parse(Double.isNaN(v) || Double.isInfinite(v) ? "0" : String.format(Locale.ROOT, "%s", v));
    }

    private Response status(HttpExchange e) {
        if (!e.getRequestURI().getPath().equals("/throttler/status")) {
            return Response.notFound();
        }
        TabletThrottler.Status s = throttler.status();
        JsonObject.Builder readings = JsonObject.builder();
        for (Map.Entry<String, Reading> en : s.readings().entrySet()) {
            readings.put(en.getKey(), JsonObject.builder().put("Value", num(en.getValue().value()))
                    .put("Error", en.getValue().error()).build());
        }
        JsonObject.Builder thresholds = JsonObject.builder();
        s.thresholds().forEach((k, v) -> thresholds.put(k, num(v)));
        JsonObject.Builder apps = JsonObject.builder();
        for (Map.Entry<String, ThrottledAppRule> en : s.throttledApps().entrySet()) {
            ThrottledAppRule r = en.getValue();
            apps.put(en.getKey(), JsonObject.builder().put("Ratio", num(r.getRatio()))
                    .put("ExpireAt", Instant.ofEpochSecond(r.getExpiresAt().getSeconds(), r.getExpiresAt().getNanos()).toString())
                    .put("Exempt", r.getExempt()).build());
        }
        JsonObject.Builder checked = JsonObject.builder();
        s.appCheckedMetrics().forEach(checked::put);
        JsonObject.Builder errors = JsonObject.builder();
        s.metricErrors().forEach(errors::put);
        JsonObject body = JsonObject.builder()
                .put("TabletAlias", s.alias().toString())
                .put("Keyspace", s.keyspace())
                .put("Shard", s.shard())
                .put("IsLeader", s.leader())
                .put("IsOpen", s.open())
                .put("IsEnabled", s.enabled())
                .put("CustomQuery", s.customQuery())
                .put("MetricNameUsedAsDefault", s.defaultMetric())
                .put("Threshold", num(s.defaultThreshold()))
                .put("AggregatedMetrics", readings.build())
                .put("MetricsThresholds", thresholds.build())
                .put("ThrottledApps", apps.build())
                .put("AppCheckedMetrics", checked.build())
                .put("ConfigError", s.configError())
                .put("MetricErrors", errors.build())
                .build();
        return Response.json(body.toJson() + "\n");
    }
}
