package dev.mosaic.server.backup.engine;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.backup.BackupEngine;
import dev.mosaic.spi.backup.BackupEngineFactory;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;

/** The {@code logical} backup engine ({@link LogicalBackupEngine}). */
public final class LogicalBackupEngineFactory implements BackupEngineFactory {
    /** The type name. */
    public static final String TYPE = "logical";

    private static final ConfigSpec SPEC = ConfigSpec.of(
            ConfigKey.optional("compression_level", ConfigType.INT, "1", "gzip level of the dump, 0 (none) to 9 (smallest)"),
            ConfigKey.optional("tool_timeout", ConfigType.DURATION, "6h", "how long one dump or load may take"));

    /** For ServiceLoader. */
    public LogicalBackupEngineFactory() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Logical backups: a consistent mariadb-dump of the user databases, loaded back with the mariadb client.";
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
    public BackupEngine create(Config config, PluginContext context) {
        int level = config.getInt("compression_level");
        if (level < 0 || level > 9) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "key 'compression_level': " + level + " is not in 0..9");
        }
        return new LogicalBackupEngine(new LogicalBackupEngine.Settings(level, config.getDuration("tool_timeout")));
    }
}
