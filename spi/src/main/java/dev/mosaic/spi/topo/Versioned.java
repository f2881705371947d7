package dev.mosaic.spi.topo;

import java.util.Objects;

/**
 * A file's contents with the version they were read at.
 *
 * @param contents the bytes (callers must not modify them)
 * @param version  the version of these bytes
 */
public record Versioned(byte[] contents, Version version) {
    /** Rejects nulls. */
    public Versioned {
        Objects.requireNonNull(contents, "contents");
        Objects.requireNonNull(version, "version");
    }
}
