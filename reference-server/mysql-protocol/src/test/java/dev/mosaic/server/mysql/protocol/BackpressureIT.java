package dev.mosaic.server.mysql.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.mysql.protocol.testing.RawClient;
import dev.mosaic.server.mysql.protocol.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A client that does not read stalls the writer of its result instead of filling the server's memory. */
class BackpressureIT {
    private static final long ROWS = 2_000_000; // about 130 MB on the wire

    @Test
    void aSlowReaderStallsTheResultWriterAndThenGetsEveryRow() throws Exception {
        try (TestServer server = new TestServer(); RawClient client = new RawClient(server.port())) {
            client.socket.setReceiveBufferSize(64 << 10);
            assertEquals(0, client.login().header());
            client.query("rows " + ROWS);

            // Wait for the writer to stall: the row count stops moving for a while.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            long last = -1;
            int stableChecks = 0;
            while (stableChecks < 5) {
                assertTrue(Instant.now().isBefore(deadline), "the writer never stalled");
                long now = server.handler.streamedRows.get();
                stableChecks = now == last && now > 0 ? stableChecks + 1 : 0;
                last = now;
                Thread.sleep(200); // polling interval of the condition above, not a wait for an event
            }
            long stalledAt = last;
            assertTrue(stalledAt < ROWS / 4, "stalled after " + stalledAt + " of " + ROWS + " rows");
            assertEquals(new MysqlServer.Stats(1, 1, 0), server.server.stats(), "one connection, its command blocked");

            // Now read everything: every row arrives, in order, then the end of the result.
            RawClient.Frame f = client.read();
            assertEquals(2, f.payload()[0], "column count");
            client.read();
            client.read();
            long rows = 0;
            while (true) {
                f = client.read();
                if (f.header() == 0xFE && f.payload().length < 0xFFFFFF) {
                    break;
                }
                int len = f.payload()[0];
                String id = new String(f.payload(), 1, len, java.nio.charset.StandardCharsets.US_ASCII);
                assertEquals(Long.toString(rows), id);
                rows++;
            }
            assertEquals(ROWS, rows);
            assertEquals(ROWS, server.handler.streamedRows.get());
            System.out.println("BackpressureIT: writer stalled after " + stalledAt + " rows of " + ROWS);
        }
    }

    @Test
    void aClientThatNeverReadsIsDisconnectedAfterTheWriteTimeout() throws Exception {
        MysqlServerConfig config = new MysqlServerConfig("127.0.0.1", 0, dev.mosaic.server.mysql.protocol.auth.HandshakeConfig.DEFAULT,
                new dev.mosaic.server.mysql.protocol.command.CommandConfig(64 << 20, 16 << 10, Duration.ofSeconds(2), 16), 1, 2, 16, 10);
        dev.mosaic.server.mysql.protocol.testing.FixtureHandler handler = new dev.mosaic.server.mysql.protocol.testing.FixtureHandler();
        try (MysqlServer server = new MysqlServer(config, new dev.mosaic.server.mysql.protocol.auth.Authentication(
                dev.mosaic.server.mysql.protocol.auth.Authenticator.none(
                        dev.mosaic.server.mysql.protocol.auth.AuthMethod.MYSQL_NATIVE_PASSWORD),
                dev.mosaic.server.mysql.protocol.auth.RsaKey.generate()), handler).start();
                RawClient client = new RawClient(server.port())) {
            client.socket.setReceiveBufferSize(64 << 10);
            client.login();
            client.query("rows " + ROWS);
            // The handler thread is released (its row() throws) and the session is closed.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!handler.events.contains("close 1")) {
                assertTrue(Instant.now().isBefore(deadline), "not disconnected: " + handler.events);
                Thread.sleep(50); // polling interval of the condition above
            }
            assertTrue(handler.streamedRows.get() < ROWS / 4, handler.streamedRows.get() + " rows");
        }
    }
}
