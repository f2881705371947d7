package dev.mosaic.vindex.cfc;

import dev.mosaic.vindex.functional.Xxh64;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.PrefixMapping;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code cfc} (concatenated fixed-width composite): the column is a concatenation of fixed-width
 * components. Without a hash the value itself is the keyspace id; with one, the keyspace id is the
 * concatenation of each component's hash (md5 or xxhash64, truncated to the component's length).
 * A {@code LIKE 'prefix%'} maps to the key range of the components the prefix covers completely;
 * unlike Vitess, the last component (after the last offset, of open length) never counts as
 * covered, so the range holds every value starting with the prefix.
 * Unique, cost 1 (Vitess rates the prefix mode at the number of offsets, or 2 without).
 */
public final class Cfc implements SingleColumnVindex, PrefixMapping {
    /** The component hash functions Vitess offers. */
    enum Hash {
        MD5(Cfc::md5),
        XXHASH64(Xxh64::digestLittleEndian);

        private final UnaryOperator<byte[]> full;

        Hash(UnaryOperator<byte[]> full) {
            this.full = full;
        }

        /** The digest cut to the input's length, so keyspace ids stay short. */
        byte[] apply(byte[] in) {
            byte[] out = full.apply(in);
            return in.length < out.length ? Arrays.copyOf(out, in.length) : out;
        }
    }

    private final String name;
    private final Hash hash;
    private final int[] offsets;

    Cfc(String name, Hash hash, int[] offsets) {
        this.name = name;
        this.hash = hash;
        this.offsets = offsets == null ? new int[0] : offsets.clone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int cost() {
        return 1;
    }

    /** The cost Vitess gives the prefix (LIKE) mode: the number of offsets, or 2 without a hash. */
    public int prefixCost() {
        return offsets.length > 0 ? offsets.length : 2;
    }

    @Override
    public boolean isUnique() {
        return true;
    }

    @Override
    public boolean needsCursor() {
        return false;
    }

    /** The keyspace id of a whole key, or (prefix) of the components a prefix covers completely. */
    byte[] computeKsid(byte[] v, boolean prefix) {
        if (hash == null) {
            return v;
        }
        int n = v.length;
        int last = offsets[offsets.length - 1];
        if (!prefix && n < last) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                    "insufficient size for cfc vindex " + name + ". need " + last + ", got " + n);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int prev = 0;
        int offset = 0;
        for (int o : offsets) {
            offset = o;
            if (n < offset) {
                return buf.toByteArray();
            }
            buf.writeBytes(hash.apply(Arrays.copyOfRange(v, prev, offset)));
            prev = offset;
        }
        // The part after the last offset runs to the end of the value, so a prefix never holds
        // all of it: hashing the prefix's piece (as Vitess does) gives a range that misses values
        // starting with the prefix ('abcdefg' for LIKE 'abcdef%'). Prefixes stop at the last offset.
        if (offset < n && !prefix) {
            buf.writeBytes(hash.apply(Arrays.copyOfRange(v, offset, n)));
        }
        return buf.toByteArray();
    }

    @Override
    public List<Destination> map(VindexCursor cursor, List<Value> ids) {
        List<Destination> out = new ArrayList<>(ids.size());
        for (Value id : ids) {
            out.add(new Destination.One(KeyspaceId.wrap(computeKsid(id.toBytes(), false))));
        }
        return out;
    }

    @Override
    public boolean[] verify(VindexCursor cursor, List<Value> ids, List<KeyspaceId> ksids) {
        boolean[] out = new boolean[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.equals(computeKsid(ids.get(i).toBytes(), false), ksids.get(i).bytes());
        }
        return out;
    }

    /** {@code prefix} is the LIKE pattern; its literal prefix (up to the first wildcard) is mapped. */
    @Override
    public Destination mapPrefix(Value prefix) {
        return keyRangeFromPrefix(computeKsid(findPrefix(prefix.toBytes()), true));
    }

    /**
     * The literal part of a LIKE pattern: up to the first unescaped {@code %} or {@code _}, with
     * backslash escapes decoded as MySQL string literals decode them.
     */
    static byte[] findPrefix(byte[] s) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length) {
            byte c = s[i];
            if (c == '%' || c == '_') {
                break;
            }
            if (c != '\\') {
                buf.write(c);
                i++;
                continue;
            }
            if (i == s.length - 1) {
                buf.write(c); // a trailing backslash is kept, as MySQL does
                break;
            }
            buf.write(unescape(s[i + 1]));
            i += 2;
        }
        return buf.toByteArray();
    }

    private static byte unescape(byte c) {
        return switch (c) {
            case '0' -> 0;
            case 'b' -> '\b';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'Z' -> 26;
            default -> c; // \' \" \\ and any other character stand for themselves
        };
    }

    /** {@code [prefix, prefix + 1)}, open-ended on overflow; every shard for an empty prefix. */
    static Destination keyRangeFromPrefix(byte[] begin) {
        if (begin.length == 0) {
            return new Destination.Range(KeyRange.FULL);
        }
        byte[] end = begin.clone();
        boolean overflow = true;
        for (int i = end.length - 1; i >= 0; i--) {
            if ((end[i] & 0xff) < 255) {
                end[i]++;
                overflow = false;
                break;
            }
            end[i] = 0;
        }
        return new Destination.Range(KeyRange.of(KeyspaceId.of(begin), overflow ? KeyspaceId.EMPTY : KeyspaceId.wrap(end)));
    }

    private static byte[] md5(byte[] in) {
        try {
            return MessageDigest.getInstance("MD5").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
    }
}
