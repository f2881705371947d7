package dev.mosaic.vindex.functional;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.Reversible;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexFactory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Vitess's {@code hash} vindex: the keyspace id is the DES encryption, under the all-zero key, of
 * the value as a big-endian unsigned 64-bit number ({@code hash(1) = 166b40b44aba4bd6}).
 * Unique, cost 1, reversible (decryption gives the number back, as an unsigned value).
 *
 * <p>Values: a signed integer is taken as its two's complement bits (so {@code -1} and
 * {@code 18446744073709551615} map alike); any other value's text form must be an unsigned
 * decimal ({@link Conversions#castUint64}). {@code map} sends NULL and anything unparsable to
 * {@link dev.mosaic.spi.vindex.Destination.None}; {@code verify} rejects them with
 * {@code INVALID_ARGUMENT}, as Vitess does. Unlike Vitess, {@code verify} reads a negative signed
 * integer the way {@code map} does (Vitess's verify rejects it), so verify always agrees with map.
 *
 * <p>{@code map} is on the gate's routing hot path, so it skips the generic {@link FunctionalVindex}
 * path: integers go straight to {@link ZeroKeyDes}, the keyspace id is written with one
 * big-endian store, a one-value call returns an immutable one-element list, and a batch is
 * encrypted four blocks at a time.
 */
public final class HashVindex extends FunctionalVindex implements Reversible {
    /** The type name. */
    public static final String TYPE = "hash";

    /** A hash vindex named {@code name}. */
    public HashVindex(String name) {
        super(name, 1, Unmappable.NONE);
    }

    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    @Override
    protected byte[] keyspaceIdBytes(Value value) {
        return bigEndian(ZeroKeyDes.encrypt(Conversions.hashUint64(value)));
    }

    /** The keyspace id of an unsigned 64-bit number (bits of a long), without going through a Value. */
    public static KeyspaceId hashUint64(long value) {
        return KeyspaceId.wrap(bigEndian(ZeroKeyDes.encrypt(value)));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One value gives an immutable list; several give an {@link ArrayList}, their blocks
     * encrypted together ({@link ZeroKeyDes#encrypt(long[], int, int)}).
     */
    @Override
    public List<Destination> map(VindexCursor cursor, List<Value> ids) {
        int n = ids.size();
        if (n == 1) {
            return List.of(mapOne(ids.get(0)));
        }
        long[] blocks = new long[n];
        boolean[] unmappable = null;
        if (ids instanceof RandomAccess) {
            for (int i = 0; i < n; i++) {
                unmappable = convert(ids.get(i), blocks, i, unmappable);
            }
        } else {
            int i = 0;
            for (Value id : ids) {
                unmappable = convert(id, blocks, i++, unmappable);
            }
        }
        ZeroKeyDes.encrypt(blocks, 0, n);
        List<Destination> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(unmappable != null && unmappable[i]
                    ? Destination.NONE
                    : new Destination.One(KeyspaceId.wrap(bigEndian(blocks[i]))));
        }
        return out;
    }

    /** Puts the block of {@code id} at {@code blocks[i]}, or marks it unmappable (allocating the marks). */
    private static boolean[] convert(Value id, long[] blocks, int i, boolean[] unmappable) {
        try {
            blocks[i] = uint64(id);
        } catch (MosaicException e) {
            if (unmappable == null) {
                unmappable = new boolean[blocks.length];
            }
            unmappable[i] = true;
        }
        return unmappable;
    }

    /** The destination of one value: {@link Destination.One}, or {@link Destination#NONE} if unmappable. */
    @Override
    public Destination mapOne(Value id) {
        long v;
        try {
            v = uint64(id);
        } catch (MosaicException e) {
            return Destination.NONE;
        }
        return new Destination.One(KeyspaceId.wrap(bigEndian(ZeroKeyDes.encrypt(v))));
    }

    /** {@link Conversions#hashUint64}, with the integer cases inline. */
    private static long uint64(Value id) {
        if (id instanceof Value.Int i) {
            return i.value();
        }
        if (id instanceof Value.Uint u) {
            return u.bits();
        }
        return Conversions.hashUint64(id);
    }

    private static byte[] bigEndian(long v) {
        byte[] b = new byte[8];
        BIG_ENDIAN_LONG.set(b, 0, v);
        return b;
    }

    /**
     * {@inheritDoc}
     *
     * @return {@link Value.Uint}s
     * @throws MosaicException {@code INVALID_ARGUMENT} for a keyspace id that is not 8 bytes
     */
    @Override
    public List<Value> reverseMap(VindexCursor cursor, List<KeyspaceId> ksids) {
        List<Value> out = new ArrayList<>(ksids.size());
        for (KeyspaceId k : ksids) {
            if (k.length() != 8) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "invalid keyspace id: " + k.toHex());
            }
            long block = 0;
            for (int i = 0; i < 8; i++) {
                block = (block << 8) | k.byteAt(i);
            }
            out.add(Value.ofUnsigned(ZeroKeyDes.decrypt(block)));
        }
        return out;
    }

    /** Provider of {@code hash}. */
    public static final class Factory implements VindexFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "DES (all-zero key) of the value as an unsigned 64-bit integer; unique, reversible, cost 1";
        }

        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.EMPTY;
        }

        @Override
        public Vindex create(Config config, PluginContext context) {
            return new HashVindex(context.instanceName());
        }
    }
}
