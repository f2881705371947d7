package dev.mosaic.server.gate.server;

import static dev.mosaic.server.gate.server.GateTestCluster.KS;
import static dev.mosaic.server.gate.server.GateTestCluster.SHARDS;
import static dev.mosaic.server.gate.testing.QueryResults.column;
import static dev.mosaic.server.gate.testing.QueryResults.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.gate.server.GateTestCluster.Keyspace;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sequences, SHOW, information_schema and shard targeting through the gate, with
 * mysql-connector-j against real tablets: keyspace {@code customer} (shards {@code -80}, {@code 80-},
 * vindex {@code hash} on {@code id}, {@code corder.id} filled from {@code customer_seq}) and the
 * unsharded keyspace {@code commerce} (shard {@code 0}) holding the sequence table, each shard on
 * its own MariaDB.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GateMetadataIT {
    private static final String SEQ_KS = "commerce";
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
                new Keyspace(SEQ_KS, List.of("0"), SEQ_VSCHEMA, List.of(
                        "CREATE TABLE vt_commerce.customer_seq (id INT, next_id BIGINT, cache BIGINT, PRIMARY KEY (id))",
                        "INSERT INTO vt_commerce.customer_seq VALUES (0, 1, 10)"))),
                b -> b.txPoolSize(2).maxOpenTransactions(2));
    }

    @AfterAll
    static void stop() {
        if (gate != null) {
            gate.close();
        }
    }

    private static long lastInsertId(Statement st) throws SQLException {
        return Long.parseLong(column(st, "SELECT LAST_INSERT_ID()").get(0));
    }

    private static List<Long> idsOnShard(int i) {
        return gate.mysqld(i).fetch("SELECT id FROM vt_customer.corder ORDER BY id").stream()
                .map(r -> Long.parseLong(r.values().iterator().next())).toList();
    }

    @Test
    @Order(1)
    void insertsTakeIdsFromTheSequence() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            assertEquals(1, st.executeUpdate("INSERT INTO corder (name) VALUES ('a')", Statement.RETURN_GENERATED_KEYS));
            try (ResultSet keys = st.getGeneratedKeys()) {
                assertTrue(keys.next());
                assertEquals(1, keys.getLong(1), "the OK packet carries the generated id");
            }
            assertEquals(1, lastInsertId(st));

            assertEquals(8, st.executeUpdate("INSERT INTO corder (name) VALUES ('b'), ('c'), ('d'), ('e'), ('f'), ('g'),"
                    + " ('h'), ('i')"));
            assertEquals(2, lastInsertId(st), "LAST_INSERT_ID() is the first id the statement generated");

            assertEquals(2, st.executeUpdate("INSERT INTO corder (id, name) VALUES (1000, 'explicit'), (NULL, 'j')"));
            assertEquals(10, lastInsertId(st), "explicit ids are kept; the NULL row took the next id");
            assertEquals(1, st.executeUpdate("INSERT INTO corder (id, name) VALUES (2000, 'explicit2')"));
            assertEquals(10, lastInsertId(st), "a statement that generated nothing leaves LAST_INSERT_ID()");

            assertEquals(List.of(List.of("1", "a"), List.of("2", "b"), List.of("9", "i"), List.of("10", "j"),
                    List.of("1000", "explicit"), List.of("2000", "explicit2")),
                    rows(st, "SELECT id, name FROM corder WHERE id IN (1, 2, 9, 10, 1000, 2000) ORDER BY id"));
        }
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<Long> ids = idsOnShard(i);
            assertFalse(ids.isEmpty(), "shard " + SHARDS.get(i) + " got rows");
            for (long id : ids) {
                assertEquals(gate.shardOf("corder", id), SHARDS.get(i), "row " + id + " is on the shard the hash vindex names");
            }
            all.addAll(ids);
        }
        all.sort(null);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 1000L, 2000L), all);
    }

    @Test
    @Order(2)
    void selectNextValues() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            long first = Long.parseLong(column(st, "SELECT NEXT 5 VALUES FROM commerce.customer_seq").get(0));
            assertEquals(11, first, "ids 1..10 went to the inserts");
            try (Connection seq = gate.connect(SEQ_KS); Statement s2 = seq.createStatement();
                    ResultSet rs = s2.executeQuery("select next value from customer_seq")) {
                assertEquals("nextval", rs.getMetaData().getColumnLabel(1));
                assertTrue(rs.next());
                assertEquals(first + 5, rs.getLong(1));
            }
            assertEquals(1, st.executeUpdate("INSERT INTO corder (name) VALUES ('k')"));
            assertEquals(first + 6, lastInsertId(st), "inserts continue after the ids NEXT handed out");
            assertEquals(1, st.executeUpdate("INSERT INTO corder (id, name) VALUES (0, 'zero')"));
            assertEquals(first + 7, lastInsertId(st), "0 takes the next id, as in MySQL");
            assertEquals(List.of("zero"), column(st, "SELECT name FROM corder WHERE id = " + (first + 7)));
        }
        long reserved = Long.parseLong(gate.mysqld(2).fetchValue("SELECT next_id FROM vt_commerce.customer_seq WHERE id = 0")
                .orElseThrow());
        assertTrue(reserved > 18, "the table's next_id is past every id handed out: " + reserved);
    }

    @Test
    @Order(3)
    void showAnsweredByTheGate() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            assertEquals(List.of("commerce", "customer", "information_schema", "mysql", "sys", "performance_schema"),
                    column(st, "SHOW DATABASES"));
            assertEquals(List.of("commerce", "customer"), column(st, "SHOW VITESS_KEYSPACES"));
            assertEquals(List.of("commerce/0", "customer/-80", "customer/80-"), column(st, "SHOW VITESS_SHARDS"));
            assertEquals(List.of("customer/-80", "customer/80-"), column(st, "SHOW VITESS_SHARDS LIKE 'customer/%'"));
            try (ResultSet rs = st.executeQuery("SHOW VITESS_TABLETS")) {
                List<String> labels = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    labels.add(rs.getMetaData().getColumnLabel(i));
                }
                assertEquals(List.of("Cell", "Keyspace", "Shard", "TabletType", "State", "Alias", "Hostname",
                        "PrimaryTermStartTime"), labels);
                List<String> tablets = new ArrayList<>();
                while (rs.next()) {
                    tablets.add(String.join(" ", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                    String term = rs.getString(8);
                    assertTrue(term.isEmpty() || term.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"), term);
                }
                assertEquals(List.of("zone1 commerce 0 PRIMARY SERVING zone1-0000000102 localhost",
                        "zone1 customer -80 PRIMARY SERVING zone1-0000000100 localhost",
                        "zone1 customer 80- PRIMARY SERVING zone1-0000000101 localhost"), tablets);
            }
            try (ResultSet rs = st.executeQuery("SHOW WARNINGS")) {
                assertEquals("Level", rs.getMetaData().getColumnLabel(1));
                assertEquals("Code", rs.getMetaData().getColumnLabel(2));
                assertEquals("Message", rs.getMetaData().getColumnLabel(3));
                assertFalse(rs.next());
            }
        }
    }

    @Test
    @Order(4)
    void informationSchemaShowsKeyspaceNames() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            assertEquals(List.of(List.of("corder", "id", "bigint"), List.of("corder", "name", "varchar")),
                    rows(st, "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS"
                            + " WHERE TABLE_SCHEMA = 'customer' ORDER BY TABLE_NAME, ORDINAL_POSITION"));
            assertEquals(List.of(List.of("commerce", "customer_seq")),
                    rows(st, "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'commerce'"),
                    "the keyspace named in table_schema is asked, whatever the session's keyspace");
            try (ResultSet rs = st.executeQuery("SELECT * FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")) {
                assertTrue(rs.next());
                assertEquals("customer", rs.getString("TABLE_SCHEMA"));
                assertEquals("corder", rs.getString("TABLE_NAME"));
                assertFalse(rs.next());
            }
            List<String> schemas = column(st, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME");
            assertTrue(schemas.contains("customer") && !schemas.contains("vt_customer"), schemas.toString());
            assertEquals(List.of(), column(st, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'customer'"
                    + " AND TABLE_NAME = 'customer_seq'"));
        }
    }

    @Test
    @Order(5)
    void useKeyspaceSlashShardTargetsOneShard() throws Exception {
        List<String> onLow = idsOnShard(0).stream().map(String::valueOf).toList();
        List<String> onHigh = idsOnShard(1).stream().map(String::valueOf).toList();
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            st.execute("USE customer/-80");
            assertEquals(onLow, column(st, "SELECT id FROM corder ORDER BY id"));
            assertEquals(List.of(String.valueOf(onLow.size())), column(st, "SELECT COUNT(*) FROM corder"));
            st.execute("USE `customer/80-`");
            assertEquals(onHigh, column(st, "SELECT id FROM corder ORDER BY id"));
            assertEquals(1, st.executeUpdate("UPDATE corder SET name = 'high' WHERE id = " + onHigh.get(0)));
            SQLException unknown = assertThrows(SQLException.class, () -> st.execute("USE customer/-40"));
            assertEquals(1049, unknown.getErrorCode(), unknown.getMessage());
            st.execute("USE customer");
            assertEquals(onLow.size() + onHigh.size(), column(st, "SELECT id FROM corder").size());
            assertEquals(List.of("high"), column(st, "SELECT name FROM corder WHERE id = " + onHigh.get(0)));
        }
        try (Connection c = gate.connect("customer/-80"); Statement st = c.createStatement()) {
            assertEquals(onLow, column(st, "SELECT id FROM corder ORDER BY id"), "the connect-time database targets too");
        }
    }

    @Test
    @Order(6)
    void statementsOnATargetedShardRunInTheSessionsTransaction() throws Exception {
        String id = String.valueOf(idsOnShard(0).get(0));
        try (Connection c = gate.connect(KS); Statement st = c.createStatement();
                Connection other = gate.connect(KS); Statement o = other.createStatement()) {
            st.execute("USE customer/-80");
            st.execute("BEGIN");
            assertEquals(1, st.executeUpdate("UPDATE corder SET name = 'rolled back' WHERE id = " + id));
            assertEquals(List.of("rolled back"), column(st, "SELECT name FROM corder WHERE id = " + id),
                    "the transaction sees its own write");
            assertTrue(!column(o, "SELECT name FROM corder WHERE id = " + id).contains("rolled back"),
                    "another session does not see the uncommitted write");
            st.execute("ROLLBACK");
            assertTrue(!column(st, "SELECT name FROM corder WHERE id = " + id).contains("rolled back"),
                    "ROLLBACK undid the targeted UPDATE");

            c.setAutoCommit(false);
            assertEquals(1, st.executeUpdate("UPDATE corder SET name = 'committed' WHERE id = " + id));
            c.commit();
            c.setAutoCommit(true);
            assertEquals(List.of("committed"), column(o, "SELECT name FROM corder WHERE id = " + id));
        }
    }
}
