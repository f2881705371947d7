package dev.mosaic.spi.backup;

import dev.mosaic.api.cluster.TabletAlias;
import java.time.Instant;
import java.util.Map;

/**
 * Takes a consistent backup of one tablet's mysqld into a {@link BackupHandle}, and restores one
 * into an empty mysqld (Vitess's {@code BackupEngine}). The framework writes the manifest
 * (engine, position, times) after the engine returns, so an engine only writes data files.
 */
public interface BackupEngine {
    /**
     * Writes a backup.
     *
     * @return the replication position the backup is consistent at, and engine-specific details
     * @throws dev.mosaic.api.error.MosaicException on failure; the framework then aborts the handle
     */
    BackupResult backup(BackupParams params, BackupHandle handle);

    /**
     * Restores a complete backup into the tablet's mysqld, which the framework has stopped and
     * emptied. Leaves mysqld running.
     *
     * @param manifestDetails the details the engine returned when the backup was taken
     */
    void restore(BackupParams params, BackupHandle handle, Map<String, String> manifestDetails);

    /** True if the tablet must stop serving while this engine backs it up (e.g. it stops mysqld). */
    boolean shouldDrainForBackup();

    /**
     * Parameters of one backup or restore.
     *
     * @param mysqld      access to the mysqld
     * @param keyspace    its keyspace
     * @param shard       its shard
     * @param alias       the tablet
     * @param concurrency how many files to copy in parallel
     * @param startTime   when the operation started (used in the backup's name)
     */
    record BackupParams(MysqldControl mysqld, String keyspace, String shard, TabletAlias alias, int concurrency,
                        Instant startTime) {
    }

    /**
     * What a backup produced.
     *
     * @param position the GTID position the backup is consistent at
     * @param details  engine-specific key/values stored in the manifest (e.g. format version)
     */
    record BackupResult(String position, Map<String, String> details) {
        /** Copies the map. */
        public BackupResult {
            details = Map.copyOf(details);
        }
    }
}
