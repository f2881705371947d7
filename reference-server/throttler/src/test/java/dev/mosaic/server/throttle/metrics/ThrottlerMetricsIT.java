package dev.mosaic.server.throttle.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletType;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.throttle.MetricProbe;
import dev.mosaic.spi.throttle.ThrottlerMetric;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each built-in metric reads a real value from a real MariaDB: threads_running, history_list_length
 * and custom through SQL, loadavg from /proc/loadavg; and the SQL metrics fail with UNAVAILABLE once
 * mysqld is gone.
 */
class ThrottlerMetricsIT {
    private static MysqldCluster cluster;
    private static Mysqld mysqld;
    private static final Plugins PLUGINS = Plugins.load(ThrottlerMetricsIT.class.getClassLoader());

    @BeforeAll
    static void start() {
        MysqldCluster.requireBinaries();
        cluster = MysqldCluster.start(1);
        mysqld = cluster.get(0);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A probe over one JDBC connection per query, as a test stands in for the tablet's pool. */
    private static MetricProbe probe() {
        return new MetricProbe() {
            @Override
            public TabletType tabletType() {
                return TabletType.REPLICA;
            }

            @Override
            public List<List<String>> query(String sql) {
                try (Connection c = mysqld.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    List<List<String>> rows = new ArrayList<>();
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        List<String> row = new ArrayList<>();
                        for (int i = 1; i <= n; i++) {
                            row.add(rs.getString(i));
                        }
                        rows.add(row);
                    }
                    return rows;
                } catch (SQLException | RuntimeException e) {
                    throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot query mysqld: " + e.getMessage(), e);
                }
            }

            @Override
            public OptionalDouble replicationLagSeconds() {
                return OptionalDouble.empty();
            }

            @Override
            public OptionalDouble loadAveragePerCore() {
                try {
                    String first = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
                    return OptionalDouble.of(Double.parseDouble(first) / Runtime.getRuntime().availableProcessors());
                } catch (java.io.IOException | RuntimeException e) {
                    return OptionalDouble.empty();
                }
            }
        };
    }

    private static double read(String type, Map<String, String> config) {
        ThrottlerMetric m = PLUGINS.create(PluginKind.THROTTLER_METRIC, type, "it", config);
        long t0 = System.nanoTime();
        double v = m.read(probe());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("throttler metric %s = %s (%d ms)%n", type, v, ms);
        assertTrue(ms < 2000, type + " took " + ms + " ms");
        return v;
    }

    /** A snapshot held open keeps purge from removing the undo of later commits: the history grows. */
    @Test
    void historyListLengthGrowsWhileASnapshotIsHeld() throws Exception {
        mysqld.executeAll(List.of("CREATE DATABASE IF NOT EXISTS hll", "CREATE TABLE IF NOT EXISTS hll.t (id INT PRIMARY KEY, v INT)",
                "REPLACE INTO hll.t VALUES (1, 0)"));
        try (Connection holder = mysqld.connect(); Statement hs = holder.createStatement();
             Connection writer = mysqld.connect(); Statement ws = writer.createStatement()) {
            hs.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
            hs.executeQuery("SELECT v FROM hll.t").close();
            for (int i = 1; i <= 300; i++) {
                ws.executeUpdate("UPDATE hll.t SET v = " + i + " WHERE id = 1");
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            double history = read("history_list_length", Map.of());
            while (history < 100 && System.nanoTime() < deadline) {
                history = read("history_list_length", Map.of());
            }
            assertTrue(history >= 100, "300 commits behind an open snapshot, history list length " + history);
            hs.execute("COMMIT");
        }
    }

    @Test
    void everyMetricReadsARealValue() {
        double threads = read("threads_running", Map.of());
        assertTrue(threads >= 1, "at least the thread asking is running: " + threads);
        assertEquals("1", mysqld.fetchValue("SELECT ENABLED FROM information_schema.INNODB_METRICS"
                + " WHERE NAME = 'trx_rseg_history_len'").orElseThrow(), "MariaDB keeps the counter enabled by default");
        double history = read("history_list_length", Map.of());
        assertTrue(history >= 0, "history list length " + history);
        assertEquals(42.0, read("custom", Map.of("query", "SELECT 40 + 2")));
        assertTrue(read("custom", Map.of("query", "SHOW GLOBAL STATUS LIKE 'Uptime'")) >= 0);
        if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/loadavg"))) {
            assertTrue(read("loadavg", Map.of()) >= 0);
        }
        MosaicException e = assertThrows(MosaicException.class, () -> read("custom", Map.of("query", "SELECT 'abc'")));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
    }
}
