package dev.mosaic.server.mysql.protocol.command;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the command phase.
 *
 * @param maxAllowedPacket the largest packet accepted, also the cap on long data per statement
 * @param batchBytes result packets are handed to the channel in batches of about this size
 * @param writeTimeout how long a result writer waits for a client that does not read
 *     (MySQL's {@code net_write_timeout}) before the connection is closed
 * @param maxPreparedStatements prepared statements one connection may hold open (MySQL bounds
 *     them server-wide with {@code max_prepared_stmt_count}, default 16382)
 */
public record CommandConfig(int maxAllowedPacket, int batchBytes, Duration writeTimeout, int maxPreparedStatements) {
    /** 64 MiB packets (MySQL 8's default), 16 KiB batches, 60 s write timeout, 16382 statements. */
    public static final CommandConfig DEFAULT = new CommandConfig(64 << 20, 16 << 10, Duration.ofSeconds(60), 16382);

    /** Validates. */
    public CommandConfig {
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        if (maxAllowedPacket < 1024 || batchBytes < 64 || maxPreparedStatements < 1) {
            throw new IllegalArgumentException("maxAllowedPacket >= 1024, batchBytes >= 64 and maxPreparedStatements >= 1 required");
        }
    }
}
