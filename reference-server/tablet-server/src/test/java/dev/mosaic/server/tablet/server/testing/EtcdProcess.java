package dev.mosaic.server.tablet.server.testing;

import dev.mosaic.server.mysqlctl.testfixtures.TestPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real etcd (Debian's {@code etcd-server}) on free loopback ports with a private data directory,
 * for the tablet process's integration tests. Without the binary the calling test is skipped,
 * or fails under {@code CI=true}.
 */
public final class EtcdProcess implements AutoCloseable {
    private static final Path BINARY = Path.of(System.getenv().getOrDefault("ETCD_BIN", "/usr/bin/etcd"));
    private static final Duration HEALTHY_DEADLINE = Duration.ofSeconds(30);

    private final Path dir;
    private final int clientPort;
    private final Process process;

    private EtcdProcess(Path dir, int clientPort, Process process) {
        this.dir = dir;
        this.clientPort = clientPort;
        this.process = process;
    }

    /** Starts etcd and waits until it reports healthy. */
    public static EtcdProcess start() {
        if (!Files.isExecutable(BINARY)) {
            String msg = "etcd not found at " + BINARY + "; install it with: apt-get install -y etcd-server etcd-client";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg + " (CI=true: this test must not be skipped)");
            }
            Assumptions.abort(msg);
        }
        try {
            Path dir = Files.createTempDirectory("mosaic-tablet-etcd-");
            int client = freePort();
            int peer;
            do {
                peer = freePort();
            } while (peer == client);
            String clientUrl = "http://127.0.0.1:" + client;
            String peerUrl = "http://127.0.0.1:" + peer;
            Process p = new ProcessBuilder(List.of(BINARY.toString(), "--name", "tablet-it",
                    "--data-dir", dir.resolve("data").toString(),
                    "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                    "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                    "--initial-cluster", "tablet-it=" + peerUrl, "--initial-cluster-state", "new"))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("etcd.log").toFile())
                    .start();
            EtcdProcess e = new EtcdProcess(dir, client, p);
            e.awaitHealthy();
            return e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start etcd", e);
        }
    }

    /** A free loopback port below the ephemeral range (see {@link TestPorts}). */
    public static int freePort() {
        return TestPorts.next();
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + HEALTHY_DEADLINE.toNanos();
        while (!healthy()) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                close();
                throw new IllegalStateException("etcd did not become healthy within " + HEALTHY_DEADLINE
                        + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")"));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for etcd", e);
            }
        }
    }

    private boolean healthy() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/health").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            try (var in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\"health\":\"true\"");
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** The client URL. */
    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory: leftovers are harmless
        }
    }
}
