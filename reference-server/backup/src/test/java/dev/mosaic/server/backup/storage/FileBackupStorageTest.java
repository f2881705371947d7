package dev.mosaic.server.backup.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.backup.BackupHandle;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the storage contract does not cover: the on-disk layout, path checks and root validation. */
class FileBackupStorageTest {
    @TempDir
    Path root;

    @Test
    void layoutIsRootKeyspaceShardNameAndInProgressIsHidden() throws Exception {
        FileBackupStorage s = new FileBackupStorage(root);
        BackupHandle h = s.startBackup("commerce/-80", "2024-01-02.030405.zone1-0000000100");
        try (OutputStream out = h.addFile("MANIFEST", 2)) {
            out.write("{}".getBytes());
        }
        Path hidden = root.resolve("commerce/-80/.inprogress-2024-01-02.030405.zone1-0000000100/MANIFEST");
        assertTrue(Files.exists(hidden), "written into the hidden in-progress directory");
        h.endBackup();
        assertTrue(Files.exists(root.resolve("commerce/-80/2024-01-02.030405.zone1-0000000100/MANIFEST")));
        assertTrue(Files.notExists(hidden.getParent()));
    }

    @Test
    void endBackupWithAnOpenFileIsRefused() throws Exception {
        FileBackupStorage s = new FileBackupStorage(root);
        BackupHandle h = s.startBackup("ks/0", "b");
        OutputStream open = h.addFile("f", 1);
        MosaicException e = assertThrows(MosaicException.class, h::endBackup);
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        open.close();
        h.endBackup();
        assertEquals(List.of("b"), s.listBackups("ks/0").stream().map(BackupHandle::name).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "a/../b", "/abs", "a/", "", "a//b", ".hidden/0", "ks\\0"})
    void badDirectoriesAreInvalidArguments(String dir) {
        FileBackupStorage s = new FileBackupStorage(root);
        MosaicException e = assertThrows(MosaicException.class, () -> s.startBackup(dir, "b"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.getMessage());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(MosaicException.class, () -> s.listBackups(dir)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/b", ".inprogress-x", "x..y", "a\\b"})
    void badNamesAreInvalidArguments(String name) {
        FileBackupStorage s = new FileBackupStorage(root);
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(MosaicException.class, () -> s.startBackup("ks/0", name)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(MosaicException.class, () -> s.removeBackup("ks/0", name)).code());
        BackupHandle h = s.startBackup("ks/0", "ok");
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(MosaicException.class, () -> h.addFile(name, 1)).code());
    }

    @Test
    void rootIsValidatedNamingTheKey() throws Exception {
        Plugins plugins = Plugins.of(List.of(new FileBackupStorageFactory()));
        Path file = Files.writeString(root.resolve("plain"), "x");
        Path readOnly = Files.createDirectory(root.resolve("ro"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("r-xr-xr-x")));
        Map<Path, String> cases = new java.util.LinkedHashMap<>();
        cases.put(root.resolve("absent"), "does not exist");
        cases.put(file, "is not a directory");
        if (!"root".equals(System.getProperty("user.name"))) {
            cases.put(readOnly, "is not writable");
        }
        cases.forEach((p, why) -> {
            MosaicException e = assertThrows(MosaicException.class, () -> plugins.create(PluginKind.BACKUP_STORAGE, "file", "t",
                    Map.of("root", p.toString())));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().startsWith("key 'root': ") && e.getMessage().contains(why), e.getMessage());
        });
    }
}
