package dev.mosaic.api.key;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A keyspace id: the opaque byte string a vindex maps a row to, which decides the shard that
 * owns the row.
 *
 * <p>Keyspace ids order as unsigned byte strings, lexicographically ({@code 0x80 > 0x7f}, and a
 * prefix sorts before any longer string that starts with it). Their text form is lower-case hex
 * without separators, as Vitess prints them ({@code 166b40b44aba4bd6} for {@code hash(1)}).
 *
 * <p>Instances are immutable and safe to share between threads; the bytes are copied in and out.
 */
public final class KeyspaceId implements Comparable<KeyspaceId> {
    private static final HexFormat HEX = HexFormat.of();

    /** The empty keyspace id, which sorts before every other. */
    public static final KeyspaceId EMPTY = new KeyspaceId(new byte[0]);

    private final byte[] bytes;
    private int hash;

    private KeyspaceId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A keyspace id holding a copy of {@code bytes}. */
    public static KeyspaceId of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new KeyspaceId(bytes.clone());
    }

    /**
     * A keyspace id that takes ownership of {@code bytes} without copying. For hot paths (vindex
     * mapping) whose caller never touches the array again.
     */
    public static KeyspaceId wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new KeyspaceId(bytes);
    }

    /** The 8-byte big-endian keyspace id of an unsigned 64-bit number. */
    public static KeyspaceId ofUint64(long value) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return new KeyspaceId(b);
    }

    /**
     * Parses the hex form (upper or lower case, even length, may be empty).
     *
     * @throws IllegalArgumentException if {@code hex} is not an even-length hex string
     */
    public static KeyspaceId fromHex(String hex) {
        if ((hex.length() & 1) != 0) {
            throw new IllegalArgumentException("keyspace id hex has odd length: '" + hex + "'");
        }
        try {
            return wrap(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("keyspace id is not hex: '" + hex + "'", e);
        }
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** The byte at {@code index}, as an unsigned value 0-255. */
    public int byteAt(int index) {
        return bytes[index] & 0xff;
    }

    /** True for the empty keyspace id. */
    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** Lower-case hex, e.g. {@code 166b40b44aba4bd6}. */
    public String toHex() {
        return HEX.formatHex(bytes);
    }

    /** Unsigned lexicographic comparison of the raw bytes. */
    @Override
    public int compareTo(KeyspaceId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    /** Compares raw unsigned bytes of two arrays, as {@link #compareTo} does. */
    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    byte[] raw() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyspaceId k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    /** The hex form. */
    @Override
    public String toString() {
        return toHex();
    }
}
