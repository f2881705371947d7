package dev.mosaic.spi.topo;

/** A running watch of one file. */
public interface Watch extends AutoCloseable {
    /** The value at the time the watch started. */
    Versioned initial();

    /** Stops the watch; the listener receives {@link WatchEvent.Cancelled} unless already ended. Idempotent. */
    void cancel();

    /** Same as {@link #cancel()}. */
    @Override
    default void close() {
        cancel();
    }
}
