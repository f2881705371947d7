package dev.mosaic.server.tablet.protection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletProtections;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.hotrow.HotRowProtection;
import dev.mosaic.server.tablet.hotrow.RowKey;
import dev.mosaic.server.tablet.query.ExecuteOptions;
import dev.mosaic.server.tablet.query.QueryResult;
import dev.mosaic.server.tablet.tx.TxEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hot-row protection from config, through the transaction engine, against a real MariaDB. */
class HotRowIT {
    private static final String UPDATE = "UPDATE hot SET v = v + 1 WHERE id = :id";
    private static final ExecuteOptions OPTS = ExecuteOptions.DEFAULT;
    private static MysqldCluster cluster;
    private static Mysqld mysqld;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private TabletQueryServer server;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(1);
        mysqld = cluster.get(0);
        TabletTestSupport.prepare(mysqld);
        mysqld.executeAll(List.of("CREATE TABLE vt_test.hot (id INT PRIMARY KEY, v INT)",
                "INSERT INTO vt_test.hot VALUES (1, 0), (2, 0), (3, 0), (4, 0)"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void close() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    private HotRowProtection open(String txTimeout) {
        TabletConfig config = TabletConfig.fromMap(Map.of("db.name", TabletTestSupport.DB, "hotrow.enabled", "true",
                "hotrow.concurrent-transactions", "1", "hotrow.max-queue-size", "3", "tx.timeout", txTimeout));
        TabletProtections protections = TabletProtections.fromConfig(config, TabletTestSupport.registry());
        server = TabletQueryServer.open(config, mysqld.connectionParams(), TabletTestSupport.registry(),
                protections.extensions());
        return protections.hotRow().orElseThrow();
    }

    private static BindVariables id(int id) {
        return BindVariables.EMPTY.with("id", Value.of(id));
    }

    private CompletableFuture<QueryResult> updateAsync(TxEngine tx, long txId, int row) {
        return CompletableFuture.supplyAsync(() -> tx.execute(txId, UPDATE, id(row), OPTS), pool);
    }

    private static long waits(HotRowProtection hot) {
        return hot.stats().waits().getOrDefault("hot", 0L);
    }

    @Test
    void transactionsOnTheSameRowRunOneAtATime() throws Exception {
        HotRowProtection hot = open("30s");
        TxEngine tx = server.transactions();
        RowKey row1 = new RowKey("hot", "id = 1");

        long first = tx.begin(OPTS);
        tx.execute(first, UPDATE, id(1), OPTS);
        assertEquals(1, hot.pending(row1), "the first transaction on an idle row runs at once");

        long second = tx.begin(OPTS);
        CompletableFuture<QueryResult> secondUpdate = updateAsync(tx, second, 1);
        TabletTestSupport.await("the second transaction to queue behind the first", Duration.ofSeconds(10),
                () -> hot.pending(row1) == 2 && waits(hot) == 1);

        // Another row is not delayed, while the first still holds row 1.
        long other = tx.begin(OPTS);
        assertEquals(1L, tx.execute(other, UPDATE, id(2), OPTS).rowsAffected());
        tx.commit(other);
        assertEquals(1, waits(hot), "the other row never waited");

        long third = tx.begin(OPTS);
        CompletableFuture<QueryResult> thirdUpdate = updateAsync(tx, third, 1);
        TabletTestSupport.await("a third transaction queued", Duration.ofSeconds(10), () -> hot.pending(row1) == 3);

        long fourth = tx.begin(OPTS);
        MosaicException full = assertThrows(MosaicException.class, () -> tx.execute(fourth, UPDATE, id(1), OPTS));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, full.code());
        assertEquals("hot row protection: too many queued transactions (3 >= 3) for the same row "
                + "(table + WHERE clause: 'hot where id = 1')", full.getMessage());
        assertEquals(Map.of("hot", 1L), hot.stats().queueExceeded());
        tx.rollback(fourth);

        assertFalse(secondUpdate.isDone(), "the second waits while the first is open");
        tx.commit(first);
        assertEquals(1L, secondUpdate.get(10, TimeUnit.SECONDS).rowsAffected(), "the commit let the second run");
        assertFalse(thirdUpdate.isDone(), "the third still waits for the second");
        tx.rollback(second);
        assertEquals(1L, thirdUpdate.get(10, TimeUnit.SECONDS).rowsAffected());
        tx.commit(third);

        assertEquals(0, hot.stats().queued(), "the queue is empty once every transaction ended");
        assertEquals(0, hot.stats().rows());
        assertEquals(2L, hot.stats().waits().get("hot"));
        assertEquals("2", mysqld.fetchValue("SELECT v FROM vt_test.hot WHERE id = 1").orElseThrow(),
                "first and third committed, second rolled back");
    }

    @Test
    void aTransactionQueuesOnceAndNeverWaitsForItself() {
        HotRowProtection hot = open("30s");
        TxEngine tx = server.transactions();
        long t = tx.begin(OPTS);
        tx.execute(t, UPDATE, id(3), OPTS);
        tx.execute(t, UPDATE, id(3), OPTS);
        tx.execute(t, "DELETE FROM hot WHERE id = :id", id(4), OPTS);
        assertEquals(1, hot.stats().queued(), "only the first keyed write took a place");
        tx.rollback(t);
        assertEquals(0, hot.stats().queued());
        assertEquals(0, waits(hot));
    }

    @Test
    void holdsAreReleasedWhenTheKillerEndsATransaction() throws Exception {
        HotRowProtection hot = open("1s");
        TxEngine tx = server.transactions();
        RowKey row4 = new RowKey("hot", "id = 4");
        long abandoned = tx.begin(OPTS);
        tx.execute(abandoned, UPDATE, id(4), OPTS);
        long waiting = tx.begin(OPTS);
        CompletableFuture<QueryResult> waitingUpdate = updateAsync(tx, waiting, 4);
        TabletTestSupport.await("the second transaction queued", Duration.ofSeconds(5), () -> hot.pending(row4) == 2);

        // Nobody commits the first: the tx killer rolls it back, which must free its place in the queue.
        MosaicException killed = assertThrows(MosaicException.class, () -> {
            TabletTestSupport.await("the killer to end the first transaction", Duration.ofSeconds(10),
                    () -> !tx.openTransactionIds().contains(abandoned));
            tx.commit(abandoned);
        });
        assertEquals(ErrorCode.ABORTED, killed.code());
        assertTrue(killed.getMessage().contains("exceeded timeout: 1s"), killed.getMessage());

        // The waiter got the row (its update ran, or its own timeout ended it meanwhile); either way it
        // ends too, and nothing is left behind.
        waitingUpdate.handle((r, e) -> null).get(15, TimeUnit.SECONDS);
        TabletTestSupport.await("the waiting transaction to end", Duration.ofSeconds(10),
                () -> !tx.openTransactionIds().contains(waiting));
        TabletTestSupport.await("an empty hot-row queue", Duration.ofSeconds(5),
                () -> hot.stats().queued() == 0 && hot.stats().rows() == 0);
        assertEquals(0, hot.pending(row4));
        assertEquals(0, tx.openTransactions());
    }
}
