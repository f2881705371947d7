package dev.mosaic.server.gate.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.gate.differential.ShardedDifferentialIT.Result;
import dev.mosaic.server.gate.differential.SqlGrammar.Generated;
import dev.mosaic.server.gate.differential.SqlNode.Sql;
import dev.mosaic.server.gate.testing.ShardedTestCluster;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The differential test at scale: {@link SqlGrammar} generates random SELECTs over
 * {@link GeneratedSchema} (a hash-sharded keyspace with a lookup vindex and a reference table, and
 * an unsharded keyspace); each runs through the gate and on one plain MariaDB holding the same rows.
 * The answers must match; a statement the gate rejects as unsupported is counted per construct,
 * not failed. A mismatch is shrunk by {@link QueryReducer} and reported with the seed.
 *
 * <p>{@code -Dmosaic.differential.seed=N} replays a run (default: a fresh seed, printed first);
 * {@code -Dmosaic.differential.count=N} sets how many statements (default {@value #DEFAULT_COUNT}).
 * The report is printed and written to {@code target/differential-report.md}.
 */
class GeneratedDifferentialIT {
    static final int DEFAULT_COUNT = 2000;
    /** Mismatches shrunk and shown in detail (each shrink costs up to {@link #REDUCE_TRIES} runs). */
    private static final int REDUCED = 6;
    private static final int REDUCE_TRIES = 400;
    private static final int SHOWN_ROWS = 5;
    private static final int SLOWEST = 8;

    private static long seed;
    private static int count;
    private static ShardedTestCluster cluster;
    private static GeneratedSchema schema;

    @BeforeAll
    static void start() throws Exception {
        String s = System.getProperty("mosaic.differential.seed", "").strip();
        seed = s.isEmpty() ? new Random().nextLong() : Long.parseLong(s);
        String c = System.getProperty("mosaic.differential.count", "").strip();
        count = c.isEmpty() ? DEFAULT_COUNT : Integer.parseInt(c);
        System.out.printf("differential seed=%d count=%d (replay: -Dmosaic.differential.seed=%d)%n", seed, count, seed);
        schema = new GeneratedSchema();
        cluster = ShardedTestCluster.start(Map.of(ShardedTestCluster.SHARDED, GeneratedSchema.VSCHEMA_CUSTOMER,
                ShardedTestCluster.UNSHARDED, GeneratedSchema.VSCHEMA_COMMERCE));
        load();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Writes the rows straight into each shard's primary (and the oracle): lookup rows are not maintained by the gate. */
    private static void load() throws Exception {
        String shardedDb = ShardedTestCluster.dbName(ShardedTestCluster.SHARDED);
        String commerceDb = ShardedTestCluster.dbName(ShardedTestCluster.UNSHARDED);
        Map<String, List<GeneratedSchema.Row>> users = byShard("users", schema.userRows);
        Map<String, List<GeneratedSchema.Row>> orders = byShard("orders", schema.orderRows);
        Map<String, List<GeneratedSchema.Row>> events = byShard("events", schema.eventRows);
        for (ShardedTestCluster.Tablet t : cluster.tablets(ShardedTestCluster.SHARDED, TabletType.PRIMARY)) {
            List<String> stmts = new ArrayList<>(List.of("USE " + shardedDb, GeneratedSchema.USERS_DDL,
                    GeneratedSchema.ORDERS_DDL, GeneratedSchema.EVENTS_DDL, GeneratedSchema.REGIONS_DDL,
                    GeneratedSchema.REGIONS_ROWS));
            for (var part : List.of(users, orders, events)) {
                List<GeneratedSchema.Row> rows = part.getOrDefault(t.shard(), List.of());
                assertTrue(!rows.isEmpty(), "every shard holds rows of every table: " + t.shard());
            }
            stmts.add(GeneratedSchema.usersInsert(users.get(t.shard())));
            stmts.add(GeneratedSchema.ordersInsert(orders.get(t.shard())));
            stmts.add(GeneratedSchema.eventsInsert(events.get(t.shard())));
            t.mysqld().executeAll(stmts);
        }
        List<String> lookupRows = new ArrayList<>();
        for (GeneratedSchema.User u : schema.users) {
            if (u.email() != null) {
                lookupRows.add("(" + GeneratedSchema.str(u.email()) + ", X'"
                        + HexFormat.of().formatHex(keyspaceId("users", u.id())) + "')");
            }
        }
        ShardedTestCluster.Tablet commerce = cluster.tablets(ShardedTestCluster.UNSHARDED, TabletType.PRIMARY).get(0);
        commerce.mysqld().executeAll(List.of("USE " + commerceDb, GeneratedSchema.PRODUCTS_DDL, GeneratedSchema.REGIONS_DDL,
                GeneratedSchema.LOOKUP_DDL, schema.productsInsert(), GeneratedSchema.REGIONS_ROWS,
                "INSERT INTO users_email_lkp (email, keyspace_id) VALUES " + String.join(", ", lookupRows)));
        try (Connection oracle = cluster.connectOracle(); Statement o = oracle.createStatement()) {
            for (String sql : List.of(GeneratedSchema.USERS_DDL, GeneratedSchema.ORDERS_DDL, GeneratedSchema.EVENTS_DDL,
                    GeneratedSchema.REGIONS_DDL, GeneratedSchema.PRODUCTS_DDL, GeneratedSchema.REGIONS_ROWS,
                    GeneratedSchema.usersInsert(schema.userRows), GeneratedSchema.ordersInsert(schema.orderRows),
                    GeneratedSchema.eventsInsert(schema.eventRows), schema.productsInsert())) {
                o.execute(sql);
            }
            // The statements name commerce.products: in the oracle's one database, a view of that name.
            o.execute("CREATE DATABASE IF NOT EXISTS " + ShardedTestCluster.UNSHARDED);
            for (String table : List.of("products", "regions")) {
                o.execute("CREATE OR REPLACE VIEW " + ShardedTestCluster.UNSHARDED + "." + table + " AS SELECT * FROM "
                        + ShardedTestCluster.ORACLE_DB + "." + table);
            }
        }
        // The gate sees every row exactly once.
        try (Connection gate = cluster.connectGate(ShardedTestCluster.SHARDED); Statement g = gate.createStatement();
                Connection oracle = cluster.connectOracle(); Statement o = oracle.createStatement()) {
            for (String table : List.of("users", "orders", "events", "regions", "commerce.products")) {
                String sql = "SELECT COUNT(*) FROM " + table;
                assertEquals(ShardedDifferentialIT.run(o, sql), ShardedDifferentialIT.run(g, sql), sql);
            }
        }
    }

    private static byte[] keyspaceId(String table, long key) {
        SingleColumnVindex vindex = (SingleColumnVindex) cluster.vschema().keyspace(ShardedTestCluster.SHARDED)
                .orElseThrow().tables().get(table).primaryVindex().orElseThrow().vindex();
        Destination d = vindex.map(VindexCursor.NONE, List.of(Value.of(key))).get(0);
        return ((Destination.One) d).id().bytes();
    }

    private static Map<String, List<GeneratedSchema.Row>> byShard(String table, List<GeneratedSchema.Row> rows) {
        Map<String, List<GeneratedSchema.Row>> out = new LinkedHashMap<>();
        for (GeneratedSchema.Row row : rows) {
            String shard = (keyspaceId(table, row.key())[0] & 0xff) < 0x80 ? "-80" : "80-";
            out.computeIfAbsent(shard, k -> new ArrayList<>()).add(row);
        }
        return out;
    }

    /** How long the gate took for one statement. */
    private record Timed(long millis, String sql) {
    }

    /** One mismatch: the statement, its verdict and both answers. */
    private record Mismatch(Generated query, Verdict verdict, Result oracle, Result gate) {
    }

    @Test
    void generatedStatementsAnswerAsPlainMariaDb() throws Exception {
        List<String> emails = schema.users.stream().map(GeneratedSchema.User::email).filter(e -> e != null).toList();
        SqlGrammar grammar = new SqlGrammar(seed, emails);
        DifferentialReport report = new DifferentialReport(seed);
        List<Mismatch> mismatches = new ArrayList<>();
        java.util.PriorityQueue<Timed> slowest = new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(Timed::millis));
        long started = System.nanoTime();
        try (Connection oracle = cluster.connectOracle(); Statement o = oracle.createStatement();
                Connection gate = cluster.connectGate(ShardedTestCluster.SHARDED); Statement g = gate.createStatement()) {
            for (int i = 0; i < count; i++) {
                Generated q = grammar.next();
                String sql = q.sql().sql();
                Result expected = ShardedDifferentialIT.run(o, sql);
                long t0 = System.nanoTime();
                Result actual = ShardedDifferentialIT.run(g, sql);
                slowest.add(new Timed((System.nanoTime() - t0) / 1_000_000, sql));
                if (slowest.size() > SLOWEST) {
                    slowest.poll();
                }
                Verdict v = Verdict.judge(expected, actual, q.sql().ordered(), q.caseInsensitive());
                report.add(q.constructs(), v);
                if (v.mismatch()) {
                    mismatches.add(new Mismatch(q, v, expected, actual));
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String header = String.format(java.util.Locale.ROOT,
                    "Run of %s: seed %d, %d statements, %.1f s (-Dmosaic.differential.seed=%d -Dmosaic.differential.count=%d)",
                    LocalDate.now(ZoneOffset.UTC), seed, count, seconds, seed, count);
            String md = report.markdown(header);
            System.out.println(md);
            slowest.stream().sorted(java.util.Comparator.comparingLong(Timed::millis).reversed())
                    .forEach(t -> System.out.printf("differential: slow through the gate, %d ms: %s%n", t.millis(), t.sql()));
            write(md);
            if (!mismatches.isEmpty()) {
                fail(describe(mismatches, o, g));
            }
        }
        assertEquals(count, report.total());
        assertEquals(report.total(), report.matched() + report.rejected());
    }

    private static void write(String md) throws IOException {
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("differential-report.md"), md, StandardCharsets.UTF_8);
    }

    private static String describe(List<Mismatch> mismatches, Statement o, Statement g) {
        StringBuilder sb = new StringBuilder();
        sb.append(mismatches.size()).append(" of ").append(count).append(" generated statements answer differently through")
                .append(" the gate (seed ").append(seed).append("; replay with -Dmosaic.differential.seed=").append(seed)
                .append(" -Dmosaic.differential.count=").append(count).append(")\n");
        for (int i = 0; i < mismatches.size(); i++) {
            Mismatch m = mismatches.get(i);
            sb.append("\n#").append(i + 1).append(' ').append(m.verdict()).append(": ").append(m.query().sql().sql()).append('\n');
            if (i >= REDUCED) {
                continue;
            }
            QueryReducer.Reduction r = QueryReducer.reduce(m.query().sql(), candidate -> {
                Verdict v = Verdict.judge(ShardedDifferentialIT.run(o, candidate.sql()),
                        ShardedDifferentialIT.run(g, candidate.sql()), candidate.ordered(), m.query().caseInsensitive());
                return v == m.verdict();
            }, REDUCE_TRIES);
            Sql min = r.minimal();
            Result oracle = ShardedDifferentialIT.run(o, min.sql());
            Result gate = ShardedDifferentialIT.run(g, min.sql());
            sb.append("   minimal (").append(r.shrinks()).append(" shrinks, ").append(r.tries()).append(" tries): ")
                    .append(min.sql()).append('\n');
            sb.append("   oracle: ").append(show(oracle)).append('\n');
            sb.append("   gate:   ").append(show(gate)).append('\n');
            if (oracle.error() == null && gate.error() == null) {
                sb.append("   ").append(oracle.diff(gate, min.ordered(), m.query().caseInsensitive())).append('\n');
            }
        }
        return sb.toString();
    }

    private static String show(Result r) {
        if (r.error() != null) {
            return "error " + r.error();
        }
        List<String> rows = new ArrayList<>();
        for (List<String> row : r.rows().subList(0, Math.min(SHOWN_ROWS, r.rows().size()))) {
            rows.add(String.join(" | ", row));
        }
        return r.rows().size() + " rows: " + String.join(" ; ", rows) + (r.rows().size() > SHOWN_ROWS ? " ; ..." : "");
    }
}
