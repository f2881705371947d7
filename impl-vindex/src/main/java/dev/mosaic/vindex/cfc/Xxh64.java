package dev.mosaic.vindex.cfc;

import net.openhft.hashing.LongHashFunction;

/** XXH64 with seed 0 (zero-allocation-hashing, the library the {@code xxhash} vindex uses). */
final class Xxh64 {
    private static final LongHashFunction XX = LongHashFunction.xx(0);

    private Xxh64() {
    }

    static long hash(byte[] b) {
        return XX.hashBytes(b);
    }

    /** The 8-byte digest written little-endian, as Go's {@code xxhash.Sum64} bytes are. */
    static byte[] digestLittleEndian(byte[] b) {
        long h = hash(b);
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (h >>> (8 * i));
        }
        return out;
    }
}
