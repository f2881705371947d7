package dev.mosaic.server.mysqlctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.flavor.MariaDbFlavor;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A managed MariaDB through its whole life: init, start, connect, stop, restart, crash, recover. */
class MysqldLifecycleIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @BeforeAll
    static void binaries() {
        MysqldCluster.requireBinaries();
    }

    private static Mysqld managed(Path root, long uid) {
        return Mysqld.managed(MysqldConfig.of(root, uid).withPort(MysqldCluster.freePort()));
    }

    @Test
    void initStartConnectShutdownRestart(@TempDir Path root) throws Exception {
        Mysqld m = managed(root, 42);
        assertInstanceOf(MariaDbFlavor.class, m.flavor());
        assertFalse(m.isInitialized());
        m.init();
        m.init(); // idempotent
        MysqldLayout l = m.layout();
        assertTrue(Files.isDirectory(l.dataDir().resolve("mysql")));
        assertFalse(Files.exists(l.stagingDataDir()));
        assertTrue(Files.readString(l.myCnf()).contains("server_id = 42"));
        assertFalse(m.isRunning());
        try {
            m.start(TIMEOUT);
            m.start(TIMEOUT); // idempotent: already answering
            assertTrue(m.isRunning());
            assertTrue(Files.exists(l.socket()));
            assertTrue(m.pid().isPresent());
            assertEquals("42", m.fetchValue("SELECT @@server_id").orElseThrow());
            assertEquals("ROW", m.fetchValue("SELECT @@binlog_format").orElseThrow());
            assertEquals("FULL", m.fetchValue("SELECT @@binlog_row_metadata").orElseThrow());
            assertEquals("1", m.fetchValue("SELECT @@gtid_strict_mode").orElseThrow());
            assertEquals("1", m.fetchValue("SELECT @@read_only").orElseThrow(), "starts read-only, like a Vitess tablet");
            assertEquals(l.tmpDir().toString(), m.fetchValue("SELECT @@tmpdir").orElseThrow());
            // a fresh instance has no GTID history: replicas can start from nothing
            assertTrue(m.replication().primaryPosition().isZero());
            try (Connection c = m.connect()) {
                assertTrue(c.isValid(1));
            }
            m.executeAll(List.of("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1), (2)"));

            m.shutdown(TIMEOUT);
            assertFalse(m.isRunning());
            assertFalse(Files.exists(l.socket()));
            assertFalse(Files.exists(l.pidFile()));
            m.shutdown(TIMEOUT); // idempotent

            m.start(TIMEOUT);
            assertEquals("2", m.fetchValue("SELECT COUNT(*) FROM app.t").orElseThrow());
        } finally {
            m.shutdown(TIMEOUT);
        }
    }

    @Test
    void recoversAfterKillDashNine(@TempDir Path root) throws Exception {
        Mysqld m = managed(root, 7);
        m.init();
        try {
            m.start(TIMEOUT);
            m.executeAll(List.of("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)", "INSERT INTO app.t VALUES (1)"));
            var before = m.replication().primaryPosition();
            ProcessHandle h = ProcessHandle.of(m.pid().orElseThrow()).orElseThrow();
            assertTrue(h.destroyForcibly()); // SIGKILL
            h.onExit().get();
            assertFalse(m.isRunning());
            // the crash leaves the pid file and socket behind
            assertTrue(Files.exists(m.layout().pidFile()));
            assertTrue(Files.exists(m.layout().socket()));

            m.start(TIMEOUT);
            assertTrue(m.isRunning());
            assertEquals("1", m.fetchValue("SELECT COUNT(*) FROM app.t").orElseThrow(), "committed row survives the crash");
            assertTrue(m.replication().primaryPosition().atLeast(before), "binlog GTID state survives the crash");
        } finally {
            m.shutdown(TIMEOUT);
        }
    }

    @Test
    void startBeforeInitIsAClearError(@TempDir Path root) {
        MosaicException e = assertThrows(MosaicException.class, () -> managed(root, 1).start(TIMEOUT));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains("init()"), e.getMessage());
    }

    @Test
    void startupFailureShowsTheErrorLog(@TempDir Path root) {
        Mysqld m = Mysqld.managed(MysqldConfig.of(root, 3).withPort(MysqldCluster.freePort())
                .withOption("no_such_option_mosaic", "1"));
        m.init();
        MosaicException e = assertThrows(MosaicException.class, () -> m.start(TIMEOUT));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("exited"), e.getMessage());
        assertTrue(e.getMessage().contains("no_such_option_mosaic"), e.getMessage());
        m.shutdown(TIMEOUT); // nothing to stop: no error
    }

    @Test
    void portInUseIsReported(@TempDir Path root) throws Exception {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Mysqld m = Mysqld.managed(MysqldConfig.of(root, 4).withPort(taken.getLocalPort()));
            m.init();
            MosaicException e = assertThrows(MosaicException.class, () -> m.start(TIMEOUT));
            assertTrue(e.getMessage().toLowerCase().contains("address already in use")
                    || e.getMessage().contains("Bind on TCP/IP port"), e.getMessage());
        }
    }
}
