package dev.mosaic.api.cluster;

import java.util.Map;
import java.util.Objects;

/**
 * A tablet record: one agent beside one mysqld, as published in the topology.
 *
 * @param alias     its cluster-wide name
 * @param hostname  host the tablet's ports listen on
 * @param grpcPort  the tablet's gRPC port (query and tablet-manager services)
 * @param webPort   the tablet's status page port
 * @param mysqlHost host of its mysqld
 * @param mysqlPort port of its mysqld
 * @param keyspace  the keyspace it serves
 * @param shard     the shard it serves
 * @param type      its current type
 * @param tags      free-form labels set by operators
 */
public record Tablet(TabletAlias alias, String hostname, int grpcPort, int webPort, String mysqlHost,
                    int mysqlPort, String keyspace, String shard, TabletType type, Map<String, String> tags) {
    /** Validates the components and copies {@code tags}. */
    public Tablet {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(mysqlHost, "mysqlHost");
        requirePort("grpcPort", grpcPort);
        requirePort("webPort", webPort);
        requirePort("mysqlPort", mysqlPort);
        Names.requireName("keyspace name", keyspace);
        Names.requireName("shard name", shard);
        Objects.requireNonNull(type, "type");
        tags = Map.copyOf(tags);
    }

    private static void requirePort(String what, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " " + port + " is not a port number (0-65535)");
        }
    }

    /** The same tablet with another type. */
    public Tablet withType(TabletType newType) {
        return new Tablet(alias, hostname, grpcPort, webPort, mysqlHost, mysqlPort, keyspace, shard, newType, tags);
    }
}
