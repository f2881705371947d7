package dev.mosaic.server.backup.storage;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.backup.BackupStorage;
import dev.mosaic.spi.backup.BackupStorageFactory;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;
import dev.mosaic.api.error.MosaicException;
import java.nio.file.Path;

/** The {@code file} backup storage: backups as directories under {@code root}. */
public final class FileBackupStorageFactory implements BackupStorageFactory {
    /** The type name. */
    public static final String TYPE = "file";

    private static final ConfigSpec SPEC = ConfigSpec.of(ConfigKey.required("root", ConfigType.STRING,
            "an existing, writable directory; backups go to <root>/<keyspace>/<shard>/<backup-name>"));

    /** For ServiceLoader. */
    public FileBackupStorageFactory() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Backups as directories on a local or mounted file system (<root>/<keyspace>/<shard>/<name>).";
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public BackupStorage create(Config config, PluginContext context) {
        try {
            return new FileBackupStorage(Path.of(config.getString("root")));
        } catch (MosaicException e) {
            throw new MosaicException(e.code(), "key 'root': " + e.getMessage(), e);
        } catch (java.nio.file.InvalidPathException e) {
            throw new MosaicException(dev.mosaic.api.error.ErrorCode.INVALID_ARGUMENT, "key 'root': " + e.getMessage(), e);
        }
    }
}
