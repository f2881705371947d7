package dev.mosaic.vindex.functional;

import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Vitess's {@code null} vindex: every value, NULL included, maps to the one-byte keyspace id
 * {@code 00}, i.e. to the first shard. Unique, cost 100 (the planner uses it only when nothing
 * else routes). As in Vitess it does not offer {@link dev.mosaic.spi.vindex.Hashing}, so it
 * cannot be a {@code multicol} column vindex.
 */
public final class NullVindex implements SingleColumnVindex {
    /** The type name. */
    public static final String TYPE = "null";
    /** The keyspace id every value maps to. */
    public static final KeyspaceId NULL_KSID = KeyspaceId.of(new byte[] {0});

    private static final Destination.One DESTINATION = new Destination.One(NULL_KSID);
    private final String name;

    /** A null vindex named {@code name}. */
    public NullVindex(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public List<Destination> map(VindexCursor cursor, List<Value> ids) {
        List<Destination> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.add(DESTINATION);
        }
        return out;
    }

    @Override
    public boolean[] verify(VindexCursor cursor, List<Value> ids, List<KeyspaceId> ksids) {
        Conversions.checkSameSize(ids, ksids);
        boolean[] out = new boolean[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = NULL_KSID.equals(ksids.get(i));
        }
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int cost() {
        return 100;
    }

    @Override
    public boolean isUnique() {
        return true;
    }

    @Override
    public boolean needsCursor() {
        return false;
    }

    /** Provider of {@code null}. */
    public static final class Factory implements VindexFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "every value maps to keyspace id 00 (the first shard); unique, cost 100";
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
            return new NullVindex(context.instanceName());
        }
    }
}
