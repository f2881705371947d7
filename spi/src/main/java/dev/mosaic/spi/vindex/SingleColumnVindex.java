package dev.mosaic.spi.vindex;

import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import java.util.List;

/** A vindex over one column. */
public non-sealed interface SingleColumnVindex extends Vindex {
    /**
     * Maps each value to where its rows live.
     *
     * @param cursor the gate's cursor; may be {@link VindexCursor#NONE} when {@link #needsCursor()} is false
     * @param ids    the column values; a value the vindex cannot map (wrong type, NULL) yields
     *               {@link Destination.None} or, for a malformed value, an exception
     * @return one destination per value, in order. A unique vindex returns
     *         {@link Destination.One} or {@link Destination.None}
     * @throws dev.mosaic.api.error.MosaicException {@code INVALID_ARGUMENT} for a value that cannot be
     *         converted (e.g. text that is not a number for {@code hash}); lookup failures as the
     *         cursor reports them
     */
    List<Destination> map(VindexCursor cursor, List<Value> ids);

    /**
     * Checks whether each value maps to the keyspace id given at the same index.
     *
     * @return one answer per pair; {@code ids.size() == ksids.size()}
     */
    boolean[] verify(VindexCursor cursor, List<Value> ids, List<KeyspaceId> ksids);
}
