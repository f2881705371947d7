package dev.mosaic.server.mysqlctl.replication;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a replica replicates from, and how it connects. Replication always uses GTID
 * auto-positioning, so no binlog file/offset is part of it.
 *
 * @param host the source's host as the replica reaches it
 * @param port the source's MySQL port
 * @param user the replication user on the source
 * @param password its password (may be empty)
 * @param connectRetry how long the replica waits between reconnection attempts (whole seconds)
 * @param heartbeatPeriod how often the source sends a heartbeat when idle, so the replica notices a
 *     dead source; zero uses the server default
 */
public record ReplicationSource(String host, int port, String user, String password,
                                Duration connectRetry, Duration heartbeatPeriod) {
    public ReplicationSource {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        Objects.requireNonNull(connectRetry, "connectRetry");
        Objects.requireNonNull(heartbeatPeriod, "heartbeatPeriod");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (connectRetry.toSeconds() < 1) {
            throw new IllegalArgumentException("connectRetry must be at least 1s: " + connectRetry);
        }
        if (heartbeatPeriod.isNegative()) {
            throw new IllegalArgumentException("negative heartbeatPeriod: " + heartbeatPeriod);
        }
    }

    /** A source with Vitess's defaults: retry every 10 s, server-default heartbeat. */
    public static ReplicationSource of(String host, int port, String user, String password) {
        return new ReplicationSource(host, port, user, password, Duration.ofSeconds(10), Duration.ZERO);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "ReplicationSource[" + user + "@" + host + ":" + port + ", connectRetry=" + connectRetry
                + ", heartbeatPeriod=" + heartbeatPeriod + "]";
    }
}
