package dev.mosaic.server.mysql.protocol;

import dev.mosaic.server.mysql.protocol.auth.HandshakeConfig;
import dev.mosaic.server.mysql.protocol.command.CommandConfig;
import java.util.Objects;

/**
 * Settings of a {@link MysqlServer}.
 *
 * @param host the address to bind
 * @param port the port to bind (0 picks a free one)
 * @param handshake what the greeting announces, and the authentication timeout
 * @param commands packet size limit, result batching, write timeout
 * @param ioThreads event-loop threads
 * @param commandThreads threads of the command executor that runs the session handler
 * @param commandQueue pending commands the executor holds before refusing new ones (each
 *     connection has at most one pending, so this bounds concurrently busy connections beyond the
 *     threads)
 * @param maxConnections open connections beyond which a new one is refused with
 *     ER_CON_COUNT_ERROR (MySQL's {@code max_connections})
 */
public record MysqlServerConfig(String host, int port, HandshakeConfig handshake, CommandConfig commands,
        int ioThreads, int commandThreads, int commandQueue, int maxConnections) {
    /** Validates. */
    public MysqlServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(handshake, "handshake");
        Objects.requireNonNull(commands, "commands");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (ioThreads < 1 || commandThreads < 1 || commandQueue < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("ioThreads, commandThreads, commandQueue and maxConnections must be positive");
        }
    }

    /**
     * Loopback on {@code port}, default protocol settings, 1 I/O thread, 16 command threads, queue
     * 1024, 1000 connections.
     */
    public static MysqlServerConfig local(int port) {
        return new MysqlServerConfig("127.0.0.1", port, HandshakeConfig.DEFAULT, CommandConfig.DEFAULT, 1, 16, 1024, 1000);
    }

    /** The same with another connection limit. */
    public MysqlServerConfig withMaxConnections(int max) {
        return new MysqlServerConfig(host, port, handshake, commands, ioThreads, commandThreads, commandQueue, max);
    }
}
