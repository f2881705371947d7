package dev.mosaic.server.backup;

import dev.mosaic.api.cluster.TabletAlias;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One complete backup as its MANIFEST describes it.
 *
 * @param keyspace  the keyspace backed up
 * @param shard     the shard backed up
 * @param name      the backup's name in its directory ({@link BackupNames})
 * @param engine    the engine that wrote it (MANIFEST {@code BackupMethod})
 * @param position  the replication position the backup is consistent at, as the engine reported it
 * @param startTime when the backup started (MANIFEST {@code BackupTime})
 * @param finishTime when the engine finished (MANIFEST {@code FinishedTime})
 * @param tablet    the tablet it was taken from
 * @param bytes     bytes the engine wrote into the storage (compressed size), MANIFEST excluded
 * @param details   the engine's details, passed back to it on restore
 */
public record BackupInfo(String keyspace, String shard, String name, String engine, String position,
                         Instant startTime, Instant finishTime, TabletAlias tablet, long bytes,
                         Map<String, String> details) {
    /** Checks for nulls and copies the details. */
    public BackupInfo {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(finishTime, "finishTime");
        Objects.requireNonNull(tablet, "tablet");
        details = Map.copyOf(details);
    }

    /** The storage directory, {@code keyspace/shard}. */
    public String directory() {
        return keyspace + "/" + shard;
    }
}
