package dev.mosaic.server.backup;

import dev.mosaic.server.backup.engine.BuiltinBackupEngineFactory;
import dev.mosaic.server.backup.engine.LogicalBackupEngineFactory;
import dev.mosaic.server.backup.storage.FileBackupStorageFactory;
import dev.mosaic.spi.PluginFactory;
import dev.mosaic.tck.RegistryContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The registry contract for the three backup plugins: discoverable, well named, configuration declared. */
class BackupPluginsRegistryTest {
    @Nested
    class FileStorage extends RegistryContract {
        @TempDir
        Path root;

        @Override
        protected PluginFactory<?> factory() {
            return new FileBackupStorageFactory();
        }

        @Override
        protected Map<String, String> sampleConfig() {
            return Map.of("root", root.toString());
        }
    }

    @Nested
    class Builtin extends RegistryContract {
        @Override
        protected PluginFactory<?> factory() {
            return new BuiltinBackupEngineFactory();
        }
    }

    @Nested
    class Logical extends RegistryContract {
        @Override
        protected PluginFactory<?> factory() {
            return new LogicalBackupEngineFactory();
        }
    }
}
