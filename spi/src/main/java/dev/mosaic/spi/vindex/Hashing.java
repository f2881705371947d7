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

    /**
     * True if this function is meant to spread values evenly over the keyspace, so that sequential
     * ids land on equal shards in equal numbers ({@code hash}, {@code xxhash}, {@code binary_md5}).
     * Functions that keep order or place values deliberately ({@code numeric}, {@code binary}, a
     * fixed table) return false. The plugin declares it; the TCK's {@code vindex.distribution}
     * clause checks the spread of every vindex that returns true. Must not change over the
     * vindex's life.
     *
     * @return true by default: a hashing vindex spreads unless it says otherwise
     */
    default boolean spreadsEvenly() {
        return true;
    }
}
