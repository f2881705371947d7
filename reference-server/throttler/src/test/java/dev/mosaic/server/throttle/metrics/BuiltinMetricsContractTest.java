package dev.mosaic.server.throttle.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletType;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.throttle.MetricScope;
import dev.mosaic.spi.throttle.ThrottlerMetric;
import dev.mosaic.spi.throttle.ThrottlerMetricFactory;
import dev.mosaic.tck.throttle.ScriptedMetricProbe;
import dev.mosaic.tck.throttle.ThrottlerMetricContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every built-in throttler metric keeps the TCK throttler-metric contract (one nested contract per
 * type, found through ServiceLoader as a host finds it), plus what the contract cannot know: each
 * metric's Vitess defaults and how it parses real answers.
 */
class BuiltinMetricsContractTest {
    private static final Plugins PLUGINS = Plugins.load(BuiltinMetricsContractTest.class.getClassLoader());

    @Test
    void everyRegisteredTypeHasAContract() {
        List<String> types = new ArrayList<>();
        ServiceLoader.load(ThrottlerMetricFactory.class).forEach(f -> types.add(f.type()));
        assertEquals(List.of("custom", "history_list_length", "lag", "loadavg", "threads_running"),
                types.stream().sorted().toList());
    }

    private static ThrottlerMetric metric(String type, Map<String, String> config) {
        return PLUGINS.create(PluginKind.THROTTLER_METRIC, type, "test", config);
    }

    @Test
    void defaultsAreVitesss() {
        record Expect(String type, MetricScope scope, double threshold) {
        }
        for (Expect e : List.of(new Expect("lag", MetricScope.SHARD, 5), new Expect("threads_running", MetricScope.SELF, 100),
                new Expect("loadavg", MetricScope.SELF, 1.0), new Expect("history_list_length", MetricScope.SELF, 5000))) {
            ThrottlerMetric m = metric(e.type(), Map.of());
            assertEquals(e.type(), m.name());
            assertEquals(e.scope(), m.defaultScope(), e.type());
            assertEquals(e.threshold(), m.defaultThreshold(), e.type());
        }
        ThrottlerMetric custom = metric("custom", Map.of("query", "SELECT 7", "threshold", "3.5"));
        assertEquals(MetricScope.SELF, custom.defaultScope());
        assertEquals(3.5, custom.defaultThreshold());
    }

    @Test
    void lagIsTheHeartbeatLagAndZeroOnlyOnAPrimary() {
        ThrottlerMetric lag = metric("lag", Map.of());
        assertEquals(1.25, lag.read(new ScriptedMetricProbe(TabletType.REPLICA, sql -> List.of(), OptionalDouble.of(1.25),
                OptionalDouble.empty())));
        assertEquals(0.0, lag.read(new ScriptedMetricProbe(TabletType.PRIMARY, sql -> List.of(), OptionalDouble.empty(),
                OptionalDouble.empty())));
        MosaicException e = assertThrows(MosaicException.class, () -> lag.read(new ScriptedMetricProbe(TabletType.RDONLY,
                sql -> List.of(), OptionalDouble.empty(), OptionalDouble.empty())));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
    }

    @Test
    void threadsRunningTakesTheValueColumnOfShowStatus() {
        ScriptedMetricProbe probe = new ScriptedMetricProbe(TabletType.REPLICA,
                sql -> List.of(List.of("Threads_running", "12")), OptionalDouble.empty(), OptionalDouble.empty());
        assertEquals(12.0, metric("threads_running", Map.of()).read(probe));
        assertEquals(List.of("SHOW GLOBAL STATUS LIKE 'Threads_running'"), probe.asked());
    }

    @Test
    void customRejectsAnswersThatAreNotOneNumber() {
        ThrottlerMetric custom = metric("custom", Map.of("query", "SELECT v FROM t"));
        for (List<List<String>> rows : List.of(List.<List<String>>of(), List.of(List.of("x")),
                List.of(List.of("1"), List.of("2")), List.of(java.util.Collections.singletonList((String) null)))) {
            MosaicException e = assertThrows(MosaicException.class, () -> custom.read(new ScriptedMetricProbe(
                    TabletType.REPLICA, sql -> rows, OptionalDouble.empty(), OptionalDouble.empty())), rows::toString);
            assertEquals(ErrorCode.FAILED_PRECONDITION, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("SELECT v FROM t"), e.getMessage());
        }
    }

    @Test
    void customConfigIsChecked() {
        for (Map<String, String> bad : List.of(Map.of("query", "DELETE FROM t"), Map.of("query", "SELECT 1; DROP TABLE t"),
                Map.of("query", "SELECT 1", "threshold", "0"), Map.of("query", "SELECT 1", "threshold", "-2"))) {
            MosaicException e = assertThrows(MosaicException.class, () -> metric("custom", bad), bad::toString);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.getMessage());
        }
    }

    /** The contract over the registered provider of {@code type}. */
    abstract static class Builtin extends ThrottlerMetricContract {
        private final String type;

        Builtin(String type) {
            this.type = type;
        }

        @Override
        protected ThrottlerMetricFactory factory() {
            for (ThrottlerMetricFactory f : ServiceLoader.load(ThrottlerMetricFactory.class)) {
                if (f.type().equals(type)) {
                    return f;
                }
            }
            throw new AssertionError("no throttler metric " + type);
        }
    }

    @Nested
    class Lag extends Builtin {
        Lag() {
            super("lag");
        }
    }

    @Nested
    class ThreadsRunning extends Builtin {
        ThreadsRunning() {
            super("threads_running");
        }
    }

    @Nested
    class LoadAvg extends Builtin {
        LoadAvg() {
            super("loadavg");
        }
    }

    @Nested
    class HistoryListLength extends Builtin {
        HistoryListLength() {
            super("history_list_length");
        }
    }

    @Nested
    class Custom extends Builtin {
        Custom() {
            super("custom");
        }

        @Override
        protected Map<String, String> sampleConfig() {
            return Map.of("query", "SELECT 1", "threshold", "2");
        }
    }
}
