package dev.mosaic.server.process.config;

import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.backup.BackupStorage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A validated backup storage section ({@code backup.storage.type} and the plugin's own keys under
 * {@code backup.storage.}), as {@link BackupSection} reads it.
 *
 * @param type the storage plugin's type name ({@code file})
 * @param pluginConfig the plugin's keys without the prefix ({@code root}), already checked against
 *     its ConfigSpec
 */
public record BackupStorageSettings(String type, Map<String, String> pluginConfig) {
    public BackupStorageSettings {
        Objects.requireNonNull(type, "type");
        pluginConfig = Collections.unmodifiableMap(new LinkedHashMap<>(pluginConfig));
    }

    /** Creates the storage with the plugin found in {@code plugins}; the caller closes it. */
    public BackupStorage open(Plugins plugins, String instanceName) {
        return plugins.create(PluginKind.BACKUP_STORAGE, type, instanceName, pluginConfig);
    }
}
