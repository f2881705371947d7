package dev.mosaic.spi.backup;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * One backup in a {@link BackupStorage}: writable between {@code startBackup} and
 * {@link #endBackup()}/{@link #abortBackup()}, read-only when listed.
 */
public interface BackupHandle {
    /** The directory ({@code keyspace/shard}). */
    String directory();

    /** The backup's name, unique within its directory. */
    String name();

    /**
     * Opens a new file for writing. Several files may be written concurrently.
     *
     * @param sizeHint the expected size in bytes, or -1 if unknown
     * @throws dev.mosaic.api.error.MosaicException {@code FAILED_PRECONDITION} if the handle is read-only
     */
    OutputStream addFile(String fileName, long sizeHint);

    /** Marks the backup complete, after every file was closed. */
    void endBackup();

    /** Discards a backup being written. */
    void abortBackup();

    /** Opens a file of a complete backup. */
    InputStream readFile(String fileName);

    /** The names of the backup's files. */
    List<String> files();
}
