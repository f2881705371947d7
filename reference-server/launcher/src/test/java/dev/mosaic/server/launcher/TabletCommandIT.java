package dev.mosaic.server.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.server.testing.EtcdProcess;
import dev.mosaic.server.tablet.server.testing.TabletTesting;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.topo.TopoException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mosaic tablet --config FILE} as a real subprocess of the shaded launcher jar (the one
 * {@code bin/mosaic} runs): the record appears in etcd, SIGTERM stops it with exit code 0 and
 * its record's addresses cleared.
 */
class TabletCommandIT {
    private static final Path JAR = Path.of("target", "mosaic.jar");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void runsUntilSigtermThenExitsZero(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " missing: the package phase builds it");
        TabletAlias alias = new TabletAlias("zone1", 201);
        try (EtcdProcess etcd = EtcdProcess.start();
             MysqldCluster cluster = MysqldCluster.start(1);
             TopoServer topo = TabletTesting.topo(etcd)) {
            Mysqld m = cluster.get(0);
            m.executeAll(List.of("SET GLOBAL read_only = 0", "CREATE DATABASE IF NOT EXISTS vt_commerce"));
            TabletTesting.addCell(topo, etcd, "zone1");
            int grpcPort = EtcdProcess.freePort();
            int statusPort = EtcdProcess.freePort();
            Path config = dir.resolve("tablet.yaml");
            Files.writeString(config, TabletTesting.attachedConfig(alias.toString(), m.connectionParams().port(), etcd,
                    grpcPort, statusPort));
            Path log = dir.resolve("tablet.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toString(), "tablet", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                TabletTesting.await("the tablet record in etcd", WAIT, () -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("mosaic tablet exited " + p.exitValue() + ":\n" + read(log));
                    }
                    try {
                        Tablet t = topo.getTablet(alias).value();
                        return t.getPortMapOrDefault("grpc", 0) == grpcPort && t.getHostname().equals("localhost");
                    } catch (TopoException e) {
                        return false;
                    }
                });
                assertEquals(200, TabletTesting.get(statusPort, "/metrics").code());
                assertTrue(TabletTesting.get(statusPort, "/debug/status").body().contains(alias.toString()));

                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "still running after SIGTERM:\n" + read(log));
                assertEquals(0, p.exitValue(), read(log));
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            Tablet after = topo.getTablet(alias).value();
            assertEquals("", after.getHostname(), "vttablet clears its hostname on shutdown");
            assertTrue(after.getPortMapMap().isEmpty(), after.toString());
            assertTrue(read(log).contains("stopped in"), read(log));
        }
    }

    @Test
    void aSignalDuringStartupAbortsItWithExitOne(@TempDir Path dir) throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start();
             TopoServer topo = TabletTesting.topo(etcd)) {
            TabletTesting.addCell(topo, etcd, "zone1");
            Path config = dir.resolve("tablet.yaml");
            // Nothing listens on the mysqld port: startup waits for it (up to 5 minutes).
            Files.writeString(config, TabletTesting.attachedConfig("zone1-0000000202", EtcdProcess.freePort(), etcd,
                    EtcdProcess.freePort(), EtcdProcess.freePort()) + "mysqld.start-timeout: 5m\n");
            Path log = dir.resolve("tablet.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toString(), "tablet", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                TabletTesting.await("the tablet waiting for mysqld", WAIT, () -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("mosaic tablet exited " + p.exitValue() + ":\n" + read(log));
                    }
                    return read(log).contains("waiting for mysqld");
                });
                long t0 = System.nanoTime();
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "still running after SIGTERM:\n" + read(log));
                assertEquals(1, p.exitValue(), read(log));
                assertTrue(read(log).contains("interrupted waiting for mysqld"), read(log));
                assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos(), "aborted promptly");
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
