package dev.mosaic.server.gate.differential;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.gate.testing.ShardedTestCluster;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The differential test: the same SELECTs through the gate (sharded keyspace {@code customer} on
 * PRIMARY and on REPLICA tablets, unsharded {@code commerce}) and on one unsharded MariaDB holding
 * the same rows must give the same answers; what the planner cannot answer must be rejected with
 * VT12001, never answered wrongly. Then real clients (the {@code mariadb} CLI in batch and
 * interactive mode, Connector/J) against the primary+replica fixture.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardedDifferentialIT {
    private static final String VSCHEMA_CUSTOMER = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}, "md5": {"type": "unicode_loose_md5"}},
             "tables": {
               "customer": {"column_vindexes": [{"column": "customer_id", "name": "hash"}]},
               "corder": {"column_vindexes": [{"column": "customer_id", "name": "hash"}]},
               "tag": {"column_vindexes": [{"column": "label", "name": "md5"}]},
               "region_ref": {"type": "reference"}}}
            """;
    private static final String VSCHEMA_COMMERCE = """
            {"tables": {"product": {}, "region_ref": {"type": "reference"}}}
            """;
    /** Generated statements on top of the hand-written ones. */
    private static final int GENERATED = 80;

    private static ShardedTestCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ShardedTestCluster.start(Map.of(ShardedTestCluster.SHARDED, VSCHEMA_CUSTOMER,
                ShardedTestCluster.UNSHARDED, VSCHEMA_COMMERCE));
        try (Connection gate = cluster.connectGate(ShardedTestCluster.SHARDED); Statement g = gate.createStatement();
                Connection oracle = cluster.connectOracle(); Statement o = oracle.createStatement()) {
            for (String ddl : DifferentialData.SHARDED_DDL) {
                g.execute(ddl);
                o.execute(ddl);
            }
            // Inserts into a sharded keyspace's reference table are rejected by the gate: each
            // shard's primary gets the rows directly (and replicates them).
            for (ShardedTestCluster.Tablet t : cluster.tablets(ShardedTestCluster.SHARDED, TabletType.PRIMARY)) {
                t.mysqld().executeAll(List.of("USE " + ShardedTestCluster.dbName(ShardedTestCluster.SHARDED),
                        DifferentialData.REGION_REF_ROWS));
            }
            o.execute(DifferentialData.REGION_REF_ROWS);
            for (String insert : DifferentialData.shardedInserts()) {
                int n = g.executeUpdate(insert);
                assertEquals(n, o.executeUpdate(insert), insert);
            }
            g.execute("USE " + ShardedTestCluster.UNSHARDED);
            for (String ddl : DifferentialData.UNSHARDED_DDL) {
                if (!ddl.contains("region_ref")) {
                    o.execute(ddl);
                }
                g.execute(ddl);
            }
            for (String insert : DifferentialData.unshardedInserts()) {
                int n = g.executeUpdate(insert);
                if (!insert.contains("region_ref")) {
                    assertEquals(n, o.executeUpdate(insert), insert);
                }
            }
        }
        try (Connection oracle = cluster.connectOracle(); Statement o = oracle.createStatement()) {
            // Cross-keyspace joins name the other keyspace (customer.corder from commerce): the
            // oracle's one database answers them through views named like the keyspaces.
            o.execute("CREATE DATABASE IF NOT EXISTS " + ShardedTestCluster.SHARDED);
            for (String table : List.of("customer", "corder", "tag")) {
                o.execute("CREATE OR REPLACE VIEW " + ShardedTestCluster.SHARDED + "." + table + " AS SELECT * FROM "
                        + ShardedTestCluster.ORACLE_DB + "." + table);
            }
        }
        cluster.awaitReplicasCaughtUp();
        // Every row is on the shard its table's vindex names, and each replica holds what its primary does.
        String db = ShardedTestCluster.dbName(ShardedTestCluster.SHARDED);
        Map<String, Integer> total = new java.util.HashMap<>();
        for (ShardedTestCluster.Tablet t : cluster.tablets()) {
            if (!t.keyspace().equals(ShardedTestCluster.SHARDED)) {
                continue;
            }
            for (String[] tv : new String[][] {{"customer", "customer_id"}, {"corder", "customer_id"}, {"tag", "label"}}) {
                List<Map<String, String>> rows = t.mysqld().fetch("SELECT " + tv[1] + " AS v FROM " + db + "." + tv[0]);
                assertTrue(!rows.isEmpty(), t.shard() + " " + t.type() + " has rows of " + tv[0]);
                for (Map<String, String> row : rows) {
                    String v = row.get("v");
                    Value value = tv[1].equals("label") ? Value.of(v) : Value.of(Long.parseLong(v));
                    assertEquals(t.shard(), shardOf(tv[0], value), tv[0] + " row " + v + " on " + t.shard() + " " + t.type());
                }
                total.merge(tv[0] + " " + t.type(), rows.size(), Integer::sum);
            }
        }
        try (Connection oracle = cluster.connectOracle(); Statement o = oracle.createStatement()) {
            for (String table : List.of("customer", "corder", "tag")) {
                int n = Integer.parseInt(rows(o, "SELECT COUNT(*) FROM " + table).get(0));
                assertEquals(n, total.get(table + " PRIMARY"), table + " on the primaries");
                assertEquals(n, total.get(table + " REPLICA"), table + " on the replicas");
            }
        }
    }

    /** The shard of {@code customer}'s keyspace that the vindex of {@code table} names for {@code value}. */
    private static String shardOf(String table, Value value) {
        SingleColumnVindex vindex = (SingleColumnVindex) cluster.vschema().keyspace(ShardedTestCluster.SHARDED)
                .orElseThrow().tables().get(table).primaryVindex().orElseThrow().vindex();
        Destination d = vindex.map(VindexCursor.NONE, List.of(value)).get(0);
        return (((Destination.One) d).id().byteAt(0) & 0xff) < 0x80 ? "-80" : "80-";
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One statement of the query set. */
    record Query(String keyspace, String sql, boolean caseInsensitive, String origin) {
    }

    static List<Query> hand(String resource) throws IOException {
        List<Query> out = new ArrayList<>();
        String keyspace = ShardedTestCluster.SHARDED;
        boolean ci = false;
        int line = 0;
        try (InputStream in = ShardedDifferentialIT.class.getResourceAsStream("/differential/" + resource);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String s = r.readLine(); s != null; s = r.readLine()) {
                line++;
                s = s.strip();
                if (s.startsWith("-- @keyspace ")) {
                    keyspace = s.substring("-- @keyspace ".length()).strip();
                } else if (s.equals("-- @ci")) {
                    ci = true;
                } else if (!s.isEmpty() && !s.startsWith("--")) {
                    out.add(new Query(keyspace, s, ci, resource + ":" + line));
                    ci = false;
                }
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void gateAnswersEqualTheOracle() throws Exception {
        List<Query> queries = new ArrayList<>(hand("queries.sql"));
        int i = 0;
        for (String sql : new QueryGenerator(DifferentialData.SEED).generate(GENERATED)) {
            queries.add(new Query(ShardedTestCluster.SHARDED, sql, false, "generated #" + (++i)));
        }
        List<String> failures = new ArrayList<>();
        int compared = 0;
        int comparisons = 0;
        long rowsCompared = 0;
        try (Connection oracle = cluster.connectOracle(); Statement o = oracle.createStatement();
                Connection primary = cluster.connectGate(ShardedTestCluster.SHARDED); Statement p = primary.createStatement();
                Connection replica = cluster.connectGate(ShardedTestCluster.SHARDED); Statement r = replica.createStatement()) {
            r.execute("USE " + ShardedTestCluster.SHARDED + "@replica");
            for (Query q : queries) {
                Result expected = run(o, q.sql());
                if (expected.error() != null) {
                    fail(q.origin() + ": the oracle rejects it (a broken test statement): " + q.sql() + ": " + expected.error());
                }
                List<Statement> targets = new ArrayList<>();
                p.execute("USE " + q.keyspace());
                targets.add(p);
                if (q.keyspace().equals(ShardedTestCluster.SHARDED)) {
                    targets.add(r);
                }
                for (Statement target : targets) {
                    String where = target == p ? q.keyspace() : q.keyspace() + "@replica";
                    Result actual = run(target, q.sql());
                    rowsCompared += expected.rows().size();
                    String diff = expected.diff(actual, ordered(q.sql()), q.caseInsensitive());
                    comparisons++;
                    if (diff != null) {
                        failures.add(q.origin() + " [" + where + "] " + q.sql() + "\n    " + diff);
                    }
                }
                compared++;
            }
        }
        System.out.printf("differential: %d SELECTs compared with the oracle (%d hand-written, %d generated),"
                + " %d gate executions, %d rows compared, %d differences%n", compared, compared - GENERATED, GENERATED,
                comparisons, rowsCompared, failures.size());
        assertTrue(compared >= 100, "at least 100 SELECTs: " + compared);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + comparisons + " answers differ from the oracle:\n" + String.join("\n", failures));
        }
    }

    @Test
    @Order(2)
    void unsupportedShapesAreRejectedNotAnsweredWrongly() throws Exception {
        List<Query> rejected = hand("rejected.sql");
        List<String> failures = new ArrayList<>();
        try (Connection primary = cluster.connectGate(ShardedTestCluster.SHARDED); Statement p = primary.createStatement();
                Connection replica = cluster.connectGate(ShardedTestCluster.SHARDED); Statement r = replica.createStatement()) {
            r.execute("USE " + ShardedTestCluster.SHARDED + "@replica");
            for (Query q : rejected) {
                for (Statement target : List.of(p, r)) {
                    try (ResultSet rs = target.executeQuery(q.sql())) {
                        failures.add(q.origin() + ": answered instead of rejected: " + q.sql());
                    } catch (SQLException e) {
                        if (e.getErrorCode() != 1235 || !"42000".equals(e.getSQLState())
                                || !e.getMessage().startsWith("VT12001: unsupported: ")) {
                            failures.add(q.origin() + ": not a VT12001 rejection: " + q.sql() + " -> " + e.getErrorCode()
                                    + " " + e.getSQLState() + " " + e.getMessage());
                        }
                    }
                }
            }
        }
        System.out.printf("differential: %d SELECTs rejected with VT12001 as expected%n", rejected.size() - failures.size());
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    // ---- real clients against the primary+replica fixture ----------------------------------------

    private static long[] servedEach(String keyspace, TabletType type) {
        return cluster.tablets(keyspace, type).stream().mapToLong(ShardedTestCluster.Tablet::served).toArray();
    }

    private static long served(String keyspace, TabletType type) {
        return cluster.tablets(keyspace, type).stream().mapToLong(ShardedTestCluster.Tablet::served).sum();
    }

    @Test
    @Order(3)
    void replicaSessionReadsFromReplicaTabletsOnly() throws Exception {
        List<String> viaReplica;
        try (Connection c = cluster.connectGate(ShardedTestCluster.SHARDED + "@replica"); Statement st = c.createStatement()) {
            // Counted after connecting: Connector/J's connect-time variables query also goes to a tablet.
            long[] primaries = servedEach(ShardedTestCluster.SHARDED, TabletType.PRIMARY);
            long[] replicas = servedEach(ShardedTestCluster.SHARDED, TabletType.REPLICA);
            viaReplica = rows(st, "SELECT customer_id, name FROM customer ORDER BY customer_id LIMIT 10");
            assertArrayEquals(primaries, servedEach(ShardedTestCluster.SHARDED, TabletType.PRIMARY), "no primary was asked");
            long[] after = servedEach(ShardedTestCluster.SHARDED, TabletType.REPLICA);
            for (int i = 0; i < after.length; i++) {
                assertEquals(replicas[i] + 1, after[i], "replica of shard " + ShardedTestCluster.SHARDS.get(i) + " ran the scatter once");
            }
            // A point query reaches the one replica that owns the row.
            long[] before = after;
            assertEquals(1, rows(st, "SELECT name FROM customer WHERE customer_id = 7").size());
            after = servedEach(ShardedTestCluster.SHARDED, TabletType.REPLICA);
            assertEquals(1, (after[0] - before[0]) + (after[1] - before[1]), "one replica ran the point query");
            assertArrayEquals(primaries, servedEach(ShardedTestCluster.SHARDED, TabletType.PRIMARY), "no primary was asked");
        }
        try (Connection c = cluster.connectOracle(); Statement st = c.createStatement()) {
            assertEquals(rows(st, "SELECT customer_id, name FROM customer ORDER BY customer_id LIMIT 10"), viaReplica);
        }
    }

    @Test
    @Order(4)
    void mariadbCliBatchModeWithDashEAndWithAScriptOnStdin() throws Exception {
        String cli = ShardedTestCluster.requireBinary("mariadb");
        long replicas = served(ShardedTestCluster.SHARDED, TabletType.REPLICA);
        long primaries = served(ShardedTestCluster.SHARDED, TabletType.PRIMARY);
        String sql = "SELECT customer_id, name, balance FROM customer WHERE customer_id IN (1, 2, 3) ORDER BY customer_id";
        Cli out = runCli(List.of(cli, "--batch", "--skip-ssl", "-h", "127.0.0.1", "-P", String.valueOf(cluster.port()),
                "-u", "app", ShardedTestCluster.SHARDED + "@replica", "-e", sql), null);
        assertEquals(0, out.exit(), out.text());
        assertEquals(tsv(List.of("customer_id\tname\tbalance"), oracleRows(sql)), out.text());
        assertTrue(served(ShardedTestCluster.SHARDED, TabletType.REPLICA) > replicas, "the replicas answered");
        assertEquals(primaries, served(ShardedTestCluster.SHARDED, TabletType.PRIMARY), "no primary was asked");

        String script = """
                USE customer@replica;
                SELECT COUNT(*) AS n FROM customer;
                SELECT region, COUNT(*) AS n FROM customer GROUP BY region ORDER BY region;
                USE commerce;
                SELECT sku, price FROM product WHERE sku <= 'SKU-02' ORDER BY sku;
                """;
        Cli batch = runCli(List.of(cli, "--batch", "--skip-ssl", "-h", "127.0.0.1", "-P", String.valueOf(cluster.port()),
                "-u", "app"), script);
        assertEquals(0, batch.exit(), batch.text());
        String expected = tsv(List.of("n"), oracleRows("SELECT COUNT(*) AS n FROM customer"))
                + tsv(List.of("region\tn"), oracleRows("SELECT region, COUNT(*) AS n FROM customer GROUP BY region ORDER BY region"))
                + tsv(List.of("sku\tprice"), oracleRows("SELECT sku, price FROM product WHERE sku <= 'SKU-02' ORDER BY sku"));
        assertEquals(expected, batch.text());
    }

    @Test
    @Order(5)
    void mariadbCliInteractiveUnderAPseudoTerminal() throws Exception {
        String cli = ShardedTestCluster.requireBinary("mariadb");
        String script = ShardedTestCluster.requireBinary("script");
        long replicas = served(ShardedTestCluster.SHARDED, TabletType.REPLICA);
        String command = cli + " --skip-ssl -h 127.0.0.1 -P " + cluster.port() + " -u app customer@replica";
        Cli out = runCli(List.of(script, "-qec", command, "/dev/null"),
                "SELECT customer_id, name FROM customer WHERE customer_id = 7;\nSELECT @@version_comment;\nquit\n");
        assertEquals(0, out.exit(), out.text());
        // A terminal session: drop carriage returns and the terminal's control sequences (CSI, charset
        // selection), keep the text.
        String text = out.text().replace("\r", "").replaceAll("\u001B(\\[[0-9;?]*[A-Za-z]|[()][A-Za-z0-9])", "")
                .replaceAll("[\\x00-\\x09\\x0B-\\x1F\\x7F]", "");
        // The start-up banner needs the gate's answers to the CLI's own queries (@@version_comment).
        // The CLI prints the version without MariaDB's "5.5.5-" replication-compatibility prefix.
        assertTrue(text.contains("Server version: " + ShardedTestCluster.VERSION.substring("5.5.5-".length())), text);
        assertTrue(text.contains("MariaDB [customer@replica]>"), "the prompt names the target: " + text);
        assertTrue(text.contains(table(List.of("@@version_comment"), List.of(List.of("Mosaic")), Set.of())
                + "1 row in set"), text);
        String[] cells = oracleRows("SELECT customer_id, name FROM customer WHERE customer_id = 7").get(0).split("\t");
        assertTrue(text.contains(table(List.of("customer_id", "name"), List.of(List.of(cells)), Set.of(0))
                + "1 row in set"), text);
        assertTrue(served(ShardedTestCluster.SHARDED, TabletType.REPLICA) > replicas, "the replicas answered");
    }

    @Test
    @Order(6)
    void connectorJTextProtocolOnPrimaryAndReplica() throws Exception {
        String sql = "SELECT customer_id, name, email, balance, created, score FROM customer"
                + " WHERE balance IS NOT NULL ORDER BY balance DESC, customer_id LIMIT 8";
        List<String> expected = oracleRows(sql);
        for (String db : List.of("customer", "customer@replica")) {
            try (Connection c = cluster.connectGate(db); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                assertEquals(6, md.getColumnCount());
                assertEquals("balance", md.getColumnLabel(4));
                List<String> got = new ArrayList<>();
                while (rs.next()) {
                    got.add(rs.getLong(1) + "\t" + rs.getString(2) + "\t" + orNull(rs.getString(3)) + "\t"
                            + rs.getBigDecimal(4).toPlainString() + "\t" + orNull(rs.getString(5)) + "\t"
                            + orNull(rs.getString(6)));
                }
                assertEquals(expected, got, db);
            }
        }
    }

    /**
     * The whole query set again as server-side prepared statements (COM_STMT_PREPARE / EXECUTE,
     * binary result rows), on {@code customer@replica} for the sharded keyspace, against the oracle
     * answering the same statements prepared on its own server, so both sides use the binary protocol.
     */
    @Test
    @Order(7)
    void preparedStatementsOnTheReplicasAnswerAsTheOracle() throws Exception {
        List<Query> queries = new ArrayList<>(hand("queries.sql"));
        for (String sql : new QueryGenerator(DifferentialData.SEED).generate(GENERATED)) {
            queries.add(new Query(ShardedTestCluster.SHARDED, sql, false, "generated"));
        }
        List<String> failures = new ArrayList<>();
        try (Connection oracle = cluster.connectOraclePrepared();
                Connection replica = cluster.connectGatePrepared(ShardedTestCluster.SHARDED + "@replica");
                Connection commerce = cluster.connectGatePrepared(ShardedTestCluster.UNSHARDED)) {
            for (Query q : queries) {
                Result expected = runPrepared(oracle, q.sql());
                Connection gate = q.keyspace().equals(ShardedTestCluster.SHARDED) ? replica : commerce;
                String diff = expected.diff(runPrepared(gate, q.sql()), ordered(q.sql()), q.caseInsensitive());
                if (diff != null) {
                    failures.add(q.origin() + " [prepared] " + q.sql() + "\n    " + diff);
                }
            }
        }
        System.out.printf("differential (server-side prepared): %d SELECTs, %d differences%n", queries.size(),
                failures.size());
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + queries.size() + " prepared answers differ from the oracle:\n"
                    + String.join("\n", failures));
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A result as text (from getString; null as the word NULL) or the error it failed with. */
    record Result(List<String> labels, List<List<String>> rows, String error) {
        String diff(Result actual, boolean ordered, boolean caseInsensitive) {
            if (actual.error() != null) {
                return "gate error: " + actual.error();
            }
            if (labels.size() != actual.labels().size()) {
                return "columns: oracle " + labels + ", gate " + actual.labels();
            }
            List<String> want = lines(rows, caseInsensitive);
            List<String> got = lines(actual.rows(), caseInsensitive);
            if (!ordered) {
                want.sort(null);
                got.sort(null);
            }
            if (want.equals(got)) {
                return null;
            }
            int first = 0;
            while (first < Math.min(want.size(), got.size()) && want.get(first).equals(got.get(first))) {
                first++;
            }
            return (ordered ? "ordered" : "as multisets") + ": oracle " + want.size() + " rows, gate " + got.size()
                    + "; first difference at row " + first + ": oracle "
                    + (first < want.size() ? want.get(first) : "(none)") + ", gate "
                    + (first < got.size() ? got.get(first) : "(none)");
        }

        private static List<String> lines(List<List<String>> rows, boolean caseInsensitive) {
            List<String> out = new ArrayList<>();
            for (List<String> row : rows) {
                String line = String.join(" | ", row);
                // utf8mb4_general_ci equality: case and accents do not count.
                out.add(caseInsensitive ? java.text.Normalizer.normalize(line, java.text.Normalizer.Form.NFD)
                        .replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT) : line);
            }
            return out;
        }
    }

    static Result run(Statement st, String sql) {
        try (ResultSet rs = st instanceof java.sql.PreparedStatement ps ? ps.executeQuery() : st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> labels = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                labels.add(md.getColumnLabel(i));
            }
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= labels.size(); i++) {
                    String v = rs.getString(i);
                    row.add(v == null ? "NULL" : v);
                }
                rows.add(row);
            }
            return new Result(labels, rows, null);
        } catch (SQLException e) {
            return new Result(List.of(), List.of(), e.getErrorCode() + " " + e.getSQLState() + " " + e.getMessage());
        }
    }

    static Result runPrepared(Connection c, String sql) {
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            return run(ps, sql);
        } catch (SQLException e) {
            return new Result(List.of(), List.of(), e.getErrorCode() + " " + e.getSQLState() + " " + e.getMessage());
        }
    }

    /** Whether the statement has an ORDER BY outside parentheses (every one in the set is total). */
    static boolean ordered(String sql) {
        String upper = sql.toUpperCase(Locale.ROOT);
        int depth = 0;
        for (int i = 0; i < upper.length(); i++) {
            char c = upper.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && upper.startsWith("ORDER BY", i)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> rows(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    String v = rs.getString(i);
                    row.add(v == null ? "NULL" : v);
                }
                out.add(String.join("\t", row));
            }
        }
        return out;
    }

    private static String orNull(String v) {
        return v == null ? "NULL" : v;
    }

    private static List<String> oracleRows(String sql) throws SQLException {
        try (Connection c = cluster.connectOracle(); Statement st = c.createStatement()) {
            return rows(st, sql);
        }
    }

    private static String tsv(List<String> header, List<String> rows) {
        StringBuilder sb = new StringBuilder();
        for (String line : header) {
            sb.append(line).append('\n');
        }
        for (String line : rows) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** A result as the CLI draws it in a terminal: borders, padded cells, numbers right-aligned. */
    private static String table(List<String> header, List<List<String>> rows, Set<Integer> numeric) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> row : rows) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder border = new StringBuilder("+");
        for (int w : width) {
            border.append("-".repeat(w + 2)).append('+');
        }
        border.append('\n');
        StringBuilder sb = new StringBuilder(border);
        sb.append(line(header, width, Set.of())).append(border);
        for (List<String> row : rows) {
            sb.append(line(row, width, numeric));
        }
        return sb.append(border).toString();
    }

    private static String line(List<String> cells, int[] width, Set<Integer> right) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < width.length; i++) {
            String pad = " ".repeat(width[i] - cells.get(i).length());
            sb.append(' ').append(right.contains(i) ? pad + cells.get(i) : cells.get(i) + pad).append(" |");
        }
        return sb.append('\n').toString();
    }

    record Cli(int exit, String text) {
    }

    private static Cli runCli(List<String> command, String stdin) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + command + "\n" + new String(out, StandardCharsets.UTF_8));
        }
        return new Cli(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
