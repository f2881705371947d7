package dev.mosaic.server.mysqlctl;

import java.util.Objects;

/**
 * How to reach a mysqld over TCP as an administrative user.
 *
 * @param host host name or address
 * @param port MySQL port
 * @param user a user with enough privileges for replication control (SUPER or the split
 *     privileges of MariaDB 10.5+ / MySQL 8)
 * @param password its password, empty for none
 */
public record ConnectionParams(String host, int port, String user, String password) {
    public ConnectionParams {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        if (host.isBlank()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
