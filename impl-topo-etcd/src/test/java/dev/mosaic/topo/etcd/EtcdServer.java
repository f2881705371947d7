package dev.mosaic.topo.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real etcd server for tests: Debian's {@code etcd} binary (package {@code etcd-server}) on free
 * loopback ports with a private data directory. {@link #stop()} and {@link #start()} keep the
 * ports and the data, so a test can restart the same member.
 */
final class EtcdServer implements AutoCloseable {
    private static final Duration HEALTHY_DEADLINE = Duration.ofSeconds(30);

    private final Path binary;
    private final Path dir;
    private final int clientPort;
    private final int peerPort;
    private Process process;

    private EtcdServer(Path binary) throws IOException {
        this.binary = binary;
        this.dir = Files.createTempDirectory("mosaic-etcd-");
        this.clientPort = freePort();
        int p;
        do {
            p = freePort();
        } while (p == clientPort);
        this.peerPort = p;
    }

    /** The etcd binary: {@code $ETCD_BIN}, else {@code etcd} on the PATH, else {@code /usr/bin/etcd}. */
    static Optional<Path> findBinary() {
        String env = System.getenv("ETCD_BIN");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (!d.isEmpty()) {
                    candidates.add(Path.of(d, "etcd"));
                }
            }
        }
        candidates.add(Path.of("/usr/bin/etcd"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** Starts a fresh member; the caller closes it. */
    static EtcdServer launch(Path binary) {
        try {
            EtcdServer s = new EtcdServer(binary);
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** The client URL, e.g. {@code http://127.0.0.1:23456}. */
    String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    Path logFile() {
        return dir.resolve("etcd.log");
    }

    /** Starts (or restarts) the member on its ports and data directory and waits until it is healthy. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> cmd = List.of(binary.toString(),
                "--name", "mosaic-test",
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", endpoint(),
                "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "mosaic-test=" + peer,
                "--initial-cluster-state", "new",
                // Lease expiry and elections react fast enough for tests on loopback.
                "--heartbeat-interval", "50",
                "--election-timeout", "500");
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        long deadline = System.nanoTime() + HEALTHY_DEADLINE.toNanos();
        while (!healthy()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + "; log: " + tail());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("etcd not healthy within " + HEALTHY_DEADLINE + "; log: " + tail());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for etcd", e);
            }
        }
    }

    private boolean healthy() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/health").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            try (var in = c.getInputStream()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return c.getResponseCode() == 200 && body.contains("\"health\":\"true\"");
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the member gracefully (SIGTERM, then SIGKILL after 10 s); the data stays. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Stops and starts the member on the same ports and data. */
    void restart() {
        stop();
        start();
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Temp directory: leftovers are harmless.
        }
    }
}
