package dev.mosaic.server.topo;

import dev.mosaic.spi.topo.Version;
import java.util.Objects;

/**
 * A decoded record with the version it was read at; pass the version back for a
 * compare-and-set write.
 *
 * @param value   the record
 * @param version the store's version of the bytes it was decoded from
 * @param <T>     the record type
 */
public record Stored<T>(T value, Version version) {
    /** Rejects nulls. */
    public Stored {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(version, "version");
    }
}
