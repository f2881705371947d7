package dev.mosaic.spi.vindex;

import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;

/**
 * A pure function from one value to one keyspace id, needing no cursor. Lets the gate compute
 * the keyspace id of an inserted row without a round trip, and resharding filter rows by range.
 */
public interface Hashing {
    /**
     * The keyspace id of {@code id}.
     *
     * @throws dev.mosaic.api.error.MosaicException {@code INVALID_ARGUMENT} if the value cannot be
     *         hashed (NULL, wrong type)
     */
    KeyspaceId hash(Value id);
}
