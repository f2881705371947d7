package dev.mosaic.vindex.lookup;

import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.LookupVindex;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** What every lookup vindex shares: its name, its table, and the write-only (backfill) switch. */
abstract class LookupBase implements SingleColumnVindex, LookupVindex {
    /** Where a write-only lookup sends every value: all shards, as Vitess's empty key range. */
    static final Destination EVERYWHERE = new Destination.Range(KeyRange.FULL);

    final String name;
    final boolean writeOnly;
    final LookupTable lkp;

    LookupBase(String name, boolean writeOnly, LookupTable lkp) {
        this.name = name;
        this.writeOnly = writeOnly;
        this.lkp = lkp;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean needsCursor() {
        return true;
    }

    @Override
    public boolean isWriteOnly() {
        return writeOnly;
    }

    /** The lookup table's name, for messages and tests. */
    public String table() {
        return lkp.table();
    }

    static List<Destination> everywhere(int n) {
        return Collections.nCopies(n, EVERYWHERE);
    }

    static boolean[] allTrue(int n) {
        boolean[] out = new boolean[n];
        Arrays.fill(out, true);
        return out;
    }

    /** Keyspace ids as the VARBINARY values a lookup table stores. */
    static List<Value> ksidValues(List<KeyspaceId> ksids) {
        List<Value> out = new ArrayList<>(ksids.size());
        for (KeyspaceId k : ksids) {
            out.add(Value.of(k.bytes()));
        }
        return out;
    }

    /** Non-unique result: none for no rows, else every row's 'to' bytes as a keyspace id. */
    static Destination many(List<Value> tos) {
        if (tos.isEmpty()) {
            return Destination.NONE;
        }
        List<KeyspaceId> ids = new ArrayList<>(tos.size());
        for (Value v : tos) {
            ids.add(KeyspaceId.wrap(v.toBytes()));
        }
        return new Destination.Many(ids);
    }
}
