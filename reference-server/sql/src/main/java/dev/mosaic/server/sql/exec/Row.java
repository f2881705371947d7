package dev.mosaic.server.sql.exec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One result row in the compact form the tablet ships ({@code mosaic.query.Row}): the raw MySQL
 * text values of its columns concatenated in one byte array, and their lengths, -1 for NULL. The
 * gate wraps what it receives without converting values; operators read values in place.
 *
 * <p>Immutable by convention: the arrays are not copied, so the producer must not change them.
 */
public final class Row {
    private final int[] lengths;
    private final int[] offsets;
    private final byte[] values;

    private Row(int[] lengths, int[] offsets, byte[] values) {
        this.lengths = lengths;
        this.offsets = offsets;
        this.values = values;
    }

    /**
     * Wraps a row (no copy).
     *
     * @param lengths the length of each value, -1 for NULL
     * @param values  the values back to back
     * @throws IllegalArgumentException if the lengths do not add up to the values' size
     */
    public static Row wrap(int[] lengths, byte[] values) {
        int[] offsets = new int[lengths.length];
        int off = 0;
        for (int i = 0; i < lengths.length; i++) {
            offsets[i] = off;
            if (lengths[i] > 0) {
                off += lengths[i];
            } else if (lengths[i] < -1) {
                throw new IllegalArgumentException("bad length " + lengths[i] + " at column " + i);
            }
        }
        if (off != values.length) {
            throw new IllegalArgumentException("lengths add up to " + off + " but the row holds " + values.length + " bytes");
        }
        return new Row(lengths, offsets, values);
    }

    /** A row of the given values (UTF-8); null is SQL NULL. For tests and gate-computed rows. */
    public static Row of(String... values) {
        byte[][] parts = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            parts[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
        }
        return ofBytes(parts);
    }

    /** A row of the given raw values; a null element is SQL NULL. */
    public static Row ofBytes(byte[]... values) {
        int[] lengths = new int[values.length];
        int total = 0;
        for (int i = 0; i < values.length; i++) {
            lengths[i] = values[i] == null ? -1 : values[i].length;
            total += Math.max(0, lengths[i]);
        }
        byte[] buf = new byte[total];
        int off = 0;
        for (byte[] v : values) {
            if (v != null) {
                System.arraycopy(v, 0, buf, off, v.length);
                off += v.length;
            }
        }
        return wrap(lengths, buf);
    }

    /** The number of columns. */
    public int size() {
        return lengths.length;
    }

    /** True if column {@code col} is NULL. */
    public boolean isNull(int col) {
        return lengths[col] < 0;
    }

    /** The shared value buffer (do not modify). */
    public byte[] buffer() {
        return values;
    }

    /** Where column {@code col} starts in {@link #buffer()}. */
    public int offset(int col) {
        return offsets[col];
    }

    /** The length of column {@code col}, -1 for NULL. */
    public int length(int col) {
        return lengths[col];
    }

    /** A copy of column {@code col}'s bytes, or null for NULL. */
    public byte[] bytes(int col) {
        return lengths[col] < 0 ? null : Arrays.copyOfRange(values, offsets[col], offsets[col] + lengths[col]);
    }

    /** Column {@code col} as a string (UTF-8), or null for NULL. */
    public String string(int col) {
        return lengths[col] < 0 ? null : new String(values, offsets[col], lengths[col], StandardCharsets.UTF_8);
    }

    /** The first {@code n} columns, sharing this row's buffer (values are contiguous, so no copy). */
    public Row truncate(int n) {
        if (n <= 0 || n >= lengths.length) {
            return this;
        }
        return new Row(Arrays.copyOf(lengths, n), Arrays.copyOf(offsets, n), values);
    }

    /** The lengths array as a copy (for encoding). */
    public int[] lengths() {
        return lengths.clone();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < lengths.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(isNull(i) ? "NULL" : string(i));
        }
        return sb.append(']').toString();
    }
}
