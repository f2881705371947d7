package dev.mosaic.server.tablet.load;

import java.time.Duration;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The measured part of one case: how many point selects succeeded, how many failed and why, the
 * wall time from the first query sent to the last answer, and every successful query's latency
 * (nanoseconds; a closed loop, so latency includes the wait for a free connection).
 *
 * @param name the case, e.g. "tablet gRPC"
 * @param succeeded queries answered with the right row
 * @param errors every failure, by kind
 * @param wall first send to last answer
 * @param latencies one value per successful query, in nanoseconds
 * @param peakInFlight most queries outstanding at once (sent and not yet answered)
 * @param cpu CPU time used meanwhile by this JVM (clients, and the tablet in the tablet case) and by mysqld
 */
public record LoadResult(String name, long succeeded, ErrorTally errors, Duration wall, Histogram latencies,
        int peakInFlight, CpuClock.Reading cpu) {

    /** Successful queries per second of wall time. */
    public double throughput() {
        return succeeded / (wall.toNanos() / 1e9);
    }

    /** A latency percentile in milliseconds. */
    public double millisAt(double percentile) {
        return latencies.getValueAtPercentile(percentile) / 1e6;
    }

    /** The largest latency in milliseconds. */
    public double maxMillis() {
        return latencies.getMaxValue() / 1e6;
    }

    /** JVM CPU microseconds per successful query. */
    public double jvmCpuMicrosPerQuery() {
        return cpu.jvmNanos() / 1e3 / Math.max(1, succeeded);
    }

    /** mysqld CPU microseconds per successful query (NaN when mysqld's CPU time cannot be read). */
    public double mysqldCpuMicrosPerQuery() {
        return cpu.mysqldNanos() < 0 ? Double.NaN : cpu.mysqldNanos() / 1e3 / Math.max(1, succeeded);
    }

    private static final String FORMAT =
            "| %-28s | %8s | %6s | %7s | %8s | %7s | %7s | %7s | %8s | %9s | %10s | %13s |";

    /** One table row: case, queries, errors, wall, q/s, p50, p95, p99, max, peak in flight, CPU per query. */
    public String row() {
        return String.format(Locale.ROOT, FORMAT, name, succeeded, errors.total(), fmt("%.2f", wall.toNanos() / 1e9),
                fmt("%.0f", throughput()), fmt("%.2f", millisAt(50)), fmt("%.2f", millisAt(95)),
                fmt("%.2f", millisAt(99)), fmt("%.2f", maxMillis()), peakInFlight, fmt("%.0f", jvmCpuMicrosPerQuery()),
                fmt("%.0f", mysqldCpuMicrosPerQuery()));
    }

    /** The header matching {@link #row()}. */
    public static String header() {
        String h = String.format(Locale.ROOT, FORMAT, "case", "queries", "errors", "wall s", "q/s", "p50 ms", "p95 ms",
                "p99 ms", "max ms", "in flight", "JVM CPU µs", "mysqld CPU µs");
        String rule = String.format(Locale.ROOT, FORMAT, "", "", "", "", "", "", "", "", "", "", "", "")
                .replace(' ', '-');
        return h + "\n" + rule;
    }

    private static String fmt(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }
}
