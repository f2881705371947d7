package dev.mosaic.server.gate.process.querylog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the gate's clients ran: per normalized statement (the plan cache's key, literals replaced
 * by bind variables) the count, rows, errors and latency (total, mean, max), for
 * {@code /debug/query_stats}; per keyspace the statements per second, for the status page and
 * {@code mosaic.gate.queries}; and a slow log of the statements at least
 * {@code slowThreshold} slow, one line each with the normalized text, latency and rows.
 *
 * <p>At most {@code maxQueries} distinct statements are kept; when a new one would exceed it, the
 * least-run one is dropped. Thread-safe: recording is lock-free except for the slow log's writes.
 */
public final class QueryLog {
    /** The keyspace name used for statements that reached no keyspace (gate-answered, failed to parse). */
    public static final String NO_KEYSPACE = "";

    private final Duration slowThreshold;
    private final long slowNanos;
    private final int maxQueries;
    private final PrintStream slowLog;
    private final MeterRegistry registry;
    private final Map<String, Stats> stats = new ConcurrentHashMap<>();
    private final Map<String, KeyspaceMeters> keyspaces = new ConcurrentHashMap<>();
    private final Counter slowCounter;

    /** One normalized statement's running totals. */
    private static final class Stats {
        final String query;
        final LongAdder count = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final AtomicLong maxNanos = new AtomicLong();
        final LongAdder rows = new LongAdder();
        final LongAdder errors = new LongAdder();
        volatile String keyspace = NO_KEYSPACE;

        Stats(String query) {
            this.query = query;
        }
    }

    private record KeyspaceMeters(Counter queries, Counter errors, Timer latency, SlidingRate rate) {
    }

    /**
     * The totals of one normalized statement.
     *
     * @param query the normalized text
     * @param keyspace the keyspace it ran in last (empty if none)
     * @param count executions
     * @param total their summed latency
     * @param max the slowest execution
     * @param rows rows returned or affected, summed
     * @param errors executions that failed
     */
    public record QueryStats(String query, String keyspace, long count, Duration total, Duration max, long rows,
            long errors) {
        /** The mean latency. */
        public Duration mean() {
            return count == 0 ? Duration.ZERO : total.dividedBy(count);
        }
    }

    /**
     * A log.
     *
     * @param slowThreshold statements at least this slow are written to {@code slowLog}
     * @param maxQueries distinct statements kept
     * @param slowLog where slow statements go (a file or the process log)
     * @param registry where {@code mosaic.gate.queries}, {@code mosaic.gate.query.errors},
     *     {@code mosaic.gate.query.latency} (per keyspace) and {@code mosaic.gate.slow.queries} go
     */
    public QueryLog(Duration slowThreshold, int maxQueries, PrintStream slowLog, MeterRegistry registry) {
        this.slowThreshold = Objects.requireNonNull(slowThreshold, "slowThreshold");
        this.slowNanos = slowThreshold.toNanos();
        if (maxQueries < 1) {
            throw new IllegalArgumentException("maxQueries must be positive: " + maxQueries);
        }
        this.maxQueries = maxQueries;
        this.slowLog = Objects.requireNonNull(slowLog, "slowLog");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.slowCounter = Counter.builder("mosaic.gate.slow.queries")
                .description("statements at least querylog.slow-threshold slow").register(registry);
    }

    /** The slow-log threshold. */
    public Duration slowThreshold() {
        return slowThreshold;
    }

    /**
     * Records one statement.
     *
     * @param query its normalized text
     * @param keyspace the keyspace it ran in ({@link #NO_KEYSPACE} if none)
     * @param nanos its latency
     * @param rows rows returned or affected
     * @param error its error message, or null if it succeeded
     */
    public void record(String query, String keyspace, long nanos, long rows, String error) {
        Stats s = stats.get(query);
        if (s == null) {
            if (stats.size() >= maxQueries) {
                evictLeastRun();
            }
            s = stats.computeIfAbsent(query, Stats::new);
        }
        s.count.increment();
        s.nanos.add(nanos);
        s.maxNanos.accumulateAndGet(nanos, Math::max);
        s.rows.add(rows);
        s.keyspace = keyspace;
        KeyspaceMeters k = keyspaces.computeIfAbsent(keyspace, this::meters);
        k.queries.increment();
        k.latency.record(nanos, TimeUnit.NANOSECONDS);
        k.rate.increment();
        if (error != null) {
            s.errors.increment();
            k.errors.increment();
        }
        if (nanos >= slowNanos) {
            slowCounter.increment();
            String line = "slow query: " + Instant.now() + " latency_ms=" + String.format(java.util.Locale.ROOT, "%.3f",
                    nanos / 1e6) + " rows=" + rows + " keyspace=" + (keyspace.isEmpty() ? "-" : keyspace)
                    + (error == null ? "" : " error=\"" + oneLine(error) + "\"") + " query=\"" + oneLine(query) + "\"";
            synchronized (slowLog) {
                slowLog.println(line);
                slowLog.flush();
            }
        }
    }

    private KeyspaceMeters meters(String keyspace) {
        String tag = keyspace.isEmpty() ? "none" : keyspace;
        return new KeyspaceMeters(
                Counter.builder("mosaic.gate.queries").tag("keyspace", tag)
                        .description("client statements, by the keyspace they ran in").register(registry),
                Counter.builder("mosaic.gate.query.errors").tag("keyspace", tag)
                        .description("client statements that failed").register(registry),
                Timer.builder("mosaic.gate.query.latency").tag("keyspace", tag)
                        .description("client statement latency at the gate").register(registry),
                new SlidingRate(60));
    }

    private void evictLeastRun() {
        stats.values().stream().min(Comparator.comparingLong(s -> s.count.sum()))
                .ifPresent(s -> stats.remove(s.query, s));
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ').replace("\"", "\\\"");
    }

    /** The {@code limit} statements with the most total latency, most first. */
    public List<QueryStats> top(int limit) {
        return stats.values().stream().map(QueryLog::snapshot)
                .sorted(Comparator.comparing(QueryStats::total).reversed().thenComparing(QueryStats::query))
                .limit(limit).toList();
    }

    private static QueryStats snapshot(Stats s) {
        return new QueryStats(s.query, s.keyspace, s.count.sum(), Duration.ofNanos(s.nanos.sum()),
                Duration.ofNanos(s.maxNanos.get()), s.rows.sum(), s.errors.sum());
    }

    /** Statements per second over the last minute, per keyspace ({@link #NO_KEYSPACE} included if seen). */
    public Map<String, Double> qpsByKeyspace() {
        Map<String, Double> out = new TreeMap<>();
        keyspaces.forEach((ks, m) -> out.put(ks, m.rate.perSecond()));
        return out;
    }

    /** Statements and errors since the start, per keyspace. */
    public Map<String, long[]> totalsByKeyspace() {
        Map<String, long[]> out = new TreeMap<>();
        keyspaces.forEach((ks, m) -> out.put(ks, new long[] {(long) m.queries.count(), (long) m.errors.count()}));
        return out;
    }
}
