package dev.mosaic.server.launcher;

import static dev.mosaic.server.gate.testing.ShardedTestCluster.requireBinary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.tablet.server.testing.EtcdProcess;
import dev.mosaic.server.tablet.server.testing.TabletTesting;
import dev.mosaic.server.topo.TopoServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mosaic gate --config FILE} as a real subprocess of the shaded launcher jar (the one
 * {@code bin/mosaic} runs): it serves MySQL and its status pages with an etcd topology, SIGTERM
 * stops it with exit code 0, and a port it cannot bind fails the startup with exit code 1.
 */
class GateCommandIT {
    private static final Path JAR = Path.of("target", "mosaic.jar");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void servesUntilSigtermThenExitsZero(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " missing: the package phase builds it");
        try (EtcdProcess etcd = EtcdProcess.start(); TopoServer topo = TabletTesting.topo(etcd)) {
            TabletTesting.addCell(topo, etcd, "zone1");
            int mysqlPort = EtcdProcess.freePort();
            int statusPort = EtcdProcess.freePort();
            Path config = dir.resolve("gate.yaml");
            Files.writeString(config, String.join("\n",
                    "topo:",
                    "  type: etcd",
                    "  global-server-address: " + etcd.endpoint(),
                    "  global-root: " + TabletTesting.GLOBAL_ROOT,
                    "cell: zone1",
                    "mysql: {bind-address: 127.0.0.1, port: " + mysqlPort + "}",
                    "status: {bind-address: 127.0.0.1, port: " + statusPort + "}",
                    ""));
            Path log = dir.resolve("gate.log");
            Process p = start(config, log);
            try {
                TabletTesting.await("the gate serving", WAIT, () -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("mosaic gate exited " + p.exitValue() + ":\n" + read(log));
                    }
                    return read(log).contains("serving: mysql port " + mysqlPort);
                });
                assertEquals(200, TabletTesting.get(statusPort, "/healthz").code());
                assertTrue(TabletTesting.get(statusPort, "/debug/status").body().contains("Gate (cell zone1)"));
                assertTrue(TabletTesting.get(statusPort, "/metrics").body().contains("mosaic_gate_connections"));

                String cli = requireBinary("mariadb");
                Process q = new ProcessBuilder(cli, "--batch", "--skip-ssl", "-h127.0.0.1", "-P" + mysqlPort, "-uanyone",
                        "-pany", "-e", "SELECT @@version").redirectErrorStream(true).start();
                assertTrue(q.waitFor(30, TimeUnit.SECONDS), "mariadb finished");
                String out = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, q.exitValue(), out);
                assertEquals("@@version\n5.5.5-10.11.0-MariaDB-Mosaic\n", out,
                        "auth none lets anyone in; the gate answers its (MariaDB-flavored default) version itself");

                try (java.net.Socket client = new java.net.Socket("127.0.0.1", mysqlPort)) {
                    client.setSoTimeout((int) WAIT.toMillis());
                    java.io.InputStream in = client.getInputStream();
                    assertTrue(in.read() > 0, "the greeting arrives");
                    in.skip(in.available());

                    p.destroy(); // SIGTERM
                    assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "still running after SIGTERM:\n" + read(log));
                    assertEquals(0, p.exitValue(), read(log));
                    int b;
                    do {
                        b = in.read();
                    } while (b >= 0);
                    // reaching here: the open client connection was closed by the shutdown
                }
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            assertTrue(read(log).contains("gate stopped in"), read(log));
        }
    }

    @Test
    void aPortInUseFailsTheStartupWithExitOne(@TempDir Path dir) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path config = dir.resolve("gate.yaml");
            Files.writeString(config, String.join("\n",
                    "topo: {type: memory, config: {cluster: gate-command-it}}",
                    "cell: zone1",
                    "mysql: {bind-address: 127.0.0.1, port: " + busy.getLocalPort() + "}",
                    "status: {bind-address: 127.0.0.1, port: 0}",
                    ""));
            Path log = dir.resolve("gate.log");
            Process p = start(config, log);
            try {
                assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "still running:\n" + read(log));
                assertEquals(1, p.exitValue(), read(log));
                assertTrue(read(log).contains("the gate failed to start"), read(log));
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static Process start(Path config, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toString(), "gate", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
