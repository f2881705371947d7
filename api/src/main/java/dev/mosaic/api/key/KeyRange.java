package dev.mosaic.api.key;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A half-open range {@code [start, end)} of keyspace ids: the slice of the keyspace a shard owns.
 *
 * <p>An empty start means "from the smallest keyspace id", an empty end means "to beyond the
 * largest". The text form is Vitess's shard-name notation: {@code start-end} in lower-case hex
 * with empty sides left blank, so {@code -80}, {@code 80-c0}, {@code c0-}, and {@code -} for the
 * full range. As in Vitess, trailing zero bytes do not change a bound: {@code 80-} and
 * {@code 8000-} are the same range ({@link #equals} compares bounds with trailing zeros removed).
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyRange {
    private static final HexFormat HEX = HexFormat.of();

    /** The full range {@code -}, containing every keyspace id. */
    public static final KeyRange FULL = new KeyRange(new byte[0], new byte[0]);

    private final byte[] start;
    private final byte[] end;

    private KeyRange(byte[] start, byte[] end) {
        this.start = start;
        this.end = end;
    }

    /**
     * A range from {@code start} (inclusive) to {@code end} (exclusive); either may be
     * {@link KeyspaceId#EMPTY} for an open side.
     *
     * @throws IllegalArgumentException if both sides are bounded and {@code start >= end}
     */
    public static KeyRange of(KeyspaceId start, KeyspaceId end) {
        return checked(start.raw(), end.raw(), null);
    }

    private static KeyRange checked(byte[] start, byte[] end, String text) {
        if (start.length > 0 && end.length > 0 && compareBounds(start, end) >= 0) {
            throw new IllegalArgumentException("key range "
                    + (text != null ? "'" + text + "'" : HEX.formatHex(start) + "-" + HEX.formatHex(end))
                    + " is empty or inverted: start must be below end");
        }
        return new KeyRange(start, end);
    }

    /**
     * Parses Vitess's shard-name notation: {@code -80}, {@code 80-c0}, {@code c0-}, {@code -}.
     * Hex digits may be upper or lower case; each side must have an even number of digits.
     * The unsharded shard name {@code 0} is accepted as the full range, as Vitess does.
     *
     * @throws IllegalArgumentException naming the text and the reason
     */
    public static KeyRange parse(String text) {
        if (text.equals("0") || text.equals("-")) {
            return FULL;
        }
        int dash = text.indexOf('-');
        if (dash < 0 || text.indexOf('-', dash + 1) >= 0) {
            throw new IllegalArgumentException("key range '" + text + "' must be 'start-end' with exactly one '-'");
        }
        return checked(side(text, text.substring(0, dash)), side(text, text.substring(dash + 1)), text);
    }

    private static byte[] side(String text, String hex) {
        if ((hex.length() & 1) != 0) {
            throw new IllegalArgumentException("key range '" + text + "': '" + hex + "' has an odd number of hex digits");
        }
        try {
            return HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key range '" + text + "': '" + hex + "' is not hex", e);
        }
    }

    /** True if {@code text} parses as a key range (a shard name in range notation). */
    public static boolean isKeyRange(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The inclusive start, empty when unbounded below. */
    public KeyspaceId start() {
        return KeyspaceId.of(start);
    }

    /** The exclusive end, empty when unbounded above. */
    public KeyspaceId end() {
        return KeyspaceId.of(end);
    }

    /** True for the full range {@code -}. */
    public boolean isFull() {
        return isZero(start) && end.length == 0;
    }

    /** True if {@code id} lies in {@code [start, end)}. */
    public boolean contains(KeyspaceId id) {
        byte[] k = id.raw();
        return (start.length == 0 || Arrays.compareUnsigned(start, k) <= 0)
                && (end.length == 0 || Arrays.compareUnsigned(k, end) < 0);
    }

    /** True if the two ranges share at least one keyspace id. */
    public boolean intersects(KeyRange other) {
        return lessThanEnd(other.start, end) && lessThanEnd(start, other.end);
    }

    /** True if every keyspace id of {@code other} is in this range. */
    public boolean containsRange(KeyRange other) {
        boolean startOk = compareBounds(start, other.start) <= 0;
        boolean endOk = end.length == 0 || (other.end.length > 0 && compareBounds(other.end, end) <= 0);
        return startOk && endOk;
    }

    // a < b where b is an end bound (empty = +infinity) and a a start bound (empty = -infinity)
    private static boolean lessThanEnd(byte[] a, byte[] b) {
        return b.length == 0 || compareBounds(a, b) < 0;
    }

    private static int compareBounds(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, 0, trimmedLength(a), b, 0, trimmedLength(b));
    }

    private static int trimmedLength(byte[] a) {
        int n = a.length;
        while (n > 0 && a[n - 1] == 0) {
            n--;
        }
        return n;
    }

    private static boolean isZero(byte[] a) {
        return trimmedLength(a) == 0;
    }

    /**
     * Splits the full range into {@code n} shards named exactly as Vitess names them: one byte of
     * hex for up to 256 shards, two bytes up to 65536, boundaries at {@code floor(i * size)} where
     * {@code size = 256/n} (or {@code 65536/n}). For 4: {@code -40, 40-80, 80-c0, c0-}; for 3:
     * {@code -55, 55-aa, aa-}; for 1: {@code -}.
     *
     * @throws IllegalArgumentException if {@code n < 1} or {@code n > 65536}
     */
    public static List<KeyRange> split(int n) {
        List<String> names = splitNames(n);
        List<KeyRange> out = new ArrayList<>(names.size());
        for (String name : names) {
            out.add(parse(name));
        }
        return out;
    }

    /** The shard names of {@link #split(int)}, in order. */
    public static List<String> splitNames(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("shard count must be at least 1, got " + n);
        }
        if (n > 65536) {
            throw new IllegalArgumentException("shard count must be at most 65536, got " + n);
        }
        int max = n <= 256 ? 256 : 65536;
        String fmt = n <= 256 ? "%02x" : "%04x";
        double size = (double) max / n;
        List<String> out = new ArrayList<>(n);
        int begin = 0;
        for (int i = 1; i <= n; i++) {
            // Vitess computes floor(i * size) in floating point; for some n (49, 98, 103, ...)
            // that gives max-1 for the last shard and leaves the top of the keyspace unowned.
            // The last shard is always open-ended here; every other boundary is Vitess's.
            int stop = i == n ? max : (int) (i * size);
            out.add((begin == 0 ? "" : String.format(fmt, begin)) + "-" + (stop == max ? "" : String.format(fmt, stop)));
            begin = stop;
        }
        return out;
    }

    /** Vitess's notation: {@code 80-c0}, {@code -} for the full range. */
    @Override
    public String toString() {
        return HEX.formatHex(start) + "-" + HEX.formatHex(end);
    }

    /** Ranges are equal when their bounds are equal ignoring trailing zero bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange r
                && compareBounds(start, r.start) == 0
                && (end.length == 0) == (r.end.length == 0)
                && compareBounds(end, r.end) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(Arrays.copyOf(start, trimmedLength(start)))
                + Arrays.hashCode(Arrays.copyOf(end, trimmedLength(end))) + (end.length == 0 ? 7 : 0);
    }
}
