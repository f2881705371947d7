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

    /** The {@code write_only} param. */
    static boolean writeOnly(Config c, String owner) {
        return LookupParams.bool(c, LookupParams.WRITE_ONLY, owner);
    }

    /** The {@code no_verify} param. */
    static boolean noVerify(Config c, String owner) {
        return LookupParams.bool(c, LookupParams.NO_VERIFY, owner);
    }

    /**
     * The lookup table of a plain or hashed lookup: {@code multi_shard_autocommit} implies
     * autocommit; non-unique lookups upsert under autocommit, unique ones never do (a duplicate
     * must fail).
     */
    static LookupTable autocommitTable(Config c, String owner, boolean unique) {
        boolean autocommit = LookupParams.bool(c, LookupParams.AUTOCOMMIT, owner);
        boolean msa = LookupParams.bool(c, LookupParams.MULTI_SHARD_AUTOCOMMIT, owner);
        return LookupParams.table(c, owner, autocommit, !unique && (autocommit || msa), msa);
    }

    /** A lookup whose table stores numbers the {@code hash} vindex turns into keyspace ids. */
    abstract static class HashedFactory extends LookupFactoryBase {
        private Vhash vhash;

        HashedFactory(String type, String description) {
            super(type, description, LookupParams.lookupHashKeys());
        }

        /** The registered {@code hash} vindex, or the one a test substituted. */
        final Vhash hash(String owner) {
            return vhash != null ? vhash : Vhash.load(owner);
        }

        /** Substitutes the hash (tests). */
        final void useHash(Vhash hash) {
            this.vhash = hash;
        }
    }

    /** {@code lookup}. */
    public static final class LookupFactory extends LookupFactoryBase {
        /** For ServiceLoader. */
        public LookupFactory() {
            super("lookup", "non-unique lookup table from column values to keyspace ids (cost 20)", LookupParams.lookupKeys());
        }

        @Override
        Vindex build(Config c, String name, String owner) {
            return new LookupNonUnique(name, writeOnly(c, owner), noVerify(c, owner), autocommitTable(c, owner, false));
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
            return new LookupUnique(name, writeOnly(c, owner), noVerify(c, owner), autocommitTable(c, owner, true));
        }
    }

    /** {@code lookup_hash}. */
    public static final class LookupHashFactory extends HashedFactory {
        /** For ServiceLoader. */
        public LookupHashFactory() {
            super("lookup_hash", "non-unique lookup table to numbers that the hash vindex turns into keyspace ids (cost 20)");
        }

        @Override
        Vindex build(Config c, String name, String owner) {
            return new LookupHash(name, writeOnly(c, owner), autocommitTable(c, owner, false), hash(owner));
        }

        /** A factory using the given hash instead of the registered one (tests). */
        static LookupHashFactory with(Vhash vhash) {
            LookupHashFactory f = new LookupHashFactory();
            f.useHash(vhash);
            return f;
        }
    }

    /** {@code lookup_hash_unique}. */
    public static final class LookupHashUniqueFactory extends HashedFactory {
        /** For ServiceLoader. */
        public LookupHashUniqueFactory() {
            super("lookup_hash_unique", "unique lookup table to numbers that the hash vindex turns into keyspace ids (cost 10)");
        }

        @Override
        Vindex build(Config c, String name, String owner) {
            return new LookupHashUnique(name, writeOnly(c, owner), autocommitTable(c, owner, true), hash(owner));
        }

        /** A factory using the given hash instead of the registered one (tests). */
        static LookupHashUniqueFactory with(Vhash vhash) {
            LookupHashUniqueFactory f = new LookupHashUniqueFactory();
            f.useHash(vhash);
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
            return new ConsistentLookup(name, writeOnly(c, owner), LookupParams.table(c, owner, false, false, false));
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
            return new ConsistentLookupUnique(name, writeOnly(c, owner), LookupParams.table(c, owner, false, false, false));
        }
    }
}
