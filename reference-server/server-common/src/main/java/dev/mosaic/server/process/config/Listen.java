package dev.mosaic.server.process.config;

import java.util.Objects;

/**
 * Where a server listens.
 *
 * @param bindAddress the address to bind ({@code 0.0.0.0} for all)
 * @param port the port (0 = an ephemeral port, for tests)
 * @param threads the size of the server's bounded request executor
 */
public record Listen(String bindAddress, int port, int threads) {
    public Listen {
        Objects.requireNonNull(bindAddress, "bindAddress");
    }
}
