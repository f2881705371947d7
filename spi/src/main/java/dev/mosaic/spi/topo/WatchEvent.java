package dev.mosaic.spi.topo;

import java.util.Objects;

/** What a watch reports. {@link Changed} may repeat; the others are final: nothing follows them. */
public sealed interface WatchEvent permits WatchEvent.Changed, WatchEvent.Deleted, WatchEvent.Cancelled,
        WatchEvent.Failed {

    /** The path the event is about (for recursive watches, the file below the watched directory). */
    String path();

    /** True for the events that end a watch. */
    default boolean isFinal() {
        return !(this instanceof Changed);
    }

    /** A file was created or changed. */
    record Changed(String path, Versioned value) implements WatchEvent {
        /** Rejects nulls. */
        public Changed {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * The watched file was deleted. For a single-file watch this is final; a recursive watch
     * reports deletions of files below it and keeps going, so there it is not final.
     */
    record Deleted(String path, boolean endsWatch) implements WatchEvent {
        @Override
        public boolean isFinal() {
            return endsWatch;
        }
    }

    /** The watch was cancelled by its owner or its store was closed. */
    record Cancelled(String path) implements WatchEvent {
    }

    /** The watch could not go on (e.g. the backend compacted past the watch's revision). */
    record Failed(String path, TopoException error) implements WatchEvent {
    }
}
