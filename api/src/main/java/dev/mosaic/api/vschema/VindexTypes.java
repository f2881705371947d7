package dev.mosaic.api.vschema;

import java.util.Set;

/**
 * What vschema validation needs to know about a vindex type, by type name. The server implements
 * this over its vindex registry (which knows plugin types too); {@link #builtin()} knows Vitess's
 * built-in types and treats any other name as a unique, single-column, non-lookup vindex, so that
 * an unknown type is never an error at this layer.
 *
 * <p>Implementations must be safe to call from any thread and must not throw.
 */
@FunctionalInterface
public interface VindexTypes {
    /** The built-in types that map a value to at most one keyspace id. */
    Set<String> BUILTIN_UNIQUE = Set.of("hash", "xxhash", "binary_md5", "binary", "numeric", "reverse_bits",
            "numeric_static_map", "unicode_loose_md5", "unicode_loose_xxhash", "null", "lookup_unique",
            "lookup_hash_unique", "consistent_lookup_unique", "multicol", "region_experimental", "region_json", "cfc");
    /** The built-in types that may map a value to several keyspace ids. */
    Set<String> BUILTIN_NON_UNIQUE = Set.of("lookup", "lookup_hash", "consistent_lookup");
    /** The built-in lookup types: backed by a table, maintained on writes to their owner. */
    Set<String> BUILTIN_LOOKUP = Set.of("lookup", "lookup_hash", "consistent_lookup", "lookup_unique",
            "lookup_hash_unique", "consistent_lookup_unique");
    /** The built-in types that take several columns (and so must be the primary vindex). */
    Set<String> BUILTIN_MULTI_COLUMN = Set.of("multicol", "region_experimental", "region_json");

    /** True if a vindex of {@code type} maps each value to at most one keyspace id. */
    boolean isUnique(String type);

    /** True if {@code type} is a lookup vindex, which an owner table maintains. Default: built-in lookups. */
    default boolean isLookup(String type) {
        return BUILTIN_LOOKUP.contains(type);
    }

    /** True if {@code type} maps several columns at once. Default: the built-in multi-column types. */
    default boolean isMultiColumn(String type) {
        return BUILTIN_MULTI_COLUMN.contains(type);
    }

    /** Vitess's built-in types; every other type counts as unique, single-column and not a lookup. */
    static VindexTypes builtin() {
        return type -> !BUILTIN_NON_UNIQUE.contains(type);
    }
}
