package dev.mosaic.server.mysql.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.mysql.protocol.testing.RawClient;
import dev.mosaic.server.mysql.protocol.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Garbage on some connections must not disturb a well-behaved client on another. */
class IsolationIT {
    @Test
    void connectionsBeyondTheLimitAreRefusedWithTooManyConnections() throws Exception {
        try (TestServer server = new TestServer(MysqlServerConfig.local(0).withMaxConnections(2));
                RawClient a = new RawClient(server.port()); RawClient b = new RawClient(server.port())) {
            assertEquals(0, a.login().header());
            assertEquals(0, b.login().header());
            try (RawClient c = new RawClient(server.port())) {
                RawClient.Frame f = c.read();
                assertEquals(1040, f.errno());
                assertTrue(c.closedByServer());
            }
            // A slot frees when a connection closes (the server sees the close asynchronously).
            a.close();
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
            while (server.server.stats().connections() > 1) {
                assertTrue(java.time.Instant.now().isBefore(deadline), "the closed connection was never counted out");
                Thread.sleep(20); // polling interval of the condition above
            }
            try (RawClient d = new RawClient(server.port())) {
                assertEquals(0, d.login().header());
            }
        }
    }

    @Test
    void garbageOnOneConnectionDoesNotAffectAnother() throws Exception {
        try (TestServer server = new TestServer()) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.port()
                    + "/?sslMode=DISABLED&useServerPrepStmts=true", "native", "nativepw")) {
                Future<Integer> good = pool.submit(() -> {
                    int ok = 0;
                    try (Statement s = c.createStatement()) {
                        for (int i = 0; i < 400; i++) {
                            try (ResultSet rs = s.executeQuery("select * from t")) {
                                int n = 0;
                                while (rs.next()) {
                                    n++;
                                }
                                assertEquals(3, n);
                                ok++;
                            }
                        }
                    }
                    return ok;
                });

                Random random = new Random(42);
                for (int round = 0; round < 5; round++) {
                    // Random bytes instead of a handshake response.
                    try (RawClient r = new RawClient(server.port())) {
                        r.read();
                        byte[] junk = new byte[300];
                        random.nextBytes(junk);
                        r.sendRaw(junk);
                        assertTrue(r.closedByServer());
                    }
                    // A bad sequence id after login: ERR 1156, then closed.
                    try (RawClient r = new RawClient(server.port())) {
                        assertEquals(0, r.login().header());
                        r.send(9, new byte[] {0x0e});
                        RawClient.Frame f = r.read();
                        assertEquals(1156, f.errno());
                        assertTrue(r.closedByServer());
                    }
                    // Malformed commands are answered and the connection continues.
                    try (RawClient r = new RawClient(server.port())) {
                        r.login();
                        r.send(0, new byte[0]);
                        assertEquals(1835, r.read().errno());
                        r.send(0, new byte[] {0x17, 1, 0});
                        assertEquals(1835, r.read().errno());
                        r.send(0, new byte[] {(byte) 0xAB});
                        assertEquals(1047, r.read().errno());
                        r.query("select 1");
                        assertEquals(1, r.read().payload()[0]);
                    }
                    // A header announcing a 16 MiB packet, then the client vanishes mid-packet.
                    try (RawClient r = new RawClient(server.port())) {
                        r.login();
                        r.sendRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 3, 's', 'e', 'l'});
                        r.socket.setSoLinger(true, 0); // a reset, not a clean close
                    }
                    // A packet above max_allowed_packet (64 MiB): refused when the header of the
                    // frame that crosses the limit arrives, then the connection closes.
                    try (RawClient r = new RawClient(server.port())) {
                        r.login();
                        byte[] frame = new byte[0xffffff];
                        frame[0] = 0x03;
                        for (int seq = 0; seq < 4; seq++) {
                            r.sendRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) seq});
                            r.sendRaw(frame);
                        }
                        r.sendRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 4});
                        assertEquals(1153, r.read().errno());
                        assertTrue(r.closedByServer());
                    }
                }
                assertEquals(400, good.get(60, TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
            // And the server still serves new clients.
            try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.port() + "/?sslMode=DISABLED",
                    "native", "nativepw"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
                assertTrue(rs.next());
            }
        }
    }
}
