package dev.mosaic.server.tablet.query;

import static dev.mosaic.server.tablet.TabletTestSupport.await;
import static dev.mosaic.server.tablet.TabletTestSupport.processesRunning;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.config.TabletConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The query engine against a real MariaDB. */
class QueryEngineIT {
    private static MysqldCluster cluster;
    private static Mysqld mysqld;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(1);
        mysqld = cluster.get(0);
        TabletTestSupport.prepare(mysqld);
        mysqld.executeAll(List.of(
                "CREATE TABLE vt_test.types (id INT PRIMARY KEY, u BIGINT UNSIGNED, d DECIMAL(10,2), dt DATETIME(6),"
                        + " day DATE, t TIME, f DOUBLE, s VARCHAR(20), b VARBINARY(4), n INT)",
                "INSERT INTO vt_test.types VALUES (1, 18446744073709551615, 12.50, '2024-01-02 03:04:05.123456',"
                        + " '2024-02-29', '-01:02:03', 1.5, 'héllo', X'00FF', NULL)",
                "CREATE TABLE vt_test.many (id INT PRIMARY KEY)",
                "INSERT INTO vt_test.many SELECT seq FROM vt_test.seq_1_to_150",
                "CREATE TABLE vt_test.auto (id INT AUTO_INCREMENT PRIMARY KEY, v INT)"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static TabletQueryServer server(TabletConfig config, SimpleMeterRegistry registry) {
        return TabletTestSupport.open(mysqld, config, registry);
    }

    @Test
    void resultCarriesFieldsOnceAndRawTextValues() {
        try (TabletQueryServer s = server(TabletConfig.defaults(), TabletTestSupport.registry())) {
            QueryResult r = s.queries().execute("SELECT * FROM types", BindVariables.EMPTY, ExecuteOptions.DEFAULT);
            assertEquals(List.of("id", "u", "d", "dt", "day", "t", "f", "s", "b", "n"),
                    r.fields().stream().map(Field::name).toList());
            assertEquals(List.of(SqlType.INT32, SqlType.UINT64, SqlType.DECIMAL, SqlType.DATETIME, SqlType.DATE,
                    SqlType.TIME, SqlType.FLOAT64, SqlType.VARCHAR, SqlType.VARBINARY, SqlType.INT32),
                    r.fields().stream().map(Field::type).toList());
            Field id = r.fields().get(0);
            assertEquals("types", id.orgTable());
            assertEquals("vt_test", id.database());
            assertEquals(3, id.mysqlTypeId()); // MYSQL_TYPE_LONG
            assertTrue((id.flags() & 2) != 0, "PRI_KEY_FLAG");
            assertEquals(List.of("1", "18446744073709551615", "12.50", "2024-01-02 03:04:05.123456", "2024-02-29",
                    "-01:02:03", "1.5", "héllo"), r.texts().get(0).subList(0, 8));
            assertArrayEquals(new byte[] {0, (byte) 0xff}, r.rows().get(0)[8]);
            assertNull(r.rows().get(0)[9]);
        }
    }

    @Test
    void dmlReportsRowsAffectedAndInsertId() {
        try (TabletQueryServer s = server(TabletConfig.defaults(), TabletTestSupport.registry())) {
            QueryResult ins = s.queries().execute("INSERT INTO auto (v) VALUES (:a), (:b)",
                    BindVariables.of(Map.of("a", Value.of(10), "b", Value.of(20))), ExecuteOptions.DEFAULT);
            assertEquals(2, ins.rowsAffected());
            assertTrue(ins.insertId() >= 1);
            assertTrue(ins.fields().isEmpty());
            QueryResult upd = s.queries().execute("UPDATE auto SET v = v + 1 WHERE v = :v",
                    BindVariables.EMPTY.with("v", Value.of(10)), ExecuteOptions.DEFAULT);
            assertEquals(1, upd.rowsAffected());
        }
    }

    @Test
    void mysqlErrorsAreMapped() {
        try (TabletQueryServer s = server(TabletConfig.defaults(), TabletTestSupport.registry())) {
            MosaicException e = assertThrows(MosaicException.class,
                    () -> s.queries().execute("SELECT * FROM nope", BindVariables.EMPTY, ExecuteOptions.DEFAULT));
            assertEquals(SqlError.NO_SUCH_TABLE, e.sqlError().orElseThrow());
            assertTrue(e.getMessage().contains("(errno 1146)"), e.getMessage());
            e = assertThrows(MosaicException.class,
                    () -> s.queries().execute("SELEC 1", BindVariables.EMPTY, ExecuteOptions.DEFAULT));
            assertEquals(SqlError.PARSE_ERROR, e.sqlError().orElseThrow());
        }
    }

    @Test
    void queryTimeoutKillsTheMysqlQuery() {
        SimpleMeterRegistry registry = TabletTestSupport.registry();
        TabletConfig config = TabletConfig.defaults().toBuilder().queryTimeout(Duration.ofMillis(500)).build();
        try (TabletQueryServer s = server(config, registry)) {
            long t0 = System.nanoTime();
            MosaicException e = assertThrows(MosaicException.class, () -> s.queries().execute(
                    "SELECT SLEEP(10) /* timeout-marker */", BindVariables.EMPTY, ExecuteOptions.DEFAULT));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code(), e.toString());
            assertTrue(ms >= 500 && ms < 3000, "took " + ms + "ms");
            assertTrue(e.getMessage().contains("killed MySQL query"), e.getMessage());
            await("the query to leave the processlist", Duration.ofSeconds(3),
                    () -> processesRunning(mysqld, "timeout-marker") == 0);
            assertEquals(1.0, registry.get("mosaic.tablet.query.killed").counter().count());
            // The pool is still usable afterwards.
            assertEquals("1", s.queries().execute("SELECT 1", BindVariables.EMPTY, ExecuteOptions.DEFAULT).text(0, 0));
            // A per-call timeout overrides the configured one.
            assertEquals("0", s.queries().execute("SELECT SLEEP(0.7)", BindVariables.EMPTY,
                    ExecuteOptions.DEFAULT.withTimeout(Duration.ofSeconds(5))).text(0, 0));
            System.out.printf("query timeout: error after %d ms%n", ms);
        }
    }

    @Test
    void poolExhaustionFailsAfterTheWaitTimeout() throws Exception {
        SimpleMeterRegistry registry = TabletTestSupport.registry();
        TabletConfig config = TabletConfig.defaults().toBuilder().queryPoolSize(2)
                .queryPoolWaitTimeout(Duration.ofMillis(300)).build();
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (TabletQueryServer s = server(config, registry)) {
            List<Future<QueryResult>> busy = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                busy.add(callers.submit(() -> s.queries().execute("SELECT SLEEP(2)", BindVariables.EMPTY,
                        ExecuteOptions.DEFAULT)));
            }
            await("both connections in use", Duration.ofSeconds(5), () -> s.pools().query().inUse() == 2);
            long t0 = System.nanoTime();
            MosaicException e = assertThrows(MosaicException.class,
                    () -> s.queries().execute("SELECT 1", BindVariables.EMPTY, ExecuteOptions.DEFAULT));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(SqlError.TOO_MANY_USER_CONNECTIONS, e.sqlError().orElseThrow());
            assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
            assertTrue(e.getMessage().startsWith("resource exhausted"), e.getMessage());
            assertTrue(ms >= 290 && ms < 1500, "took " + ms + "ms");
            assertEquals(1.0, registry.get("mosaic.tablet.pool.exhausted").tag("pool", "query").counter().count());
            assertEquals(2.0, registry.get("mosaic.tablet.pool.in_use").tag("pool", "query").gauge().value());
            for (Future<QueryResult> f : busy) {
                assertEquals("0", f.get().text(0, 0));
            }
            assertEquals(0.0, registry.get("mosaic.tablet.pool.in_use").tag("pool", "query").gauge().value());
            System.out.printf("pool exhaustion: error after %d ms (wait timeout 300 ms)%n", ms);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void moreRowsThanTheLimitIsAnErrorNotATruncatedAnswer() {
        SimpleMeterRegistry registry = TabletTestSupport.registry();
        TabletConfig config = TabletConfig.defaults().toBuilder().maxResultRows(100).build();
        try (TabletQueryServer s = server(config, registry)) {
            for (String sql : List.of("SELECT * FROM many", "SELECT * FROM many LIMIT 1000")) {
                MosaicException e = assertThrows(MosaicException.class,
                        () -> s.queries().execute(sql, BindVariables.EMPTY, ExecuteOptions.DEFAULT));
                assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
                assertEquals("Row count exceeded 100", e.getMessage());
            }
            assertEquals(100, s.queries().execute("SELECT * FROM many LIMIT 100", BindVariables.EMPTY,
                    ExecuteOptions.DEFAULT).rowCount());
            assertEquals(2.0, registry.get("mosaic.tablet.query.row_limit_exceeded").counter().count());
            // Streams have no row limit.
            AtomicLong rows = new AtomicLong();
            s.queries().streamExecute("SELECT * FROM many", BindVariables.EMPTY, ExecuteOptions.DEFAULT,
                    b -> rows.addAndGet(b.rowCount()));
            assertEquals(150, rows.get());
        }
    }

    @Test
    void streamingALargeResultIsMemoryBounded() {
        int rowCount = 300_000;
        int width = 1000;
        long totalBytes = (long) rowCount * width;
        // The test JVM runs with -Xmx256m: the result could not be held in memory at once.
        assertTrue(Runtime.getRuntime().maxMemory() < totalBytes, "heap too big to prove anything: "
                + Runtime.getRuntime().maxMemory());
        TabletConfig config = TabletConfig.defaults().toBuilder().streamBufferSize(64 * 1024).build();
        try (TabletQueryServer s = server(config, TabletTestSupport.registry())) {
            AtomicLong rows = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            AtomicLong batches = new AtomicLong();
            AtomicLong maxBatchBytes = new AtomicLong();
            List<Field> fields = new ArrayList<>();
            long t0 = System.nanoTime();
            s.queries().streamExecute("SELECT seq, REPEAT('x', :w) FROM seq_1_to_" + rowCount,
                    BindVariables.EMPTY.with("w", Value.of(width)), ExecuteOptions.DEFAULT, batch -> {
                        if (batches.getAndIncrement() == 0) {
                            fields.addAll(batch.fields());
                            assertEquals(0, batch.rowCount());
                            return;
                        }
                        assertTrue(batch.fields().isEmpty());
                        long b = 0;
                        for (byte[][] row : batch.rows()) {
                            b += row[1].length;
                            assertEquals(width, row[1].length);
                        }
                        long first = Long.parseLong(new String(batch.rows().get(0)[0], StandardCharsets.US_ASCII));
                        assertEquals(rows.get() + 1, first, "rows arrive in order");
                        rows.addAndGet(batch.rowCount());
                        bytes.addAndGet(b);
                        maxBatchBytes.accumulateAndGet(b, Math::max);
                    });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(2, fields.size());
            assertEquals(rowCount, rows.get());
            assertEquals(totalBytes, bytes.get());
            assertTrue(maxBatchBytes.get() <= 64 * 1024 + width + 16, "batch of " + maxBatchBytes.get() + " bytes");
            System.out.printf("stream: %d rows, %d MB in %d batches, %d ms, heap max %d MB%n", rows.get(),
                    bytes.get() >> 20, batches.get(), ms, Runtime.getRuntime().maxMemory() >> 20);

            // A consumer that gives up stops the MySQL query at once instead of draining the result.
            long t1 = System.nanoTime();
            RuntimeException stop = new IllegalStateException("enough");
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> s.queries().streamExecute(
                    "SELECT seq, REPEAT('y', 1000) FROM seq_1_to_10000000 /* abandoned-stream */", BindVariables.EMPTY,
                    ExecuteOptions.DEFAULT, batch -> {
                        if (batch.rowCount() > 0) {
                            throw stop;
                        }
                    }));
            assertEquals(stop, thrown);
            long abandonMs = (System.nanoTime() - t1) / 1_000_000;
            assertTrue(abandonMs < 5000, "abandoning took " + abandonMs + "ms");
            await("the abandoned stream to leave the processlist", Duration.ofSeconds(3),
                    () -> processesRunning(mysqld, "abandoned-stream") == 0);
            System.out.printf("stream abandoned after first batch: returned in %d ms%n", abandonMs);
        }
    }
}
