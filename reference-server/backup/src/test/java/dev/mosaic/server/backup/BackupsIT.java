package dev.mosaic.server.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.backup.storage.FileBackupStorage;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.backup.BackupEngine;
import dev.mosaic.spi.backup.BackupEngine.BackupParams;
import dev.mosaic.spi.backup.BackupHandle;
import dev.mosaic.spi.backup.BackupStorage;
import dev.mosaic.spi.backup.MysqldControl;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The framework over real MariaDB, the file storage and the engines found by ServiceLoader. */
class BackupsIT {
    private static final TabletAlias SOURCE_ALIAS = new TabletAlias("zone1", 101);
    private static final Instant T0 = Instant.parse("2024-05-06T07:08:09Z");
    private static MariaDbFixture fixture;
    private static final Plugins PLUGINS = Plugins.load(BackupsIT.class.getClassLoader());
    private static final Function<String, BackupEngine> ENGINES =
            name -> PLUGINS.create(PluginKind.BACKUP_ENGINE, name, name, Map.of());

    @TempDir
    Path root;

    @BeforeAll
    static void start() {
        fixture = MariaDbFixture.start();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static BackupParams params(MysqldControl m, Instant start) {
        return new BackupParams(m, "commerce", "0", SOURCE_ALIAS, 2, start);
    }

    private static void seed(Mysqld m, int rows) {
        m.executeAll(List.of("DROP DATABASE IF EXISTS shop", "CREATE DATABASE shop",
                "CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(32))"));
        StringBuilder sb = new StringBuilder("INSERT INTO shop.orders VALUES ");
        for (int i = 1; i <= rows; i++) {
            sb.append(i > 1 ? "," : "").append('(').append(i).append(", 'item-").append(i).append("')");
        }
        m.executeAll(List.of(sb.toString()));
    }

    private static long count(MysqldControl m) throws Exception {
        try (var c = m.connect(); var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM shop.orders")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void backupListChooseRestoreRemove() throws Exception {
        Mysqld src = fixture.sourceMysqld();
        MysqldControl source = fixture.source();
        seed(src, 1000);
        Backups backups = new Backups(new FileBackupStorage(root), ENGINES);
        List<long[]> progress = new CopyOnWriteArrayList<>();
        BackupInfo b1 = backups.backup("builtin", params(source, T0), (d, t) -> progress.add(new long[] {d, t}));
        assertEquals(source.currentPosition(), b1.position());
        assertEquals("mariabackup", b1.details().get("method"), "auto uses mariabackup where it is installed");
        assertEquals("2024-05-06.070809.zone1-0000000101", b1.name());
        assertTrue(!progress.isEmpty() && progress.get(progress.size() - 1)[0] == b1.bytes() && b1.bytes() > 0,
                "the last progress report is the bytes written");
        Path manifest = root.resolve("commerce/0/" + b1.name() + "/MANIFEST");
        String json = Files.readString(manifest, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"BackupMethod\": \"builtin\"") && json.contains("\"Position\": \"" + b1.position() + "\"")
                && json.contains("\"ServerID\": ") && json.contains("\"MySQLVersion\": "), json);

        src.executeAll(List.of("INSERT INTO shop.orders VALUES (1001, 'late')"));
        BackupInfo b2 = backups.backup("logical", params(source, T0.plusSeconds(60)), ProgressListener.NONE);
        assertEquals(source.currentPosition(), b2.position());
        assertEquals(List.of(b1, b2), backups.list("commerce", "0"));
        assertEquals(Optional.of(b2), backups.newest("commerce", "0", Optional.empty()));
        assertEquals(Optional.of(b1), backups.newest("commerce", "0", Optional.of(T0.plusSeconds(59))));
        assertEquals(Optional.empty(), backups.newest("commerce", "0", Optional.of(T0.minusSeconds(1))));

        MysqldControl t1 = fixture.resetTarget();
        List<long[]> readProgress = new CopyOnWriteArrayList<>();
        BackupInfo restored = backups.restore(params(t1, Instant.now()), Optional.empty(), Optional.empty(),
                (d, t) -> readProgress.add(new long[] {d, t}));
        assertEquals(b2, restored, "the newest complete backup is restored");
        assertEquals(1001, count(t1));
        assertEquals(b2.position(), t1.currentPosition());
        assertTrue(!readProgress.isEmpty() && readProgress.get(readProgress.size() - 1)[1] == b2.bytes());

        MysqldControl t2 = fixture.resetTarget();
        assertEquals(b1, backups.restore(params(t2, Instant.now()), Optional.of(T0.plusSeconds(30)), Optional.empty(),
                ProgressListener.NONE));
        assertEquals(1000, count(t2));
        assertEquals(b1.position(), t2.currentPosition());

        MysqldControl t3 = fixture.resetTarget();
        assertEquals(b1, backups.restore(params(t3, Instant.now()), Optional.empty(), Optional.of(b1.name()), ProgressListener.NONE));
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(MosaicException.class, () -> backups.restore(params(t3, Instant.now()),
                Optional.empty(), Optional.of("2000-01-01.000000.zone1-0000000101"), ProgressListener.NONE)).code());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(MosaicException.class, () -> backups.restore(params(t3, Instant.now()),
                Optional.of(T0.minusSeconds(1)), Optional.empty(), ProgressListener.NONE)).code());

        backups.remove("commerce", "0", b1.name());
        assertEquals(List.of(b2), backups.list("commerce", "0"));
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(MosaicException.class, () -> backups.remove("commerce", "0", b1.name())).code());
        assertEquals(ErrorCode.ALREADY_EXISTS, assertThrows(MosaicException.class,
                () -> backups.backup("logical", params(source, T0.plusSeconds(60)), ProgressListener.NONE)).code());
    }

    @Test
    void aFailedBackupIsAbortedAndNeverChosen() throws Exception {
        MysqldControl source = fixture.source();
        seed(fixture.sourceMysqld(), 500);
        FileBackupStorage files = new FileBackupStorage(root);
        Backups good = new Backups(files, ENGINES);
        BackupInfo before = good.backup("logical", params(source, T0), ProgressListener.NONE);
        for (String engine : List.of("logical", "builtin")) {
            Backups failing = new Backups(new FailingStorage(files, 1024), ENGINES);
            MosaicException e = assertThrows(MosaicException.class,
                    () -> failing.backup(engine, params(source, T0.plusSeconds(60)), ProgressListener.NONE));
            assertTrue(String.valueOf(e.getMessage()).contains("injected") || String.valueOf(e.getCause()).contains("injected"),
                    engine + ": " + e);
            assertEquals(List.of(before), good.list("commerce", "0"), engine + ": only the earlier backup is listed");
            assertEquals(Optional.of(before), good.newest("commerce", "0", Optional.empty()));
            try (Stream<Path> left = Files.list(root.resolve("commerce/0"))) {
                assertEquals(List.of(before.name()), left.map(p -> p.getFileName().toString()).toList(),
                        engine + ": the aborted backup left nothing behind");
            }
        }
        assertEquals(500, count(source), "the source still serves");
    }

    /** A storage whose writes fail after a number of bytes, as a full disk would. */
    private static final class FailingStorage implements BackupStorage {
        private final BackupStorage delegate;
        private final long failAfter;

        FailingStorage(BackupStorage delegate, long failAfter) {
            this.delegate = delegate;
            this.failAfter = failAfter;
        }

        @Override
        public List<BackupHandle> listBackups(String dir) {
            return delegate.listBackups(dir);
        }

        @Override
        public BackupHandle startBackup(String dir, String name) {
            BackupHandle h = delegate.startBackup(dir, name);
            AtomicLong written = new AtomicLong();
            return new BackupHandle() {
                @Override
                public String directory() {
                    return h.directory();
                }

                @Override
                public String name() {
                    return h.name();
                }

                @Override
                public OutputStream addFile(String fileName, long sizeHint) {
                    return new FilterOutputStream(h.addFile(fileName, sizeHint)) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            if (written.addAndGet(len) > failAfter) {
                                throw new IOException("injected storage failure");
                            }
                            out.write(b, off, len);
                        }
                    };
                }

                @Override
                public void endBackup() {
                    h.endBackup();
                }

                @Override
                public void abortBackup() {
                    h.abortBackup();
                }

                @Override
                public InputStream readFile(String fileName) {
                    return h.readFile(fileName);
                }

                @Override
                public List<String> files() {
                    return h.files();
                }
            };
        }

        @Override
        public void removeBackup(String dir, String name) {
            delegate.removeBackup(dir, name);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
