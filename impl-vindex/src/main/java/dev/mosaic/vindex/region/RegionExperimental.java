package dev.mosaic.vindex.region;

import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.MultiColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.vindex.vhash.Vhash;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code region_experimental}: two columns (region, id); the keyspace id is the region number in
 * {@code region_bytes} bytes followed by {@code hash(id)}. A row with only the region maps to the
 * key range of that region. Unique, cost 1, no cursor.
 */
public final class RegionExperimental implements MultiColumnVindex {
    private final String name;
    private final int regionBytes;
    private final Vhash vhash;

    RegionExperimental(String name, int regionBytes, Vhash vhash) {
        this.name = name;
        this.regionBytes = regionBytes;
        this.vhash = vhash;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int cost() {
        return 1;
    }

    @Override
    public boolean isUnique() {
        return true;
    }

    @Override
    public boolean needsCursor() {
        return false;
    }

    @Override
    public boolean isPartial() {
        return true;
    }

    @Override
    public List<Destination> map(VindexCursor cursor, List<List<Value>> rows) {
        List<Destination> out = new ArrayList<>(rows.size());
        for (List<Value> row : rows) {
            out.add(mapRow(row));
        }
        return out;
    }

    private Destination mapRow(List<Value> row) {
        if (row.isEmpty() || row.size() > 2) {
            return Destination.NONE;
        }
        byte[] prefix;
        try {
            prefix = RegionVindexes.regionPrefix(Vhash.toUint64(row.get(0)), regionBytes);
        } catch (IllegalArgumentException e) {
            return Destination.NONE;
        }
        if (row.size() == 1) {
            return RegionVindexes.keyRangeFromPrefix(prefix);
        }
        long id;
        try {
            id = Vhash.toUint64(row.get(1));
        } catch (IllegalArgumentException e) {
            return Destination.NONE;
        }
        return new Destination.One(KeyspaceId.wrap(RegionVindexes.concat(prefix, vhash.hash(id).bytes())));
    }

    @Override
    public boolean[] verify(VindexCursor cursor, List<List<Value>> rows, List<KeyspaceId> ksids) {
        return RegionVindexes.verifyByMap(this, map(cursor, rows), ksids);
    }
}
