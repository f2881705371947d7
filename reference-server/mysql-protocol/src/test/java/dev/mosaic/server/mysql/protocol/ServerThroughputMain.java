package dev.mosaic.server.mysql.protocol;

import dev.mosaic.server.mysql.protocol.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loopback throughput of a server built on the codec, with the fixture handler (no real work
 * behind it): {@code threads} mysql-connector-j connections run a server-side prepared
 * {@code select ?} (binary protocol, one row back) for {@code seconds}. A third argument
 * {@code host:port} runs the same load against another server instead (e.g. mariadbd, as root
 * without password) for a ratio from the same run. Not run by the build:
 *
 * <pre>
 * mvn -B -q -pl reference-server/mysql-protocol -am test-compile
 * mvn -B -q -pl reference-server/mysql-protocol dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp reference-server/mysql-protocol/target/test-classes:reference-server/mysql-protocol/target/classes:api/target/classes:$(cat /tmp/cp.txt) \
 *     dev.mosaic.server.mysql.protocol.ServerThroughputMain 8 10 [host:port]
 * </pre>
 */
public final class ServerThroughputMain {
    private ServerThroughputMain() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String external = args.length > 2 ? args[2] : null;
        try (TestServer server = new TestServer()) {
            server.handler.recordEvents = false;
            String target = external != null ? external : "127.0.0.1:" + server.port();
            String user = external != null ? "root" : "native";
            String password = external != null ? "" : "nativepw";
            String url = "jdbc:mysql://" + target + "/?sslMode=DISABLED&useServerPrepStmts=true&cachePrepStmts=true";
            AtomicBoolean stop = new AtomicBoolean();
            List<long[]> latencies = new ArrayList<>();
            List<Thread> workers = new ArrayList<>();
            long[] counts = new long[threads];
            for (int t = 0; t < threads; t++) {
                int id = t;
                long[] lat = new long[10_000_000];
                latencies.add(lat);
                Thread w = new Thread(() -> {
                    try (Connection c = DriverManager.getConnection(url, user, password);
                            PreparedStatement ps = c.prepareStatement("select ?")) {
                        long n = 0;
                        while (!stop.get()) {
                            long t0 = System.nanoTime();
                            ps.setInt(1, (int) n);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                rs.getInt(1);
                            }
                            if (n < lat.length) {
                                lat[(int) n] = System.nanoTime() - t0;
                            }
                            n++;
                        }
                        counts[id] = n;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                workers.add(w);
                w.start();
            }
            Thread.sleep(seconds * 1000L); // the measurement window
            stop.set(true);
            for (Thread w : workers) {
                w.join();
            }
            long total = Arrays.stream(counts).sum();
            long[] all = new long[(int) Math.min(total, Integer.MAX_VALUE - 8)];
            int k = 0;
            for (int t = 0; t < threads; t++) {
                int n = (int) Math.min(counts[t], latencies.get(t).length);
                System.arraycopy(latencies.get(t), 0, all, k, n);
                k += n;
            }
            Arrays.sort(all, 0, k);
            System.out.printf("target=%s threads=%d seconds=%d queries=%d qps=%.0f p50=%.3fms p95=%.3fms p99=%.3fms%n", target, threads, seconds, total,
                    total / (double) seconds, all[k / 2] / 1e6, all[(int) (k * 0.95)] / 1e6, all[(int) (k * 0.99)] / 1e6);
        }
    }
}
