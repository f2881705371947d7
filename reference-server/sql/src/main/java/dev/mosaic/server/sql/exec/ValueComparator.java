package dev.mosaic.server.sql.exec;

import dev.mosaic.api.sql.SqlType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Compares raw MySQL text values in place, as MySQL orders them: numbers numerically (integers
 * without allocating), TIME by its duration, everything else byte-wise (DATE, DATETIME and
 * TIMESTAMP text forms sort correctly byte-wise;
 * text columns are compared through their {@code weight_string()} bytes, which encode the
 * collation). NULL sorts before every value.
 */
public final class ValueComparator {
    private ValueComparator() {
    }

    /** Compares column {@code ca} of {@code a} with column {@code cb} of {@code b}, both of {@code type}. */
    public static int compare(SqlType type, Row a, int ca, Row b, int cb) {
        boolean na = a.isNull(ca);
        boolean nb = b.isNull(cb);
        if (na || nb) {
            return na == nb ? 0 : na ? -1 : 1;
        }
        byte[] x = a.buffer();
        byte[] y = b.buffer();
        int xo = a.offset(ca);
        int xl = a.length(ca);
        int yo = b.offset(cb);
        int yl = b.length(cb);
        if (type.isSigned() && type != SqlType.YEAR && xl <= 18 && yl <= 18) {
            return Long.compare(parseLong(x, xo, xl), parseLong(y, yo, yl));
        }
        if (type.isUnsigned() && xl <= 18 && yl <= 18) {
            return Long.compare(parseLong(x, xo, xl), parseLong(y, yo, yl));
        }
        if (type.isIntegral() || type == SqlType.DECIMAL) {
            return decimal(x, xo, xl).compareTo(decimal(y, yo, yl));
        }
        if (type.isFloat()) {
            return Double.compare(Double.parseDouble(ascii(x, xo, xl)), Double.parseDouble(ascii(y, yo, yl)));
        }
        if (type == SqlType.TIME) {
            // TIME may be negative and have more than two hour digits: '-10:00:00' < '-02:00:00' < '100:00:00'.
            return Long.compare(timeMicros(x, xo, xl), timeMicros(y, yo, yl));
        }
        return compareBytes(x, xo, xl, y, yo, yl);
    }

    /** A TIME text value ({@code [-]H+:MM:SS[.ffffff]}) in microseconds. */
    static long timeMicros(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean neg = i < end && b[i] == '-';
        if (neg) {
            i++;
        }
        long[] parts = new long[3];
        int p = 0;
        long frac = 0;
        int fracDigits = 0;
        boolean inFrac = false;
        for (; i < end; i++) {
            byte c = b[i];
            if (c == ':' && !inFrac && p < 2) {
                p++;
            } else if (c == '.' && !inFrac) {
                inFrac = true;
            } else if (c >= '0' && c <= '9') {
                if (inFrac) {
                    if (fracDigits < 6) {
                        frac = frac * 10 + (c - '0');
                        fracDigits++;
                    }
                } else {
                    parts[p] = parts[p] * 10 + (c - '0');
                }
            } else {
                throw new NumberFormatException("not a TIME value: " + ascii(b, off, len));
            }
        }
        while (fracDigits++ < 6) {
            frac *= 10;
        }
        long micros = ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1_000_000L + frac;
        return neg ? -micros : micros;
    }

    /** Unsigned lexicographic comparison of two byte ranges. */
    public static int compareBytes(byte[] x, int xo, int xl, byte[] y, int yo, int yl) {
        return java.util.Arrays.compareUnsigned(x, xo, xo + xl, y, yo, yo + yl);
    }

    /** Parses an ASCII decimal integer of at most 18 digits (plus sign). */
    static long parseLong(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean neg = false;
        if (i < end && (b[i] == '-' || b[i] == '+')) {
            neg = b[i] == '-';
            i++;
        }
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException("not an integer: " + ascii(b, off, len));
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    static BigDecimal decimal(byte[] b, int off, int len) {
        return new BigDecimal(ascii(b, off, len));
    }

    static String ascii(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.US_ASCII);
    }
}
