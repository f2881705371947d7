package dev.mosaic.server.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.tablet.server.testing.EtcdProcess;
import dev.mosaic.server.tablet.server.testing.TabletTesting;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mosaic ctld --config FILE} as a real subprocess of the shaded launcher jar (the one
 * {@code bin/mosaic} runs), driven by {@code mosaic ctl} subprocesses as scripts drive it: verbs
 * answer, the status page serves, SIGTERM stops it with exit code 0; a bad config exits 2 naming
 * the key, a busy port exits 1.
 */
class CtldCommandIT {
    private static final Path JAR = Path.of("target", "mosaic.jar");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private record Run(int code, String out) {
    }

    @Test
    void servesUntilSigtermThenExitsZero(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " missing: the package phase builds it");
        int grpcPort = EtcdProcess.freePort();
        int statusPort = EtcdProcess.freePort();
        Path config = dir.resolve("ctld.yaml");
        Files.writeString(config, String.join("\n",
                "topo: {type: memory, config: {cluster: ctld-command-it}}",
                "cell: zone1",
                "grpc: {bind-address: 127.0.0.1, port: " + grpcPort + "}",
                "status: {bind-address: 127.0.0.1, port: " + statusPort + ", gate-links: [http://127.0.0.1:15001/]}",
                ""));
        Path log = dir.resolve("ctld.log");
        Process p = start(log, "ctld", "--config", config.toString());
        try {
            TabletTesting.await("ctld serving", WAIT, () -> {
                if (!p.isAlive()) {
                    throw new AssertionError("mosaic ctld exited " + p.exitValue() + ":\n" + read(log));
                }
                return read(log).contains("serving: grpc port " + grpcPort);
            });
            Map<String, String> env = Map.of("MOSAIC_CTLD_SERVER", "127.0.0.1:" + grpcPort);
            Run created = ctl(dir, env, "CreateKeyspace", "commerce");
            assertEquals(0, created.code(), created.out());
            assertTrue(created.out().contains("Successfully created keyspace commerce."), created.out());
            Run shard = ctl(dir, env, "CreateShard", "commerce/0");
            assertEquals(0, shard.code(), shard.out());
            Run get = ctl(dir, Map.of(), "--server", "127.0.0.1:" + grpcPort, "GetShard", "commerce/0");
            assertEquals(0, get.code(), get.out());
            assertTrue(get.out().contains("\"keyspace\": \"commerce\""), get.out());
            Run missing = ctl(dir, env, "GetKeyspace", "nosuch");
            assertEquals(1, missing.code(), missing.out());
            assertTrue(missing.out().contains("error: NOT_FOUND: "), missing.out());

            assertEquals(200, TabletTesting.get(statusPort, "/healthz").code());
            String page = TabletTesting.get(statusPort, "/debug/status").body();
            assertTrue(page.contains("<h3>commerce</h3>"), page);
            assertTrue(page.contains("http://127.0.0.1:15001/"), page);
            assertTrue(TabletTesting.get(statusPort, "/metrics").body().contains("method=\"CreateKeyspace\""));

            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "still running after SIGTERM:\n" + read(log));
            assertEquals(0, p.exitValue(), read(log));
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertTrue(read(log).contains("ctld stopped in"), read(log));
    }

    @Test
    void aBadConfigExitsTwoNamingTheKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("ctld.yaml");
        Files.writeString(config, "topo: {type: memory}\ncell: zone1\ngrpc.prot: 1\n");
        Path log = dir.resolve("ctld.log");
        Process p = start(log, "ctld", "--config", config.toString());
        assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "still running:\n" + read(log));
        assertEquals(2, p.exitValue(), read(log));
        assertTrue(read(log).contains("grpc.prot: unknown key"), read(log));
    }

    @Test
    void aPortInUseFailsTheStartupWithExitOne(@TempDir Path dir) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path config = dir.resolve("ctld.yaml");
            Files.writeString(config, "topo: {type: memory, config: {cluster: ctld-busy}}\ncell: zone1\n"
                    + "grpc: {bind-address: 127.0.0.1, port: " + busy.getLocalPort() + "}\n"
                    + "status: {bind-address: 127.0.0.1, port: 0}\n");
            Path log = dir.resolve("ctld.log");
            Process p = start(log, "ctld", "--config", config.toString());
            try {
                assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "still running:\n" + read(log));
                assertEquals(1, p.exitValue(), read(log));
                assertTrue(read(log).contains("the ctld failed to start"), read(log));
                assertTrue(read(log).contains("grpc.port"), read(log));
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static Run ctl(Path dir, Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "ctl", ".out");
        String[] all = new String[args.length + 1];
        all[0] = "ctl";
        System.arraycopy(args, 0, all, 1, args.length);
        ProcessBuilder pb = builder(out, all);
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "mosaic ctl " + List.of(args) + " hangs");
        return new Run(p.exitValue(), read(out));
    }

    private static Process start(Path log, String... args) throws IOException {
        return builder(log, args).start();
    }

    private static ProcessBuilder builder(Path log, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
