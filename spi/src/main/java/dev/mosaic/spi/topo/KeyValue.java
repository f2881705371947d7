package dev.mosaic.spi.topo;

import java.util.Objects;

/**
 * A file found by {@link TopoStore#listByPrefix}.
 *
 * @param path     the file's path
 * @param contents its bytes
 * @param version  its version
 */
public record KeyValue(String path, byte[] contents, Version version) {
    /** Rejects nulls. */
    public KeyValue {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(contents, "contents");
        Objects.requireNonNull(version, "version");
    }
}
