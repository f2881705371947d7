package dev.mosaic.tck.throttle;

import static dev.mosaic.tck.Clauses.require;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.throttle.MetricProbe;
import dev.mosaic.spi.throttle.MetricScope;
import dev.mosaic.spi.throttle.ThrottlerMetric;
import dev.mosaic.spi.throttle.ThrottlerMetricFactory;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.PluginContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The contract of a throttler-metric provider: a named reading with a scope and a default threshold
 * that the tablet throttler polls (Vitess's self metrics).
 *
 * <p>A plugin author extends it and implements {@link #factory()} (and {@link #sampleConfig()} if
 * the factory has required keys). The clauses create the metric through the registry and read it
 * through {@link ScriptedMetricProbe}s: {@link #workingProbe()} answers every query with one row
 * holding {@code 1} and reports a lag and a load; {@link #failingProbe()} cannot reach mysqld and
 * knows no lag or load. A metric that needs other answers overrides {@link #workingProbe()}.
 *
 * <p>What a metric must do:
 * <ul>
 *   <li>its name is non-empty, {@code [a-z0-9_]+}, and no other provider on the class path makes a
 *       metric of that name ({@code throttle.name}, {@code throttle.name-unique});</li>
 *   <li>its default scope is set and its default threshold finite and greater than zero
 *       ({@code throttle.sane});</li>
 *   <li>a read returns a finite number, or throws a {@link MosaicException}
 *       ({@code throttle.read-value}), within {@link #READ_DEADLINE} ({@code throttle.read-deadline});</li>
 *   <li>a read the probe cannot serve throws {@code UNAVAILABLE}: returning a number then (typically
 *       0) would tell the throttler all is well when nobody knows ({@code throttle.no-fake-zero}).</li>
 * </ul>
 * JUnit creates one instance per clause; nothing is shared between clauses.
 */
public abstract class ThrottlerMetricContract extends PluginContract<ThrottlerMetricFactory> {
    /** The valid form of a metric name. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,64}");
    /** How long one read may take: the throttler polls every second or so. */
    public static final Duration READ_DEADLINE = Duration.ofSeconds(2);
    /** How long the clauses other than {@code throttle.read-deadline} wait for a read before giving up. */
    public static final Duration HARD_BOUND = Duration.ofSeconds(10);

    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tck-metric-reader");
        t.setDaemon(true);
        return t;
    });

    /** For subclasses. */
    protected ThrottlerMetricContract() {
    }

    /**
     * The probe of the clauses that expect a reading. Override when the metric needs specific
     * answers (a query whose rows it parses differently).
     *
     * @return by default {@link ScriptedMetricProbe#working()}
     */
    protected MetricProbe workingProbe() {
        return ScriptedMetricProbe.working();
    }

    /**
     * The probe of {@code throttle.no-fake-zero}: nothing it is asked can be answered.
     *
     * @return by default {@link ScriptedMetricProbe#failing()}
     */
    protected MetricProbe failingProbe() {
        return ScriptedMetricProbe.failing();
    }

    /**
     * The other throttler-metric providers whose metric names must differ from this one's.
     *
     * @return by default every provider {@link ServiceLoader} finds through the factory's class
     *         loader, except the factory's own class
     */
    protected List<ThrottlerMetricFactory> peers() {
        Class<?> own = factory().getClass();
        ClassLoader loader = own.getClassLoader() != null ? own.getClassLoader() : ClassLoader.getSystemClassLoader();
        List<ThrottlerMetricFactory> out = new ArrayList<>();
        var it = ServiceLoader.load(ThrottlerMetricFactory.class, loader).iterator();
        for (int guard = 0; guard < 10_000; guard++) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                ThrottlerMetricFactory f = it.next();
                if (f.getClass() != own) {
                    out.add(f);
                }
            } catch (ServiceConfigurationError e) {
                // another provider's problem; the registry contract reports it
            }
        }
        return out;
    }

    /**
     * A new metric from the factory under test, created through the registry with the sample
     * configuration. Skips the clause when the registry refuses the provider or a required key has
     * no sample value (the registry clauses report those).
     *
     * @return a new metric
     */
    protected final ThrottlerMetric newMetric() {
        return serviceInstance(ThrottlerMetric.class);
    }

    /**
     * <b>throttle.name</b>: {@code name()} is non-empty, lower case {@code [a-z0-9_]} (at most 64
     * characters) and the same on every call.
     */
    @Test
    @Tag("throttle.name")
    @Clause(value = "throttle.name", text = "name() is non-empty, [a-z0-9_]{1,64} and stable")
    public final void name() {
        ThrottlerMetric m = newMetric();
        String name = m.name();
        require(name != null, () -> "name() returned null");
        require(NAME.matcher(name).matches(), () -> "name() '" + name + "' does not match " + NAME.pattern());
        require(name.equals(m.name()), () -> "name() changed between two calls");
    }

    /**
     * <b>throttle.name-unique</b>: no other provider in {@link #peers()} makes a metric of the same
     * name (a peer that cannot be created with dummy values for its required keys is represented by
     * its type name); the throttler and its configuration address metrics by name.
     */
    @Test
    @Tag("throttle.name-unique")
    @Clause(value = "throttle.name-unique", text = "no other throttler-metric provider on the class path has a metric of the same name")
    public final void nameUnique() {
        String name = newMetric().name();
        List<String> clashes = new ArrayList<>();
        for (ThrottlerMetricFactory peer : peers()) {
            String peerName = peerMetricName(peer);
            if (name.equals(peerName)) {
                clashes.add(peer.getClass().getName());
            }
        }
        require(clashes.isEmpty(), () -> "metric name '" + name + "' is also the name of the metric of " + clashes);
    }

    private static String peerMetricName(ThrottlerMetricFactory peer) {
        try {
            Map<String, String> raw = new LinkedHashMap<>();
            for (ConfigKey k : peer.configSpec().keys()) {
                if (k.required()) {
                    raw.put(k.name(), dummyValue(k.type()));
                }
            }
            ThrottlerMetric m = peer.create(peer.configSpec().validate(raw, "peer"), PluginContext.named(INSTANCE_NAME));
            if (m != null && m.name() != null) {
                String n = m.name();
                if (m instanceof AutoCloseable c) {
                    c.close();
                }
                return n;
            }
        } catch (Exception e) {
            // cannot be made with dummy values: its type name stands for its metric
        }
        try {
            return peer.type();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * <b>throttle.sane</b>: {@code defaultScope()} is not null and {@code defaultThreshold()} is
     * finite and greater than zero.
     */
    @Test
    @Tag("throttle.sane")
    @Clause(value = "throttle.sane", text = "the default scope is set and the default threshold is finite and greater than 0")
    public final void sane() {
        ThrottlerMetric m = newMetric();
        MetricScope scope = m.defaultScope();
        require(scope != null, () -> "defaultScope() returned null");
        double t = m.defaultThreshold();
        require(!Double.isNaN(t) && !Double.isInfinite(t) && t > 0,
                () -> "defaultThreshold() is " + t + "; it must be finite and greater than 0");
    }

    /**
     * <b>throttle.read-value</b>: reading through {@link #workingProbe()} returns a finite number
     * (not NaN, not infinite) or throws a {@link MosaicException}; any other exception is a bug.
     */
    @Test
    @Tag("throttle.read-value")
    @Clause(value = "throttle.read-value", text = "a read returns a finite number or throws a MosaicException")
    public final void readValue() {
        ThrottlerMetric m = newMetric();
        Reading r = read(m, workingProbe(), HARD_BOUND);
        require(!r.timedOut(), () -> "read() did not return within " + HARD_BOUND.toSeconds() + "s");
        if (r.error() != null) {
            require(r.error() instanceof MosaicException, () -> "read() threw " + r.error()
                    + "; a reading that cannot be taken is a MosaicException");
            return;
        }
        require(!Double.isNaN(r.value()) && !Double.isInfinite(r.value()),
                () -> "read() returned " + r.value() + "; a reading is a finite number");
    }

    /** <b>throttle.read-deadline</b>: reading through {@link #workingProbe()} returns within {@link #READ_DEADLINE}. */
    @Test
    @Tag("throttle.read-deadline")
    @Clause(value = "throttle.read-deadline", text = "a read returns (or fails) within 2 seconds")
    public final void readDeadline() {
        ThrottlerMetric m = newMetric();
        Reading r = read(m, workingProbe(), READ_DEADLINE);
        require(!r.timedOut(), () -> "read() did not return within " + READ_DEADLINE.toMillis() + "ms");
    }

    /**
     * <b>throttle.no-fake-zero</b>: reading through {@link #failingProbe()} (mysqld unreachable, lag
     * and load unknown) throws a {@link MosaicException} with code {@code UNAVAILABLE}; returning
     * any number would report health nobody measured.
     */
    @Test
    @Tag("throttle.no-fake-zero")
    @Clause(value = "throttle.no-fake-zero",
            text = "when the probe cannot answer, read() throws UNAVAILABLE instead of returning a number")
    public final void noFakeZero() {
        ThrottlerMetric m = newMetric();
        Reading r = read(m, failingProbe(), HARD_BOUND);
        require(!r.timedOut(), () -> "read() did not return within " + HARD_BOUND.toSeconds() + "s");
        require(r.error() != null, () -> "read() returned " + r.value()
                + " although the probe could not answer; it must throw UNAVAILABLE");
        require(r.error() instanceof MosaicException me && me.code() == ErrorCode.UNAVAILABLE,
                () -> "read() threw " + r.error() + "; expected a MosaicException with code UNAVAILABLE");
    }

    /** What one read gave: a value, an error, or nothing in time. */
    private record Reading(double value, Throwable error, boolean timedOut) {
    }

    private Reading read(ThrottlerMetric m, MetricProbe probe, Duration limit) {
        Future<Double> f = reader.submit(() -> m.read(probe));
        try {
            return new Reading(f.get(limit.toMillis(), TimeUnit.MILLISECONDS), null, false);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Reading(Double.NaN, null, true);
        } catch (ExecutionException e) {
            return new Reading(Double.NaN, e.getCause(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while reading", e);
        }
    }

    /** Stops the reader thread. */
    @AfterEach
    protected final void stopReader() {
        reader.shutdownNow();
    }
}
