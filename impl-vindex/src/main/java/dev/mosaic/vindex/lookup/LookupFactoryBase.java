package dev.mosaic.vindex.lookup;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexFactory;
import dev.mosaic.vindex.vhash.Vhash;
import java.util.List;

/** The shape of every lookup-family factory: declared params, then one build step. Stateless. */
public abstract class LookupFactoryBase implements VindexFactory {
    private final String type;
    private final String description;
    private final ConfigSpec spec;

    LookupFactoryBase(String type, String description, List<ConfigKey> keys) {
        this.type = type;
        this.description = description;
        this.spec = ConfigSpec.of(keys);
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public final ConfigSpec configSpec() {
        return spec;
    }

    @Override
    public final Vindex create(Config config, PluginContext context) {
        String name = context.instanceName();
        return build(config, name, LookupParams.owner(name, type));
    }

    abstract Vindex build(Config config, String name, String owner);

    /** {@code lookup}. */
    public static final class LookupFactory extends LookupFactoryBase {
        /** For ServiceLoader. */
        public LookupFactory() {
            super("lookup", "non-unique lookup table from column values to keyspace ids (cost 20)", LookupParams.lookupKeys());
        }

        @Override
        Vindex build(Config c, String name, String owner) {
            boolean autocommit = LookupParams.bool(c, LookupParams.AUTOCOMMIT, owner);
            boolean msa = LookupParams.bool(c, LookupParams.MULTI_SHARD_AUTOCOMMIT, owner);
            boolean writeOnly = LookupParams.bool(c, LookupParams.WRITE_ONLY, owner);
            boolean noVerify = LookupParams.bool(c, LookupParams.NO_VERIFY, owner);
            // Non-unique lookups upsert under autocommit.
            return new LookupNonUnique(name, writeOnly, noVerify, LookupParams.table(c, owner, autocommit, autocommit || msa, msa));
        }
    }

    /** {@code lookup_unique}. */
    public static final class LookupUniqueFactory extends LookupFactoryBase {
        /** For ServiceLoader. */
        public LookupUniqueFactory() {
            super("lookup_unique", "unique lookup table from column values to keyspace ids (cost 10)", LookupParams.lookupKeys());
        }

        @Override
        Vindex build(Config c, String name, String owner) {
            boolean autocommit = LookupParams.bool(c, LookupParams.AUTOCOMMIT, owner);
            boolean msa = LookupParams.bool(c, LookupParams.MULTI_SHARD_AUTOCOMMIT, owner);
            boolean writeOnly = LookupParams.bool(c, LookupParams.WRITE_ONLY, owner);
            boolean noVerify = LookupParams.bool(c, LookupParams.NO_VERIFY, owner);
            // Unique lookups never upsert: a duplicate must fail.
            return new LookupUnique(name, writeOnly, noVerify, LookupParams.table(c, owner, autocommit, false, msa));
        }
    }

    /** {@code lookup_hash}. */
    public static final class LookupHashFactory extends LookupFactoryBase {
        /** For ServiceLoader. */
        public LookupHashFactory() {
            super("lookup_hash", "non-unique lookup table to numbers that the hash vindex turns into keyspace ids (cost 20)",
                    LookupParams.lookupHashKeys());
        }

        @Override
        Vindex build(Config c, String name, String owner) {
            boolean autocommit = LookupParams.bool(c, LookupParams.AUTOCOMMIT, owner);
            boolean msa = LookupParams.bool(c, LookupParams.MULTI_SHARD_AUTOCOMMIT, owner);
            boolean writeOnly = LookupParams.bool(c, LookupParams.WRITE_ONLY, owner);
            LookupTable t = LookupParams.table(c, owner, autocommit, autocommit || msa, msa);
            return new LookupHash(name, writeOnly, t, vhash != null ? vhash : Vhash.load(owner));
        }

        private Vhash vhash;

        /** A factory using the given hash instead of the registered one (tests). */
        static LookupHashFactory with(Vhash vhash) {
            LookupHashFactory f = new LookupHashFactory();
            f.vhash = vhash;
            return f;
        }
    }

    /** {@code lookup_hash_unique}. */
    public static final class LookupHashUniqueFactory extends LookupFactoryBase {
        /** For ServiceLoader. */
        public LookupHashUniqueFactory() {
            super("lookup_hash_unique", "unique lookup table to numbers that the hash vindex turns into keyspace ids (cost 10)",
                    LookupParams.lookupHashKeys());
        }

        @Override
        Vindex build(Config c, String name, String owner) {
            boolean autocommit = LookupParams.bool(c, LookupParams.AUTOCOMMIT, owner);
            boolean msa = LookupParams.bool(c, LookupParams.MULTI_SHARD_AUTOCOMMIT, owner);
            boolean writeOnly = LookupParams.bool(c, LookupParams.WRITE_ONLY, owner);
            LookupTable t = LookupParams.table(c, owner, autocommit, false, msa);
            return new LookupHashUnique(name, writeOnly, t, vhash != null ? vhash : Vhash.load(owner));
        }

        private Vhash vhash;

        /** A factory using the given hash instead of the registered one (tests). */
        static LookupHashUniqueFactory with(Vhash vhash) {
            LookupHashUniqueFactory f = new LookupHashUniqueFactory();
            f.vhash = vhash;
            return f;
        }
    }

    /** {@code consistent_lookup}. */
    public static final class ConsistentLookupFactory extends LookupFactoryBase {
        /** For ServiceLoader. */
        public ConsistentLookupFactory() {
            super("consistent_lookup", "non-unique lookup kept consistent with its owner table by commit order (cost 20)",
                    LookupParams.consistentKeys());
        }

        @Override
        Vindex build(Config c, String name, String owner) {
            boolean writeOnly = LookupParams.bool(c, LookupParams.WRITE_ONLY, owner);
            return new ConsistentLookup(name, writeOnly, LookupParams.table(c, owner, false, false, false));
        }
    }

    /** {@code consistent_lookup_unique}. */
    public static final class ConsistentLookupUniqueFactory extends LookupFactoryBase {
        /** For ServiceLoader. */
        public ConsistentLookupUniqueFactory() {
            super("consistent_lookup_unique", "unique lookup kept consistent with its owner table by commit order (cost 10)",
                    LookupParams.consistentKeys());
        }

        @Override
        Vindex build(Config c, String name, String owner) {
            boolean writeOnly = LookupParams.bool(c, LookupParams.WRITE_ONLY, owner);
            return new ConsistentLookupUnique(name, writeOnly, LookupParams.table(c, owner, false, false, false));
        }
    }
}
