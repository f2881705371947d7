package dev.mosaic.vindex.unicode;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The primary-weight collation key Vitess hashes in its {@code unicode_loose_*} vindexes.
 *
 * <p>Vitess takes the string's bytes, requires valid UTF-8, drops trailing spaces (U+0020 only),
 * and feeds the non-zero primary weights of the CLDR 23 root collation (the table of
 * golang.org/x/text/collate, locale {@code und}) to the hash, each weight as 2 big-endian bytes
 * when it is at most {@code 0x7fff}, else as 3 bytes with the top bit of the first set.
 *
 * <p>The weights come from {@code weights.bin.gz}, generated from that same collator by
 * {@code impl-vindex/tools/unicode-weights/gen.go}: every code point whose weights are not the
 * implicit ones computed here, and every contraction (sequence of code points with its own
 * weights) from DUCET whose weights differ from those of its code points. Code points not in the
 * table get the collator's implicit weight: {@code cp + 0x10000} for unified and compatibility
 * ideographs in U+4E00..U+9FFF and U+F900..U+FAFF, {@code cp + 0x20000} for other ideographs
 * (Unicode 15.0 {@code Ideographic}, as the Go release Vitess builds with), {@code cp + 0x50000}
 * otherwise.
 *
 * <p>Known difference from Vitess: the Go collator reorders combining marks of a non-normalized
 * string into canonical order and matches contractions across intervening marks
 * (discontiguous matches). This class matches contractions only when contiguous and does not
 * reorder, which gives the same primaries unless two or more marks that carry primary weight
 * follow one another out of canonical order, or a contraction is interrupted by another mark.
 *
 * <p>Immutable and thread-safe after class initialisation.
 */
public final class LooseCollationKey {
    private static final int BLOCK_BITS = 8;
    private static final int BLOCKS = 0x110000 >> BLOCK_BITS;

    /** Per block of 256 code points: null when all are implicit, else per-cp packed offset/len or -1. */
    private static final int[][] SINGLE = new int[BLOCKS][];
    private static final byte[] POOL;
    /** Contraction sequences (as strings of code points) to their key bytes. */
    private static final Map<String, byte[]> CONTRACTIONS = new HashMap<>();
    /** Code points that start some contraction. */
    private static final java.util.BitSet CONTRACTION_STARTERS = new java.util.BitSet();
    private static final int MAX_CONTRACTION;

    private static final int[] IDEOGRAPHIC_15 = {
        0x3006, 0x3007, 0x3021, 0x3029, 0x3038, 0x303A, 0x3400, 0x4DBF, 0x4E00, 0x9FFF,
        0xF900, 0xFA6D, 0xFA70, 0xFAD9, 0x16FE4, 0x16FE4, 0x17000, 0x187F7, 0x18800, 0x18CD5,
        0x18D00, 0x18D08, 0x1B170, 0x1B2FB, 0x20000, 0x2A6DF, 0x2A700, 0x2B739, 0x2B740, 0x2B81D,
        0x2B820, 0x2CEA1, 0x2CEB0, 0x2EBE0, 0x2F800, 0x2FA1D, 0x30000, 0x3134A, 0x31350, 0x323AF};

    static {
        try (InputStream raw = LooseCollationKey.class.getResourceAsStream("weights.bin.gz")) {
            if (raw == null) {
                throw new IllegalStateException("resource dev/mosaic/vindex/unicode/weights.bin.gz is missing");
            }
            DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16));
            byte[] magic = in.readNBytes(4);
            if (!Arrays.equals(magic, "MVUW".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) || in.readInt() != 1) {
                throw new IllegalStateException("weights.bin.gz has an unknown format");
            }
            int n = in.readInt();
            byte[] pool = new byte[1 << 16];
            int used = 0;
            for (int k = 0; k < n; k++) {
                int cp = in.readInt();
                int len = in.readUnsignedByte();
                if (used + len > pool.length) {
                    pool = Arrays.copyOf(pool, pool.length * 2);
                }
                in.readFully(pool, used, len);
                int[] block = SINGLE[cp >> BLOCK_BITS];
                if (block == null) {
                    block = new int[1 << BLOCK_BITS];
                    Arrays.fill(block, -1);
                    SINGLE[cp >> BLOCK_BITS] = block;
                }
                block[cp & ((1 << BLOCK_BITS) - 1)] = (used << 8) | len;
                used += len;
            }
            POOL = Arrays.copyOf(pool, used);
            int c = in.readInt();
            int max = 1;
            for (int k = 0; k < c; k++) {
                int len = in.readUnsignedByte();
                int[] seq = new int[len];
                for (int j = 0; j < len; j++) {
                    seq[j] = in.readInt();
                }
                byte[] key = in.readNBytes(in.readUnsignedByte());
                CONTRACTIONS.put(new String(seq, 0, len), key);
                CONTRACTION_STARTERS.set(seq[0]);
                max = Math.max(max, len);
            }
            MAX_CONTRACTION = max;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the unicode weight table", e);
        }
    }

    private LooseCollationKey() {
    }

    /**
     * The primary-weight key of {@code utf8}: what Vitess feeds to MD5 or XXH64.
     *
     * @throws MosaicException {@code INVALID_ARGUMENT} if the bytes are not valid UTF-8
     */
    public static byte[] key(byte[] utf8) {
        int end = utf8.length;
        int[] cps = decode(utf8, end);
        int n = cps.length;
        while (n > 0 && cps[n - 1] == ' ') {
            n--;
        }
        byte[] out = new byte[Math.max(16, n * 3)];
        int pos = 0;
        int i = 0;
        while (i < n) {
            int cp = cps[i];
            if (MAX_CONTRACTION > 1 && CONTRACTION_STARTERS.get(cp)) {
                boolean matched = false;
                for (int len = Math.min(MAX_CONTRACTION, n - i); len >= 2; len--) {
                    byte[] k = CONTRACTIONS.get(new String(cps, i, len));
                    if (k != null) {
                        out = ensure(out, pos, k.length);
                        System.arraycopy(k, 0, out, pos, k.length);
                        pos += k.length;
                        i += len;
                        matched = true;
                        break;
                    }
                }
                if (matched) {
                    continue;
                }
            }
            int[] block = SINGLE[cp >> BLOCK_BITS];
            int packed = block == null ? -1 : block[cp & 0xff];
            if (packed >= 0) {
                int len = packed & 0xff;
                out = ensure(out, pos, len);
                System.arraycopy(POOL, packed >>> 8, out, pos, len);
                pos += len;
            } else {
                out = ensure(out, pos, 3);
                int w = implicitPrimary(cp);
                out[pos++] = (byte) ((w >>> 16) | 0x80);
                out[pos++] = (byte) (w >>> 8);
                out[pos++] = (byte) w;
            }
            i++;
        }
        return Arrays.copyOf(out, pos);
    }

    private static byte[] ensure(byte[] out, int pos, int more) {
        return pos + more <= out.length ? out : Arrays.copyOf(out, Math.max(out.length * 2, pos + more));
    }

    static int implicitPrimary(int cp) {
        if (isIdeographic(cp)) {
            if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF)) {
                return cp + 0x10000;
            }
            return cp + 0x20000;
        }
        return cp + 0x50000;
    }

    static boolean isIdeographic(int cp) {
        for (int k = 0; k < IDEOGRAPHIC_15.length; k += 2) {
            if (cp < IDEOGRAPHIC_15[k]) {
                return false;
            }
            if (cp <= IDEOGRAPHIC_15[k + 1]) {
                return true;
            }
        }
        return false;
    }

    /** Strict UTF-8 decoding, rejecting what Go's utf8.Valid rejects (overlongs, surrogates, > U+10FFFF). */
    private static int[] decode(byte[] b, int end) {
        int[] out = new int[end];
        int n = 0;
        int i = 0;
        while (i < end) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                out[n++] = c;
                i++;
                continue;
            }
            int need;
            int cp;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                cp = c & 0x1F;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                cp = c & 0x0F;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                cp = c & 0x07;
                min = 0x10000;
            } else {
                throw invalid(b);
            }
            if (i + need >= end) {
                throw invalid(b);
            }
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xC0) != 0x80) {
                    throw invalid(b);
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                throw invalid(b);
            }
            out[n++] = cp;
            i += need + 1;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static MosaicException invalid(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return new MosaicException(ErrorCode.INVALID_ARGUMENT,
                "cannot normalize string containing invalid UTF-8: \"" + sb + "\"");
    }
}
