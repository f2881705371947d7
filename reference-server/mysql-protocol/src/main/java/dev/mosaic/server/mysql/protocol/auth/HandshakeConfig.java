package dev.mosaic.server.mysql.protocol.auth;

import dev.mosaic.server.mysql.protocol.codec.Capabilities;
import java.time.Duration;
import java.util.Objects;

/**
 * What the greeting announces and how long a client may take to authenticate.
 *
 * @param serverVersion the version string; an {@code 8.0.x} version makes MySQL 8 clients use
 *     their modern paths (caching_sha2, OAEP) and MariaDB clients treat the server as MySQL
 * @param charset the server's default collation id
 * @param capabilities the capability flags to advertise (a subset of
 *     {@link Capabilities#SERVER_DEFAULT})
 * @param timeout the time from connect to authenticated, after which the connection is closed
 */
public record HandshakeConfig(String serverVersion, int charset, int capabilities, Duration timeout) {
    /** Defaults: {@code 8.0.31-Mosaic}, utf8mb4_general_ci, every implemented capability, 10 s. */
    public static final HandshakeConfig DEFAULT =
            new HandshakeConfig("8.0.31-Mosaic", 45, Capabilities.SERVER_DEFAULT, Duration.ofSeconds(10));

    /** Validates. */
    public HandshakeConfig {
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(timeout, "timeout");
        if ((capabilities & ~Capabilities.SERVER_DEFAULT) != 0) {
            throw new IllegalArgumentException("capabilities not implemented: 0x"
                    + Integer.toHexString(capabilities & ~Capabilities.SERVER_DEFAULT));
        }
        if (!Capabilities.has(capabilities, Capabilities.PROTOCOL_41 | Capabilities.SECURE_CONNECTION | Capabilities.PLUGIN_AUTH)) {
            throw new IllegalArgumentException("PROTOCOL_41, SECURE_CONNECTION and PLUGIN_AUTH are required");
        }
    }

    /** The same with another version string. */
    public HandshakeConfig withServerVersion(String version) {
        return new HandshakeConfig(version, charset, capabilities, timeout);
    }
}
