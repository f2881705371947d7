package dev.mosaic.vindex.lookup;

import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.VindexCursor;
import java.util.List;

/** {@code consistent_lookup_unique}: a unique consistent lookup. Cost 10. */
public final class ConsistentLookupUnique extends ConsistentLookupBase {
    ConsistentLookupUnique(String name, boolean writeOnly, LookupTable lkp) {
        super(name, writeOnly, lkp);
    }

    @Override
    public int cost() {
        return 10;
    }

    @Override
    public boolean isUnique() {
        return true;
    }

    @Override
    public List<Destination> map(VindexCursor cursor, List<Value> ids) {
        if (writeOnly) {
            return everywhere(ids.size());
        }
        return LookupUnique.mapUnique(lkp.lookup(cursor, ids, mapOrder(cursor)), ids, lkp.table(), "Lookup.Map");
    }
}
