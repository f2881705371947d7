package dev.mosaic.server.tablet.throttle;

import dev.mosaic.proto.tabletmanager.CheckThrottlerRequest;
import dev.mosaic.proto.tabletmanager.CheckThrottlerResponse;
import dev.mosaic.proto.tabletmanager.CheckThrottlerResponseCode;
import dev.mosaic.proto.tabletmanager.GetThrottlerStatusResponse;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.spi.throttle.MetricScope;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Conversions between the throttler's records and the tablet-manager messages. */
public final class ThrottlerProtos {
    private ThrottlerProtos() {
    }

    /**
     * The scope a request names: {@code self}, {@code shard}, or empty (each metric's default).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Optional<MetricScope> scope(String s) {
        if (s == null || s.isBlank()) {
            return Optional.empty();
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "self" -> Optional.of(MetricScope.SELF);
            case "shard" -> Optional.of(MetricScope.SHARD);
            default -> throw new IllegalArgumentException("unknown throttler scope '" + s + "' (self or shard)");
        };
    }

    /** Runs a request's check. */
    public static CheckThrottlerResponse check(TabletThrottler throttler, CheckThrottlerRequest request) {
        return toProto(throttler.check(request.getAppName(), scope(request.getScope()), request.getMetricNamesList()));
    }

    /** A check result as the response message. */
    public static CheckThrottlerResponse toProto(CheckResult r) {
        CheckThrottlerResponse.Builder b = CheckThrottlerResponse.newBuilder()
                .setStatusCode(r.statusCode())
                .setResponseCode(code(r.code()))
                .setValue(finite(r.value()))
                .setThreshold(r.threshold())
                .setError(r.error())
                .setMessage(r.message())
                .setMetricName(r.metricName())
                .setAppName(r.appName());
        r.metrics().forEach((name, m) -> b.putMetrics(name, CheckThrottlerResponse.Metric.newBuilder()
                .setName(name)
                .setStatusCode(m.code().httpStatus())
                .setResponseCode(code(m.code()))
                .setValue(finite(m.value()))
                .setThreshold(m.threshold())
                .setError(m.error())
                .setScope(m.scope().name().toLowerCase(Locale.ROOT))
                .build()));
        return b.build();
    }

    private static double finite(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? 0 : v;
    }

    /** The proto enum of a code. */
    public static CheckThrottlerResponseCode code(ResponseCode c) {
        return switch (c) {
            case OK -> CheckThrottlerResponseCode.OK;
            case THRESHOLD_EXCEEDED -> CheckThrottlerResponseCode.THRESHOLD_EXCEEDED;
            case APP_DENIED -> CheckThrottlerResponseCode.APP_DENIED;
            case UNKNOWN_METRIC -> CheckThrottlerResponseCode.UNKNOWN_METRIC;
            case INTERNAL_ERROR -> CheckThrottlerResponseCode.INTERNAL_ERROR;
        };
    }

    /** A replica's per-metric answer to a {@code vitess}/self check, as readings taken {@code at}. */
    public static Map<String, Reading> readings(CheckThrottlerResponse r, Instant at) {
        Map<String, Reading> out = new TreeMap<>();
        r.getMetricsMap().forEach((name, m) -> out.put(name, m.getResponseCode() == CheckThrottlerResponseCode.INTERNAL_ERROR
                || m.getResponseCode() == CheckThrottlerResponseCode.UNKNOWN_METRIC
                ? Reading.failed(m.getError(), at) : Reading.of(m.getValue(), at)));
        return out;
    }

    /** The status as the response message. */
    public static GetThrottlerStatusResponse toProto(TabletThrottler.Status s) {
        GetThrottlerStatusResponse.Builder b = GetThrottlerStatusResponse.newBuilder()
                .setTabletAlias(ProtoConversions.toProto(s.alias()))
                .setKeyspace(s.keyspace())
                .setShard(s.shard())
                .setIsLeader(s.leader())
                .setIsOpen(s.open())
                .setIsEnabled(s.enabled())
                .setCustomMetricQuery(s.customQuery())
                .setDefaultThreshold(s.defaultThreshold())
                .setMetricNameUsedAsDefault(s.defaultMetric())
                .putAllMetricThresholds(s.thresholds())
                .putAllThrottledApps(s.throttledApps())
                .putAllAppCheckedMetrics(s.appCheckedMetrics());
        s.readings().forEach((k, r) -> b.putAggregatedMetrics(k, GetThrottlerStatusResponse.MetricResult.newBuilder()
                .setValue(finite(r.value())).setError(r.error()).build()));
        return b.build();
    }
}
