package dev.mosaic.vindex.lookup;

import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigType;
import dev.mosaic.spi.vindex.VindexCursor.ReadLock;
import java.util.ArrayList;
import java.util.List;

/**
 * The params of the lookup family, declared once, and their parsing with Vitess's rules: booleans
 * are exactly {@code true} or {@code false}, {@code read_lock} is {@code exclusive},
 * {@code shared} or {@code none}.
 */
final class LookupParams {
    static final String TABLE = "table";
    static final String FROM = "from";
    static final String TO = "to";
    static final String IGNORE_NULLS = "ignore_nulls";
    static final String BATCH_LOOKUP = "batch_lookup";
    static final String READ_LOCK = "read_lock";
    static final String AUTOCOMMIT = "autocommit";
    static final String MULTI_SHARD_AUTOCOMMIT = "multi_shard_autocommit";
    static final String NO_VERIFY = "no_verify";
    static final String WRITE_ONLY = "write_only";

    private static final ConfigKey K_TABLE = ConfigKey.required(TABLE, ConfigType.STRING,
            "the lookup table, optionally qualified as keyspace.table");
    private static final ConfigKey K_FROM = ConfigKey.required(FROM, ConfigType.STRING,
            "comma-separated columns of the lookup table holding the indexed values");
    private static final ConfigKey K_TO = ConfigKey.required(TO, ConfigType.STRING,
            "the column of the lookup table holding the keyspace id (or, for lookup_hash*, the number it hashes from)");
    private static final ConfigKey K_IGNORE_NULLS = bool(IGNORE_NULLS,
            "true: rows with a NULL in a 'from' column are not written to the lookup table");
    private static final ConfigKey K_BATCH_LOOKUP = bool(BATCH_LOOKUP,
            "true: map non-integer values with one query for all of them instead of one query each");
    private static final ConfigKey K_READ_LOCK = ConfigKey.optional(READ_LOCK, ConfigType.STRING, "exclusive",
            "row lock of lookup reads inside a DML transaction: exclusive, shared or none");
    private static final ConfigKey K_AUTOCOMMIT = bool(AUTOCOMMIT,
            "true: lookup rows are written in their own autocommitted statement and never deleted");
    private static final ConfigKey K_MULTI_SHARD_AUTOCOMMIT = bool(MULTI_SHARD_AUTOCOMMIT,
            "true: like autocommit, with the insert committed per shard in one multi-shard statement");
    private static final ConfigKey K_NO_VERIFY = bool(NO_VERIFY,
            "true: verify always succeeds without reading the lookup table");
    private static final ConfigKey K_WRITE_ONLY = bool(WRITE_ONLY,
            "true: the lookup table is being backfilled; map scatters to every shard and verify always succeeds");

    /** Params every lookup family member reads ({@code lookupInternalParams} in Vitess). */
    static final List<ConfigKey> INTERNAL = List.of(K_TABLE, K_FROM, K_TO, K_IGNORE_NULLS, K_BATCH_LOOKUP, K_READ_LOCK);

    private LookupParams() {
    }

    private static ConfigKey bool(String name, String description) {
        // Declared as strings so that the values are checked with Vitess's exact rule and message.
        return ConfigKey.optional(name, ConfigType.STRING, "false", description);
    }

    /** lookup, lookup_unique: internal + autocommit, multi_shard_autocommit, no_verify, write_only. */
    static List<ConfigKey> lookupKeys() {
        List<ConfigKey> keys = new ArrayList<>(INTERNAL);
        keys.addAll(List.of(K_AUTOCOMMIT, K_MULTI_SHARD_AUTOCOMMIT, K_NO_VERIFY, K_WRITE_ONLY));
        return keys;
    }

    /** lookup_hash, lookup_hash_unique: internal + autocommit, multi_shard_autocommit, write_only. */
    static List<ConfigKey> lookupHashKeys() {
        List<ConfigKey> keys = new ArrayList<>(INTERNAL);
        keys.addAll(List.of(K_AUTOCOMMIT, K_MULTI_SHARD_AUTOCOMMIT, K_WRITE_ONLY));
        return keys;
    }

    /** consistent_lookup, consistent_lookup_unique: internal + write_only. */
    static List<ConfigKey> consistentKeys() {
        List<ConfigKey> keys = new ArrayList<>(INTERNAL);
        keys.add(K_WRITE_ONLY);
        return keys;
    }

    /** The owner string of configuration errors, as the registry words it. */
    static String owner(String name, String type) {
        return "vindex '" + name + "' (type " + type + ")";
    }

    /**
     * A boolean param, {@code true} or {@code false} exactly.
     *
     * @throws ConfigException {@code <key> value must be 'true' or 'false': '<value>'}
     */
    static boolean bool(Config config, String key, String owner) {
        String v = config.getString(key);
        switch (v) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new ConfigException(owner, List.of(new ConfigException.Problem(key,
                        key + " value must be 'true' or 'false': '" + v + "'")));
        }
    }

    /** The read lock param. */
    static ReadLock readLock(Config config, String owner) {
        String v = config.getString(READ_LOCK);
        switch (v) {
            case "exclusive":
                return ReadLock.EXCLUSIVE;
            case "shared":
                return ReadLock.SHARED;
            case "none":
                return ReadLock.NONE;
            default:
                throw new ConfigException(owner, List.of(new ConfigException.Problem(READ_LOCK,
                        "invalid read_lock value: " + v)));
        }
    }

    /** The 'from' columns, split on commas and trimmed, as Vitess does. */
    static List<String> fromColumns(Config config, String owner) {
        List<String> cols = new ArrayList<>();
        for (String c : config.getString(FROM).split(",", -1)) {
            cols.add(c.trim());
        }
        for (String c : cols) {
            if (c.isEmpty()) {
                throw new ConfigException(owner, List.of(new ConfigException.Problem(FROM,
                        "empty column name in '" + config.getString(FROM) + "'")));
            }
        }
        return List.copyOf(cols);
    }

    /** Builds the shared lookup-table logic from validated config. */
    static LookupTable table(Config config, String owner, boolean autocommit, boolean upsert, boolean multiShardAutocommit) {
        String table = config.getString(TABLE).trim();
        String to = config.getString(TO).trim();
        if (table.isEmpty()) {
            throw new ConfigException(owner, List.of(new ConfigException.Problem(TABLE, "must not be empty")));
        }
        if (to.isEmpty()) {
            throw new ConfigException(owner, List.of(new ConfigException.Problem(TO, "must not be empty")));
        }
        return new LookupTable(table, fromColumns(config, owner), to,
                autocommit || multiShardAutocommit, multiShardAutocommit, upsert,
                bool(config, IGNORE_NULLS, owner), bool(config, BATCH_LOOKUP, owner), readLock(config, owner));
    }
}
