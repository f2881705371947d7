package dev.mosaic.topo.zk;

import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Loopback latency of the zk store against Debian's ZooKeeper (started by {@link ZkTestServer}):
 * get, unconditional update, compare-and-set update, and watch notification (update returned ->
 * listener called, on a second session). Single-threaded; prints p50/p95/p99 in microseconds.
 *
 * <pre>
 * cd impl-topo-zk &amp;&amp; mvn -B -q -f ../pom.xml -pl impl-topo-zk -am test-compile \
 *     dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.mosaic.topo.zk.ZkTopoBench [iterations]
 * </pre>
 */
public final class ZkTopoBench {
    private ZkTopoBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args optional iteration count (default 5000)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        ZkTestServer zk = ZkTestServer.shared();
        String root = "/mosaic-bench/" + UUID.randomUUID();
        try (TopoStore s = ZkTestSupport.open(zk.config(root, Duration.ofSeconds(10)));
             TopoStore watcher = ZkTestSupport.open(zk.config(root, Duration.ofSeconds(10)))) {
            byte[] value = "x".repeat(256).getBytes(StandardCharsets.UTF_8);
            Version v = s.create("bench/f", value);
            for (int i = 0; i < n / 5; i++) { // warm-up
                s.get("bench/f");
                v = s.update("bench/f", value, Optional.of(v));
            }
            long[] get = new long[n];
            long[] put = new long[n];
            long[] cas = new long[n];
            long[] notify = new long[n / 5];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                s.get("bench/f");
                get[i] = System.nanoTime() - t;
            }
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                v = s.update("bench/f", value, Optional.empty());
                put[i] = System.nanoTime() - t;
            }
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                v = s.update("bench/f", value, Optional.of(v));
                cas[i] = System.nanoTime() - t;
            }
            SynchronousQueue<Long> arrived = new SynchronousQueue<>();
            try (var w = watcher.watch("bench/f", e -> {
                if (e instanceof WatchEvent.Changed) {
                    try {
                        arrived.offer(System.nanoTime(), 1, TimeUnit.SECONDS);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
            })) {
                for (int i = 0; i < notify.length; i++) {
                    long t = System.nanoTime();
                    s.update("bench/f", value, Optional.empty());
                    Long at = arrived.poll(5, TimeUnit.SECONDS);
                    if (at == null) {
                        throw new IllegalStateException("no watch event within 5 s");
                    }
                    notify[i] = at - t;
                }
            }
            System.out.printf("zk topo store on loopback (%s), %d ops each, 256-byte value, micros%n", zk.connectString(), n);
            report("get", get);
            report("update (unconditional)", put);
            report("update (compare-and-set)", cas);
            report("watch notification", notify);
        } finally {
            zk.close();
        }
    }

    private static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%-26s p50 %6d  p95 %6d  p99 %6d%n", what,
                s[s.length / 2] / 1000, s[(int) (s.length * 0.95)] / 1000, s[(int) (s.length * 0.99)] / 1000);
    }
}
