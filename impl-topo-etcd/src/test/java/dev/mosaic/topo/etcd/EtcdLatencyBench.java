package dev.mosaic.topo.etcd;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Latency of the etcd topology store on loopback, one operation at a time: get, unconditional
 * update, compare-and-set update, and watch notification (from the start of a write in one
 * session to the listener call in another). Starts its own etcd (as the tests do) unless
 * {@code -Dendpoints=...} is given. Not part of {@code mvn verify}.
 *
 * <p>Run from the repository root:
 * <pre>
 * mvn -B -q -pl impl-topo-etcd -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/etcd-bench.cp -Dmdep.includeScope=test
 * java -cp impl-topo-etcd/target/test-classes:impl-topo-etcd/target/classes:$(cat impl-topo-etcd/target/etcd-bench.cp) \
 *     dev.mosaic.topo.etcd.EtcdLatencyBench [iterations]
 * </pre>
 */
public final class EtcdLatencyBench {
    private EtcdLatencyBench() {
    }

    /** Entry point; the optional argument is the number of measured iterations (default 2000). */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int warmup = Math.max(200, n / 4);
        String given = System.getProperty("endpoints");
        EtcdServer server = null;
        if (given == null) {
            Path bin = EtcdServer.findBinary().orElseThrow(() -> new IllegalStateException(EtcdExtension.MISSING));
            server = EtcdServer.launch(bin);
        }
        String endpoints = given != null ? given : server.endpoint();
        EtcdTopoFactory f = new EtcdTopoFactory();
        Map<String, String> raw = Map.of("endpoints", endpoints, "root", "/mosaic-bench");
        try (TopoStore a = f.create(f.configSpec().validate(raw, "etcd"), PluginContext.named("bench-a"));
             TopoStore b = f.create(f.configSpec().validate(raw, "etcd"), PluginContext.named("bench-b"))) {
            byte[] value = "x".repeat(100).getBytes(StandardCharsets.UTF_8);
            a.update("bench/file", value, Optional.empty());
            System.out.printf("etcd topology store latency on loopback, %d iterations after %d warm-up, 100-byte values (%s, %d cpus)%n",
                    n, warmup, endpoints, Runtime.getRuntime().availableProcessors());
            report("get", measure(warmup, n, () -> {
                a.get("bench/file");
                return 0;
            }));
            report("update (unconditional)", measure(warmup, n, () -> {
                a.update("bench/file", value, Optional.empty());
                return 0;
            }));
            Version[] current = {a.get("bench/file").version()};
            report("update (compare-and-set)", measure(warmup, n, () -> {
                current[0] = a.update("bench/file", value, Optional.of(current[0]));
                return 0;
            }));
            BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(16);
            b.watch("bench/file", e -> {
                if (e instanceof WatchEvent.Changed) {
                    arrivals.offer(System.nanoTime());
                }
            });
            report("watch notification", measure(warmup, n, () -> {
                long t0 = System.nanoTime();
                a.update("bench/file", value, Optional.empty());
                try {
                    Long at = arrivals.poll(10, TimeUnit.SECONDS);
                    if (at == null) {
                        throw new IllegalStateException("watch event did not arrive");
                    }
                    return at - t0;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Runs {@code op}; it returns its own latency in ns, or 0 to be timed from outside. */
    private static long[] measure(int warmup, int n, LongSupplier op) {
        for (int i = 0; i < warmup; i++) {
            op.getAsLong();
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            long own = op.getAsLong();
            out[i] = own > 0 ? own : System.nanoTime() - t0;
        }
        return out;
    }

    private static void report(String name, long[] ns) {
        Arrays.sort(ns);
        double mean = Arrays.stream(ns).average().orElse(0) / 1000.0;
        System.out.printf("  %-26s p50 %7.0f us  p90 %7.0f us  p99 %7.0f us  mean %7.0f us  (%.0f ops/s serial)%n", name,
                ns[ns.length / 2] / 1000.0, ns[(int) (ns.length * 0.9)] / 1000.0, ns[(int) (ns.length * 0.99)] / 1000.0,
                mean, 1_000_000.0 / mean);
    }
}
