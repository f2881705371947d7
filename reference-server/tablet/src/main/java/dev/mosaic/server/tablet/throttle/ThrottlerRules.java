package dev.mosaic.server.tablet.throttle;

import dev.mosaic.proto.topo.ThrottledAppRule;
import dev.mosaic.proto.topo.ThrottlerConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * A keyspace's throttler configuration as the throttler applies it: which apps are denied (with a
 * ratio, until a time) or exempt, which metrics each app checks, and the thresholds. Immutable.
 */
public final class ThrottlerRules {
    /** The app name whose rules and checked metrics apply to apps without their own. */
    public static final String ALL = "all";
    /** The metric checked when nothing else is configured (Vitess's default metric). */
    public static final String LAG = "lag";
    /** The metric an operator's custom query defines. */
    public static final String CUSTOM = "custom";

    private final ThrottlerConfig config;

    private ThrottlerRules(ThrottlerConfig config) {
        this.config = config;
    }

    /** The rules of a keyspace record's configuration. */
    public static ThrottlerRules of(ThrottlerConfig config) {
        return new ThrottlerRules(config == null ? ThrottlerConfig.getDefaultInstance() : config);
    }

    /** The configuration these rules were made from. */
    public ThrottlerConfig config() {
        return config;
    }

    /** Whether the throttler is on. */
    public boolean enabled() {
        return config.getEnabled();
    }

    /** The custom query, empty when none. */
    public String customQuery() {
        return config.getCustomQuery().trim();
    }

    /** The default metric: {@code custom} when a custom query is set, else {@code lag} (as Vitess). */
    public String defaultMetric() {
        return customQuery().isEmpty() ? LAG : CUSTOM;
    }

    /** Shard checks are answered with self readings. */
    public boolean checkAsCheckSelf() {
        return config.getCheckAsCheckSelf();
    }

    private static List<String> tokens(String app) {
        List<String> out = new ArrayList<>();
        out.add(app);
        for (String t : app.split(":")) {
            if (!t.isEmpty() && !t.equals(app)) {
                out.add(t);
            }
        }
        return out;
    }

    private Optional<ThrottledAppRule> liveRule(String app, Instant now) {
        ThrottledAppRule r = config.getThrottledAppsMap().get(app);
        if (r == null) {
            return Optional.empty();
        }
        Instant expires = Instant.ofEpochSecond(r.getExpiresAt().getSeconds(), r.getExpiresAt().getNanos());
        return expires.isAfter(now) ? Optional.of(r) : Optional.empty();
    }

    /**
     * The exempt app the name matches (itself, one of its {@code :}-separated parts, or {@code all}
     * when the app is not denied), if any.
     */
    public Optional<String> exemptMatch(String app, Instant now, DoubleSupplier random) {
        for (String t : tokens(app)) {
            if (liveRule(t, now).map(ThrottledAppRule::getExempt).orElse(false)) {
                return Optional.of(t);
            }
        }
        if (liveRule(ALL, now).map(ThrottledAppRule::getExempt).orElse(false) && deniedMatch(app, now, random).isEmpty()) {
            return Optional.of(ALL);
        }
        return Optional.empty();
    }

    /**
     * The rule that denies this check, if any: the app's own (or a part's) live rule rolls its
     * ratio; an app with no rule of its own falls back to {@code all}'s (Vitess's IsAppThrottled).
     */
    public Optional<String> deniedMatch(String app, Instant now, DoubleSupplier random) {
        boolean found = false;
        for (String t : tokens(app)) {
            Optional<ThrottledAppRule> r = liveRule(t, now);
            if (r.isPresent()) {
                found = true;
                if (!r.get().getExempt() && random.getAsDouble() < r.get().getRatio()) {
                    return Optional.of(t);
                }
            }
        }
        if (!found) {
            Optional<ThrottledAppRule> all = liveRule(ALL, now);
            if (all.isPresent() && !all.get().getExempt() && random.getAsDouble() < all.get().getRatio()) {
                return Optional.of(ALL);
            }
        }
        return Optional.empty();
    }

    /**
     * The metrics an app checks: its own (and its parts') configured metrics, else those of
     * {@code all}, else the default metric.
     */
    public List<String> metricsFor(String app) {
        List<String> out = new ArrayList<>();
        for (String t : tokens(app)) {
            ThrottlerConfig.MetricNames m = config.getAppCheckedMetricsMap().get(t);
            if (m != null) {
                for (String n : m.getNamesList()) {
                    if (!out.contains(n)) {
                        out.add(n);
                    }
                }
            }
        }
        if (out.isEmpty() && !app.equals(ALL)) {
            ThrottlerConfig.MetricNames m = config.getAppCheckedMetricsMap().get(ALL);
            if (m != null) {
                out.addAll(m.getNamesList());
            }
        }
        if (out.isEmpty()) {
            out.add(defaultMetric());
        }
        return out;
    }

    /**
     * A metric's threshold: {@code metric_thresholds[name]}, else {@code threshold} for the default
     * metric when set, else the metric's own default.
     */
    public double threshold(String metric, double metricDefault) {
        Double t = config.getMetricThresholdsMap().get(metric);
        if (t != null && t > 0) {
            return t;
        }
        if (metric.equals(defaultMetric()) && config.getThreshold() > 0) {
            return config.getThreshold();
        }
        return metricDefault;
    }

    /** The app rules that have not expired, by app name. */
    public Map<String, ThrottledAppRule> liveRules(Instant now) {
        Map<String, ThrottledAppRule> out = new LinkedHashMap<>();
        config.getThrottledAppsMap().forEach((k, v) -> {
            if (liveRule(k, now).isPresent()) {
                out.put(k, v);
            }
        });
        return out;
    }
}
