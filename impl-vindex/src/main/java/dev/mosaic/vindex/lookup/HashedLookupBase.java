package dev.mosaic.vindex.lookup;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexCursor.CommitOrder;
import dev.mosaic.vindex.vhash.Vhash;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code lookup_hash*} pair: the table's 'to' column stores an unsigned number, and the
 * keyspace id is that number through the {@code hash} vindex. Writes store the number a keyspace
 * id hashes from, so only 8-byte keyspace ids made by {@code hash} can be written.
 */
abstract class HashedLookupBase extends LookupBase {
    final Vhash vhash;

    HashedLookupBase(String name, boolean writeOnly, LookupTable lkp, Vhash vhash) {
        super(name, writeOnly, lkp);
        this.vhash = vhash;
    }

    /** The number behind each keyspace id, as the UINT64 values the table stores. */
    List<Value> unhashAll(List<KeyspaceId> ksids, String op) {
        List<Value> out = new ArrayList<>(ksids.size());
        for (KeyspaceId k : ksids) {
            out.add(unhash(k, op));
        }
        return out;
    }

    Value unhash(KeyspaceId ksid, String op) {
        try {
            return Value.ofUnsigned(vhash.unhash(ksid));
        } catch (IllegalArgumentException e) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, op + ".vunhash: " + e.getMessage(), e);
        }
    }

    /** The keyspace id of a stored number, or null if the stored value is not a number. */
    KeyspaceId hashStored(Value stored) {
        long n;
        try {
            n = Vhash.toUint64(stored);
        } catch (IllegalArgumentException e) {
            // As in Vitess: a value that does not convert cannot be mapped.
            return null;
        }
        return vhash.hash(n);
    }

    @Override
    public boolean[] verify(VindexCursor cursor, List<Value> ids, List<KeyspaceId> ksids) {
        if (writeOnly) {
            return allTrue(ids.size());
        }
        return lkp.verify(cursor, ids, unhashAll(ksids, "lookup.Verify"));
    }

    @Override
    public void create(VindexCursor cursor, List<List<Value>> rows, List<KeyspaceId> ksids, boolean ignoreDuplicates) {
        lkp.create(cursor, rows, unhashAll(ksids, "lookup.Create"), ignoreDuplicates);
    }

    @Override
    public void delete(VindexCursor cursor, List<List<Value>> rows, KeyspaceId ksid) {
        lkp.delete(cursor, rows, unhash(ksid, "lookup.Delete"), CommitOrder.NORMAL);
    }

    @Override
    public void update(VindexCursor cursor, List<Value> oldValues, KeyspaceId ksid, List<Value> newValues) {
        lkp.update(cursor, oldValues, unhash(ksid, "lookup.Update"), newValues);
    }
}
