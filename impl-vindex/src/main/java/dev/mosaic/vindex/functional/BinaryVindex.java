package dev.mosaic.vindex.functional;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.PrefixMapping;
import dev.mosaic.spi.vindex.RangeMapping;
import dev.mosaic.spi.vindex.Reversible;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Vitess's {@code binary} vindex: the keyspace id is the value's bytes themselves (its MySQL text
 * form). Unique, cost 0, reversible (to a VARBINARY), order-preserving.
 *
 * <p>NULL maps to the empty keyspace id, as in Vitess. Range mapping returns the key range from
 * {@code low} up to the end of the prefix range of {@code high}, so it contains every value in
 * {@code [low, high]} (Vitess returns {@code [low, high)}, which misses {@code high} itself).
 * Prefix mapping ({@code LIKE 'abc%'}) is a Mosaic addition (Vitess's {@code binary} has none):
 * the key range of every keyspace id starting with the prefix, which is exact for this vindex.
 */
public final class BinaryVindex extends FunctionalVindex implements Reversible, RangeMapping, PrefixMapping {
    /** The type name. */
    public static final String TYPE = "binary";

    /** A binary vindex named {@code name}. */
    public BinaryVindex(String name) {
        super(name, 0, Unmappable.ERROR);
    }

    @Override
    protected byte[] keyspaceIdBytes(Value value) {
        return XxHashVindex.columnBytes(value);
    }

    /**
     * {@inheritDoc}
     *
     * @return {@link Value.Binary} VARBINARY values
     */
    @Override
    public List<Value> reverseMap(VindexCursor cursor, List<KeyspaceId> ksids) {
        List<Value> out = new ArrayList<>(ksids.size());
        for (KeyspaceId k : ksids) {
            if (k == null) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "Binary.ReverseMap: keyspaceId is nil");
            }
            out.add(new Value.Binary(SqlType.VARBINARY, k.bytes()));
        }
        return out;
    }

    @Override
    public Destination mapRange(Value low, Value high) {
        byte[] lo = keyspaceIdBytes(low);
        byte[] hi = keyspaceIdBytes(high);
        if (Arrays.compareUnsigned(lo, hi) > 0) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "range start " + low.toSqlLiteral()
                    + " is above range end " + high.toSqlLiteral());
        }
        return new Destination.Range(KeyRange.of(KeyspaceId.wrap(lo), Conversions.prefixEnd(hi)));
    }

    @Override
    public Destination mapPrefix(Value prefix) {
        byte[] p = keyspaceIdBytes(prefix);
        if (p.length == 0) {
            return new Destination.Range(KeyRange.FULL);
        }
        return new Destination.Range(KeyRange.of(KeyspaceId.wrap(p), Conversions.prefixEnd(p)));
    }

    /** False: {@value #TYPE} is order-preserving: the value is the keyspace id. */
    @Override
    public boolean spreadsEvenly() {
        return false;
    }

    /** Provider of {@code binary}. */
    public static final class Factory implements VindexFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "the value's bytes are the keyspace id; unique, reversible, range and prefix mapping, cost 0";
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
            return new BinaryVindex(context.instanceName());
        }
    }
}
