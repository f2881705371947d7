package dev.mosaic.vindex.functional;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.vindex.Reversible;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexFactory;
import java.util.ArrayList;
import java.util.List;

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
 */
public final class HashVindex extends FunctionalVindex implements Reversible {
    /** The type name. */
    public static final String TYPE = "hash";

    /** A hash vindex named {@code name}. */
    public HashVindex(String name) {
        super(name, 1, Unmappable.NONE);
    }

    @Override
    protected byte[] keyspaceIdBytes(Value value) {
        return Conversions.bigEndian(ZeroKeyDes.encrypt(Conversions.hashUint64(value)));
    }

    /** The keyspace id of an unsigned 64-bit number (bits of a long), without going through a Value. */
    public static KeyspaceId hashUint64(long value) {
        return KeyspaceId.wrap(Conversions.bigEndian(ZeroKeyDes.encrypt(value)));
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
            out.add(Value.ofUnsigned(ZeroKeyDes.decrypt(Conversions.fromBigEndian(k.bytes()))));
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
