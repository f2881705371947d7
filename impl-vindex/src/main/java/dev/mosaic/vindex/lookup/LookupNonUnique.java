package dev.mosaic.vindex.lookup;

import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexCursor.CommitOrder;
import java.util.ArrayList;
import java.util.List;

/** {@code lookup}: a non-unique lookup whose table stores keyspace ids. Cost 20. */
public final class LookupNonUnique extends LookupBase {
    private final boolean noVerify;

    LookupNonUnique(String name, boolean writeOnly, boolean noVerify, LookupTable lkp) {
        super(name, writeOnly, lkp);
        this.noVerify = noVerify;
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
        // A lone NULL with ignore_nulls cannot be looked up (its rows were never indexed): scatter.
        if (ids.size() == 1 && ids.get(0).isNull() && lkp.ignoreNulls()) {
            return everywhere(1);
        }
        List<Destination> out = new ArrayList<>(ids.size());
        for (List<Value> tos : lkp.lookup(cursor, ids, CommitOrder.NORMAL)) {
            out.add(many(tos));
        }
        return out;
    }

    @Override
    public boolean[] verify(VindexCursor cursor, List<Value> ids, List<KeyspaceId> ksids) {
        if (writeOnly || noVerify) {
            return allTrue(ids.size());
        }
        return lkp.verify(cursor, ids, ksidValues(ksids));
    }

    @Override
    public void create(VindexCursor cursor, List<List<Value>> rows, List<KeyspaceId> ksids, boolean ignoreDuplicates) {
        lkp.create(cursor, rows, ksidValues(ksids), ignoreDuplicates);
    }

    @Override
    public void delete(VindexCursor cursor, List<List<Value>> rows, KeyspaceId ksid) {
        lkp.delete(cursor, rows, Value.of(ksid.bytes()), CommitOrder.NORMAL);
    }

    @Override
    public void update(VindexCursor cursor, List<Value> oldValues, KeyspaceId ksid, List<Value> newValues) {
        lkp.update(cursor, oldValues, Value.of(ksid.bytes()), newValues);
    }
}
