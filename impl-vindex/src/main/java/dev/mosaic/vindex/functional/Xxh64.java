package dev.mosaic.vindex.functional;

import net.openhft.hashing.LongHashFunction;

/**
 * XXH64 with seed 0, the hash behind {@code xxhash}, {@code unicode_loose_xxhash} and
 * {@code cfc}: one place that names the library (zero-allocation-hashing).
 */
public final class Xxh64 {
    private static final LongHashFunction XX = LongHashFunction.xx(0);

    private Xxh64() {
    }

    /** XXH64 (seed 0) of {@code b}. */
    public static long hash(byte[] b) {
        return XX.hashBytes(b);
    }

    /** The digest of {@code b} as 8 bytes, little-endian: how Vitess turns XXH64 into a keyspace id. */
    public static byte[] digestLittleEndian(byte[] b) {
        long h = hash(b);
        byte[] out = new byte[8];
        for (int k = 0; k < 8; k++) {
            out[k] = (byte) (h >>> (8 * k));
        }
        return out;
    }
}
