package dev.mosaic.spi.vindex;

/**
 * Maps column values to keyspace ids: the function that decides which shard owns a row.
 *
 * <p>Every vindex is either a {@link SingleColumnVindex} or a {@link MultiColumnVindex}; optional
 * abilities are the small capability interfaces {@link Hashing}, {@link Reversible},
 * {@link RangeMapping}, {@link PrefixMapping}, {@link LookupVindex} and {@link OwnerAware}.
 * The planner asks {@code instanceof} and never calls an ability a vindex does not implement.
 *
 * <p>Implementations are immutable after creation (apart from {@link OwnerAware} set once during
 * vschema build) and thread-safe: the gate maps values from many sessions at once.
 */
public sealed interface Vindex permits SingleColumnVindex, MultiColumnVindex {
    /** The vindex's name in the vschema. */
    String name();

    /**
     * The relative cost of mapping, as Vitess assigns it: 0 for pure arithmetic (numeric),
     * 1 for hashing, 2-5 for lookups that read a table; the planner prefers the cheapest vindex
     * among those that can route a query.
     */
    int cost();

    /** True if every value maps to at most one keyspace id. A table's primary vindex must be unique. */
    boolean isUnique();

    /** True if mapping needs a {@link VindexCursor} (it reads or writes a table). */
    boolean needsCursor();
}
