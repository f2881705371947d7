package dev.mosaic.server.backup;

/**
 * Told how far a backup or restore has got. Called from the threads that move the bytes (possibly
 * several at once), throttled by the framework (about every MiB or second, and once at the end);
 * implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress. */
    ProgressListener NONE = (done, total) -> { };

    /**
     * Reports progress.
     *
     * @param bytesDone  bytes written to (backup) or read from (restore) the storage so far
     * @param bytesTotal the expected total: the sum of the engine's size hints on backup, the size
     *                   recorded in the MANIFEST on restore; may be less than {@code bytesDone}
     *                   when hints were low, 0 when unknown
     */
    void progress(long bytesDone, long bytesTotal);
}
