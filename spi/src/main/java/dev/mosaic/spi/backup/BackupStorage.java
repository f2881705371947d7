package dev.mosaic.spi.backup;

import java.util.List;

/**
 * Where backups are kept: directories (one per keyspace/shard, e.g. {@code commerce/0}) holding
 * named backups, each a set of files (Vitess's {@code BackupStorage}). Thread-safe.
 */
public interface BackupStorage extends AutoCloseable {
    /**
     * The complete backups in {@code dir}, oldest first (names sort by time). A backup whose
     * {@link BackupHandle#endBackup()} has not completed is never listed.
     *
     * @return possibly empty
     */
    List<BackupHandle> listBackups(String dir);

    /**
     * Starts a new backup to be written through the returned handle.
     *
     * @throws dev.mosaic.api.error.MosaicException {@code ALREADY_EXISTS} if {@code name} exists in {@code dir}
     */
    BackupHandle startBackup(String dir, String name);

    /**
     * Removes a backup and all its files.
     *
     * @throws dev.mosaic.api.error.MosaicException {@code NOT_FOUND} if there is no such backup
     */
    void removeBackup(String dir, String name);

    /** Releases resources. */
    @Override
    void close();
}
