package dev.mosaic.server.gate.server;

import static dev.mosaic.server.gate.server.GateTestCluster.DB;
import static dev.mosaic.server.gate.server.GateTestCluster.KS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.result.Field;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tablets' column definitions reach clients through the gate: mysql-connector-j's result-set
 * metadata (text protocol and server-side prepared statements) shows the tables, the keyspace as
 * the schema, nullability, auto-increment, primary key, unsigned, DECIMAL precision and scale and
 * fractional seconds, the same as a direct connection to a shard's MariaDB shows for the same
 * query (its {@code vt_customer} as {@code customer}), also through the gate's merge, sort, limit
 * and aggregation of scatter queries.
 */
class ColumnMetadataIT {
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"m": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
            """;
    private static final String[] DT = {"2024-01-02 03:04:05.123456", "2024-01-02 03:04:05.000001",
            "2023-12-31 23:59:59.999999", "2024-06-30 12:00:00.500000", "2024-02-29 00:00:00.000000",
            "2025-01-01 01:01:01.010101"};
    private static final String[] TM = {"12:34:56.789", "00:00:00.001", "23:59:59.999", "01:02:03.400", "10:00:00.000",
            "-01:00:00.250"};
    private static final String[] PRICE = {"1234567.891", "0.001", "-9999999.999", "42.500", "0.000", "7.070"};
    private static final String[] NAME = {"alice", "bob", "carol", "dave", "eve", "frank"};

    private static GateTestCluster gate;

    @BeforeAll
    static void start() throws Exception {
        gate = GateTestCluster.start(VSCHEMA, b -> b);
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE m (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, dt DATETIME(6), "
                    + "tm TIME(3), price DECIMAL(10,3), name VARCHAR(40) NOT NULL)");
            for (int i = 0; i < DT.length; i++) {
                st.execute("INSERT INTO m (id, dt, tm, price, name) VALUES (" + (i + 1) + ", '" + DT[i] + "', '" + TM[i]
                        + "', " + PRICE[i] + ", '" + NAME[i] + "')");
            }
        }
        // The rows are spread over both shards (scatter queries below merge them).
        for (int i = 0; i < GateTestCluster.SHARDS.size(); i++) {
            assertFalse(gate.mysqld(i).fetch("SELECT id FROM " + DB + ".m").isEmpty(), "shard " + i + " has rows");
        }
    }

    @AfterAll
    static void stop() {
        if (gate != null) {
            gate.close();
        }
    }

    private static Connection prepared() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + gate.port() + "/" + KS
                + "?user=app&password=&useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=30000"
                + "&useServerPrepStmts=true&emulateUnsupportedPstmts=false&cachePrepStmts=false");
    }

    /** Everything Connector/J knows of each column, as one line per column. */
    private static List<String> describe(ResultSetMetaData md) throws SQLException {
        Field[] fields = md.unwrap(com.mysql.cj.jdbc.result.ResultSetMetaData.class).getFields();
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            Field f = fields[i - 1];
            out.add(md.getColumnLabel(i) + " name=" + md.getColumnName(i) + " catalog=" + md.getCatalogName(i)
                    + " db=" + f.getDatabaseName() + " table=" + md.getTableName(i) + " orgTable=" + f.getOriginalTableName()
                    + " type=" + md.getColumnTypeName(i) + "/" + md.getColumnType(i) + " length=" + f.getLength()
                    + " precision=" + md.getPrecision(i) + " scale=" + md.getScale(i) + " decimals=" + f.getDecimals()
                    + " collation=" + f.getCollationIndex() + " nullable=" + md.isNullable(i)
                    + " autoIncrement=" + md.isAutoIncrement(i) + " pk=" + f.isPrimaryKey() + " unsigned=" + f.isUnsigned()
                    + " signed=" + md.isSigned(i) + " class=" + md.getColumnClassName(i));
        }
        return out;
    }

    /** What a shard's MariaDB says of {@code sql}'s columns (naming {@code vt_customer.m}), its database shown as the keyspace. */
    private static List<String> direct(String sql) throws SQLException {
        try (Connection c = gate.mysqld(0).connect(); Statement st = c.createStatement()) {
            st.execute("USE " + DB);
            try (ResultSet rs = st.executeQuery(sql)) {
                return describe(rs.getMetaData()).stream().map(s -> s.replace("=" + DB + " ", "=" + KS + " ")).toList();
            }
        }
    }

    private static void assertPointColumns(ResultSetMetaData md) throws SQLException {
        for (int i = 1; i <= 5; i++) {
            assertEquals("m", md.getTableName(i));
            assertEquals(KS, md.getCatalogName(i), "the keyspace, not " + DB);
        }
        assertEquals("BIGINT UNSIGNED", md.getColumnTypeName(1));
        assertTrue(md.isAutoIncrement(1));
        assertEquals(ResultSetMetaData.columnNoNulls, md.isNullable(1));
        assertEquals("DATETIME", md.getColumnTypeName(2));
        assertEquals(ResultSetMetaData.columnNullable, md.isNullable(2));
        assertEquals("TIME", md.getColumnTypeName(3));
        assertEquals("DECIMAL", md.getColumnTypeName(4));
        assertEquals(10, md.getPrecision(4));
        assertEquals(3, md.getScale(4));
        assertEquals("VARCHAR", md.getColumnTypeName(5));
        assertEquals(ResultSetMetaData.columnNoNulls, md.isNullable(5));
        assertFalse(md.isAutoIncrement(5));
        Field[] fields = md.unwrap(com.mysql.cj.jdbc.result.ResultSetMetaData.class).getFields();
        assertTrue(fields[0].isPrimaryKey());
        assertTrue(fields[0].isUnsigned());
        assertEquals(6, fields[1].getDecimals());
        assertEquals(3, fields[2].getDecimals());
        assertFalse(fields[4].isPrimaryKey());
    }

    /**
     * The values of row {@code id} as Connector/J reads them with getString from the shard's
     * MariaDB that holds it, with the text protocol or ({@code binary}) a server-side prepared
     * statement (whose temporals Connector/J formats itself).
     */
    private static List<String> directStrings(long id, boolean binary) throws SQLException {
        int shard = GateTestCluster.SHARDS.indexOf(gate.shardOf("m", id));
        var p = gate.mysqld(shard).connectionParams();
        try (Connection c = DriverManager.getConnection("jdbc:mysql://" + p.host() + ":" + p.port() + "/" + DB
                + "?sslMode=DISABLED&allowPublicKeyRetrieval=true&useServerPrepStmts=" + binary, p.user(), p.password());
                PreparedStatement ps = c.prepareStatement(POINT + "?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return strings(rs);
            }
        }
    }

    private static List<String> strings(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            out.add(rs.getString(i));
        }
        return out;
    }

    private static void assertRow(ResultSet rs, int i) throws SQLException {
        boolean binary = rs.getStatement() instanceof com.mysql.cj.jdbc.ServerPreparedStatement;
        assertEquals(i + 1, rs.getLong("id"));
        assertEquals(directStrings(i + 1, binary), strings(rs).subList(0, 5), "getString as from MariaDB");
        if (!binary && !DT[i].endsWith(".000000")) { // Connector/J's getString drops a zero fraction
            assertEquals(DT[i], rs.getString("dt"));
        }
        assertEquals(LocalDateTime.parse(DT[i].replace(' ', 'T')), rs.getObject("dt", LocalDateTime.class));
        assertEquals(LocalDateTime.parse(DT[i].replace(' ', 'T')), rs.getTimestamp("dt").toLocalDateTime());
        if (!TM[i].startsWith("-")) {
            assertEquals(LocalTime.parse(TM[i]), rs.getObject("tm", LocalTime.class));
        }
        assertEquals(new BigDecimal(PRICE[i]), rs.getBigDecimal("price"));
        assertEquals(NAME[i], rs.getString("name"));
    }

    private static final String POINT = "SELECT id, dt, tm, price, name FROM m WHERE id = ";

    @Test
    void textProtocolPointQueryCarriesTheFullDefinitions() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(POINT + "1")) {
            assertEquals(direct(POINT + "1"), describe(rs.getMetaData()));
            assertPointColumns(rs.getMetaData());
            assertTrue(rs.next());
            assertRow(rs, 0);
            assertFalse(rs.next());
        }
    }

    @Test
    void preparedStatementsCarryTheFullDefinitionsAtPrepareAndExecute() throws Exception {
        try (Connection c = prepared(); PreparedStatement ps = c.prepareStatement(POINT + "?")) {
            assertPointColumns(ps.getMetaData());
            assertEquals(direct(POINT + "1"), describe(ps.getMetaData()));
            for (int i = 0; i < DT.length; i++) {
                ps.setLong(1, i + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    assertEquals(direct(POINT + "1"), describe(rs.getMetaData()));
                    assertTrue(rs.next());
                    assertRow(rs, i);
                    assertFalse(rs.next());
                }
            }
        }
    }

    private static final String SCATTER_SORTED = "SELECT id, dt, tm, price, name FROM m ORDER BY name DESC LIMIT 4";
    private static final String SCATTER_BY_DT = "SELECT id, dt, tm, price, name FROM m ORDER BY dt LIMIT 3";

    @Test
    void scatterOrderByLimitKeepsTheDefinitions() throws Exception {
        try (Connection text = gate.connect(KS); Connection bin = prepared()) {
            for (Connection c : List.of(text, bin)) {
                try (PreparedStatement ps = c.prepareStatement(SCATTER_SORTED); ResultSet rs = ps.executeQuery()) {
                    assertEquals(direct(SCATTER_SORTED), describe(rs.getMetaData()));
                    assertPointColumns(rs.getMetaData());
                    for (int i : new int[]{5, 4, 3, 2}) {
                        assertTrue(rs.next());
                        assertRow(rs, i);
                    }
                    assertFalse(rs.next());
                }
                try (PreparedStatement ps = c.prepareStatement(SCATTER_BY_DT); ResultSet rs = ps.executeQuery()) {
                    assertEquals(direct(SCATTER_BY_DT), describe(rs.getMetaData()));
                    for (int i : new int[]{2, 1, 0}) {
                        assertTrue(rs.next());
                        assertRow(rs, i);
                    }
                    assertFalse(rs.next());
                }
            }
        }
    }

    private static final String AGGREGATES = "SELECT MIN(dt) AS lo, MAX(dt) AS hi, MAX(tm) AS t, MIN(price) AS p, "
            + "MAX(name) AS n, COUNT(*) AS c FROM m";

    @Test
    void minMaxKeepTheDefinitionAndCountIsBigint() throws Exception {
        try (Connection text = gate.connect(KS); Connection bin = prepared()) {
            for (Connection c : List.of(text, bin)) {
                try (PreparedStatement ps = c.prepareStatement(AGGREGATES); ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    assertEquals(direct(AGGREGATES), describe(md));
                    assertEquals("DATETIME", md.getColumnTypeName(1));
                    assertEquals(6, md.unwrap(com.mysql.cj.jdbc.result.ResultSetMetaData.class).getFields()[0].getDecimals());
                    assertEquals(3, md.getScale(4));
                    assertEquals(10, md.getPrecision(4));
                    assertEquals("BIGINT", md.getColumnTypeName(6));
                    assertEquals(Types.BIGINT, md.getColumnType(6));
                    assertTrue(rs.next());
                    assertEquals(LocalDateTime.parse(DT[2].replace(' ', 'T')), rs.getObject("lo", LocalDateTime.class));
                    assertEquals(DT[5], rs.getString("hi"));
                    assertEquals(LocalDateTime.parse(DT[5].replace(' ', 'T')), rs.getTimestamp("hi").toLocalDateTime());
                    assertEquals("23:59:59.999", rs.getString("t"));
                    assertEquals(new BigDecimal("-9999999.999"), rs.getBigDecimal("p"));
                    assertEquals("frank", rs.getString("n"));
                    assertEquals(6, rs.getLong("c"));
                    assertFalse(rs.next());
                }
            }
        }
    }

    @Test
    void sumKeepsTheScaleAndAvgAddsFourDigits() throws Exception {
        String sql = "SELECT SUM(price) AS s, AVG(price) AS a, SUM(id) AS si FROM m";
        try (Connection text = gate.connect(KS); Connection bin = prepared()) {
            for (Connection c : List.of(text, bin)) {
                try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    assertEquals("DECIMAL", md.getColumnTypeName(1));
                    assertEquals(3, md.getScale(1));
                    assertEquals("DECIMAL", md.getColumnTypeName(2));
                    assertEquals(7, md.getScale(2));
                    assertEquals("DECIMAL", md.getColumnTypeName(3));
                    assertEquals(0, md.getScale(3));
                    assertTrue(rs.next());
                    BigDecimal sum = BigDecimal.ZERO;
                    for (String p : PRICE) {
                        sum = sum.add(new BigDecimal(p));
                    }
                    assertEquals(sum, rs.getBigDecimal("s"));
                    assertEquals(sum.divide(BigDecimal.valueOf(PRICE.length), 7, java.math.RoundingMode.HALF_UP),
                            rs.getBigDecimal("a"));
                    assertEquals(new BigDecimal(21), rs.getBigDecimal("si"));
                }
            }
        }
    }
}
