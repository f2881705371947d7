package dev.mosaic.vindex.functional;

/**
 * Single-block DES (FIPS 46-3) with the all-zero 64-bit key, the permutation behind Vitess's
 * {@code hash} vindex.
 *
 * <p>With the all-zero key every round key is zero, so there is no key schedule and a round is
 * {@code L ^= P(S(E(R)))}. The implementation is the usual fast software DES, specialised:
 * <ul>
 *   <li>The initial and final permutations are five masked delta swaps each (no tables, no bit
 *       loops), the formulation of Outerbridge's d3des. They leave each half rotated left by one
 *       bit relative to FIPS, which puts every expansion window on a byte boundary.</li>
 *   <li>Adjacent S-boxes share two expansion bits, so boxes {@code 2k} and {@code 2k+1} together
 *       read one contiguous 10-bit window of R (bits {@code 8k..8k+9}, circularly, bit 0 meaning
 *       bit 32). Each of the four {@code PAIRk} tables (1024 ints, 16 KiB in all) gives the two
 *       S-boxes' output already through P, so a round is four shifts/masks, four loads and four
 *       XORs. That halves the loads of the classic eight-SPtrans-table round and shortens the
 *       dependency chain, which is what bounds a single block: about 9 cycles a round.</li>
 *   <li>The sixteen rounds are unrolled; nothing is allocated. {@link #encrypt(long[], int, int)}
 *       runs four blocks interleaved for batches.</li>
 * </ul>
 * Because every round key is zero, decryption (round keys in reverse order) is the very same
 * computation as encryption: the zero key is one of DES's weak keys. Tests check both against
 * the JCE's {@code DES/ECB/NoPadding}.
 *
 * <p>Stateless and thread-safe (the tables are built once and never written again).
 */
public final class ZeroKeyDes {
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

    /** The pair tables: rotl(P(S_2k(w >>> 4) || S_2k+1(w & 63)), 1), output in the rotated layout. */
    private static final int[] PAIR0 = new int[1024];
    private static final int[] PAIR1 = new int[1024];
    private static final int[] PAIR2 = new int[1024];
    private static final int[] PAIR3 = new int[1024];

    static {
        int[][] sp = new int[8][64];
        for (int box = 0; box < 8; box++) {
            for (int six = 0; six < 64; six++) {
                int row = ((six >> 4) & 2) | (six & 1);
                int col = (six >> 1) & 0xf;
                int beforeP = S[box][row * 16 + col] << (28 - 4 * box); // DES bit 4*box+1 is the nibble's top bit
                int out = 0;
                for (int i = 0; i < 32; i++) {
                    // output bit i+1 (from the top) is input bit P[i]
                    if ((beforeP >>> (32 - P[i]) & 1) != 0) {
                        out |= 1 << (31 - i);
                    }
                }
                sp[box][six] = out;
            }
        }
        int[][] pairs = {PAIR0, PAIR1, PAIR2, PAIR3};
        for (int k = 0; k < 4; k++) {
            for (int w = 0; w < 1024; w++) {
                pairs[k][w] = Integer.rotateLeft(sp[2 * k][w >>> 4] | sp[2 * k + 1][w & 0x3f], 1);
            }
        }
    }

    private ZeroKeyDes() {
    }

    /** DES-encrypts one big-endian 64-bit block with the all-zero key. */
    public static long encrypt(long block) {
        return des(block);
    }

    /**
     * DES-decrypts one block with the all-zero key. Decryption applies the round keys in reverse
     * order; with all of them zero that is exactly the computation of {@link #encrypt}.
     */
    public static long decrypt(long block) {
        return des(block);
    }

    /**
     * DES-encrypts {@code blocks[from..to)} in place with the all-zero key (decryption is the same
     * computation). One block is bound by the latency of its sixteen dependent rounds; this
     * interleaves four independent blocks so their rounds overlap, which makes a batch markedly
     * cheaper per block than single calls.
     */
    public static void encrypt(long[] blocks, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, blocks.length);
        int i = from;
        for (; to - i >= 4; i += 4) {
            long b0 = ip(blocks[i]);
            long b1 = ip(blocks[i + 1]);
            long b2 = ip(blocks[i + 2]);
            long b3 = ip(blocks[i + 3]);
            int l0 = (int) (b0 >>> 32);
            int r0 = (int) b0;
            int l1 = (int) (b1 >>> 32);
            int r1 = (int) b1;
            int l2 = (int) (b2 >>> 32);
            int r2 = (int) b2;
            int l3 = (int) (b3 >>> 32);
            int r3 = (int) b3;
            for (int k = 0; k < 8; k++) {
                l0 = round(l0, r0);
                l1 = round(l1, r1);
                l2 = round(l2, r2);
                l3 = round(l3, r3);
                r0 = round(r0, l0);
                r1 = round(r1, l1);
                r2 = round(r2, l2);
                r3 = round(r3, l3);
            }
            blocks[i] = fp(r0, l0);
            blocks[i + 1] = fp(r1, l1);
            blocks[i + 2] = fp(r2, l2);
            blocks[i + 3] = fp(r3, l3);
        }
        for (; i < to; i++) {
            blocks[i] = des(blocks[i]);
        }
    }

    /*
     * Halves are kept rotated left by one bit: bit i (1 = most significant) of a register holds
     * FIPS bit i+1 of the half (FIPS bit 1 sits in the least significant bit). The 10-bit window
     * of FIPS bits 8k..8k+9 then ends on a byte boundary: bits 8k-1..8k+8 from the top, i.e.
     * (x >>> (24 - 8k)) & 0x3ff for k = 1..3 and, wrapping around, rotl(x, 8) & 0x3ff for k = 0.
     */
    private static long des(long block) {
        long x = ip(block);
        int l = (int) (x >>> 32);
        int r = (int) x;
        // 16 rounds with zero round keys
        l = round(l, r);
        r = round(r, l);
        l = round(l, r);
        r = round(r, l);
        l = round(l, r);
        r = round(r, l);
        l = round(l, r);
        r = round(r, l);
        l = round(l, r);
        r = round(r, l);
        l = round(l, r);
        r = round(r, l);
        l = round(l, r);
        r = round(r, l);
        l = round(l, r);
        r = round(r, l);
        // the pre-output block is R16 || L16
        return fp(r, l);
    }

    /** IP as delta swaps; returns L0 || R0 with both halves rotated left by one bit. */
    private static long ip(long block) {
        int l = (int) (block >>> 32);
        int r = (int) block;
        int t;
        r = Integer.rotateLeft(r, 4);
        t = (l ^ r) & 0xf0f0f0f0;
        l ^= t;
        r = Integer.rotateRight(r ^ t, 20);
        t = (l ^ r) & 0xffff0000;
        l ^= t;
        r = Integer.rotateRight(r ^ t, 18);
        t = (l ^ r) & 0x33333333;
        l ^= t;
        r = Integer.rotateRight(r ^ t, 6);
        t = (l ^ r) & 0x00ff00ff;
        l ^= t;
        r = Integer.rotateLeft(r ^ t, 9);
        t = (l ^ r) & 0xaaaaaaaa;
        l = Integer.rotateLeft(l ^ t, 1);
        r ^= t;
        return ((long) l << 32) | (r & 0xffffffffL);
    }

    /** FP of the pre-output {@code hi || lo} (halves rotated left by one): IP's swaps in reverse. */
    private static long fp(int hi, int lo) {
        int t;
        hi = Integer.rotateRight(hi, 1);
        t = (hi ^ lo) & 0xaaaaaaaa;
        hi ^= t;
        lo ^= t;
        lo = Integer.rotateRight(lo, 9);
        t = (hi ^ lo) & 0x00ff00ff;
        hi ^= t;
        lo ^= t;
        lo = Integer.rotateLeft(lo, 6);
        t = (hi ^ lo) & 0x33333333;
        hi ^= t;
        lo ^= t;
        lo = Integer.rotateLeft(lo, 18);
        t = (hi ^ lo) & 0xffff0000;
        hi ^= t;
        lo ^= t;
        lo = Integer.rotateLeft(lo, 20);
        t = (hi ^ lo) & 0xf0f0f0f0;
        hi ^= t;
        lo ^= t;
        lo = Integer.rotateRight(lo, 4);
        return ((long) hi << 32) | (lo & 0xffffffffL);
    }

    /**
     * One round with a zero round key: {@code old ^ P(S(E(half)))}, both in the rotated layout.
     * The old half is XORed with the load whose index is ready first (PAIR3, one AND), which
     * keeps the XOR tree at two levels after the last load.
     */
    private static int round(int old, int half) {
        return (PAIR0[Integer.rotateLeft(half, 8) & 0x3ff] ^ PAIR1[(half >>> 16) & 0x3ff])
                ^ (PAIR2[(half >>> 8) & 0x3ff] ^ (old ^ PAIR3[half & 0x3ff]));
    }
}
