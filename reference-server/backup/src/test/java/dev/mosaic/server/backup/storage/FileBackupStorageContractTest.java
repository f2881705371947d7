package dev.mosaic.server.backup.storage;

import dev.mosaic.spi.backup.BackupStorageFactory;
import dev.mosaic.tck.backup.BackupStorageContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The {@code file} storage keeps the TCK's storage contract. */
class FileBackupStorageContractTest extends BackupStorageContract {
    @TempDir
    Path root;

    @Override
    protected BackupStorageFactory factory() {
        return new FileBackupStorageFactory();
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return Map.of("root", root.toString());
    }
}
