package dev.mosaic.spi.backup;

import dev.mosaic.spi.PluginFactory;

/** Provider of a backup engine ({@code builtin} physical, {@code logical}, ...). */
public interface BackupEngineFactory extends PluginFactory<BackupEngine> {
}
