package dev.mosaic.spi.vindex;

import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import java.util.List;

/** A vindex over several columns (e.g. {@code multicol}, {@code region_json}). */
public non-sealed interface MultiColumnVindex extends Vindex {
    /**
     * Maps each row's column values to where it lives. A row may give fewer values than the
     * vindex has columns (a leading prefix) only if {@link #isPartial()} is true; it then maps to
     * a key range.
     */
    List<Destination> map(VindexCursor cursor, List<List<Value>> rows);

    /** Checks whether each row's values map to the keyspace id at the same index. */
    boolean[] verify(VindexCursor cursor, List<List<Value>> rows, List<KeyspaceId> ksids);

    /** True if a leading subset of the columns can be mapped (to a key range). */
    boolean isPartial();
}
