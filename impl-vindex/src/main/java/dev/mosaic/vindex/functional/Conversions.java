package dev.mosaic.vindex.functional;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Value conversions exactly as Vitess's vindexes perform them.
 *
 * <p>{@link #castUint64} is Vitess's {@code Value.ToCastUint64}: the value's MySQL text form
 * parsed as an unsigned decimal, leading and trailing spaces and tabs allowed, no sign (so
 * {@code -1} is rejected), no fraction ({@code 1.5} and {@code 1.0} are rejected), overflow
 * rejected. NULL (empty text) is rejected.
 */
public final class Conversions {
    private static final long CUTOFF = Long.divideUnsigned(-1L, 10) + 1;

    private Conversions() {
    }

    /**
     * The value as an unsigned 64-bit number (bits of a {@code long}), by Vitess's
     * {@code ToCastUint64}.
     *
     * @throws MosaicException {@code INVALID_ARGUMENT} if the text is not an unsigned decimal
     */
    public static long castUint64(Value v) {
        if (v instanceof Value.Uint u) {
            return u.bits();
        }
        if (v instanceof Value.Int i) {
            if (i.value() < 0) {
                throw cannotParse(i.toBytes());
            }
            return i.value();
        }
        return parseUint64(v.toBytes());
    }

    /**
     * The value as Vitess's {@code hash} vindex reads it: a signed integer is taken as its two's
     * complement bits ({@code -1} is {@code 0xffffffffffffffff}); anything else by
     * {@link #castUint64}.
     */
    public static long hashUint64(Value v) {
        if (v instanceof Value.Int i) {
            return i.value();
        }
        return castUint64(v);
    }

    /** Go's {@code fastparse.ParseUint64(s, 10)} as Vitess uses it. */
    static long parseUint64(byte[] s) {
        int n = s.length;
        if (n == 0) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "cannot parse uint64 from empty string");
        }
        int i = 0;
        while (i < n && isSpace(s[i])) {
            i++;
        }
        if (i >= n || s[i] == '-') {
            throw cannotParse(s);
        }
        long d = 0;
        int start = i;
        while (i < n) {
            int c = s[i];
            if (c < '0' || c > '9') {
                break;
            }
            if (Long.compareUnsigned(d, CUTOFF) >= 0) {
                throw overflow(s);
            }
            long v = d * 10 + (c - '0');
            if (Long.compareUnsigned(v, d) < 0) {
                throw overflow(s);
            }
            d = v;
            i++;
        }
        if (i == start) {
            throw cannotParse(s);
        }
        while (i < n && isSpace(s[i])) {
            i++;
        }
        if (i < n) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "unparsed tail left after parsing uint64 from "
                    + quote(s) + ": " + quote(java.util.Arrays.copyOfRange(s, i, n)));
        }
        return d;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    private static MosaicException cannotParse(byte[] s) {
        return new MosaicException(ErrorCode.INVALID_ARGUMENT, "cannot parse uint64 from " + quote(s));
    }

    private static MosaicException overflow(byte[] s) {
        return new MosaicException(ErrorCode.INVALID_ARGUMENT, "cannot parse uint64 from " + quote(s) + ": overflow");
    }

    static String quote(byte[] s) {
        return "\"" + new String(s, StandardCharsets.UTF_8) + "\"";
    }

    /** The 8 big-endian bytes of {@code v}. */
    public static byte[] bigEndian(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    /** The number held in 8 big-endian bytes. */
    public static long fromBigEndian(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    /**
     * The smallest byte string greater than every string starting with {@code prefix}: the prefix
     * plus one, with carry; {@link KeyspaceId#EMPTY} (no upper bound) when it overflows. Vitess's
     * {@code addOne}.
     */
    public static KeyspaceId prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if ((end[i] & 0xff) != 0xff) {
                end[i]++;
                return KeyspaceId.wrap(end);
            }
            end[i] = 0;
        }
        return KeyspaceId.EMPTY;
    }

    static void checkSameSize(List<?> ids, List<?> ksids) {
        if (ids.size() != ksids.size()) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                    "verify needs one keyspace id per value: " + ids.size() + " values, " + ksids.size() + " keyspace ids");
        }
    }
}
