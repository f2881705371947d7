package dev.mosaic.vindex.vhash;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.vindex.Hashing;
import dev.mosaic.spi.vindex.Reversible;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexFactory;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Vitess's {@code vhash}/{@code vunhash} pair: the {@code hash} vindex applied to an unsigned
 * 64-bit number, as the composite vindexes ({@code lookup_hash*}, {@code region_*}) use it.
 *
 * <p>The function itself belongs to the {@code hash} vindex type; this class finds that type
 * through the SPI registry rather than depending on its class, so the composite vindexes put a
 * row exactly where {@code hash} does. Immutable and thread-safe.
 */
public final class Vhash {
    private static final HexFormat HEX = HexFormat.of();
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final Hashing hashing;
    private final Reversible reversible;

    private Vhash(Hashing hashing, Reversible reversible) {
        this.hashing = Objects.requireNonNull(hashing, "hashing");
        this.reversible = reversible;
    }

    /** A vhash backed by the given hash function (and, if reversing is needed, its inverse). */
    public static Vhash of(Hashing hashing, Reversible reversible) {
        return new Vhash(hashing, reversible);
    }

    /**
     * Finds the {@code hash} vindex type with {@link ServiceLoader} and creates an instance.
     *
     * @param requester who needs it, for the error message (e.g. {@code vindex 'v' (type lookup_hash)})
     * @throws MosaicException {@code FAILED_PRECONDITION} if no {@code hash} type is registered or
     *         it is not both hashing and reversible
     */
    public static Vhash load(String requester) {
        for (VindexFactory f : ServiceLoader.load(VindexFactory.class, Vhash.class.getClassLoader())) {
            if (!"hash".equals(f.type())) {
                continue;
            }
            Config config = f.configSpec().validate(Map.of(), "vindex 'hash' (type hash, used by " + requester + ")");
            Vindex v = f.create(config, PluginContext.named("hash"));
            if (v instanceof Hashing h && v instanceof Reversible r) {
                return new Vhash(h, r);
            }
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, requester
                    + " needs the 'hash' vindex type to be hashing and reversible, but "
                    + f.getClass().getName() + " is not");
        }
        throw new MosaicException(ErrorCode.FAILED_PRECONDITION, requester
                + " needs the 'hash' vindex type, which is not registered (is mosaic-vindex complete on the classpath?)");
    }

    /** The keyspace id of the unsigned number {@code bits} ({@code vhash}). */
    public KeyspaceId hash(long bits) {
        return hashing.hash(Value.ofUnsigned(bits));
    }

    /**
     * The unsigned number a keyspace id was hashed from ({@code vunhash}).
     *
     * @throws IllegalArgumentException {@code invalid keyspace id: <hex>} unless it has 8 bytes
     */
    public long unhash(KeyspaceId ksid) {
        if (ksid.length() != 8 || reversible == null) {
            throw new IllegalArgumentException("invalid keyspace id: " + ksid.toHex());
        }
        Value v = reversible.reverseMap(VindexCursor.NONE, List.of(ksid)).get(0);
        return toUint64(v);
    }

    /**
     * Converts a value to an unsigned 64-bit number as Vitess's {@code ToUint64} does: integers
     * that are not negative, and text or binary holding such a decimal integer.
     *
     * @return the bits of the unsigned number
     * @throws IllegalArgumentException naming the value if it cannot be converted
     */
    public static long toUint64(Value v) {
        if (v instanceof Value.Uint u) {
            return u.bits();
        }
        if (v instanceof Value.Int i) {
            if (i.value() < 0) {
                throw new IllegalArgumentException("negative number cannot be converted to unsigned: " + i.value());
            }
            return i.value();
        }
        if (v instanceof Value.Text || v instanceof Value.Binary) {
            String s = new String(v.toBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            BigInteger n;
            try {
                n = new BigInteger(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("could not parse value: '" + s + "'");
            }
            if (n.signum() < 0) {
                throw new IllegalArgumentException("negative number cannot be converted to unsigned: " + n);
            }
            if (n.compareTo(MAX_UINT64) > 0) {
                throw new IllegalArgumentException("unsigned number out of range: " + n);
            }
            return n.longValue();
        }
        throw new IllegalArgumentException("cannot convert " + describe(v) + " to an unsigned integer");
    }

    /** A value as Vitess prints it in messages: {@code INT64(1)}, {@code VARCHAR("a")}, {@code NULL}. */
    public static String describe(Value v) {
        if (v.isNull()) {
            return "NULL";
        }
        if (v instanceof Value.Text t) {
            return t.type() + "(\"" + t.asString() + "\")";
        }
        if (v instanceof Value.Binary b) {
            return b.type() + "(" + HEX.formatHex(b.bytes()) + ")";
        }
        return v.type() + "(" + v.toSqlLiteral() + ")";
    }
}
