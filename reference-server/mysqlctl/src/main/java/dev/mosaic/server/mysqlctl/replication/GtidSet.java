package dev.mosaic.server.mysqlctl.replication;

import dev.mosaic.api.error.MosaicException;

/**
 * A set of executed transactions, as a server reports it: a MariaDB GTID position (one
 * {@code domain-server-seq} per replication domain) or a MySQL GTID set ({@code uuid:1-5:7}).
 *
 * <p>Values are immutable. {@link #toString()} is the canonical text form a server accepts back
 * (sorted, normalized), so {@code parse(x.toString())} equals {@code x}. Sets of different
 * flavors never contain one another.
 */
public sealed interface GtidSet permits MariaDbGtidSet, MySqlGtidSet {

    /** Vitess's flavor tag for this kind of set ({@code MariaDB} or {@code MySQL56}), used by {@link Position}. */
    String flavorTag();

    /** True if the set holds no transaction. */
    boolean isEmpty();

    /**
     * True if every transaction of {@code other} is in this set (so a server at this position has
     * applied everything a server at {@code other} has). An empty {@code other} is contained by
     * every set of the same flavor.
     */
    boolean contains(GtidSet other);

    /** The union of this set and {@code other}; both must be of the same flavor. */
    GtidSet union(GtidSet other);

    /** The canonical text form (empty string for the empty set). */
    @Override
    String toString();

    /**
     * Parses {@code text} as a set of the flavor named by {@code flavorTag} ({@code MariaDB} or
     * {@code MySQL56}).
     *
     * @throws MosaicException INVALID_ARGUMENT for an unknown tag or malformed text
     */
    static GtidSet parse(String flavorTag, String text) {
        return switch (flavorTag) {
            case MariaDbGtidSet.TAG -> MariaDbGtidSet.parse(text);
            case MySqlGtidSet.TAG -> MySqlGtidSet.parse(text);
            default -> throw new MosaicException(dev.mosaic.api.error.ErrorCode.INVALID_ARGUMENT,
                    "unknown GTID flavor '" + flavorTag + "' (expected " + MariaDbGtidSet.TAG + " or " + MySqlGtidSet.TAG + ")");
        };
    }
}
