package dev.mosaic.vindex.lookup;

import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.VindexCursor;
import java.util.ArrayList;
import java.util.List;

/** {@code consistent_lookup}: a non-unique consistent lookup. Cost 20. */
public final class ConsistentLookup extends ConsistentLookupBase {
    ConsistentLookup(String name, boolean writeOnly, LookupTable lkp) {
        super(name, writeOnly, lkp);
    }

    @Override
    public int cost() {
        return 20;
    }

    @Override
    public boolean isUnique() {
        return false;
    }

    @Override
    public List<Destination> map(VindexCursor cursor, List<Value> ids) {
        if (writeOnly) {
            return everywhere(ids.size());
        }
        if (ids.size() == 1 && ids.get(0).isNull() && lkp.ignoreNulls()) {
            return everywhere(1);
        }
        List<Destination> out = new ArrayList<>(ids.size());
        for (List<Value> tos : lkp.lookup(cursor, ids, mapOrder(cursor))) {
            out.add(many(tos));
        }
        return out;
    }
}
