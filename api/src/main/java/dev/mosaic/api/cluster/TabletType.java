package dev.mosaic.api.cluster;

import java.util.Locale;

/**
 * The role a tablet plays in its shard, with Vitess's names.
 *
 * <p>Only {@link #PRIMARY}, {@link #REPLICA} and {@link #RDONLY} serve queries; the others are
 * transient or administrative states.
 */
public enum TabletType {
    /** Accepts writes; the one source of replication for its shard. */
    PRIMARY,
    /** Serves reads, may be promoted to primary. */
    REPLICA,
    /** Serves batch/analytics reads; never promoted. */
    RDONLY,
    /** Taking a backup; not serving. */
    BACKUP,
    /** Restoring from a backup; not serving. */
    RESTORE,
    /** Healthy but idle, ready to become a replica. */
    SPARE,
    /** Taken out of service by an operator or a workflow. */
    DRAINED;

    /** True for the types that serve queries: primary, replica, rdonly. */
    public boolean isServing() {
        return this == PRIMARY || this == REPLICA || this == RDONLY;
    }

    /**
     * Parses a type name, case-insensitively. {@code master} is accepted as {@link #PRIMARY} and
     * {@code batch} as {@link #RDONLY}, the legacy names Vitess still accepts.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static TabletType parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        switch (n) {
            case "MASTER":
                return PRIMARY;
            case "BATCH":
                return RDONLY;
            default:
                for (TabletType t : values()) {
                    if (t.name().equals(n)) {
                        return t;
                    }
                }
                throw new IllegalArgumentException("unknown tablet type '" + name
                        + "'; valid: primary, replica, rdonly, backup, restore, spare, drained");
        }
    }

    /** The lower-case name, as used in flags and targets ({@code @replica}). */
    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
