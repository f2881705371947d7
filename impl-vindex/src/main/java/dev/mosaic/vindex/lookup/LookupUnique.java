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

/** {@code lookup_unique}: a unique lookup whose table stores keyspace ids. Cost 10. */
public final class LookupUnique extends LookupBase {
    private final boolean noVerify;

    LookupUnique(String name, boolean writeOnly, boolean noVerify, LookupTable lkp) {
        super(name, writeOnly, lkp);
        this.noVerify = noVerify;
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
        return mapUnique(results, ids, lkp.table(), "Lookup.Map");
    }

    /** Unique result: none for no row, the row's bytes for one, an error for more. */
    static List<Destination> mapUnique(List<List<Value>> results, List<Value> ids, String table, String op) {
        List<Destination> out = new ArrayList<>(ids.size());
        for (int i = 0; i < results.size(); i++) {
            List<Value> tos = results.get(i);
            switch (tos.size()) {
                case 0 -> out.add(Destination.NONE);
                case 1 -> out.add(new Destination.One(KeyspaceId.wrap(tos.get(0).toBytes())));
                default -> throw new MosaicException(ErrorCode.UNKNOWN, op + ": unexpected multiple results from vindex "
                        + table + ": " + Vhash.describe(ids.get(i)));
            }
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
