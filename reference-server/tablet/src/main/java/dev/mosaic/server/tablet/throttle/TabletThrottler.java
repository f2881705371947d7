package dev.mosaic.server.tablet.throttle;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.ThrottledAppRule;
import dev.mosaic.proto.topo.ThrottlerConfig;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.throttle.MetricProbe;
import dev.mosaic.spi.throttle.MetricScope;
import dev.mosaic.spi.throttle.ThrottlerMetric;
import dev.mosaic.spi.throttle.ThrottlerMetricFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The tablet throttler (Vitess's {@code throttle.Throttler}).
 *
 * <p>Every {@link ThrottlerSettings#configRefresh} it re-reads its keyspace's {@link ThrottlerConfig}
 * (so {@code UpdateThrottlerConfig} applies without a restart). While enabled, every
 * {@link ThrottlerSettings#pollInterval} it reads each metric locally (self scope), each read
 * bounded by {@link ThrottlerSettings#readTimeout}; on a PRIMARY it also asks each REPLICA of its
 * shard for that tablet's self readings ({@link ShardPeers}), and a metric's shard-scope value is
 * the worst (highest) of its own and the replicas'. As Vitess does with its default
 * {@code ignore_hosts_count} of 0, a replica that cannot be reached, or whose reading is older than
 * {@link ThrottlerSettings#staleness}, makes the shard value an error, so checks answer 500 and the
 * writers wait rather than overrun a replica nobody can see.
 *
 * <p>{@link #check} answers as Vitess: disabled, everything is OK; an exempt app is OK; a denied
 * app (ratio rolled) is 417; otherwise each checked metric (the app's, else {@code all}'s, else the
 * default metric) is compared with its threshold: 404 for an unknown metric, 500 for no reading,
 * 429 above the threshold, 200 when every one passes. The app {@value #VITESS_APP} is the
 * throttlers' own: it checks every metric and no app rule applies to it.
 *
 * <p>Threads: one scheduler ({@code tablet-throttler-<alias>}) for polling and config refresh, and
 * one reader ({@code tablet-throttler-read-<alias>}) so a metric read can be abandoned at its
 * deadline. {@link #check} is thread-safe and never blocks on I/O: it reads the latest snapshot.
 */
public final class TabletThrottler implements AutoCloseable {
    /** The app the throttlers use among themselves: checks every metric, exempt from app rules. */
    public static final String VITESS_APP = "vitess";

    private final TabletAlias alias;
    private final String keyspace;
    private final String shard;
    private final Plugins plugins;
    private final MetricProbe probe;
    private final ShardPeers peers;
    private final Supplier<ThrottlerConfig> configSource;
    private final Supplier<TabletType> type;
    private final ThrottlerSettings settings;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Object pollLock = new Object();

    private volatile ThrottlerRules rules = ThrottlerRules.of(ThrottlerConfig.getDefaultInstance());
    private volatile Map<String, ThrottlerMetric> metrics = Map.of();
    private volatile Map<String, String> metricErrors = Map.of();
    private volatile String configError = "no configuration read yet";
    private volatile String builtForQuery; // the custom query the metric set was built with; null: not built
    private volatile Map<String, Reading> self = Map.of();
    private volatile Map<TabletAlias, Map<String, Reading>> replicas = Map.of();
    private volatile String replicaListError = "";
    private volatile boolean open;
    private ScheduledExecutorService scheduler;
    private ExecutorService reader;

    /**
     * A throttler, not started ({@link #start}); tests drive it with {@link #refreshConfig} and
     * {@link #poll}.
     *
     * @param plugins      where the metric factories are found (every {@code throttler_metric} plugin
     *                     that needs no configuration, plus {@code custom} when a custom query is set)
     * @param probe        what the metrics read through
     * @param peers        the rest of the shard, for a primary
     * @param configSource the keyspace's current configuration (a topology read); may throw
     * @param type         the tablet's current type
     */
    public TabletThrottler(TabletAlias alias, String keyspace, String shard, Plugins plugins, MetricProbe probe,
            ShardPeers peers, Supplier<ThrottlerConfig> configSource, Supplier<TabletType> type,
            ThrottlerSettings settings, Clock clock, DoubleSupplier random) {
        this.alias = Objects.requireNonNull(alias, "alias");
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.shard = Objects.requireNonNull(shard, "shard");
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.configSource = Objects.requireNonNull(configSource, "configSource");
        this.type = Objects.requireNonNull(type, "type");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A throttler on the system clock with a real random source. */
    public TabletThrottler(TabletAlias alias, String keyspace, String shard, Plugins plugins, MetricProbe probe,
            ShardPeers peers, Supplier<ThrottlerConfig> configSource, Supplier<TabletType> type,
            ThrottlerSettings settings) {
        this(alias, keyspace, shard, plugins, probe, peers, configSource, type, settings, Clock.systemUTC(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Starts refreshing the configuration and polling. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tablet-throttler-" + alias);
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        scheduler = s;
        reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tablet-throttler-read-" + alias);
            t.setDaemon(true);
            return t;
        });
        open = true;
        s.scheduleWithFixedDelay(this::refreshQuietly, 0, settings.configRefresh().toNanos(), TimeUnit.NANOSECONDS);
        s.scheduleWithFixedDelay(this::pollQuietly, settings.pollInterval().toNanos(), settings.pollInterval().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    private void refreshQuietly() {
        try {
            refreshConfig();
        } catch (RuntimeException e) {
            configError = String.valueOf(e.getMessage());
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            replicaListError = "poll failed: " + e;
        }
    }

    /**
     * Reads the configuration; on failure keeps the last one and records why (shown in the status).
     * Rebuilds the metric set when the custom query changed.
     */
    public void refreshConfig() {
        ThrottlerConfig c;
        try {
            c = configSource.get();
        } catch (RuntimeException e) {
            configError = "cannot read the keyspace's throttler config: " + e.getMessage();
            return;
        }
        ThrottlerRules r = ThrottlerRules.of(c);
        if (!r.customQuery().equals(builtForQuery)) {
            buildMetrics(r.customQuery());
        }
        rules = r;
        configError = "";
    }

    private void buildMetrics(String customQuery) {
        Map<String, ThrottlerMetric> m = new TreeMap<>();
        Map<String, String> errors = new TreeMap<>();
        for (ThrottlerMetricFactory f : plugins.factories(PluginKind.THROTTLER_METRIC)) {
            Map<String, String> raw = new LinkedHashMap<>();
            if (f.type().equals(ThrottlerRules.CUSTOM)) {
                if (customQuery.isEmpty()) {
                    continue;
                }
                raw.put("query", customQuery);
            } else if (f.configSpec().keys().stream().anyMatch(ConfigKey::required)) {
                errors.put(f.type(), "needs configuration the throttler does not give; not loaded");
                continue;
            }
            try {
                ThrottlerMetric metric = plugins.create(PluginKind.THROTTLER_METRIC, f.type(), "throttler-" + f.type(), raw);
                m.put(metric.name(), metric);
            } catch (MosaicException e) {
                errors.put(f.type(), e.getMessage());
            }
        }
        metrics = java.util.Collections.unmodifiableMap(m);
        metricErrors = Map.copyOf(errors);
        builtForQuery = customQuery;
    }

    /** One polling round: self readings, and on a primary the replicas' (see the class comment). */
    public void poll() {
        synchronized (pollLock) {
            if (!rules.enabled()) {
                self = Map.of();
                replicas = Map.of();
                return;
            }
            Map<String, Reading> mine = new TreeMap<>();
            for (ThrottlerMetric m : metrics.values()) {
                mine.put(m.name(), read(m));
            }
            self = java.util.Collections.unmodifiableMap(mine);
            if (type.get() != TabletType.PRIMARY) {
                replicas = Map.of();
                return;
            }
            List<TabletAlias> list;
            try {
                list = peers.replicas();
                replicaListError = "";
            } catch (RuntimeException e) {
                replicaListError = "cannot list the shard's replicas: " + e.getMessage();
                return; // keep the last readings; they go stale
            }
            Map<TabletAlias, Map<String, Reading>> next = new LinkedHashMap<>();
            for (TabletAlias t : list) {
                if (t.equals(alias)) {
                    continue;
                }
                Instant now = clock.instant();
                try {
                    next.put(t, Map.copyOf(peers.selfReadings(t)));
                } catch (RuntimeException e) {
                    Map<String, Reading> failed = new TreeMap<>();
                    for (String name : metrics.keySet()) {
                        failed.put(name, Reading.failed("tablet " + t + " unreachable: " + e.getMessage(), now));
                    }
                    next.put(t, failed);
                }
            }
            replicas = next;
        }
    }

    private Reading read(ThrottlerMetric m) {
        Instant now = clock.instant();
        ExecutorService r = reader;
        try {
            if (r == null) {
                return Reading.of(m.read(probe), now);
            }
            Future<Double> f = r.submit(() -> m.read(probe));
            try {
                return Reading.of(f.get(settings.readTimeout().toNanos(), TimeUnit.NANOSECONDS), now);
            } catch (TimeoutException e) {
                f.cancel(true);
                return Reading.failed("read did not finish within " + settings.readTimeout(), now);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        } catch (MosaicException e) {
            return Reading.failed(e.getMessage(), now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reading.failed("interrupted", now);
        } catch (RuntimeException e) {
            return Reading.failed(e.toString(), now);
        }
    }

    /** A metric's reading in a scope, as of now (self, or the worst over the shard on a primary). */
    Reading reading(String metric, MetricScope scope) {
        Instant now = clock.instant();
        Reading mine = self.get(metric);
        if (mine == null) {
            return Reading.failed("no reading yet", now);
        }
        if (scope == MetricScope.SELF || type.get() != TabletType.PRIMARY) {
            return mine;
        }
        if (!replicaListError.isEmpty() && replicas.isEmpty()) {
            return Reading.failed(replicaListError, now);
        }
        Reading worst = mine;
        Instant staleBefore = now.minus(settings.staleness());
        for (Map.Entry<TabletAlias, Map<String, Reading>> e : replicas.entrySet()) {
            Reading r = e.getValue().get(metric);
            if (r == null) {
                return Reading.failed("tablet " + e.getKey() + " reported no " + metric + " reading", now);
            }
            if (!r.ok()) {
                return Reading.failed("tablet " + e.getKey() + ": " + r.error(), r.at());
            }
            if (r.at().isBefore(staleBefore)) {
                return Reading.failed("tablet " + e.getKey() + ": reading from " + r.at() + " is older than "
                        + settings.staleness(), r.at());
            }
            if (r.value() > worst.value()) {
                worst = r;
            }
        }
        return worst;
    }

    /**
     * Checks whether {@code app} may write now.
     *
     * @param app     the app name
     * @param scope   the scope asked for; empty for each metric's default scope
     * @param asked   the metrics to check instead of the app's configured ones; empty for those
     * @return the answer; never throws
     */
    public CheckResult check(String app, Optional<MetricScope> scope, List<String> asked) {
        ThrottlerRules r = rules;
        Instant now = clock.instant();
        String appName = app == null || app.isBlank() ? VITESS_APP : app.trim();
        if (!r.enabled()) {
            return new CheckResult(ResponseCode.OK, appName, "", 0, 0, "throttler is disabled", "", Map.of());
        }
        boolean internal = appName.equals(VITESS_APP);
        if (!internal) {
            Optional<String> exempt = r.exemptMatch(appName, now, random);
            if (exempt.isPresent()) {
                return new CheckResult(ResponseCode.OK, exempt.get(), "", 0, 0, "app " + exempt.get() + " is exempt",
                        "", Map.of());
            }
            Optional<String> denied = r.deniedMatch(appName, now, random);
            if (denied.isPresent()) {
                return new CheckResult(ResponseCode.APP_DENIED, denied.get(), "", 0, 0, "app " + denied.get()
                        + " is denied by a throttle rule", "", Map.of());
            }
        }
        List<String> names = !asked.isEmpty() ? asked : internal ? List.copyOf(metrics.keySet()) : r.metricsFor(appName);
        Map<String, CheckResult.MetricResult> results = new LinkedHashMap<>();
        CheckResult.MetricResult deciding = null;
        for (String name : names) {
            CheckResult.MetricResult mr = checkMetric(r, name, scope);
            results.put(name, mr);
            if (deciding == null || (deciding.code() == ResponseCode.OK && mr.code() != ResponseCode.OK)) {
                deciding = mr;
            }
        }
        if (deciding == null) {
            return new CheckResult(ResponseCode.OK, appName, "", 0, 0, "no metrics to check", "", results);
        }
        String message = switch (deciding.code()) {
            case OK -> "ok";
            case THRESHOLD_EXCEEDED -> "threshold exceeded: " + deciding.name() + " (" + deciding.scope().name().toLowerCase()
                    + ") is " + deciding.value() + ", above " + deciding.threshold();
            case UNKNOWN_METRIC -> "unknown metric: " + deciding.name();
            case INTERNAL_ERROR -> "no reading of " + deciding.name() + ": " + deciding.error();
            case APP_DENIED -> "app denied";
        };
        return new CheckResult(deciding.code(), appName, deciding.name(), deciding.value(), deciding.threshold(), message,
                deciding.error(), results);
    }

    private CheckResult.MetricResult checkMetric(ThrottlerRules r, String name, Optional<MetricScope> asked) {
        ThrottlerMetric m = metrics.get(name);
        if (m == null) {
            return new CheckResult.MetricResult(name, asked.orElse(MetricScope.SELF), ResponseCode.UNKNOWN_METRIC,
                    Double.NaN, 0, "no metric named " + name + " on this tablet (known: " + metrics.keySet() + ")");
        }
        MetricScope scope = asked.orElse(m.defaultScope());
        if (scope == MetricScope.SHARD && r.checkAsCheckSelf()) {
            scope = MetricScope.SELF;
        }
        double threshold = r.threshold(name, m.defaultThreshold());
        Reading reading = reading(name, scope);
        if (!reading.ok()) {
            return new CheckResult.MetricResult(name, scope, ResponseCode.INTERNAL_ERROR, Double.NaN, threshold,
                    reading.error());
        }
        ResponseCode code = reading.value() > threshold ? ResponseCode.THRESHOLD_EXCEEDED : ResponseCode.OK;
        return new CheckResult.MetricResult(name, scope, code, reading.value(), threshold, "");
    }

    /**
     * The throttler's state for {@code GetThrottlerStatus} and {@code /throttler/status}.
     *
     * @param alias             this tablet
     * @param keyspace          its keyspace
     * @param shard             its shard
     * @param leader            it is the primary (aggregates the shard)
     * @param open              polling runs
     * @param enabled           the keyspace enables the throttler
     * @param customQuery       the custom metric's query, empty if none
     * @param defaultMetric     {@code lag} or {@code custom}
     * @param defaultThreshold  the default metric's threshold
     * @param readings          by {@code self/<metric>} and (on a primary) {@code shard/<metric>}
     * @param thresholds        each loaded metric's threshold
     * @param throttledApps     the live app rules
     * @param appCheckedMetrics configured metrics per app, comma-separated
     * @param configError       why the configuration could not be read, empty if it could
     * @param metricErrors      metrics that could not be loaded, with the reason
     */
    public record Status(TabletAlias alias, String keyspace, String shard, boolean leader, boolean open, boolean enabled,
                         String customQuery, String defaultMetric, double defaultThreshold, Map<String, Reading> readings,
                         Map<String, Double> thresholds, Map<String, ThrottledAppRule> throttledApps,
                         Map<String, String> appCheckedMetrics, String configError, Map<String, String> metricErrors) {
    }

    /** A snapshot of the state. */
    public Status status() {
        ThrottlerRules r = rules;
        boolean leader = type.get() == TabletType.PRIMARY;
        Map<String, Reading> readings = new TreeMap<>();
        Map<String, Double> thresholds = new TreeMap<>();
        double defaultThreshold = 0;
        for (ThrottlerMetric m : metrics.values()) {
            double t = r.threshold(m.name(), m.defaultThreshold());
            thresholds.put(m.name(), t);
            if (m.name().equals(r.defaultMetric())) {
                defaultThreshold = t;
            }
            if (r.enabled()) {
                readings.put("self/" + m.name(), reading(m.name(), MetricScope.SELF));
                if (leader) {
                    readings.put("shard/" + m.name(), reading(m.name(), MetricScope.SHARD));
                }
            }
        }
        Map<String, String> checked = new TreeMap<>();
        r.config().getAppCheckedMetricsMap().forEach((k, v) -> checked.put(k, String.join(",", v.getNamesList())));
        return new Status(alias, keyspace, shard, leader, open, r.enabled(), r.customQuery(), r.defaultMetric(),
                defaultThreshold, readings, thresholds, r.liveRules(clock.instant()), checked, configError, metricErrors);
    }

    /** The names of the loaded metrics. */
    public List<String> metricNames() {
        return new ArrayList<>(metrics.keySet());
    }

    /** Stops polling. */
    @Override
    public synchronized void close() {
        open = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
            reader.shutdownNow();
            scheduler = null;
            reader = null;
        }
    }
}
