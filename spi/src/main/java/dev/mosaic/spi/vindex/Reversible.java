package dev.mosaic.spi.vindex;

import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import java.util.List;

/** A vindex whose keyspace ids can be turned back into the column value. */
public interface Reversible {
    /**
     * The value each keyspace id came from; {@code map(reverseMap(k)) == k} for every keyspace id
     * the vindex produces.
     *
     * @throws dev.mosaic.api.error.MosaicException {@code INVALID_ARGUMENT} for a keyspace id this
     *         vindex could not have produced (e.g. wrong length)
     */
    List<Value> reverseMap(VindexCursor cursor, List<KeyspaceId> ksids);
}
