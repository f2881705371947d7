package dev.mosaic.vindex.lookup;

import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexCursor.CommitOrder;
import dev.mosaic.vindex.vhash.Vhash;
import java.util.ArrayList;
import java.util.List;

/** {@code lookup_hash}: non-unique; the table stores numbers that hash to keyspace ids. Cost 20. */
public final class LookupHash extends HashedLookupBase {
    LookupHash(String name, boolean writeOnly, LookupTable lkp, Vhash vhash) {
        super(name, writeOnly, lkp, vhash);
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
        List<Destination> out = new ArrayList<>(ids.size());
        for (List<Value> tos : lkp.lookup(cursor, ids, CommitOrder.NORMAL)) {
            if (tos.isEmpty()) {
                out.add(Destination.NONE);
                continue;
            }
            List<KeyspaceId> ksids = new ArrayList<>(tos.size());
            for (Value v : tos) {
                KeyspaceId k = hashStored(v);
                if (k != null) {
                    ksids.add(k);
                }
            }
            // Rows that do not convert are dropped; if none converts the answer is an empty set.
            out.add(new Destination.Many(ksids));
        }
        return out;
    }
}
