package dev.mosaic.server.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.server.backup.storage.FileBackupStorage;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.backup.BackupEngine;
import dev.mosaic.spi.backup.BackupEngine.BackupParams;
import dev.mosaic.spi.backup.MysqldControl;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures backup and restore of a 100,000-row table with each engine and prints one line per
 * engine ({@code MEASURE ...}); checks every restore has all the rows.
 */
class BackupMeasureIT {
    private static final int ROWS = 100_000;
    private static MariaDbFixture fixture;

    @TempDir
    Path root;

    @BeforeAll
    static void start() {
        fixture = MariaDbFixture.start();
        Mysqld m = fixture.sourceMysqld();
        m.executeAll(List.of("DROP DATABASE IF EXISTS measure", "CREATE DATABASE measure",
                "CREATE TABLE measure.t (id INT PRIMARY KEY, k INT NOT NULL, c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL, KEY (k))"));
        List<String> inserts = new ArrayList<>();
        for (int from = 1; from <= ROWS; from += 5000) {
            StringBuilder sb = new StringBuilder("INSERT INTO measure.t VALUES ");
            for (int i = from; i < from + 5000; i++) {
                sb.append(i > from ? "," : "").append('(').append(i).append(',').append(i * 7 % 10007)
                        .append(",'").append(String.format("%08x", i * 31).repeat(15), 0, 119).append("','pad-").append(i).append("')");
            }
            inserts.add(sb.toString());
        }
        m.executeAll(inserts);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void measureEachEngine() throws Exception {
        Plugins plugins = Plugins.load(getClass().getClassLoader());
        List<String> lines = new ArrayList<>();
        int second = 0;
        for (String[] e : List.of(new String[] {"builtin", "auto"}, new String[] {"builtin", "datadir"},
                new String[] {"logical", null})) {
            Map<String, String> config = e[1] == null ? Map.of() : Map.of("method", e[1]);
            BackupEngine engine = plugins.create(PluginKind.BACKUP_ENGINE, e[0], e[0], config);
            Backups backups = new Backups(new FileBackupStorage(root), name -> engine);
            MysqldControl source = fixture.source();
            Instant start = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(second++);
            long t0 = System.nanoTime();
            BackupInfo info = backups.backup(e[0], new BackupParams(source, "m", "0", new TabletAlias("zone1", 1), 2, start),
                    ProgressListener.NONE);
            long t1 = System.nanoTime();
            MysqldControl target = fixture.resetTarget();
            long t2 = System.nanoTime();
            backups.restore(new BackupParams(target, "m", "0", new TabletAlias("zone1", 2), 2, Instant.now()),
                    Optional.empty(), Optional.of(info.name()), ProgressListener.NONE);
            long t3 = System.nanoTime();
            try (var c = target.connect(); var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM measure.t")) {
                rs.next();
                assertEquals(ROWS, rs.getLong(1), e[0] + " restored every row");
            }
            lines.add(String.format("MEASURE engine=%s method=%s rows=%d backup_ms=%d restore_ms=%d stored_bytes=%d raw_bytes=%s",
                    e[0], info.details().getOrDefault("method", "sql"), ROWS, (t1 - t0) / 1_000_000, (t3 - t2) / 1_000_000,
                    info.bytes(), info.details().get("raw_bytes")));
        }
        lines.forEach(System.out::println);
    }
}
