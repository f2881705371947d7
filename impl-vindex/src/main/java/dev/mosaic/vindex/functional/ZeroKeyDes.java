package dev.mosaic.vindex.functional;

/**
 * Single-block DES (FIPS 46-3) with the all-zero 64-bit key, the permutation behind Vitess's
 * {@code hash} vindex.
 *
 * <p>With the all-zero key every round key is zero, so the round function needs no key schedule
 * and collapses to eight table lookups (S-box and P permutation combined), and the initial and
 * final permutations to eight byte-indexed lookups each. This is about an order of magnitude
 * faster than a JCE {@code Cipher} call per value and allocates nothing. Because the zero key is
 * one of DES's weak keys, decryption equals encryption; {@link #decrypt} still runs the rounds in
 * the decryption order so the code reads as DES. Tests check both against the JCE.
 *
 * <p>Stateless and thread-safe (the tables are built once and never written again).
 */
public final class ZeroKeyDes {
    private static final int[] IP = {
        58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
        62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
        57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
        61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7};

    private static final int[] P = {
        16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
        2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25};

    private static final int[][] S = {
        {14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7,
         0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
         4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
         15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13},
        {15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10,
         3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
         0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15,
         13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9},
        {10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8,
         13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
         13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7,
         1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12},
        {7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15,
         13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
         10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4,
         3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14},
        {2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9,
         14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
         4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14,
         11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3},
        {12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11,
         10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
         9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6,
         4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13},
        {4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1,
         13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
         1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2,
         6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12},
        {13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7,
         1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
         7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
         2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11}};

    /** SP[box][six input bits] = P(S-box output placed at the box's nibble). */
    private static final int[][] SP = new int[8][64];
    /** IP_TABLE[byte position][byte value] = that byte's contribution to IP(block). */
    private static final long[][] IP_TABLE = new long[8][256];
    private static final long[][] FP_TABLE = new long[8][256];

    static {
        int[] fp = new int[64];
        for (int i = 0; i < 64; i++) {
            fp[IP[i] - 1] = i + 1;
        }
        fillPermutation(IP_TABLE, IP);
        fillPermutation(FP_TABLE, fp);
        for (int box = 0; box < 8; box++) {
            for (int six = 0; six < 64; six++) {
                int row = ((six >> 4) & 2) | (six & 1);
                int col = (six >> 1) & 0xf;
                int s = S[box][row * 16 + col];
                int beforeP = s << (28 - 4 * box); // DES bit 4*box+1 is the nibble's top bit
                int out = 0;
                for (int i = 0; i < 32; i++) {
                    // output bit i+1 (from the top) is input bit P[i]
                    if ((beforeP >>> (32 - P[i]) & 1) != 0) {
                        out |= 1 << (31 - i);
                    }
                }
                SP[box][six] = out;
            }
        }
    }

    // Flat copies for the hot path: one array per S-box, one array per permutation.
    private static final int[] SP0 = SP[0].clone();
    private static final int[] SP1 = SP[1].clone();
    private static final int[] SP2 = SP[2].clone();
    private static final int[] SP3 = SP[3].clone();
    private static final int[] SP4 = SP[4].clone();
    private static final int[] SP5 = SP[5].clone();
    private static final int[] SP6 = SP[6].clone();
    private static final int[] SP7 = SP[7].clone();
    private static final long[] IP_FLAT = flatten(IP_TABLE);
    private static final long[] FP_FLAT = flatten(FP_TABLE);

    private static long[] flatten(long[][] t) {
        long[] out = new long[8 * 256];
        for (int i = 0; i < 8; i++) {
            System.arraycopy(t[i], 0, out, i * 256, 256);
        }
        return out;
    }

    private ZeroKeyDes() {
    }

    // table[pos][v] = permutation applied to the block whose byte pos (0 = most significant) is v
    private static void fillPermutation(long[][] table, int[] perm) {
        for (int pos = 0; pos < 8; pos++) {
            for (int v = 0; v < 256; v++) {
                long in = ((long) v) << (56 - 8 * pos);
                long out = 0;
                for (int i = 0; i < 64; i++) {
                    if ((in >>> (64 - perm[i]) & 1) != 0) {
                        out |= 1L << (63 - i);
                    }
                }
                table[pos][v] = out;
            }
        }
    }

    private static long permute(long[] t, long x) {
        return t[(int) (x >>> 56)] | t[256 | (int) (x >>> 48) & 0xff] | t[512 | (int) (x >>> 40) & 0xff]
                | t[768 | (int) (x >>> 32) & 0xff] | t[1024 | (int) (x >>> 24) & 0xff] | t[1280 | (int) (x >>> 16) & 0xff]
                | t[1536 | (int) (x >>> 8) & 0xff] | t[1792 | (int) x & 0xff];
    }

    // The round function with a zero round key: P(S(E(r))). Box i reads DES bits 4i..4i+5 of E's
    // circular window, i.e. r rotated so that bit 4i (1-based, bit 0 = bit 32) is on top.
    private static int f(int r) {
        return SP0[Integer.rotateLeft(r, 31) >>> 26]
                | SP1[Integer.rotateLeft(r, 3) >>> 26]
                | SP2[Integer.rotateLeft(r, 7) >>> 26]
                | SP3[Integer.rotateLeft(r, 11) >>> 26]
                | SP4[Integer.rotateLeft(r, 15) >>> 26]
                | SP5[Integer.rotateLeft(r, 19) >>> 26]
                | SP6[Integer.rotateLeft(r, 23) >>> 26]
                | SP7[Integer.rotateLeft(r, 27) >>> 26];
    }

    /** DES-encrypts one big-endian 64-bit block with the all-zero key. */
    public static long encrypt(long block) {
        return rounds(block);
    }

    /**
     * DES-decrypts one block with the all-zero key. Decryption applies the round keys in reverse
     * order; with all of them zero that is the same sequence of rounds as encryption.
     */
    public static long decrypt(long block) {
        return rounds(block);
    }

    private static long rounds(long block) {
        long x = permute(IP_FLAT, block);
        int l = (int) (x >>> 32);
        int r = (int) x;
        for (int i = 0; i < 16; i += 2) {
            l ^= f(r);
            r ^= f(l);
        }
        // the final swap: output is R16 || L16
        return permute(FP_FLAT, ((long) r << 32) | (l & 0xffffffffL));
    }
}
