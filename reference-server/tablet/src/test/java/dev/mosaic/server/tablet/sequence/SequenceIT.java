package dev.mosaic.server.tablet.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.query.ExecuteOptions;
import dev.mosaic.server.tablet.query.QueryKiller;
import dev.mosaic.server.tablet.query.QueryResult;
import dev.mosaic.server.tablet.query.StatementRunner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sequence tables served by the tablet's query engine, against a real MariaDB. */
class SequenceIT {
    private static MysqldCluster cluster;
    private static Mysqld mysqld;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(1);
        mysqld = cluster.get(0);
        TabletTestSupport.prepare(mysqld);
        List<String> ddl = new ArrayList<>();
        for (String t : List.of("seq_small", "seq_big", "seq_conc", "seq_empty", "seq_nocache", "seq_stream", "seq_cached")) {
            ddl.add("CREATE TABLE vt_test." + t + " (id INT, next_id BIGINT, cache BIGINT, PRIMARY KEY (id))");
        }
        ddl.add("INSERT INTO vt_test.seq_small VALUES (0, 1, 3)");
        ddl.add("INSERT INTO vt_test.seq_big VALUES (0, 1, 10)");
        ddl.add("INSERT INTO vt_test.seq_conc VALUES (0, 1, 50)");
        ddl.add("INSERT INTO vt_test.seq_nocache VALUES (0, 1, 0)");
        ddl.add("INSERT INTO vt_test.seq_stream VALUES (0, 100, 5)");
        ddl.add("INSERT INTO vt_test.seq_cached VALUES (0, 1, 5)");
        mysqld.executeAll(ddl);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static long next(TabletQueryServer s, String sql, BindVariables bv) {
        QueryResult r = s.queries().execute(sql, bv, ExecuteOptions.DEFAULT);
        assertEquals(1, r.rowCount());
        assertEquals("nextval", r.fields().get(0).name());
        assertEquals(SqlType.INT64, r.fields().get(0).type());
        return Long.parseLong(r.text(0, 0));
    }

    private static long nextIdInTable(String table) {
        return Long.parseLong(mysqld.fetchValue("SELECT next_id FROM vt_test." + table + " WHERE id = 0").orElseThrow());
    }

    @Test
    void refillsTheCacheWhenTheBlockIsUsedUp() {
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, TabletConfig.defaults(), TabletTestSupport.registry())) {
            assertEquals(1, next(s, "select next value from seq_small", BindVariables.EMPTY));
            assertEquals(4, nextIdInTable("seq_small"), "one block of cache=3 reserved");
            assertEquals(2, next(s, "select next value from seq_small", BindVariables.EMPTY));
            assertEquals(3, next(s, "select next 1 values from seq_small", BindVariables.EMPTY));
            assertEquals(4, nextIdInTable("seq_small"), "served from memory");
            assertEquals(4, next(s, "select next value from seq_small", BindVariables.EMPTY));
            assertEquals(7, nextIdInTable("seq_small"), "refilled");
        }
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, TabletConfig.defaults(), TabletTestSupport.registry())) {
            assertEquals(7, next(s, "select next value from seq_small", BindVariables.EMPTY),
                    "a new tablet starts after what the last one reserved (5 and 6 are lost, never reused)");
        }
    }

    @Test
    void requestLargerThanTheCacheReservesEnough() {
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, TabletConfig.defaults(), TabletTestSupport.registry())) {
            assertEquals(1, next(s, "select next :n values from seq_big", BindVariables.of(Map.of("n", Value.of(25)))));
            assertEquals(31, nextIdInTable("seq_big"), "three whole cache steps");
            assertEquals(26, next(s, "select next 5 values from seq_big", BindVariables.EMPTY));
            assertEquals(31, next(s, "select next value from seq_big", BindVariables.EMPTY));
            assertEquals(41, nextIdInTable("seq_big"));
        }
    }

    @Test
    void concurrentCallersGetDistinctValues() throws Exception {
        int threads = 8;
        int calls = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, TabletConfig.defaults(), TabletTestSupport.registry())) {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int width = 1 + t % 3; // some callers take 1, some 2 or 3 values at a time
                futures.add(pool.submit(() -> {
                    List<Long> got = new ArrayList<>();
                    for (int i = 0; i < calls; i++) {
                        long first = next(s, "select next " + width + " values from seq_conc", BindVariables.EMPTY);
                        for (int k = 0; k < width; k++) {
                            got.add(first + k);
                        }
                    }
                    return got;
                }));
            }
            Set<Long> all = new HashSet<>();
            int total = 0;
            for (Future<List<Long>> f : futures) {
                for (long v : f.get()) {
                    total++;
                    assertTrue(all.add(v), "value " + v + " handed out twice");
                }
            }
            assertEquals(all.size(), total);
            long max = all.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertTrue(max < nextIdInTable("seq_conc"), "every value handed out was reserved in the table");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void streamExecuteServesNextValuesToo() {
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, TabletConfig.defaults(), TabletTestSupport.registry())) {
            List<QueryResult> batches = new ArrayList<>();
            s.queries().streamExecute("select next 2 values from seq_stream", BindVariables.EMPTY, ExecuteOptions.DEFAULT,
                    batches::add);
            assertEquals("nextval", batches.get(0).fields().get(0).name());
            assertEquals("100", batches.get(1).text(0, 0));
        }
    }

    @Test
    void errors() {
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, TabletConfig.defaults(), TabletTestSupport.registry())) {
            MosaicException noRow = assertThrows(MosaicException.class,
                    () -> s.queries().execute("select next value from seq_empty", BindVariables.EMPTY, ExecuteOptions.DEFAULT));
            assertEquals(ErrorCode.INVALID_ARGUMENT, noRow.code());
            assertEquals("unexpected rows from reading sequence seq_empty (possible mis-route): 0", noRow.getMessage());

            MosaicException noCache = assertThrows(MosaicException.class,
                    () -> s.queries().execute("select next value from seq_nocache", BindVariables.EMPTY, ExecuteOptions.DEFAULT));
            assertEquals("invalid cache value for sequence seq_nocache: 0", noCache.getMessage());
            assertEquals(1, nextIdInTable("seq_nocache"), "the failed refill was rolled back");

            MosaicException noTable = assertThrows(MosaicException.class,
                    () -> s.queries().execute("select next value from no_such_seq", BindVariables.EMPTY, ExecuteOptions.DEFAULT));
            assertTrue(noTable.getMessage().contains("no_such_seq"), noTable.getMessage());
        }
    }

    @Test
    void failedFirstLoadsLeaveNoBlockBehind() {
        SimpleMeterRegistry registry = TabletTestSupport.registry();
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, TabletConfig.defaults(), registry);
                QueryKiller killer = new QueryKiller(s.pools().dba(), registry)) {
            SequenceEngine engine = new SequenceEngine(new StatementRunner(killer, registry));
            for (int i = 0; i < 5; i++) {
                NextValuesStatement missing = NextValuesStatement.parse("select next value from nope_" + i).orElseThrow();
                assertThrows(MosaicException.class,
                        () -> engine.next(missing, BindVariables.EMPTY, s.pools().query(), Duration.ofSeconds(10)));
            }
            assertEquals(0, engine.tablesCached());
            NextValuesStatement ok = NextValuesStatement.parse("select next value from seq_cached").orElseThrow();
            engine.next(ok, BindVariables.EMPTY, s.pools().query(), Duration.ofSeconds(10));
            assertEquals(1, engine.tablesCached());
        }
    }
}
