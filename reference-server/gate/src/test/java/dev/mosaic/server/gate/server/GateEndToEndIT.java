package dev.mosaic.server.gate.server;

import static dev.mosaic.server.gate.server.GateTestCluster.DB;
import static dev.mosaic.server.gate.server.GateTestCluster.KS;
import static dev.mosaic.server.gate.server.GateTestCluster.SHARDS;
import static dev.mosaic.server.gate.server.GateTestCluster.VERSION;
import static dev.mosaic.server.gate.testing.QueryResults.column;
import static dev.mosaic.server.gate.testing.ShardedTestCluster.requireBinary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.sql.exec.ShardTarget;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The first end-to-end path: mysql-connector-j talks to the gate's MySQL server; the gate plans
 * with the SQL layer and executes on two real tablets, PRIMARY of shards {@code -80} and {@code 80-}
 * of keyspace {@code customer} (vindex {@code hash} on {@code id}), each on its own MariaDB
 * ({@link GateTestCluster}'s default layout).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GateEndToEndIT {
    private static GateTestCluster gate;

    @BeforeAll
    static void start() throws Exception {
        gate = GateTestCluster.start(b -> b.txPoolSize(2).maxOpenTransactions(2));
        assertEquals(SHARDS, gate.shardMap().shards(KS).stream().map(ShardTarget::name).toList());
    }

    @AfterAll
    static void stop() {
        if (gate != null) {
            gate.close();
        }
    }

    @Test
    @Order(1)
    void ddlAndInsertsLandOnTheShardsTheVindexNames() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(20), n INT)");
            StringBuilder values = new StringBuilder();
            for (int id = 1; id <= 20; id++) {
                values.append(id == 1 ? "" : ", ").append("(").append(id).append(", 'name").append(id).append("', ")
                        .append(id * 10).append(")");
            }
            assertEquals(20, st.executeUpdate("INSERT INTO t (id, name, n) VALUES " + values));
        }
        int total = 0;
        for (int i = 0; i < 2; i++) {
            String shard = SHARDS.get(i);
            List<Map<String, String>> rows = gate.mysqld(i).fetch("SELECT id FROM " + DB + ".t ORDER BY id");
            assertTrue(!rows.isEmpty(), "shard " + shard + " got rows");
            for (Map<String, String> r : rows) {
                long id = Long.parseLong(r.values().iterator().next());
                assertEquals(gate.shardOf(id), shard, "row " + id + " is on the shard the hash vindex names");
            }
            total += rows.size();
        }
        assertEquals(20, total);
    }

    @Test
    @Order(2)
    void pointSelectGoesToOneShard() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            long[] before = gate.served();
            try (ResultSet rs = st.executeQuery("SELECT id, name, n FROM t WHERE id = 7")) {
                assertTrue(rs.next());
                assertEquals(7, rs.getLong(1));
                assertEquals("name7", rs.getString(2));
                assertEquals(70, rs.getInt(3));
                assertTrue(!rs.next());
            }
            long[] after = gate.served();
            int owner = SHARDS.indexOf(gate.shardOf(7));
            assertEquals(1, after[owner] - before[owner], "the owning shard ran the query");
            assertEquals(0, after[1 - owner] - before[1 - owner], "the other shard was not asked");
            assertEquals(List.of(), column(st, "SELECT name FROM t WHERE id = 12345"));
        }
    }

    @Test
    @Order(3)
    void scatterOrderByLimitAndCountMergeAcrossShards() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            assertEquals(List.of("1", "2", "3", "4", "5"), column(st, "SELECT id FROM t ORDER BY id LIMIT 5"));
            assertEquals(List.of("20", "19", "18"), column(st, "SELECT id FROM t ORDER BY id DESC LIMIT 3"));
            assertEquals(List.of("20"), column(st, "SELECT COUNT(*) FROM t"));
            assertEquals(List.of("2100"), column(st, "SELECT SUM(n) FROM t"));
            assertEquals(List.of("3", "4"), column(st, "SELECT id FROM t WHERE id IN (3, 4, 99) ORDER BY id"));
            // Text order through the hidden weight_string column, dropped before the client sees it.
            assertEquals(List.of("name1", "name10", "name11"), column(st, "SELECT name FROM t ORDER BY name LIMIT 3"));
            try (ResultSet rs = st.executeQuery("SELECT name FROM t ORDER BY name LIMIT 1")) {
                assertEquals(1, rs.getMetaData().getColumnCount());
            }
            assertEquals(List.of("10"), column(st, "SELECT COUNT(*) FROM t WHERE n > 100"));
        }
    }

    @Test
    @Order(4)
    void gateAnswersVersionDatabaseAndUse() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            assertEquals(List.of(KS), column(st, "SELECT DATABASE()"));
            assertEquals(List.of(VERSION), column(st, "SELECT @@version"));
            st.execute("USE " + KS);
            assertEquals(List.of("20"), column(st, "SELECT COUNT(*) FROM t"));
        }
    }

    @Test
    @Order(5)
    void unsupportedStatementFailsWithMysqlErrorAndTheConnectionKeepsWorking() throws Exception {
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> st.executeQuery("SELECT id FROM t INTERSECT SELECT id FROM t"));
            assertEquals(1235, e.getErrorCode(), e.getMessage());
            assertEquals("42000", e.getSQLState());
            assertTrue(e.getMessage().contains("VT12001"), e.getMessage());

            SQLException shardError = assertThrows(SQLException.class,
                    () -> st.executeQuery("SELECT nosuch FROM t WHERE id = 1"));
            assertEquals(1054, shardError.getErrorCode(), shardError.getMessage());
            assertEquals("42S22", shardError.getSQLState(), shardError.getMessage());

            SQLException unknown = assertThrows(SQLException.class, () -> st.execute("USE nosuch"));
            assertEquals(1049, unknown.getErrorCode(), unknown.getMessage());

            assertEquals(List.of("name3"), column(st, "SELECT name FROM t WHERE id = 3"));
        }
    }

    @Test
    @Order(6)
    void mariadbCliInBatchMode() throws Exception {
        String cli = requireBinary("mariadb");
        Process p = new ProcessBuilder(cli, "--batch", "--skip-ssl", "-h", "127.0.0.1", "-P", String.valueOf(gate.port()),
                "-u", "app", KS, "-e", "SELECT id, name FROM t ORDER BY id LIMIT 2")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "mariadb finished");
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertEquals("id\tname\n1\tname1\n2\tname2\n", out);
    }

    @Test
    @Order(7)
    void multiStatementQueriesGiveOneResultPerStatementOnlyWhenTheClientAsks() throws Exception {
        try (Connection c = gate.connect(KS, "allowMultiQueries=true"); Statement st = c.createStatement()) {
            assertTrue(st.execute("SELECT name FROM t WHERE id = 1; UPDATE t SET name = 'renamed' WHERE id = 2;"
                    + " SELECT name FROM t WHERE id IN (2, 3) ORDER BY id; SELECT ';' AS semicolon"));
            List<List<String>> results = new ArrayList<>();
            List<Integer> updates = new ArrayList<>();
            do {
                try (ResultSet rs = st.getResultSet()) {
                    if (rs == null) {
                        updates.add(st.getUpdateCount());
                        continue;
                    }
                    List<String> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                    results.add(rows);
                }
            } while (st.getMoreResults() || st.getUpdateCount() != -1);
            assertEquals(List.of(List.of("name1"), List.of("renamed", "name3"), List.of(";")), results);
            assertEquals(List.of(1), updates);
            st.execute("UPDATE t SET name = 'name2' WHERE id = 2");

            // A failing statement ends the query: what came before it ran, what comes after does not.
            SQLException e = assertThrows(SQLException.class,
                    () -> st.execute("UPDATE t SET name = 'first' WHERE id = 4; SELECT nosuch FROM t; UPDATE t SET name = 'never' WHERE id = 5"));
            assertEquals(1054, e.getErrorCode(), e.getMessage());
            assertEquals(List.of("first", "name5"), column(st, "SELECT name FROM t WHERE id IN (4, 5) ORDER BY id"));
            st.execute("UPDATE t SET name = 'name4' WHERE id = 4");
        }
        try (Connection c = gate.connect(KS); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute("SELECT 1; SELECT 2"));
            assertEquals(1064, e.getErrorCode(), "without CLIENT_MULTI_STATEMENTS: " + e.getMessage());
            assertEquals(List.of("name1"), column(st, "SELECT name FROM t WHERE id = 1"));
        }
    }
}
