package dev.mosaic.spi.topo;

/**
 * Receives watch events, one at a time and in order, on a thread owned by the store. It must not
 * block for long: a slow listener delays the watch's later events.
 */
@FunctionalInterface
public interface WatchListener {
    /** Called for each event; after a final event it is not called again. */
    void onEvent(WatchEvent event);
}
