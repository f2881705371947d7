package dev.mosaic.tck.backup;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.backup.BackupHandle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One backup held in memory, used by {@link BackupEngineContract} to hand engines a handle without
 * depending on any storage plugin. It can be told to fail: after {@code failAfterBytes} bytes have
 * been written in total, every write throws an {@link IOException}, as a storage that lost its
 * disk or bucket would. Thread-safe.
 */
public final class MemoryBackup implements BackupHandle {
    private final String directory;
    private final String name;
    private final long failAfterBytes;
    private final AtomicLong written = new AtomicLong();
    private final Map<String, byte[]> complete = new ConcurrentHashMap<>();
    private volatile boolean ended;

    /**
     * A backup that never fails.
     *
     * @param directory its directory
     * @param name      its name
     */
    public MemoryBackup(String directory, String name) {
        this(directory, name, Long.MAX_VALUE);
    }

    /**
     * A backup whose writes fail once {@code failAfterBytes} bytes were written.
     *
     * @param directory      its directory
     * @param name           its name
     * @param failAfterBytes how many bytes succeed
     */
    public MemoryBackup(String directory, String name, long failAfterBytes) {
        this.directory = directory;
        this.name = name;
        this.failAfterBytes = failAfterBytes;
    }

    @Override
    public String directory() {
        return directory;
    }

    @Override
    public String name() {
        return name;
    }

    /** Bytes written so far (all files). */
    public long bytesWritten() {
        return written.get();
    }

    @Override
    public OutputStream addFile(String fileName, long sizeHint) {
        if (ended) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "backup " + name + " is complete (read-only)");
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        return new OutputStream() {
            private boolean closed;

            @Override
            public synchronized void write(byte[] b, int off, int len) throws IOException {
                charge(len);
                buf.write(b, off, len);
            }

            @Override
            public synchronized void write(int b) throws IOException {
                charge(1);
                buf.write(b);
            }

            @Override
            public synchronized void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                if (complete.putIfAbsent(fileName, buf.toByteArray()) != null) {
                    throw new IOException("file " + fileName + " was added twice to backup " + name);
                }
            }
        };
    }

    private void charge(int len) throws IOException {
        if (written.addAndGet(len) > failAfterBytes) {
            throw new IOException("injected storage failure after " + failAfterBytes + " bytes");
        }
    }

    @Override
    public void endBackup() {
        ended = true;
    }

    @Override
    public void abortBackup() {
        complete.clear();
        ended = true;
    }

    @Override
    public InputStream readFile(String fileName) {
        byte[] b = complete.get(fileName);
        if (b == null) {
            throw new MosaicException(ErrorCode.NOT_FOUND, "backup " + name + " has no file " + fileName);
        }
        return new ByteArrayInputStream(b);
    }

    @Override
    public List<String> files() {
        List<String> out = new ArrayList<>(complete.keySet());
        out.sort(null);
        return out;
    }
}
