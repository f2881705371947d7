package dev.mosaic.server.mysql.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.mysql.protocol.testing.TestServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** mysql-connector-j against a server built on the codec: text protocol, server-side prepared statements, both auth plugins. */
class ConnectorJIT {
    private static TestServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Connection connect(String user, String password, String extra) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.port() + "/?sslMode=DISABLED&connectTimeout=10000"
                + "&socketTimeout=30000&connectionTimeZone=UTC&" + extra, user, password);
    }

    @Test
    void textProtocolQueries() throws SQLException {
        try (Connection c = connect("native", "nativepw", ""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select * from t")) {
                assertTrue(rs.next());
                assertEquals(1L, rs.getLong("id"));
                assertEquals("alice", rs.getString("name"));
                assertTrue(rs.next());
                assertEquals("bob", rs.getString(2));
                assertTrue(rs.next());
                assertNull(rs.getString(2));
                assertFalse(rs.next());
            }
            assertEquals(1, s.executeUpdate("insert into t values (1)", Statement.RETURN_GENERATED_KEYS));
            try (ResultSet keys = s.getGeneratedKeys()) {
                assertTrue(keys.next());
                assertEquals(42L, keys.getLong(1));
            }
            try (ResultSet rs = s.executeQuery("select typed")) {
                assertTrue(rs.next());
                assertTyped(rs, false);
            }
            // execute(), not executeQuery(): Connector/J refuses a statement that does not look like a query.
            SQLException e = assertThrows(SQLException.class, () -> s.execute("fail"));
            assertEquals(1146, e.getErrorCode());
            assertEquals("42S02", e.getSQLState());
            assertEquals("Table 'test.fail' doesn't exist", e.getMessage());
            c.setCatalog("db2");
            // A new statement: Connector/J runs each statement in the database current when it was created.
            try (Statement s2 = c.createStatement(); ResultSet rs = s2.executeQuery("select database()")) {
                assertTrue(rs.next());
                assertEquals("db2", rs.getString(1), server.handler.events.toString());
            }
        }
    }

    private static void assertTyped(ResultSet rs, boolean binary) throws SQLException {
        assertEquals(-7, rs.getInt("tiny"));
        assertEquals(-300, rs.getInt("small"));
        assertEquals(123456, rs.getInt("int"));
        assertEquals(-9000000000L, rs.getLong("big"));
        assertEquals(new BigDecimal("18446744073709551615"), rs.getBigDecimal("ubig"));
        assertEquals(1.5f, rs.getFloat("f"));
        assertEquals(2.25, rs.getDouble("d"));
        assertEquals(new BigDecimal("12345.6789"), rs.getBigDecimal("dec"));
        assertEquals(LocalDate.of(2024, 2, 29), rs.getObject("day", LocalDate.class));
        assertEquals(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000), rs.getObject("ts", LocalDateTime.class));
        // The server sends -838:59:59 as MySQL does: negative, 34 days, 22 hours. Connector/J's binary
        // decoder negates only the days and then adds the hours, so it reads -(34 * 24) + 22 = -794.
        assertEquals(binary ? "-794:59:59" : "-838:59:59", rs.getString("t"));
        assertEquals("héllo", rs.getString("s"));
        assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, rs.getBytes("b"));
        assertNull(rs.getString("n"));
        assertTrue(rs.wasNull());
        assertEquals(2024, rs.getInt("y"));
    }

    @Test
    void serverSidePreparedStatementsEchoTheirParameters() throws SQLException {
        try (Connection c = connect("native", "nativepw", "useServerPrepStmts=true&cachePrepStmts=false");
                PreparedStatement ps = c.prepareStatement("select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?")) {
            ps.setInt(1, -42);
            ps.setLong(2, 9_000_000_000L);
            ps.setString(3, "héllo");
            ps.setBigDecimal(4, new BigDecimal("12.340"));
            ps.setDouble(5, 2.5);
            ps.setDate(6, Date.valueOf("2024-02-29"));
            ps.setTimestamp(7, Timestamp.valueOf("2024-02-29 13:14:15.123456"));
            ps.setTime(8, Time.valueOf("12:34:56"));
            ps.setBytes(9, new byte[] {0, 1, (byte) 0xff});
            ps.setNull(10, Types.VARCHAR);
            ps.setBoolean(11, true);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(-42, rs.getInt(1));
                assertEquals(9_000_000_000L, rs.getLong(2));
                assertEquals("héllo", rs.getString(3));
                assertEquals(new BigDecimal("12.340"), rs.getBigDecimal(4));
                assertEquals(2.5, rs.getDouble(5));
                assertEquals(LocalDate.of(2024, 2, 29), rs.getObject(6, LocalDate.class));
                assertEquals(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000), rs.getObject(7, LocalDateTime.class));
                assertEquals(LocalTime.of(12, 34, 56), rs.getObject(8, LocalTime.class));
                assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, rs.getBytes(9));
                assertNull(rs.getObject(10));
                assertEquals(1, rs.getInt(11));
                // The types the server decoded, as the handler saw them.
                assertEquals("INT64,INT64,VARCHAR,DECIMAL,FLOAT64,DATE,TIMESTAMP,TIME,VARCHAR,NULL_TYPE,INT64", rs.getString(12));
                assertFalse(rs.next());
            }
            // Re-execution without rebinding types, and a second run with other values.
            ps.setInt(1, 7);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(7, rs.getInt(1));
                assertEquals("héllo", rs.getString(3));
            }
        }
    }

    @Test
    void preparedStatementsDecodeParameterTypes() throws SQLException {
        try (Connection c = connect("native", "nativepw", "useServerPrepStmts=true&cachePrepStmts=false");
                PreparedStatement ps = c.prepareStatement("select ?, ?, ?, ?, ?, ?")) {
            ps.setInt(1, 1);
            ps.setLong(2, 2);
            ps.setString(3, "s");
            ps.setBigDecimal(4, BigDecimal.ONE);
            ps.setDouble(5, 1.0);
            ps.setBytes(6, new byte[] {1});
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                // Connector/J binds byte[] as MYSQL_TYPE_STRING, which the server reads as text (bytes kept as sent).
                assertEquals("INT64,INT64,VARCHAR,DECIMAL,FLOAT64,VARCHAR", rs.getString(7));
            }
        }
    }

    @Test
    void binaryProtocolRowsOfEveryType() throws SQLException {
        try (Connection c = connect("native", "nativepw", "useServerPrepStmts=true");
                PreparedStatement ps = c.prepareStatement("select typed");
                ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            assertTyped(rs, true);
        }
    }

    @Test
    void updatesThroughPreparedStatementsAndLongData() throws SQLException {
        try (Connection c = connect("native", "nativepw", "useServerPrepStmts=true");
                PreparedStatement ps = c.prepareStatement("insert into t values (?, ?)")) {
            ps.setInt(1, 1);
            ps.setCharacterStream(2, new java.io.StringReader("streamed as long data"));
            assertEquals(1, ps.executeUpdate());
            // Connector/J sends a character stream with COM_STMT_SEND_LONG_DATA and binds it as a BLOB.
            String hex = dev.mosaic.server.mysql.protocol.testing.Bytes.hex("streamed as long data".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(server.handler.events.stream().anyMatch(e -> e.contains("Binary[VARBINARY X'" + hex + "']")),
                    server.handler.events.toString());
        }
    }

    @Test
    void multiQueries() throws SQLException {
        try (Connection c = connect("native", "nativepw", "allowMultiQueries=true"); Statement s = c.createStatement()) {
            assertTrue(s.execute("select 1; insert into t values (2); select * from t"));
            try (ResultSet rs = s.getResultSet()) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
            assertFalse(s.getMoreResults());
            assertEquals(1, s.getUpdateCount());
            assertTrue(s.getMoreResults());
            try (ResultSet rs = s.getResultSet()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertEquals(3, n);
            }
            assertFalse(s.getMoreResults());
            assertEquals(-1, s.getUpdateCount());
        }
        try (Connection c = connect("native", "nativepw", "allowMultiQueries=false"); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.execute("select 1; select 1"));
            assertEquals(1064, e.getErrorCode());
        }
    }

    @Test
    void cachingSha2FullAuthenticationWithPublicKeyRetrievalThenFastAuthentication() throws SQLException {
        // Connector/J does not send clear text over a non-TLS connection: it asks for the key.
        for (int i = 0; i < 2; i++) {
            try (Connection c = connect("sha2", "sha2pw", "allowPublicKeyRetrieval=true"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select 1")) {
                assertTrue(rs.next());
            }
        }
        SQLException e = assertThrows(SQLException.class, () -> connect("sha2", "wrong", "allowPublicKeyRetrieval=true"));
        assertEquals(1045, e.getErrorCode());
        assertEquals("28000", e.getSQLState());
        assertEquals("Access denied for user 'sha2'@'127.0.0.1' (using password: YES)", e.getMessage());
    }

    @Test
    void nativePasswordAccessDenied() {
        SQLException e = assertThrows(SQLException.class, () -> connect("native", "wrong", ""));
        assertEquals(1045, e.getErrorCode());
        assertEquals("28000", e.getSQLState());
    }

    @Test
    void cursorFetchIsRefusedWithNotSupported() throws SQLException {
        try (Connection c = connect("native", "nativepw", "useServerPrepStmts=true&useCursorFetch=true&defaultFetchSize=10");
                PreparedStatement ps = c.prepareStatement("select * from t where 1 = ?")) {
            ps.setInt(1, 1);
            SQLException e = assertThrows(SQLException.class, ps::executeQuery);
            assertEquals(1235, e.getErrorCode());
            assertEquals("42000", e.getSQLState());
        }
    }

    @Test
    void pingAndResetConnection() throws SQLException {
        try (Connection c = connect("native", "nativepw", "useServerPrepStmts=true")) {
            assertTrue(c.isValid(5));
            ((com.mysql.cj.jdbc.JdbcConnection) c).resetServerState();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
                assertTrue(rs.next());
            }
        }
    }
}
