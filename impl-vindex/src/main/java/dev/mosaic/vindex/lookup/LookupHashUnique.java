package dev.mosaic.vindex.lookup;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexCursor.CommitOrder;
import dev.mosaic.vindex.vhash.Vhash;
import java.util.ArrayList;
import java.util.List;

/** {@code lookup_hash_unique}: unique; the table stores numbers that hash to keyspace ids. Cost 10. */
public final class LookupHashUnique extends HashedLookupBase {
    LookupHashUnique(String name, boolean writeOnly, LookupTable lkp, Vhash vhash) {
        super(name, writeOnly, lkp, vhash);
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
        List<List<Value>> results = lkp.lookup(cursor, ids, CommitOrder.NORMAL);
        List<Destination> out = new ArrayList<>(ids.size());
        for (int i = 0; i < results.size(); i++) {
            List<Value> tos = results.get(i);
            switch (tos.size()) {
                case 0 -> out.add(Destination.NONE);
                case 1 -> {
                    KeyspaceId k = hashStored(tos.get(0));
                    out.add(k == null ? Destination.NONE : new Destination.One(k));
                }
                default -> throw new MosaicException(ErrorCode.UNKNOWN, "LookupHash.Map: unexpected multiple results from vindex "
                        + lkp.table() + ": " + Vhash.describe(ids.get(i)));
            }
        }
        return out;
    }
}
