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
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The {@code builtin} physical backup engine ({@link BuiltinBackupEngine}). */
public final class BuiltinBackupEngineFactory implements BackupEngineFactory {
    /** The type name. */
    public static final String TYPE = "builtin";

    private static final ConfigSpec SPEC = ConfigSpec.of(
            ConfigKey.optional("method", ConfigType.STRING, "auto",
                    "auto (mariabackup if installed and the server is MariaDB, else datadir), mariabackup, or datadir"),
            ConfigKey.optional("compression_level", ConfigType.INT, "1", "gzip level of the stored files, 0 (none) to 9 (smallest)"),
            ConfigKey.optional("shutdown_timeout", ConfigType.DURATION, "5m", "how long mysqld may take to stop"),
            ConfigKey.optional("start_timeout", ConfigType.DURATION, "5m", "how long mysqld may take to start"),
            ConfigKey.optional("tool_timeout", ConfigType.DURATION, "6h", "how long one mariabackup run may take"));

    /** For ServiceLoader. */
    public BuiltinBackupEngineFactory() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Physical backups: mariabackup while mysqld runs, or a copy of the stopped mysqld's datadir.";
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
        BuiltinBackupEngine.Method method;
        try {
            method = BuiltinBackupEngine.Method.valueOf(config.getString("method").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "key 'method': '" + config.getString("method")
                    + "' is not one of auto, mariabackup, datadir");
        }
        int level = config.getInt("compression_level");
        if (level < 0 || level > 9) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "key 'compression_level': " + level + " is not in 0..9");
        }
        return new BuiltinBackupEngine(new BuiltinBackupEngine.Settings(method, level, config.getDuration("shutdown_timeout"),
                config.getDuration("start_timeout"), config.getDuration("tool_timeout"), !mariabackupOnPath()));
    }

    // Only for shouldDrainForBackup() under 'auto', which must answer before any mysqld is at hand;
    // the backup itself decides with MysqldControl.tool().
    private static boolean mariabackupOnPath() {
        String path = System.getenv("PATH");
        String dirs = (path == null ? "" : path) + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/local/bin";
        for (String d : dirs.split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "mariabackup"))) {
                return true;
            }
        }
        return false;
    }
}
