package dev.mosaic.server.gate.server;

import static dev.mosaic.server.gate.server.GateTestCluster.KS;
import static dev.mosaic.server.gate.server.GateTestCluster.SHARDS;
import static dev.mosaic.server.gate.testing.QueryResults.column;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.RoutingRules;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import dev.mosaic.spi.Plugins;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Server-side prepared statements through the gate: mysql-connector-j with
 * {@code useServerPrepStmts=true} (and no fallback to client-side emulation) against a gate in
 * front of two real tablets, shards {@code -80} and {@code 80-} of keyspace {@code customer}
 * (vindex {@code hash} on {@code id}). The gate's counters show that statements were really
 * prepared on the server and executed without being planned again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatePreparedStatementsIT {
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
            """;
    private static final String PREPARED = "mosaic.gate.prepared.requests";
    private static final String PLAN_CACHE = "mosaic.gate.plan.cache.requests";

    private static GateTestCluster gate;

    @BeforeAll
    static void start() throws Exception {
        gate = GateTestCluster.start(VSCHEMA, b -> b.txPoolSize(2).maxOpenTransactions(2));
    }

    @AfterAll
    static void stop() {
        if (gate != null) {
            gate.close();
        }
    }

    /** A connection preparing on the server; {@code cache}: Connector/J keeps closed statements prepared. */
    private static Connection connect(boolean cache) throws SQLException {
        return gate.connect(KS, "useServerPrepStmts=true", "emulateUnsupportedPstmts=false", "cachePrepStmts=" + cache,
                "characterEncoding=UTF-8");
    }

    private static double prepared(String op) {
        return gate.counter(PREPARED, "op", op);
    }

    private static double planCacheRequests() {
        return gate.counter(PLAN_CACHE, "result", "hit") + gate.counter(PLAN_CACHE, "result", "miss");
    }

    /** The first column {@code sql} (prepared on {@code c}, closed after) returns with {@code id} as its parameter. */
    private static List<String> columnFor(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            return column(ps);
        }
    }

    @Test
    @Order(1)
    void batchInsertWithParametersLandsOnTheVindexShards() throws Exception {
        try (Connection c = connect(true); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(100), n INT, d DATE, dt DATETIME(6), "
                    + "amount DECIMAL(15,3), u BIGINT UNSIGNED, data LONGBLOB) DEFAULT CHARSET=utf8mb4");
            double prepares = prepared("prepare");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, name, n) VALUES (?, ?, ?)")) {
                assertEquals(3, ps.getParameterMetaData().getParameterCount());
                for (int id = 1; id <= 20; id++) {
                    ps.setLong(1, id);
                    ps.setString(2, "name" + id);
                    ps.setInt(3, id * 10);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                assertEquals(20, counts.length);
                for (int n : counts) {
                    assertEquals(1, n);
                }
            }
            assertEquals(prepares + 1, prepared("prepare"), "COM_STMT_PREPARE reached the gate");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, name, n) VALUES (?, ?, ?), (?, ?, ?)")) {
                ps.setLong(1, 21);
                ps.setString(2, "name21");
                ps.setInt(3, 210);
                ps.setLong(4, 22);
                ps.setString(5, "name22");
                ps.setInt(6, 220);
                assertEquals(2, ps.executeUpdate());
            }
        }
        int total = 0;
        for (int i = 0; i < 2; i++) {
            List<Map<String, String>> rows = gate.mysqld(i).fetch("SELECT id FROM " + GateTestCluster.DB + ".t");
            assertFalse(rows.isEmpty(), "shard " + SHARDS.get(i) + " got rows");
            for (Map<String, String> r : rows) {
                long id = Long.parseLong(r.values().iterator().next());
                assertEquals(gate.shardOf("t", id), SHARDS.get(i), "row " + id + " is on the shard the vindex names");
            }
            total += rows.size();
        }
        assertEquals(22, total);
    }

    @Test
    @Order(2)
    void pointSelectIsPlannedOnceAndRoutedByTheBoundValue() throws Exception {
        try (Connection c = connect(true);
             PreparedStatement ps = c.prepareStatement("SELECT id, name, n FROM t WHERE id = ?")) {
            double planned = planCacheRequests();
            double executions = prepared("execute");
            for (int round = 0; round < 5; round++) {
                for (long id = 1; id <= 22; id++) {
                    long[] before = gate.served();
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next(), "row " + id);
                        assertEquals(id, rs.getLong(1));
                        assertEquals("name" + id, rs.getString(2));
                        assertEquals(id * 10, rs.getInt(3));
                        assertFalse(rs.next());
                    }
                    long[] after = gate.served();
                    int owner = SHARDS.indexOf(gate.shardOf("t", id));
                    assertEquals(1, after[owner] - before[owner], "the owning shard ran the query for " + id);
                    assertEquals(0, after[1 - owner] - before[1 - owner], "the other shard was not asked for " + id);
                }
            }
            assertEquals(planned, planCacheRequests(), "110 executions, no planning (not even a cache lookup)");
            assertEquals(executions + 110, prepared("execute"));
            ps.setLong(1, 12345);
            assertEquals(List.of(), column(ps));
        }
    }

    @Test
    @Order(3)
    void inListsScatterOrderLimitAndAggregatesWithParameters() throws Exception {
        try (Connection c = connect(true)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM t WHERE id IN (?, ?, ?) ORDER BY id")) {
                ps.setLong(1, 4);
                ps.setLong(2, 3);
                ps.setLong(3, 99);
                assertEquals(List.of("3", "4"), column(ps));
                ps.setLong(1, 1);
                ps.setLong(2, 2);
                ps.setLong(3, 20);
                assertEquals(List.of("1", "2", "20"), column(ps));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM t WHERE n > ? ORDER BY id LIMIT ?")) {
                ps.setInt(1, 50);
                ps.setInt(2, 3);
                assertEquals(List.of("6", "7", "8"), column(ps));
                ps.setInt(1, 0);
                ps.setInt(2, 2);
                assertEquals(List.of("1", "2"), column(ps));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM t ORDER BY id DESC LIMIT ?, ?")) {
                ps.setInt(1, 2);
                ps.setInt(2, 3);
                assertEquals(List.of("20", "19", "18"), column(ps));
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*), SUM(n), MIN(id), MAX(name), AVG(n) FROM t WHERE n > ?")) {
                ps.setInt(1, 100);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(12, rs.getLong(1));
                    assertEquals(110 + 120 + 130 + 140 + 150 + 160 + 170 + 180 + 190 + 200 + 210 + 220, rs.getLong(2));
                    assertEquals(11, rs.getInt(3));
                    assertEquals("name22", rs.getString(4));
                    assertEquals(0, new BigDecimal("165").compareTo(rs.getBigDecimal(5)), rs.getString(5));
                    assertFalse(rs.next());
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT n DIV 100, COUNT(*) FROM t WHERE id <= ? GROUP BY n DIV 100 ORDER BY n DIV 100")) {
                ps.setLong(1, 20);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(0, rs.getInt(1));
                    assertEquals(9, rs.getInt(2));
                    assertTrue(rs.next());
                    assertEquals(1, rs.getInt(1));
                    assertEquals(10, rs.getInt(2));
                    assertTrue(rs.next());
                    assertEquals(2, rs.getInt(1));
                    assertEquals(1, rs.getInt(2));
                    assertFalse(rs.next());
                }
            }
        }
    }

    @Test
    @Order(4)
    void updateAndDeleteByIdAndNullParameters() throws Exception {
        try (Connection c = connect(true)) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE t SET name = ?, n = n + ? WHERE id = ?")) {
                ps.setNull(1, Types.VARCHAR);
                ps.setInt(2, 1);
                ps.setLong(3, 5);
                assertEquals(1, ps.executeUpdate());
                ps.setString(1, "renamed");
                ps.setInt(2, 1);
                ps.setLong(3, 12345);
                assertEquals(0, ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name, n FROM t WHERE id = ?")) {
                ps.setLong(1, 5);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertNull(rs.getString(1));
                    assertTrue(rs.wasNull());
                    assertEquals(51, rs.getInt(2));
                }
                ps.setNull(1, Types.BIGINT);
                assertEquals(List.of(), column(ps), "id = NULL matches nothing");
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM t WHERE id = ?")) {
                ps.setLong(1, 22);
                assertEquals(1, ps.executeUpdate());
                ps.setLong(1, 22);
                assertEquals(0, ps.executeUpdate());
            }
            assertEquals(List.of("2"), columnFor(c, "SELECT COUNT(*) FROM t WHERE name IS NULL OR id = ?", 21));
        }
    }

    @Test
    @Order(5)
    void stringsBlobsTemporalsDecimalsAndUnsignedRoundTrip() throws Exception {
        String text = "it's a \\ back'slash \"quoted\" -- ; ünïcödé 日本 😀";
        byte[] small = new byte[256];
        for (int i = 0; i < small.length; i++) {
            small[i] = (byte) i;
        }
        byte[] big = new byte[200_000];
        new Random(7).nextBytes(big);
        LocalDate date = LocalDate.of(2024, 2, 29);
        // Whole seconds: the gate's column definitions do not carry the fractional-second digits yet
        // (decimals), and Connector/J truncates a DATETIME(6) value to the digits they announce.
        LocalDateTime dateTime = LocalDateTime.of(2023, 12, 31, 23, 59, 58);
        BigDecimal amount = new BigDecimal("-123456789012.345");
        BigInteger unsigned = new BigInteger("18446744073709551615");
        try (Connection c = connect(true)) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO t (id, name, n, d, dt, amount, u, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, 100);
                ps.setString(2, text);
                ps.setInt(3, -7);
                ps.setObject(4, date);
                ps.setObject(5, dateTime);
                ps.setBigDecimal(6, amount);
                ps.setBigDecimal(7, new BigDecimal(unsigned));
                ps.setBytes(8, small);
                assertEquals(1, ps.executeUpdate());
                ps.setLong(1, 101);
                ps.setString(2, "big");
                ps.setInt(3, 0);
                ps.setNull(4, Types.DATE);
                ps.setNull(5, Types.TIMESTAMP);
                ps.setNull(6, Types.DECIMAL);
                ps.setLong(7, Long.MAX_VALUE);
                // A stream goes to the server with COM_STMT_SEND_LONG_DATA, in chunks.
                ps.setBinaryStream(8, new ByteArrayInputStream(big), big.length);
                assertEquals(1, ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name, n, d, dt, amount, u, data FROM t WHERE id = ?")) {
                ps.setLong(1, 100);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(text, rs.getString(1));
                    assertEquals(-7, rs.getInt(2));
                    assertEquals(date, rs.getObject(3, LocalDate.class));
                    assertEquals(dateTime, rs.getObject(4, LocalDateTime.class));
                    assertEquals(amount, rs.getBigDecimal(5));
                    assertEquals(unsigned.toString(), rs.getString(6));
                    assertEquals(unsigned, rs.getObject(6));
                    assertArrayEquals(small, rs.getBytes(7));
                    ResultSetMetaData md = rs.getMetaData();
                    assertEquals(Types.DATE, md.getColumnType(3));
                    assertEquals(Types.TIMESTAMP, md.getColumnType(4));
                    assertEquals(Types.DECIMAL, md.getColumnType(5));
                    assertEquals("BIGINT UNSIGNED", md.getColumnTypeName(6));
                }
                ps.setLong(1, 101);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertNull(rs.getObject(3));
                    assertNull(rs.getObject(4));
                    assertNull(rs.getBigDecimal(5));
                    assertEquals(Long.MAX_VALUE, rs.getLong(6));
                    assertArrayEquals(big, rs.getBytes(7));
                }
            }
            // The values are usable in conditions too: routing and comparison by bound strings and dates.
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM t WHERE name = ? AND d = ? AND amount = ?")) {
                ps.setString(1, text);
                ps.setObject(2, date);
                ps.setBigDecimal(3, amount);
                assertEquals(List.of("100"), column(ps));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM t WHERE data = ?")) {
                ps.setBytes(1, small);
                assertEquals(List.of("100"), column(ps));
            }
        }
    }

    @Test
    @Order(6)
    void metadataBeforeExecute() throws Exception {
        try (Connection c = connect(true)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, amount, dt FROM t WHERE id = ?")) {
                ResultSetMetaData md = ps.getMetaData();
                assertEquals(4, md.getColumnCount());
                assertEquals("id", md.getColumnLabel(1));
                assertEquals(Types.BIGINT, md.getColumnType(1));
                assertEquals("name", md.getColumnLabel(2));
                assertEquals(Types.VARCHAR, md.getColumnType(2));
                assertEquals(Types.DECIMAL, md.getColumnType(3));
                assertEquals(Types.TIMESTAMP, md.getColumnType(4));
                assertEquals(1, ps.getParameterMetaData().getParameterCount());
            }
            // Gate-side operators shape the columns: hidden weight_string columns are not announced,
            // aggregates have the type the gate produces.
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, COUNT(*) AS cnt, SUM(n) FROM t WHERE n > ? GROUP BY name ORDER BY name LIMIT ?")) {
                ResultSetMetaData md = ps.getMetaData();
                assertEquals(3, md.getColumnCount());
                assertEquals("name", md.getColumnLabel(1));
                assertEquals("cnt", md.getColumnLabel(2));
                assertEquals(Types.BIGINT, md.getColumnType(2));
                ps.setInt(1, 180);
                ps.setInt(2, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    assertEquals(3, rs.getMetaData().getColumnCount());
                    assertTrue(rs.next());
                    assertEquals("name19", rs.getString(1));
                    assertEquals(1, rs.getLong(2));
                    assertTrue(rs.next());
                    assertEquals("name20", rs.getString(1));
                    assertFalse(rs.next());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE t SET n = ? WHERE id = ?")) {
                ResultSetMetaData md = ps.getMetaData();
                assertTrue(md == null || md.getColumnCount() == 0, "no result set, no columns");
                assertEquals(2, ps.getParameterMetaData().getParameterCount());
            }
        }
    }

    @Test
    @Order(7)
    void statementsTheGateAnswersCanBePrepared() throws Exception {
        try (Connection c = connect(true)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT @@version, DATABASE()")) {
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(GateTestCluster.VERSION, rs.getString(1));
                    assertEquals(KS, rs.getString(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?")) {
                ps.setString(1, "echo'd");
                assertEquals(List.of("echo'd"), column(ps));
                ps.setLong(1, 42);
                assertEquals(List.of("42"), column(ps));
            }
            try (PreparedStatement ps = c.prepareStatement("SET autocommit = ?")) {
                ps.setInt(1, 1);
                ps.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("COMMIT")) {
                ps.execute();
            }
        }
        try (Connection c = gate.connect("", "useServerPrepStmts=true", "emulateUnsupportedPstmts=false")) {
            try (PreparedStatement ps = c.prepareStatement("SELECT DATABASE()")) {
                assertEquals(java.util.Collections.singletonList(null), column(ps));
                try (PreparedStatement use = c.prepareStatement("USE " + KS)) {
                    use.execute();
                }
                assertEquals(List.of(KS), column(ps), "the prepared USE switched the session's keyspace");
            }
            assertEquals(List.of("name3"), columnFor(c, "SELECT name FROM t WHERE id = ?", 3));
        }
    }

    @Test
    @Order(8)
    void closedStatementsArePreparedAgainAndVSchemaChangesReplan() throws Exception {
        try (Connection c = connect(false)) {
            for (int i = 0; i < 3; i++) {
                double prepares = prepared("prepare");
                assertEquals(List.of("name7"), columnFor(c, "SELECT name FROM t WHERE id = ?", 7));
                assertEquals(prepares + 1, prepared("prepare"), "closed (COM_STMT_CLOSE) and prepared again");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM t WHERE id = ?")) {
                ps.setLong(1, 7);
                assertEquals(List.of("name7"), column(ps));
                double replans = prepared("replan");
                gate.planner().updateVSchema(VSchemaSnapshot.build(Map.of(KS, KeyspaceVSchema.fromJson(VSCHEMA)),
                        RoutingRules.EMPTY, Plugins.load(GatePreparedStatementsIT.class.getClassLoader())));
                ps.setLong(1, 8);
                assertEquals(List.of("name8"), column(ps));
                ps.setLong(1, 9);
                assertEquals(List.of("name9"), column(ps));
                assertEquals(replans + 1, prepared("replan"), "planned again once for the new vschema");
            }
        }
    }

    @Test
    @Order(9)
    void placeholdersOutsidePreparedStatementsAreSyntaxErrors() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT name FROM t WHERE id = ?"));
            assertEquals(1064, e.getErrorCode(), e.getMessage());
        }
    }

    @Test
    @Order(10)
    void fieldListAnswersTheTableColumns() throws Exception {
        double fieldQueries = prepared("field_query");
        try (RawClient client = new RawClient(gate.port())) {
            assertEquals(List.of("id", "name", "n", "d", "dt", "amount", "u", "data"), client.fieldList("t", ""));
            assertEquals(List.of("name", "n"), client.fieldList("t", "n%"));
            assertEquals(1146, client.fieldListError("nosuch"));
        }
        assertTrue(prepared("field_query") >= fieldQueries + 2);
    }

    @Test
    @Order(11)
    void longDataResetAndCloseOverTheWire() throws Exception {
        try (RawClient client = new RawClient(gate.port())) {
            int id = client.prepare("INSERT INTO t (id, data) VALUES (?, ?)", 2);
            client.longData(id, 1, "discarded by the reset");
            client.command(new byte[]{0x1A, (byte) id, (byte) (id >> 8), (byte) (id >> 16), (byte) (id >> 24)});
            byte[] ok = client.read();
            assertEquals(0, ok[0], "COM_STMT_RESET answers OK");
            client.longData(id, 1, "good-");
            client.longData(id, 1, "data");
            byte[] result = client.executeWithLongSecond(id, 300);
            assertEquals(0, result[0], "the insert succeeded: " + new String(result, StandardCharsets.UTF_8));
            assertEquals(1, result[1], "one row affected");
            client.command(new byte[]{0x19, (byte) id, (byte) (id >> 8), (byte) (id >> 16), (byte) (id >> 24)});
            byte[] err = client.executeWithLongSecond(id, 301);
            assertEquals(0xFF, err[0] & 0xFF, "a closed statement is gone");
            assertEquals(1243, (err[1] & 0xFF) | (err[2] & 0xFF) << 8);
        }
        try (Connection c = connect(true); PreparedStatement ps = c.prepareStatement("SELECT data FROM t WHERE id = ?")) {
            ps.setLong(1, 300);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("good-data", new String(rs.getBytes(1), StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Just enough of a MySQL client for what Connector/J never sends (COM_FIELD_LIST,
     * COM_STMT_RESET, long data outside an execution): logs in as {@code app} (empty password) into
     * {@code customer}, without CLIENT_DEPRECATE_EOF.
     */
    private static final class RawClient implements AutoCloseable {
        private static final int CAPS = 0x1 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x80000;
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        RawClient(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            read(); // greeting
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            p.write(new byte[]{(byte) CAPS, (byte) (CAPS >> 8), (byte) (CAPS >> 16), (byte) (CAPS >> 24)});
            p.write(new byte[]{0, 0, 0, 1}); // max packet 16 MiB
            p.write(45); // utf8mb4_general_ci
            p.write(new byte[23]);
            p.write("app\0".getBytes(StandardCharsets.US_ASCII));
            p.write(0); // empty auth response
            p.write((KS + "\0").getBytes(StandardCharsets.US_ASCII));
            p.write("mysql_native_password\0".getBytes(StandardCharsets.US_ASCII));
            send(1, p.toByteArray());
            byte[] ok = read();
            if (ok[0] != 0) {
                throw new IOException("login failed: " + new String(ok, StandardCharsets.UTF_8));
            }
        }

        List<String> fieldList(String table, String wildcard) throws IOException {
            request(table, wildcard);
            List<String> names = new ArrayList<>();
            while (true) {
                byte[] p = read();
                if ((p[0] & 0xFF) == 0xFE && p.length < 9) {
                    return names;
                }
                if ((p[0] & 0xFF) == 0xFF) {
                    throw new IOException("error " + new String(p, 9, p.length - 9, StandardCharsets.UTF_8));
                }
                int[] pos = {0};
                for (int i = 0; i < 4; i++) {
                    lenenc(p, pos); // catalog, schema, table, org_table
                }
                names.add(lenenc(p, pos));
            }
        }

        int fieldListError(String table) throws IOException {
            request(table, "");
            byte[] p = read();
            assertEquals(0xFF, p[0] & 0xFF, "an error packet");
            return (p[1] & 0xFF) | (p[2] & 0xFF) << 8;
        }

        /** COM_STMT_PREPARE; returns the statement id after reading the whole response. */
        int prepare(String sql, int expectedParams) throws IOException {
            byte[] q = sql.getBytes(StandardCharsets.UTF_8);
            byte[] p = new byte[q.length + 1];
            p[0] = 0x16;
            System.arraycopy(q, 0, p, 1, q.length);
            send(0, p);
            byte[] r = read();
            assertEquals(0, r[0], "prepare OK: " + new String(r, StandardCharsets.UTF_8));
            int id = (r[1] & 0xFF) | (r[2] & 0xFF) << 8 | (r[3] & 0xFF) << 16 | (r[4] & 0xFF) << 24;
            int columns = (r[5] & 0xFF) | (r[6] & 0xFF) << 8;
            int params = (r[7] & 0xFF) | (r[8] & 0xFF) << 8;
            assertEquals(expectedParams, params);
            for (int block : new int[]{params, columns}) {
                if (block > 0) {
                    for (int i = 0; i < block; i++) {
                        read();
                    }
                    read(); // EOF
                }
            }
            return id;
        }

        /** COM_STMT_SEND_LONG_DATA (no reply). */
        void longData(int id, int param, String chunk) throws IOException {
            byte[] d = chunk.getBytes(StandardCharsets.UTF_8);
            byte[] p = new byte[7 + d.length];
            p[0] = 0x18;
            p[1] = (byte) id;
            p[2] = (byte) (id >> 8);
            p[3] = (byte) (id >> 16);
            p[4] = (byte) (id >> 24);
            p[5] = (byte) param;
            p[6] = (byte) (param >> 8);
            System.arraycopy(d, 0, p, 7, d.length);
            send(0, p);
        }

        /** COM_STMT_EXECUTE of a two-parameter statement: a LONGLONG, and a BLOB sent as long data. */
        byte[] executeWithLongSecond(int id, long first) throws IOException {
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            p.write(new byte[]{0x17, (byte) id, (byte) (id >> 8), (byte) (id >> 16), (byte) (id >> 24), 0, 1, 0, 0, 0});
            p.write(0); // NULL bitmap
            p.write(1); // new params bound
            p.write(new byte[]{0x08, 0, (byte) 0xFC, 0});
            for (int i = 0; i < 8; i++) {
                p.write((int) (first >> (8 * i)));
            }
            send(0, p.toByteArray());
            return read();
        }

        /** A command without a reply, or whose reply the caller reads. */
        void command(byte[] payload) throws IOException {
            send(0, payload);
        }

        private void request(String table, String wildcard) throws IOException {
            byte[] t = table.getBytes(StandardCharsets.UTF_8);
            byte[] w = wildcard.getBytes(StandardCharsets.UTF_8);
            byte[] p = new byte[1 + t.length + 1 + w.length];
            p[0] = 0x04;
            System.arraycopy(t, 0, p, 1, t.length);
            System.arraycopy(w, 0, p, 2 + t.length, w.length);
            send(0, p);
        }

        private static String lenenc(byte[] p, int[] pos) {
            int len = p[pos[0]++] & 0xFF; // names in this test are short
            String s = new String(p, pos[0], len, StandardCharsets.UTF_8);
            pos[0] += len;
            return s;
        }

        private void send(int seq, byte[] payload) throws IOException {
            out.write(new byte[]{(byte) payload.length, (byte) (payload.length >> 8), (byte) (payload.length >> 16), (byte) seq});
            out.write(payload);
            out.flush();
        }

        byte[] read() throws IOException {
            int len = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
            in.readUnsignedByte();
            byte[] p = new byte[len];
            in.readFully(p);
            return p;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
