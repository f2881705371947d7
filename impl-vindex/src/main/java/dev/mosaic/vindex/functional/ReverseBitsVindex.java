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
 * Vitess's {@code reverse_bits} vindex: the value as an unsigned 64-bit number with its bit order
 * reversed, big-endian ({@code 1 -> 8000000000000000}), so sequential ids spread over shards.
 * Unique, cost 1, reversible. Values are read by {@link Conversions#castUint64}; unmappable ones
 * (NULL, negative, non-numeric) map to {@link dev.mosaic.spi.vindex.Destination.None} and are
 * rejected by {@code verify}.
 */
public final class ReverseBitsVindex extends FunctionalVindex implements Reversible {
    /** The type name. */
    public static final String TYPE = "reverse_bits";

    /** A reverse_bits vindex named {@code name}. */
    public ReverseBitsVindex(String name) {
        super(name, 1, Unmappable.NONE);
    }

    @Override
    protected byte[] keyspaceIdBytes(Value value) {
        return Conversions.bigEndian(Long.reverse(Conversions.castUint64(value)));
    }

    /**
     * {@inheritDoc}
     *
     * @return {@link Value.Uint}s
     */
    @Override
    public List<Value> reverseMap(VindexCursor cursor, List<KeyspaceId> ksids) {
        List<Value> out = new ArrayList<>(ksids.size());
        for (KeyspaceId k : ksids) {
            if (k.length() != 8) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "invalid keyspace id: " + k.toHex());
            }
            out.add(Value.ofUnsigned(Long.reverse(Conversions.fromBigEndian(k.bytes()))));
        }
        return out;
    }

    /** Provider of {@code reverse_bits}. */
    public static final class Factory implements VindexFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "the value's 64 bits in reverse order; unique, reversible, cost 1";
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
            return new ReverseBitsVindex(context.instanceName());
        }
    }
}
