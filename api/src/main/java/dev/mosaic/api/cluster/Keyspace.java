package dev.mosaic.api.cluster;

import java.util.Objects;

/**
 * A keyspace record: a logical database, sharded or not.
 *
 * @param name             the keyspace name (a MySQL database name on the client side)
 * @param durabilityPolicy the durability policy type name used for its shards (e.g. {@code none},
 *                         {@code semi_sync})
 * @param sidecarDbName    the database on each tablet's mysqld that holds Mosaic's own tables
 */
public record Keyspace(String name, String durabilityPolicy, String sidecarDbName) {
    /** The default sidecar database name, as in Vitess. */
    public static final String DEFAULT_SIDECAR_DB = "_vt";

    /** Validates the components. */
    public Keyspace {
        Names.requireName("keyspace name", name);
        Objects.requireNonNull(durabilityPolicy, "durabilityPolicy");
        Names.requireName("sidecar database name", sidecarDbName);
    }
}
