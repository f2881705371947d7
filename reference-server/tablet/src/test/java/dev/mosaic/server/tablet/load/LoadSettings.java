package dev.mosaic.server.tablet.load;

import java.time.Duration;
import java.util.Properties;

/**
 * What one load run does, validated once. {@link #fromProperties} reads {@code mosaic.load.*}
 * system properties (Maven passes {@code -D} flags through to Failsafe's test JVM), so a longer
 * manual run is the same IT with bigger numbers.
 *
 * @param clients concurrent logical clients (gRPC calls in flight; threads of the JDBC pool case)
 * @param queries point selects measured per case
 * @param warmupQueries point selects run, unmeasured, before each case
 * @param poolSize connections of the tablet's query pool, and of the JDBC HikariCP pool; also the
 *     thread (and connection) count of the raw JDBC case
 * @param rows rows in {@code sbtest1}
 * @param channels gRPC channels (HTTP/2 connections) the clients share, round robin
 * @param grpcThreads the tablet's gRPC executor threads, 0 for its default
 * @param callbackThreads client threads that run the gRPC callbacks (and send the next call)
 * @param callTimeout deadline of one call or query; passing it is an error of the run
 * @param caseTimeout longest time one case (warm-up plus measured part) may take
 */
public record LoadSettings(int clients, int queries, int warmupQueries, int poolSize, int rows, int channels,
        int grpcThreads, int callbackThreads, Duration callTimeout, Duration caseTimeout) {

    /** The property prefix. */
    public static final String PREFIX = "mosaic.load.";

    /** The done-when of the tablet load test: 2,000 clients, 100,000 selects, 16 connections. */
    public static final LoadSettings DEFAULTS = new LoadSettings(2000, 100_000, 20_000, 16, 10_000, 1, 0, 2,
            Duration.ofSeconds(60), Duration.ofMinutes(5));

    public LoadSettings {
        positive("clients", clients);
        positive("queries", queries);
        if (warmupQueries < 0) {
            throw new IllegalArgumentException(PREFIX + "warmup must not be negative: " + warmupQueries);
        }
        positive("pool-size", poolSize);
        positive("rows", rows);
        positive("channels", channels);
        if (grpcThreads < 0) {
            throw new IllegalArgumentException(PREFIX + "grpc-threads must not be negative: " + grpcThreads);
        }
        positive("callback-threads", callbackThreads);
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException(PREFIX + "call-timeout-ms must be positive: " + callTimeout);
        }
        if (caseTimeout.isNegative() || caseTimeout.isZero()) {
            throw new IllegalArgumentException(PREFIX + "case-timeout-s must be positive: " + caseTimeout);
        }
    }

    /**
     * Settings from {@code mosaic.load.clients}, {@code .queries}, {@code .warmup},
     * {@code .pool-size}, {@code .rows}, {@code .channels}, {@code .grpc-threads},
     * {@code .callback-threads}, {@code .call-timeout-ms}, {@code .case-timeout-s}; absent ones
     * keep {@link #DEFAULTS}.
     *
     * @throws IllegalArgumentException naming the property, for a value that is not a number or out of range
     */
    public static LoadSettings fromProperties(Properties p) {
        LoadSettings d = DEFAULTS;
        return new LoadSettings(
                intProp(p, "clients", d.clients),
                intProp(p, "queries", d.queries),
                intProp(p, "warmup", d.warmupQueries),
                intProp(p, "pool-size", d.poolSize),
                intProp(p, "rows", d.rows),
                intProp(p, "channels", d.channels),
                intProp(p, "grpc-threads", d.grpcThreads),
                intProp(p, "callback-threads", d.callbackThreads),
                Duration.ofMillis(intProp(p, "call-timeout-ms", (int) d.callTimeout.toMillis())),
                Duration.ofSeconds(intProp(p, "case-timeout-s", (int) d.caseTimeout.toSeconds())));
    }

    private static int intProp(Properties p, String name, int dflt) {
        String v = p.getProperty(PREFIX + name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + name + " is not an integer: '" + v + "'");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(PREFIX + name + " must be at least 1, got " + v);
        }
    }
}
