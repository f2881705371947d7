package dev.mosaic.spi.backup;

import dev.mosaic.spi.PluginFactory;

/** Provider of a backup storage ({@code file}, or object stores written by third parties). */
public interface BackupStorageFactory extends PluginFactory<BackupStorage> {
}
