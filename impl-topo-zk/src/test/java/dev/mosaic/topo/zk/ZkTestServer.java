package dev.mosaic.topo.zk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;

import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real ZooKeeper server for tests: Debian's {@code zookeeper} package (3.8) run as a separate
 * process ({@code QuorumPeerMain}, standalone) on a free loopback port with a temporary data
 * directory. It can be stopped and started again on the same port and data (sessions survive a
 * restart shorter than their timeout, as in production).
 *
 * <p>If the package is missing, tests that need it fail under {@code CI=true} and are skipped
 * otherwise, with the install command in the message.
 */
final class ZkTestServer implements AutoCloseable {
    static final Path JAR = Path.of("/usr/share/java/zookeeper.jar");
    private static ZkTestServer shared;

    private final Path dir;
    private final int port;
    private Process process;

    private ZkTestServer() throws IOException {
        this.dir = Files.createTempDirectory("mosaic-zk-it-");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        }
        Files.createDirectories(dir.resolve("data"));
        // tickTime 250 ms: sessions may be as short as 500 ms and as long as 60 s.
        Files.writeString(dir.resolve("zoo.cfg"), String.join("\n",
                "tickTime=250",
                "dataDir=" + dir.resolve("data"),
                "clientPort=" + port,
                "clientPortAddress=127.0.0.1",
                "admin.enableServer=false",
                "4lw.commands.whitelist=ruok,srvr,stat,mntr",
                "minSessionTimeout=500",
                "maxSessionTimeout=60000",
                "") );
    }

    /** Skips (or, under CI=true, fails) the calling test when Debian's ZooKeeper is not installed. */
    static void requireInstalled() {
        if (Files.isRegularFile(JAR)) {
            return;
        }
        String msg = "Debian's ZooKeeper server is not installed (" + JAR + " missing); "
                + "install it with: apt-get install -y zookeeper";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(msg + " (CI=true: this test must not be skipped)");
        }
        Assumptions.abort(msg);
    }

    /** One server per test JVM, started on first use and stopped when the JVM exits. */
    static synchronized ZkTestServer shared() {
        requireInstalled();
        if (shared == null) {
            try {
                ZkTestServer s = new ZkTestServer();
                s.start();
                Runtime.getRuntime().addShutdownHook(new Thread(s::close, "zk-test-server-stop"));
                shared = s;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start ZooKeeper: " + e, e);
            }
        }
        return shared;
    }

    String connectString() {
        return "127.0.0.1:" + port;
    }

    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx256m", "-cp", dir + ":" + JAR,
                "org.apache.zookeeper.server.quorum.QuorumPeerMain", dir.resolve("zoo.cfg").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
                .start();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"imok".equals(fourLetter("ruok"))) {
            if (!process.isAlive()) {
                throw new IOException("ZooKeeper exited with " + process.exitValue() + "; see " + dir.resolve("server.log"));
            }
            if (System.nanoTime() - end > 0) {
                throw new IOException("ZooKeeper did not answer ruok within 30 s; see " + dir.resolve("server.log"));
            }
            sleep(50);
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL) and waits for it to exit. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Stops and starts again on the same port and data. */
    synchronized void restart() throws IOException {
        stop();
        start();
    }

    private String fourLetter(String cmd) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write(cmd.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    /** Ready-made configuration for a store on this server under a private root. */
    java.util.Map<String, String> config(String root, Duration sessionTimeout) {
        return java.util.Map.of("servers", connectString(), "root", root,
                "session_timeout", sessionTimeout.toMillis() + "ms", "connection_timeout", "5s");
    }

}
