package dev.mosaic.vindex.region;

import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.MultiColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.vindex.vhash.Vhash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code region_json}: two columns (id, key); the key (e.g. a country) is looked up in a JSON map
 * to a region number, and the keyspace id is that region in {@code region_bytes} bytes followed
 * by {@code hash(id)}. A key missing from the map maps nowhere. Unique, cost 1, no cursor, not
 * partial.
 */
public final class RegionJson implements MultiColumnVindex {
    private final String name;
    private final Map<String, Long> regionMap;
    private final int regionBytes;
    private final Vhash vhash;

    RegionJson(String name, Map<String, Long> regionMap, int regionBytes, Vhash vhash) {
        this.name = name;
        this.regionMap = Map.copyOf(regionMap);
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
        return false;
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
        if (row.size() != 2) {
            return Destination.NONE;
        }
        long id;
        try {
            id = Vhash.toUint64(row.get(0));
        } catch (IllegalArgumentException e) {
            return Destination.NONE;
        }
        Long region = regionMap.get(new String(row.get(1).toBytes(), StandardCharsets.UTF_8));
        if (region == null) {
            return Destination.NONE;
        }
        byte[] prefix = RegionVindexes.regionPrefix(region, regionBytes);
        return new Destination.One(KeyspaceId.wrap(RegionVindexes.concat(prefix, vhash.hash(id).bytes())));
    }

    @Override
    public boolean[] verify(VindexCursor cursor, List<List<Value>> rows, List<KeyspaceId> ksids) {
        return RegionVindexes.verifyByMap(this, map(cursor, rows), ksids);
    }
}
