package dev.mosaic.vindex.region;

import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.MultiColumnVindex;
import java.util.List;

/** What the region vindexes share: the region prefix and the prefix-to-key-range rule. */
final class RegionVindexes {
    private RegionVindexes() {
    }

    /** The region number as 2 big-endian bytes (truncated to 16 bits), or its low byte alone. */
    static byte[] regionPrefix(long region, int regionBytes) {
        return regionBytes == 1
                ? new byte[] {(byte) region}
                : new byte[] {(byte) (region >>> 8), (byte) region};
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * The key range of every keyspace id starting with {@code prefix}: {@code [prefix, prefix+1)},
     * open-ended if the increment overflows, every shard if the prefix is empty (Vitess's
     * {@code NewKeyRangeFromPrefix}).
     */
    static Destination keyRangeFromPrefix(byte[] prefix) {
        if (prefix.length == 0) {
            return new Destination.Range(KeyRange.FULL);
        }
        byte[] end = prefix.clone();
        boolean overflow = true;
        for (int i = end.length - 1; i >= 0; i--) {
            if ((end[i] & 0xff) < 255) {
                end[i]++;
                overflow = false;
                break;
            }
            end[i] = 0;
        }
        return new Destination.Range(KeyRange.of(KeyspaceId.of(prefix), overflow ? KeyspaceId.EMPTY : KeyspaceId.wrap(end)));
    }

    /** Verify by mapping: true where the row maps to exactly the given keyspace id. */
    static boolean[] verifyByMap(MultiColumnVindex v, List<Destination> mapped, List<KeyspaceId> ksids) {
        boolean[] out = new boolean[mapped.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = mapped.get(i) instanceof Destination.One one && one.id().equals(ksids.get(i));
        }
        return out;
    }
}
