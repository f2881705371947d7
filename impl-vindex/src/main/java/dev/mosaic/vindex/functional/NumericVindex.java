package dev.mosaic.vindex.functional;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.RangeMapping;
import dev.mosaic.spi.vindex.Reversible;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Vitess's {@code numeric} vindex: the keyspace id is the value as a big-endian unsigned 64-bit
 * number. Unique, cost 0, reversible, order-preserving.
 *
 * <p>Values are read by {@link Conversions#castUint64} (so negative numbers, fractions and NULL
 * are unmappable): {@code map} gives {@link Destination.None} for them, {@code verify} and
 * {@code mapRange} reject them with {@code INVALID_ARGUMENT}. Range mapping covers
 * {@code [low, high]} inclusive (Vitess returns {@code [low, high)}).
 */
public final class NumericVindex extends FunctionalVindex implements Reversible, RangeMapping {
    /** The type name. */
    public static final String TYPE = "numeric";

    /** A numeric vindex named {@code name}. */
    public NumericVindex(String name) {
        super(name, 0, Unmappable.NONE);
    }

    @Override
    protected byte[] keyspaceIdBytes(Value value) {
        return Conversions.bigEndian(Conversions.castUint64(value));
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
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                        "Numeric.ReverseMap: length of keyspaceId is not 8: " + k.length());
            }
            out.add(Value.ofUnsigned(Conversions.fromBigEndian(k.bytes())));
        }
        return out;
    }

    @Override
    public Destination mapRange(Value low, Value high) {
        long lo = Conversions.castUint64(low);
        long hi = Conversions.castUint64(high);
        if (Long.compareUnsigned(lo, hi) > 0) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "range start " + Long.toUnsignedString(lo)
                    + " is above range end " + Long.toUnsignedString(hi));
        }
        KeyspaceId end = hi == -1L ? KeyspaceId.EMPTY : KeyspaceId.ofUint64(hi + 1);
        return new Destination.Range(KeyRange.of(KeyspaceId.ofUint64(lo), end));
    }

    /** False: {@value #TYPE} is order-preserving: sequential ids share a shard, by design. */
    @Override
    public boolean spreadsEvenly() {
        return false;
    }

    /** Provider of {@code numeric}. */
    public static final class Factory implements VindexFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "the value as a big-endian unsigned 64-bit keyspace id; unique, reversible, range mapping, cost 0";
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
            return new NumericVindex(context.instanceName());
        }
    }
}
