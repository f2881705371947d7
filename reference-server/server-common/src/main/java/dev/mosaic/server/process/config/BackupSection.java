package dev.mosaic.server.process.config;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.backup.BackupStorageFactory;
import dev.mosaic.spi.config.ConfigException.Problem;
import dev.mosaic.spi.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code backup.storage.*} keys a tablet and ctld share (Vitess's
 * {@code --backup_storage_implementation} and the storage plugin's flags, e.g.
 * {@code --file_backup_storage_root}). The section is present when any {@code backup.storage.}
 * key is given; {@code backup.storage.type} defaults to {@code file}, and every other key under
 * the prefix is the plugin's own, checked against its ConfigSpec and reported under its full key.
 */
public final class BackupSection {
    /** Prefix of the section's keys. */
    public static final String STORAGE_PREFIX = "backup.storage.";
    /** The key naming the storage plugin. */
    public static final String STORAGE_TYPE = STORAGE_PREFIX + "type";
    /** The storage type when none is named. */
    public static final String DEFAULT_STORAGE_TYPE = "file";

    private BackupSection() {
    }

    /** True if {@code values} hold any key of the storage section. */
    public static boolean present(Map<String, String> values) {
        return values.keySet().stream().anyMatch(k -> k.startsWith(STORAGE_PREFIX));
    }

    /**
     * Reads the storage section: empty if no key of it is given, or (with the problems added to
     * {@code r}) if it is not valid.
     *
     * @param plugins where the storage plugin named by {@code backup.storage.type} is looked up
     */
    public static Optional<BackupStorageSettings> readStorage(ConfigReader r, Plugins plugins) {
        if (!present(r.values())) {
            return Optional.empty();
        }
        String type = r.optional(STORAGE_TYPE, DEFAULT_STORAGE_TYPE, s -> s);
        if (type == null) {
            return Optional.empty();
        }
        BackupStorageFactory factory;
        try {
            factory = plugins.factory(PluginKind.BACKUP_STORAGE, type);
        } catch (MosaicException e) {
            r.problem(STORAGE_TYPE, e.getMessage());
            return Optional.empty();
        }
        Map<String, String> config = new LinkedHashMap<>();
        r.values().forEach((k, v) -> {
            if (k.startsWith(STORAGE_PREFIX) && !k.equals(STORAGE_TYPE)) {
                config.put(k.substring(STORAGE_PREFIX.length()), v);
            }
        });
        try {
            factory.configSpec().validate(config, "backup storage plugin '" + type + "'");
        } catch (ConfigException e) {
            for (Problem p : e.problems()) {
                r.problem(STORAGE_PREFIX + p.key(), p.reason());
            }
            return Optional.empty();
        }
        return Optional.of(new BackupStorageSettings(type, config));
    }
}
