package dev.mosaic.server.tablet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.consolidator.Consolidator;
import dev.mosaic.server.tablet.consolidator.EngineConsolidator;
import dev.mosaic.server.tablet.query.ExecuteOptions;
import dev.mosaic.server.tablet.query.QueryConsolidator;
import dev.mosaic.server.tablet.query.QueryResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** N concurrent identical reads through the engine produce one MySQL execution. */
class ConsolidationIT {
    private static MysqldCluster cluster;
    private static Mysqld mysqld;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(1);
        mysqld = cluster.get(0);
        TabletTestSupport.prepare(mysqld);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void concurrentIdenticalReadsShareOneExecution() throws Exception {
        int callers = 20;
        EngineConsolidator engineConsolidator = new EngineConsolidator("vt_test/0@primary", new Consolidator<>());
        AtomicInteger mysqlExecutions = new AtomicInteger();
        QueryConsolidator counting = (sql, execution) -> engineConsolidator.execute(sql, () -> {
            mysqlExecutions.incrementAndGet();
            return execution.get();
        });
        TabletConfig config = TabletConfig.defaults().toBuilder().dbName(TabletTestSupport.DB).build();
        try (TabletQueryServer s = TabletQueryServer.open(config, mysqld.connectionParams(), TabletTestSupport.registry(),
                TabletExtensions.NONE.withConsolidator(counting))) {
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                CyclicBarrier start = new CyclicBarrier(callers);
                List<Future<QueryResult>> results = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    results.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return s.queries().execute("SELECT SLEEP(1) AS s, 42 AS answer", BindVariables.EMPTY,
                                ExecuteOptions.DEFAULT);
                    }));
                }
                QueryResult first = results.get(0).get(30, TimeUnit.SECONDS);
                for (Future<QueryResult> f : results) {
                    QueryResult r = f.get(30, TimeUnit.SECONDS);
                    assertEquals(1, r.rowCount());
                    assertArrayEquals("42".getBytes(StandardCharsets.US_ASCII), r.rows().get(0)[1]);
                    assertEquals(first, r, "every caller gets the one shared result");
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, mysqlExecutions.get(), "identical reads in flight together ran once in MySQL");
            assertEquals(1, engineConsolidator.consolidator().stats().executions());
            assertEquals(callers - 1, engineConsolidator.consolidator().stats().consolidated());

            // Once the shared execution has finished, the next identical read runs again.
            s.queries().execute("SELECT SLEEP(1) AS s, 42 AS answer", BindVariables.EMPTY, ExecuteOptions.DEFAULT);
            assertEquals(2, mysqlExecutions.get());
        }
    }
}
