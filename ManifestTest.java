package dev.mosaic.server.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.server.backup.storage.FileBackupStorage;
import dev.mosaic.spi.backup.BackupHandle;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MANIFEST's JSON, and the framework's refusal to see backups without a readable one. */
class ManifestTest {
    private static final TabletAlias ALIAS = new TabletAlias("zone1", 101);

    @TempDir
    Path root;

    private static BackupInfo info(String name, Instant start) {
        return new BackupInfo("commerce", "-80", name, "builtin", "MariaDB/0-101-42", start, start.plusSeconds(3), ALIAS,
                1234, Map.of("method", "mariabackup", "quote", "a\"b\\c\n"));
    }

    @Test
    void roundTripsWithVitessFieldNames() {
        BackupInfo i = info("2006-01-02.150405.zone1-0000000101", Instant.parse("2006-01-02T15:04:05Z"));
        byte[] json = Manifest.encode(i, Optional.of(7L), Optional.of("10.11.19-MariaDB"));
        String text = new String(json, StandardCharsets.UTF_8);
        for (String field : List.of("\"BackupMethod\": \"builtin\"", "\"Position\": \"MariaDB/0-101-42\"",
                "\"BackupTime\": \"2006-01-02T15:04:05Z\"", "\"FinishedTime\": \"2006-01-02T15:04:08Z\"",
                "\"Keyspace\": \"commerce\"", "\"Shard\": \"-80\"", "\"TabletAlias\": \"zone1-0000000101\"",
                "\"ServerID\": 7", "\"MySQLVersion\": \"10.11.19-MariaDB\"", "\"Bytes\": 1234")) {
            assertTrue(text.contains(field), field + " in\n" + text);
        }
        assertEquals(i, Manifest.decode(json));
    }

    @Test
    void malformedManifestsAreRejected() {
        for (String bad : List.of("", "{", "[]", "{\"BackupMethod\": 1}", "{\"Keyspace\": \"k\"}", "{} x")) {
            assertThrows(IllegalArgumentException.class, () -> Manifest.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }

    @Test
    void backupsWithoutAReadableManifestAreNeverListedOrNewest() throws Exception {
        FileBackupStorage storage = new FileBackupStorage(root);
        Backups backups = new Backups(storage, name -> {
            throw new AssertionError("no engine is needed to list");
        });
        Instant t0 = Instant.parse("2024-01-02T03:04:05Z");
        String good = BackupNames.name(t0, ALIAS);
        String noManifest = BackupNames.name(t0.plusSeconds(10), ALIAS);
        String junk = BackupNames.name(t0.plusSeconds(20), ALIAS);
        String copied = BackupNames.name(t0.plusSeconds(30), ALIAS);
        write(storage, good, Manifest.encode(info(good, t0), Optional.empty(), Optional.empty()));
        write(storage, noManifest, null);
        write(storage, junk, "{\"BackupMethod\": ".getBytes(StandardCharsets.UTF_8));
        // a MANIFEST that names another backup does not make this one complete
        write(storage, copied, Manifest.encode(info(good, t0), Optional.empty(), Optional.empty()));
        assertEquals(4, storage.listBackups("commerce/-80").size());
        assertEquals(List.of(good), backups.list("commerce", "-80").stream().map(BackupInfo::name).toList());
        assertEquals(Optional.of(good), backups.newest("commerce", "-80", Optional.empty()).map(BackupInfo::name));
        assertEquals(Optional.empty(), backups.newest("commerce", "-80", Optional.of(t0.minusSeconds(1))));
    }

    private static void write(FileBackupStorage storage, String name, byte[] manifest) throws Exception {
        BackupHandle h = storage.startBackup("commerce/-80", name);
        try (OutputStream out = h.addFile("data", 3)) {
            out.write(new byte[] {1, 2, 3});
        }
        if (manifest != null) {
            try (OutputStream out = h.addFile("MANIFEST", manifest.length)) {
                out.write(manifest);
            }
        }
        h.endBackup();
    }
}
