package dev.mosaic.server.tablet.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.ThrottledAppRule;
import dev.mosaic.proto.topo.ThrottlerConfig;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.throttle.MetricScope;
import dev.mosaic.tck.throttle.ScriptedMetricProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The throttler's decisions over the built-in metrics, driven step by step: a scripted probe for
 * the tablet's own readings, a scripted shard for the replicas', and a settable configuration.
 */
class TabletThrottlerTest {
    private static final Plugins PLUGINS = Plugins.load(TabletThrottlerTest.class.getClassLoader());
    private static final TabletAlias SELF = new TabletAlias("zone1", 100);
    private static final TabletAlias REPLICA = new TabletAlias("zone1", 101);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<ThrottlerConfig> config = new AtomicReference<>(ThrottlerConfig.getDefaultInstance());
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Map<TabletAlias, Object> shard = new LinkedHashMap<>(); // readings, or an exception
    private TabletType type = TabletType.PRIMARY;
    private double roll = 0.5;

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private final ShardPeers peers = new ShardPeers() {
        @Override
        public List<TabletAlias> replicas() {
            return List.copyOf(shard.keySet());
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, Reading> selfReadings(TabletAlias tablet) {
            Object o = shard.get(tablet);
            if (o instanceof RuntimeException e) {
                throw e;
            }
            return (Map<String, Reading>) o;
        }
    };

    /** The primary's own probe: lag unknown (a primary), 3 threads running, load 0.2. */
    private final ScriptedMetricProbe probe = new ScriptedMetricProbe(dev.mosaic.api.cluster.TabletType.PRIMARY,
            sql -> sql.contains("Threads_running") ? List.of(List.of("Threads_running", "3")) : List.of(List.of("10")),
            OptionalDouble.empty(), OptionalDouble.of(0.2));

    private final TabletThrottler throttler = new TabletThrottler(SELF, "ks", "-", PLUGINS, probe, peers, config::get,
            () -> type, ThrottlerSettings.defaults(), clock, () -> roll);

    private void configure(ThrottlerConfig c) {
        config.set(c);
        throttler.refreshConfig();
    }

    private static ThrottlerConfig.Builder enabled() {
        return ThrottlerConfig.newBuilder().setEnabled(true);
    }

    private void replicaLag(double seconds) {
        shard.put(REPLICA, Map.of("lag", Reading.of(seconds, now.get()), "threads_running", Reading.of(1, now.get()),
                "loadavg", Reading.of(0.1, now.get()), "history_list_length", Reading.of(0, now.get())));
    }

    private CheckResult check(String app) {
        return throttler.check(app, Optional.empty(), List.of());
    }

    private static Timestamp at(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).build();
    }

    private static ThrottledAppRule rule(String app, double ratio, Instant expires, boolean exempt) {
        return ThrottledAppRule.newBuilder().setName(app).setRatio(ratio).setExpiresAt(at(expires)).setExempt(exempt).build();
    }

    @Test
    void disabledAnswersOkWithoutReading() {
        configure(ThrottlerConfig.getDefaultInstance());
        replicaLag(100);
        throttler.poll();
        CheckResult r = check("vreplication");
        assertEquals(200, r.statusCode());
        assertEquals("throttler is disabled", r.message());
        assertTrue(probe.asked().isEmpty(), "a disabled throttler reads nothing: " + probe.asked());
    }

    @Test
    void shardLagIsTheWorstReplicaAndExceedingItIs429() {
        configure(enabled().build());
        replicaLag(1.5);
        throttler.poll();
        CheckResult ok = check("vreplication");
        assertEquals(ResponseCode.OK, ok.code(), ok.toString());
        assertEquals("lag", ok.metricName());
        assertEquals(1.5, ok.value());
        assertEquals(5.0, ok.threshold());
        assertEquals(MetricScope.SHARD, ok.metrics().get("lag").scope());

        replicaLag(7);
        throttler.poll();
        CheckResult high = check("vreplication");
        assertEquals(429, high.statusCode(), high.toString());
        assertEquals(7.0, high.value());
        assertTrue(high.message().startsWith("threshold exceeded: lag (shard) is 7.0, above 5.0"), high.message());
        // self scope: the primary's own lag is 0
        assertEquals(200, throttler.check("vreplication", Optional.of(MetricScope.SELF), List.of()).statusCode());
    }

    @Test
    void thresholdsComeFromTheConfig() {
        configure(enabled().setThreshold(2).build());
        replicaLag(3);
        throttler.poll();
        assertEquals(429, check("vreplication").statusCode());
        configure(enabled().putMetricThresholds("lag", 4).build());
        assertEquals(200, check("vreplication").statusCode());
        configure(enabled().putMetricThresholds("threads_running", 2)
                .putAppCheckedMetrics("batch", ThrottlerConfig.MetricNames.newBuilder().addNames("threads_running").build())
                .build());
        throttler.poll();
        CheckResult r = check("batch");
        assertEquals(429, r.statusCode(), r.toString());
        assertEquals("threads_running", r.metricName());
        assertEquals(3.0, r.value());
        assertEquals(MetricScope.SELF, r.metrics().get("threads_running").scope());
    }

    @Test
    void appRulesDenyExemptAndExpire() {
        Instant later = T0.plus(Duration.ofHours(1));
        configure(enabled().setThreshold(2)
                .putThrottledApps("x", rule("x", 1.0, later, false))
                .putThrottledApps("exempt-app", rule("exempt-app", 0, later, true))
                .putThrottledApps("half", rule("half", 0.5, later, false))
                .putThrottledApps("old", rule("old", 1.0, T0.minusSeconds(1), false))
                .build());
        replicaLag(3);
        throttler.poll();
        assertEquals(417, check("x").statusCode());
        assertEquals(ResponseCode.APP_DENIED, check("x").code());
        assertEquals(200, check("exempt-app").statusCode(), "exempt even above the threshold");
        assertEquals(417, check("x:vcopier").statusCode(), "a part of the name matches");
        roll = 0.4;
        assertEquals(417, check("half").statusCode());
        roll = 0.6;
        assertEquals(429, check("half").statusCode(), "not denied this time, so the metrics decide");
        assertEquals(429, check("old").statusCode(), "an expired rule no longer denies");
        now.set(later.plusSeconds(1));
        replicaLag(1);
        throttler.poll();
        assertEquals(200, check("x").statusCode(), "the rule expired");
    }

    @Test
    void allAppRuleAppliesToAppsWithoutTheirOwn() {
        Instant later = T0.plus(Duration.ofHours(1));
        configure(enabled().putThrottledApps("all", rule("all", 1.0, later, false))
                .putThrottledApps("mine", rule("mine", 0, later, false)).build());
        replicaLag(0);
        throttler.poll();
        assertEquals(417, check("vreplication").statusCode());
        assertEquals("all", check("vreplication").appName());
        assertEquals(200, check("mine").statusCode());
        assertEquals(200, check(TabletThrottler.VITESS_APP).statusCode(), "the throttlers' own app ignores app rules");
    }

    @Test
    void unknownMetricIs404() {
        configure(enabled().build());
        replicaLag(0);
        throttler.poll();
        CheckResult r = throttler.check("vreplication", Optional.empty(), List.of("no_such_metric"));
        assertEquals(404, r.statusCode());
        assertEquals(ResponseCode.UNKNOWN_METRIC, r.code());
        CheckResult custom = throttler.check("vreplication", Optional.empty(), List.of("custom"));
        assertEquals(404, custom.statusCode(), "custom exists only with a custom query");
    }

    @Test
    void unreachableOrStaleReplicaFailsShardChecks() {
        configure(enabled().build());
        shard.put(REPLICA, new MosaicException(ErrorCode.UNAVAILABLE, "connection refused"));
        throttler.poll();
        CheckResult r = check("vreplication");
        assertEquals(500, r.statusCode(), r.toString());
        assertTrue(r.error().contains("zone1-0000000101") || r.error().contains("101"), r.error());
        assertEquals(200, throttler.check("vreplication", Optional.of(MetricScope.SELF), List.of()).statusCode());

        replicaLag(1); // read at T0
        throttler.poll();
        assertEquals(200, check("vreplication").statusCode());
        // the replica's answers keep their time; a poll that cannot reach the topology leaves them to age
        now.set(T0.plusSeconds(6));
        assertEquals(500, check("vreplication").statusCode(), "a reading older than the staleness limit");
    }

    @Test
    void checkAsCheckSelfAnswersShardChecksWithSelfReadings() {
        configure(enabled().setCheckAsCheckSelf(true).build());
        replicaLag(9);
        throttler.poll();
        CheckResult r = check("vreplication");
        assertEquals(200, r.statusCode(), r.toString());
        assertEquals(MetricScope.SELF, r.metrics().get("lag").scope());
    }

    @Test
    void aReplicaAnswersWithItsOwnReadingsAndAsksNobody() {
        type = TabletType.REPLICA;
        shard.put(REPLICA, new IllegalStateException("a replica must not ask its peers"));
        ScriptedMetricProbe replicaProbe = new ScriptedMetricProbe(dev.mosaic.api.cluster.TabletType.REPLICA,
                sql -> sql.contains("Threads_running") ? List.of(List.of("Threads_running", "3")) : List.of(List.of("10")),
                OptionalDouble.empty(), OptionalDouble.of(0.2));
        TabletThrottler replica = new TabletThrottler(REPLICA, "ks", "-", PLUGINS, replicaProbe, peers, config::get,
                () -> type, ThrottlerSettings.defaults(), clock, () -> roll);
        config.set(enabled().build());
        replica.refreshConfig();
        replica.poll();
        CheckResult all = replica.check(TabletThrottler.VITESS_APP, Optional.of(MetricScope.SELF), List.of());
        assertEquals(List.of("history_list_length", "lag", "loadavg", "threads_running"), List.copyOf(all.metrics().keySet()));
        assertEquals(ResponseCode.INTERNAL_ERROR, all.metrics().get("lag").code(), "a replica without heartbeat lag has no lag reading");
        assertEquals(3.0, all.metrics().get("threads_running").value());
        assertEquals(0.2, all.metrics().get("loadavg").value());
    }

    @Test
    void customQueryBecomesTheDefaultMetric() {
        configure(enabled().setCustomQuery("SELECT 10").setThreshold(20).build());
        throttler.poll();
        CheckResult r = check("vreplication");
        assertEquals("custom", r.metricName());
        assertEquals(10.0, r.value());
        assertEquals(200, r.statusCode());
        configure(enabled().setCustomQuery("SELECT 10").setThreshold(5).build());
        assertEquals(429, check("vreplication").statusCode());
        assertEquals("custom", throttler.status().defaultMetric());
    }

    @Test
    void anUnreadableConfigKeepsTheLastOne() {
        configure(enabled().setThreshold(2).build());
        config.set(null);
        AtomicReference<RuntimeException> failure = new AtomicReference<>(new MosaicException(ErrorCode.UNAVAILABLE, "topo down"));
        TabletThrottler t = new TabletThrottler(SELF, "ks", "-", PLUGINS, probe, peers, () -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            return enabled().build();
        }, () -> type, ThrottlerSettings.defaults(), clock, () -> roll);
        t.refreshConfig();
        assertTrue(t.status().configError().contains("topo down"), t.status().configError());
        assertEquals(false, t.status().enabled());
        failure.set(null);
        t.refreshConfig();
        assertEquals(true, t.status().enabled());
        assertEquals("", t.status().configError());
    }

    @Test
    void statusShowsReadingsThresholdsAndRules() {
        Instant later = T0.plus(Duration.ofHours(1));
        configure(enabled().setThreshold(2).putThrottledApps("x", rule("x", 1, later, false)).build());
        replicaLag(1.25);
        throttler.poll();
        TabletThrottler.Status s = throttler.status();
        assertTrue(s.leader());
        assertEquals(2.0, s.defaultThreshold());
        assertEquals(1.25, s.readings().get("shard/lag").value());
        assertEquals(0.0, s.readings().get("self/lag").value());
        assertEquals(100.0, s.thresholds().get("threads_running"));
        assertEquals(List.of("x"), List.copyOf(s.throttledApps().keySet()));
    }
}
