package dev.mosaic.spi.topo;

import java.util.List;

/** A running watch of every file under a directory. */
public interface RecursiveWatch extends AutoCloseable {
    /** The files under the directory at the time the watch started, sorted by path. */
    List<KeyValue> initial();

    /** Stops the watch; the listener receives {@link WatchEvent.Cancelled} unless already ended. Idempotent. */
    void cancel();

    /** Same as {@link #cancel()}. */
    @Override
    default void close() {
        cancel();
    }
}
