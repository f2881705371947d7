package dev.mosaic.server.mysqlctl.testfixtures;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestPortsTest {
    @Test
    void portsLieBelowTheEphemeralRangeAndAreDistinct() {
        int ephemeralLow = TestPorts.ephemeralLow();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = TestPorts.next();
            assertTrue(port >= TestPorts.LOW && port < ephemeralLow, port + " outside [" + TestPorts.LOW + ", " + ephemeralLow + ")");
            assertTrue(seen.add(port), "port " + port + " handed out twice");
        }
    }

    @Test
    void aPortSomethingListensOnIsNotBindable() throws Exception {
        int port = TestPorts.next();
        assertTrue(TestPorts.bindable(port));
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            assertFalse(TestPorts.bindable(port));
        }
    }

    @Test
    void onlyAnAddressInUseStartupFailureIsRetriedOnAnotherPort() {
        assertTrue(MysqldCluster.lostItsPort(new MosaicException(ErrorCode.UNAVAILABLE,
                "mysqld (pid 1) exited with exit code 1 during startup; error.log says:\n"
                        + "[ERROR] Can't start server: Bind on TCP/IP port. Got error: 98: Address already in use")));
        assertFalse(MysqldCluster.lostItsPort(new MosaicException(ErrorCode.UNAVAILABLE,
                "mysqld (pid 1) exited with exit code 1 during startup; error.log says:\n[ERROR] unknown variable 'x=1'")));
    }
}
