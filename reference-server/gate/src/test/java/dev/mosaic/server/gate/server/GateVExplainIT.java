package dev.mosaic.server.gate.server;

import static dev.mosaic.server.gate.server.GateTestCluster.KS;
import static dev.mosaic.server.gate.server.GateTestCluster.SHARDS;
import static dev.mosaic.server.gate.testing.QueryResults.column;
import static dev.mosaic.server.gate.testing.QueryResults.rows;
import static dev.mosaic.server.gate.testing.ShardedTestCluster.requireBinary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.server.gate.server.GateTestCluster.Keyspace;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code VEXPLAIN} through the gate on real MariaDB: keyspace {@code customer} sharded
 * {@code -80}/{@code 80-} (table {@code corder}, vindex {@code hash} on {@code id}, ids from the
 * sequence {@code commerce.customer_seq}) and the unsharded {@code commerce}. PLAN answers JSON
 * without touching a tablet; QUERIES runs the statement (writes too, in the session's transaction)
 * and lists each query sent to a shard, as Connector/J and the {@code mariadb} CLI show them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GateVExplainIT {
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"corder": {"column_vindexes": [{"column": "id", "name": "hash"}],
                                   "auto_increment": {"column": "id", "sequence": "commerce.customer_seq"}}}}
            """;
    private static final String SEQ_VSCHEMA = """
            {"tables": {"customer_seq": {"type": "sequence"}}}
            """;

    private static GateTestCluster gate;

    @BeforeAll
    static void start() throws Exception {
        gate = GateTestCluster.start(List.of(
                new Keyspace(KS, SHARDS, VSCHEMA,
                        List.of("CREATE TABLE vt_customer.corder (id BIGINT PRIMARY KEY, name VARCHAR(20))")),
                new Keyspace("commerce", List.of("0"), SEQ_VSCHEMA, List.of(
                        "CREATE TABLE vt_commerce.customer_seq (id INT, next_id BIGINT, cache BIGINT, PRIMARY KEY (id))",
                        "INSERT INTO vt_commerce.customer_seq VALUES (0, 1000, 10)"))),
                b -> b.txPoolSize(2).maxOpenTransactions(2));
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO corder (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e'), (6, 'f')");
        }
    }

    @AfterAll
    static void stop() {
        if (gate != null) {
            gate.close();
        }
    }

    /**
     * Runs a VEXPLAIN with {@code execute}: Connector/J's {@code executeQuery} only takes statements
     * it knows to return rows (SELECT, SHOW, EXPLAIN, ...) and refuses {@code VEXPLAIN} before
     * sending it, so clients use {@code execute} and {@code getResultSet}.
     */
    private static ResultSet vexplain(Statement st, String sql) throws SQLException {
        assertTrue(st.execute(sql), "a result set: " + sql);
        return st.getResultSet();
    }

    private static List<List<String>> vexplainRows(Statement st, String sql) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (ResultSet rs = vexplain(st, sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static List<String> labels(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            out.add(md.getColumnLabel(i));
        }
        return out;
    }

    private static long servedTotal() {
        long total = 0;
        for (long n : gate.served()) {
            total += n;
        }
        return total;
    }

    @Test
    @Order(1)
    void planIsJsonAndRunsNothing() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            long before = servedTotal();
            String json;
            try (ResultSet rs = vexplain(st, "VEXPLAIN PLAN SELECT id, name FROM corder WHERE id = 7")) {
                assertEquals(List.of("JSON"), labels(rs));
                assertTrue(rs.next());
                json = rs.getString(1);
                assertTrue(!rs.next());
            }
            assertEquals(before, servedTotal(), "no tablet was asked");
            JsonObject plan = (JsonObject) Json.parse(json);
            assertEquals(Json.parse("""
                    {"OperatorType": "Route", "Variant": "EqualUnique",
                     "Keyspace": {"Name": "customer", "Sharded": true},
                     "Vindex": "hash", "Values": [":vtg1"], "Table": "corder",
                     "Query": "SELECT id, name FROM corder WHERE id = :vtg1"}
                    """), plan);

            JsonObject scatter = (JsonObject) Json.parse(vexplainRows(st, "vexplain select count(*) from corder").get(0).get(0));
            assertEquals(Json.parse("\"Aggregate\""), scatter.get("OperatorType").orElseThrow());
        }
    }

    @Test
    @Order(2)
    void queriesOfAPointSelectTouchExactlyOneShard() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            long[] before = gate.served();
            try (ResultSet rs = vexplain(st, "VEXPLAIN QUERIES SELECT id, name FROM corder WHERE id = 3")) {
                assertEquals(List.of("#", "keyspace", "shard", "query"), labels(rs));
            }
            long[] after = gate.served();
            int owner = SHARDS.indexOf(gate.shardOf("corder", 3));
            assertEquals(1, after[owner] - before[owner], "the owning shard ran the query");
            assertEquals(0, after[1 - owner] - before[1 - owner], "the other shard was not asked");
            assertEquals(List.of(List.of("0", KS, SHARDS.get(owner), "SELECT id, name FROM corder WHERE id = 3")),
                    vexplainRows(st, "VEXPLAIN QUERIES SELECT id, name FROM corder WHERE id = 3"));
        }
    }

    @Test
    @Order(3)
    void queriesOfAScatterTouchBothShardsInOneCall() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            long[] before = gate.served();
            List<List<String>> got = vexplainRows(st, "vexplain queries select name from corder where name > 'b' order by name limit 2");
            long[] after = gate.served();
            assertEquals(1, after[0] - before[0]);
            assertEquals(1, after[1] - before[1]);
            String q = "SELECT name, weight_string(name) FROM corder WHERE name > 'b' ORDER BY name LIMIT 2";
            assertEquals(List.of(List.of("0", KS, "-80", q), List.of("0", KS, "80-", q)), got);
            // The older spelling answers the same.
            assertEquals(got, vexplainRows(st, "EXPLAIN FORMAT=VTEXPLAIN select name from corder where name > 'b' order by name limit 2"));
        }
    }

    @Test
    @Order(4)
    void queriesOfAnInsertRunItWithTheSequenceQueryFirst() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            List<List<String>> got = vexplainRows(st, "VEXPLAIN QUERIES INSERT INTO corder (name) VALUES ('x'), ('y')");
            assertEquals(List.of("0", "commerce", "0", "select next 2 values from `customer_seq`"), got.get(0));
            assertTrue(got.size() >= 2 && got.size() <= 3, got.toString());
            for (List<String> row : got.subList(1, got.size())) {
                assertEquals("1", row.get(0), "the per-shard inserts go out in one call: " + got);
                assertEquals(KS, row.get(1));
                assertTrue(row.get(3).startsWith("INSERT INTO corder (name, id) VALUES ("), row.get(3));
            }
            // VEXPLAIN QUERIES really ran the insert, with the sequence's ids.
            assertEquals(List.of("1000", "1001"), column(st, "SELECT id FROM corder WHERE name IN ('x', 'y') ORDER BY id"));
            for (List<String> row : got.subList(1, got.size())) {
                long id = row.get(3).contains("1000") ? 1000 : 1001;
                assertEquals(gate.shardOf("corder", id), row.get(2), row.toString());
            }
        }
    }

    @Test
    @Order(5)
    void aWriteFollowsTheSessionsTransaction() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            st.execute("BEGIN");
            String shard = gate.shardOf("corder", 5);
            assertEquals(List.of(List.of("0", KS, shard, "DELETE FROM corder WHERE id = 5")),
                    vexplainRows(st, "VEXPLAIN QUERIES DELETE FROM corder WHERE id = 5"));
            assertEquals(List.of(), column(st, "SELECT name FROM corder WHERE id = 5"), "deleted in the transaction");
            st.execute("ROLLBACK");
            assertEquals(List.of("e"), column(st, "SELECT name FROM corder WHERE id = 5"), "rolled back with it");
        }
    }

    @Test
    @Order(6)
    void errorsAreThePlannersAndTheConnectionGoesOn() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> st.execute("VEXPLAIN PLAN SELECT id FROM corder INTERSECT SELECT id FROM corder"));
            assertEquals(1235, e.getErrorCode(), e.getMessage());
            assertTrue(e.getMessage().contains("VT12001"), e.getMessage());
            SQLException unknown = assertThrows(SQLException.class, () -> st.execute("VEXPLAIN QUERIES SELECT * FROM nosuch"));
            assertTrue(unknown.getMessage().contains("nosuch"), unknown.getMessage());
            assertEquals(List.of("a"), column(st, "SELECT name FROM corder WHERE id = 1"));
        }
    }

    @Test
    @Order(7)
    void mariadbCliShowsTheQueries() throws Exception {
        String cli = requireBinary("mariadb");
        String point = run(cli, "VEXPLAIN QUERIES SELECT name FROM corder WHERE id = 1");
        assertEquals("#\tkeyspace\tshard\tquery\n0\tcustomer\t" + gate.shardOf("corder", 1)
                + "\tSELECT name FROM corder WHERE id = 1\n", point);
        String scatter = run(cli, "VEXPLAIN QUERIES SELECT count(*) FROM corder");
        assertEquals("#\tkeyspace\tshard\tquery\n0\tcustomer\t-80\tSELECT count(*) FROM corder\n"
                + "0\tcustomer\t80-\tSELECT count(*) FROM corder\n", scatter);
        String plan = run(cli, "VEXPLAIN PLAN SELECT name FROM corder WHERE id = 1");
        assertTrue(plan.startsWith("JSON\n{"), plan);
        assertTrue(plan.contains("EqualUnique"), plan);
    }

    @Test
    @Order(8)
    void allGivesQueriesAndPlanInOneDocument() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            String json;
            try (ResultSet rs = vexplain(st, "VEXPLAIN ALL SELECT name FROM corder WHERE id = 2")) {
                assertEquals(List.of("VExplain"), labels(rs));
                assertTrue(rs.next());
                json = rs.getString(1);
            }
            JsonObject all = (JsonObject) Json.parse(json);
            assertEquals(Json.parse("[{\"#\": 0, \"Keyspace\": \"customer\", \"Shard\": \"" + gate.shardOf("corder", 2)
                    + "\", \"Query\": \"SELECT name FROM corder WHERE id = 2\"}]"), all.get("Queries").orElseThrow());
            assertEquals(Json.parse("\"EqualUnique\""), ((JsonObject) all.get("Plan").orElseThrow()).get("Variant").orElseThrow());
        }
    }

    private static String run(String cli, String sql) throws Exception {
        Process p = new ProcessBuilder(cli, "--batch", "--raw", "--skip-ssl", "-h", "127.0.0.1", "-P", String.valueOf(gate.port()),
                "-u", "app", KS, "-e", sql).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "mariadb finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
