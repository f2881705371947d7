package dev.mosaic.tck.runner;

import dev.mosaic.spi.backup.BackupStorageFactory;
import dev.mosaic.tck.backup.BackupStorageContract;
import java.util.Map;

/** {@link BackupStorageContract} bound to the runner's provider under test; {@code --set} gives the config (e.g. {@code root}). */
final class BoundBackupStorageContract extends BackupStorageContract {
    @Override
    protected BackupStorageFactory factory() {
        return ProviderUnderTest.factory(BackupStorageFactory.class);
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return ProviderUnderTest.sampleConfig();
    }
}
