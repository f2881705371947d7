package dev.mosaic.server.mysqlctl.testfixtures;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for test servers that bind some time after the port was chosen (a mysqld, an etcd or a
 * server process started by a test).
 *
 * <p>A port from {@code new ServerSocket(0)} comes from the kernel's ephemeral range, the same
 * range every outgoing connection's local port is taken from: between choosing it and a slow
 * mysqld binding it, a JDBC or gRPC connection of the same test can take it, and the mysqld then
 * dies with "Address already in use" (seen in CI). The ports handed out here lie below the
 * ephemeral range, so no outgoing connection can take them; each JVM starts at a random point of
 * the range and walks it, skipping ports something listens on, so two test JVMs rarely meet.
 */
public final class TestPorts {
    /** Lowest port handed out: above Mosaic's own defaults (15000-17999) used by the local cluster. */
    static final int LOW = 20000;
    private static final int HIGH = ephemeralLow() - 1;
    private static final AtomicInteger CURSOR =
            new AtomicInteger(ThreadLocalRandom.current().nextInt(HIGH - LOW + 1));

    private TestPorts() {}

    /**
     * A loopback port below the kernel's ephemeral range that nothing listens on right now. It
     * can still be taken by another process before the caller binds it, but not by an outgoing
     * connection.
     */
    public static int next() {
        int span = HIGH - LOW + 1;
        for (int tries = 0; tries < span; tries++) {
            int port = LOW + Math.floorMod(CURSOR.getAndIncrement(), span);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOW + " and " + HIGH);
    }

    /** True if a listening socket can be bound on the port on loopback and on the wildcard address. */
    static boolean bindable(int port) {
        try (ServerSocket loopback = new ServerSocket()) {
            loopback.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            return false;
        }
        try (ServerSocket any = new ServerSocket()) {
            any.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of Linux's ephemeral range (32768 by default, and where it cannot be read). */
    static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            // A range that leaves no room below it for test ports falls back to the default.
            return low > LOW + 1000 ? low : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
