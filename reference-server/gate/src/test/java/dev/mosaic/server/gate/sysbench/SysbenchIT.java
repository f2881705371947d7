package dev.mosaic.server.gate.sysbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.gate.testing.ShardedTestCluster;
import dev.mosaic.server.mysqlctl.Mysqld;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * sysbench, unmodified, through the gate: keyspace {@code customer} sharded {@code -80}/{@code 80-}
 * with a PRIMARY and a REPLICA per shard, table {@code sbtest1} on the {@code hash} vindex of
 * {@code id}, its ids taken from the sequence {@code commerce.sbtest1_seq} at {@code prepare}
 * (sysbench's default {@code --auto_inc=on}: the INSERTs carry no id). Then {@code oltp_point_select},
 * {@code oltp_read_only} and {@code oltp_read_write} run with server-side prepared statements
 * (sysbench's default {@code --db-ps-mode=auto}) and {@code oltp_read_only} again with the text
 * protocol and on the replicas; every run must end without a fatal error or a reconnect (read-only
 * runs without any error; oltp_read_write's deadlocks, which sysbench retries as on any MySQL, are
 * counted), and the table must still hold exactly ids 1..N afterwards, split over both shards.
 * <p>With {@code -Dsysbench.report=FILE} it also measures: the same workloads through the gate and
 * directly against the shard {@code -80} primary's MariaDB (a table of the same size in its own
 * database), one after the other in the same run, and writes QPS, p95 and the ratios to FILE. The
 * measurement asserts nothing about speed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SysbenchIT {
    private static final int TABLE_SIZE = Integer.getInteger("sysbench.table-size", 10_000);
    private static final String CUSTOMER = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"sbtest1": {"column_vindexes": [{"column": "id", "name": "hash"}],
                                    "auto_increment": {"column": "id", "sequence": "commerce.sbtest1_seq"}}}}
            """;
    private static final String COMMERCE = """
            {"tables": {"sbtest1_seq": {"type": "sequence"}}}
            """;
    private static final Pattern QUERIES = Pattern.compile("queries:\\s+(\\d+)\\s+\\(([\\d.]+) per sec\\.\\)");
    private static final Pattern P95 = Pattern.compile("95th percentile:\\s+([\\d.]+)");
    private static final Pattern ERRORS = Pattern.compile("ignored errors:\\s+(\\d+)");
    private static final Pattern RECONNECTS = Pattern.compile("reconnects:\\s+(\\d+)");

    private static ShardedTestCluster cluster;
    private static String sysbench;

    @BeforeAll
    static void start() throws Exception {
        sysbench = ShardedTestCluster.requireBinary("sysbench");
        // Every sysbench thread holds a transaction on both shards in oltp_read_only/read_write.
        int threads = Math.max(4, Integer.getInteger("sysbench.threads", 8));
        cluster = ShardedTestCluster.start(Map.of(ShardedTestCluster.SHARDED, CUSTOMER,
                ShardedTestCluster.UNSHARDED, COMMERCE), b -> b.queryPoolSize(threads).txPoolSize(threads + 2)
                .maxOpenTransactions(threads + 2));
        try (Connection c = cluster.connectGate(ShardedTestCluster.UNSHARDED); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE sbtest1_seq (id INT, next_id BIGINT, cache BIGINT, PRIMARY KEY (id))"
                    + " COMMENT 'vitess_sequence'");
            st.execute("INSERT INTO sbtest1_seq (id, next_id, cache) VALUES (0, 1, 1000)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void prepareThroughTheGateFillsIdsFromTheSequenceOnBothShards() throws Exception {
        Result r = sysbench("oltp_read_write", "prepare", cluster.port(), "app", ShardedTestCluster.SHARDED, 1, List.of());
        assertTrue(r.output().contains("Inserting " + TABLE_SIZE + " records into 'sbtest1'"), r.output());
        assertTableIntact();
    }

    @Test
    @Order(2)
    void oltpWorkloadsWithPreparedStatementsRunWithoutErrors() throws Exception {
        for (String workload : List.of("oltp_point_select", "oltp_read_only", "oltp_read_write")) {
            Result r = run(workload, cluster.port(), "app", ShardedTestCluster.SHARDED, 4, 5, List.of());
            assertClean(workload, r);
        }
        assertTableIntact();
    }

    @Test
    @Order(3)
    void textProtocolAndReplicaReadsRunWithoutErrors() throws Exception {
        assertClean("oltp_read_only text protocol",
                run("oltp_read_only", cluster.port(), "app", ShardedTestCluster.SHARDED, 4, 3, List.of("--db-ps-mode=disable")));
        long[] before = served(TabletType.REPLICA);
        assertClean("oltp_read_only on customer@replica",
                run("oltp_read_only", cluster.port(), "app", ShardedTestCluster.SHARDED + "@replica", 4, 3, List.of()));
        long[] after = served(TabletType.REPLICA);
        for (int i = 0; i < before.length; i++) {
            assertTrue(after[i] > before[i] + 100, "replica " + i + " served the @replica run: " + before[i] + " -> " + after[i]);
        }
    }

    @Test
    @Order(4)
    void throughTheGateVersusDirect() throws Exception {
        String report = System.getProperty("sysbench.report", "");
        if (report.isEmpty()) {
            return; // measuring is asked for explicitly; the tests above check behaviour
        }
        int threads = Integer.getInteger("sysbench.threads", 8);
        int seconds = Integer.getInteger("sysbench.time", 30);
        Mysqld direct = cluster.tablets(ShardedTestCluster.SHARDED, TabletType.PRIMARY).get(0).mysqld();
        direct.executeAll(List.of("CREATE DATABASE IF NOT EXISTS sbdirect"));
        String rootUser = direct.connectionParams().user();
        int directPort = direct.connectionParams().port();
        sysbench("oltp_read_write", "prepare", directPort, rootUser, "sbdirect", 1, List.of());
        StringBuilder out = new StringBuilder();
        out.append(String.format("threads=%d time=%ds table-size=%d cores=%d%n", threads, seconds, TABLE_SIZE,
                Runtime.getRuntime().availableProcessors()));
        out.append("| workload | ps-mode | gate QPS | direct QPS | QPS ratio | gate p95 ms | direct p95 ms | retried errors gate/direct |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (String ps : List.of("auto", "disable")) {
            for (String workload : List.of("oltp_point_select", "oltp_read_only", "oltp_read_write")) {
                List<String> extra = List.of("--db-ps-mode=" + ps);
                Result gate = run(workload, cluster.port(), "app", ShardedTestCluster.SHARDED, threads, seconds, extra);
                Result raw = run(workload, directPort, rootUser, "sbdirect", threads, seconds, extra);
                assertClean(workload + " through the gate", gate);
                assertClean(workload + " direct", raw);
                out.append(String.format("| %s | %s | %.0f | %.0f | %.3f | %.2f | %.2f | %d/%d |%n", workload, ps,
                        gate.qps(), raw.qps(), gate.qps() / raw.qps(), gate.p95(), raw.p95(), gate.errors(), raw.errors()));
                System.out.println(out);
            }
        }
        Files.writeString(Path.of(report), out.toString(), StandardCharsets.UTF_8);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void assertTableIntact() throws Exception {
        try (Connection c = cluster.connectGate(ShardedTestCluster.SHARDED); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), MIN(id), MAX(id) FROM sbtest1")) {
            assertTrue(rs.next());
            assertEquals(TABLE_SIZE, rs.getLong(1), "rows");
            assertEquals(1, rs.getLong(2), "first id");
            assertEquals(TABLE_SIZE, rs.getLong(3), "last id");
        }
        long total = 0;
        for (ShardedTestCluster.Tablet t : cluster.tablets(ShardedTestCluster.SHARDED, TabletType.PRIMARY)) {
            long n = Long.parseLong(t.mysqld().fetch("SELECT COUNT(*) AS n FROM "
                    + ShardedTestCluster.dbName(ShardedTestCluster.SHARDED) + ".sbtest1").get(0).get("n"));
            assertTrue(n > TABLE_SIZE / 4, "shard " + t.shard() + " holds a fair part of the rows: " + n);
            total += n;
        }
        assertEquals(TABLE_SIZE, total, "the shards together hold every row once");
    }

    private static long[] served(TabletType type) {
        return cluster.tablets(ShardedTestCluster.SHARDED, type).stream().mapToLong(ShardedTestCluster.Tablet::served)
                .toArray();
    }

    /**
     * The run ended normally (any error other than the ones sysbench retries by default, deadlock
     * 1213, lock wait timeout 1205 and 1020, is fatal to it), without a reconnect; read-only
     * workloads may not even have retried errors. oltp_read_write can deadlock on a real MySQL too:
     * its retried errors are counted and printed, not failed on.
     */
    private static void assertClean(String what, Result r) {
        assertEquals(0, r.exitCode(), what + ":\n" + r.output());
        assertEquals(0, r.reconnects(), what + " reconnects:\n" + r.output());
        assertTrue(r.queries() > 0, what + " ran no queries:\n" + r.output());
        if (what.startsWith("oltp_read_write")) {
            System.out.println(what + ": " + r.errors() + " deadlocks/lock waits retried by sysbench");
        } else {
            assertEquals(0, r.errors(), what + " ignored errors:\n" + r.output());
        }
    }

    private static Result run(String workload, int port, String user, String db, int threads, int seconds,
            List<String> extra) throws Exception {
        List<String> args = new ArrayList<>(extra);
        args.add("--time=" + seconds);
        return sysbench(workload, "run", port, user, db, threads, args);
    }

    private static Result sysbench(String workload, String phase, int port, String user, String db, int threads,
            List<String> extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(sysbench, workload, "--mysql-host=127.0.0.1", "--mysql-port=" + port,
                "--mysql-user=" + user, "--mysql-password=", "--mysql-db=" + db, "--tables=1",
                "--table-size=" + TABLE_SIZE, "--threads=" + threads));
        cmd.addAll(extra);
        cmd.add(phase);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] bytes = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String output = new String(bytes, StandardCharsets.UTF_8);
        int exit = p.isAlive() ? -1 : p.exitValue();
        if (!phase.equals("run")) {
            assertEquals(0, exit, String.join(" ", cmd) + ":\n" + output);
        }
        return new Result(exit, output);
    }

    /** One sysbench run's exit code and output, with the figures of its summary. */
    private record Result(int exitCode, String output) {
        long queries() {
            Matcher m = QUERIES.matcher(output);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }

        double qps() {
            Matcher m = QUERIES.matcher(output);
            return m.find() ? Double.parseDouble(m.group(2)) : 0;
        }

        double p95() {
            Matcher m = P95.matcher(output);
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        }

        long errors() {
            Matcher m = ERRORS.matcher(output);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        long reconnects() {
            Matcher m = RECONNECTS.matcher(output);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }
}
