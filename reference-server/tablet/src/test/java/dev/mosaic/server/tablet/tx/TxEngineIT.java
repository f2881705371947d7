package dev.mosaic.server.tablet.tx;

import static dev.mosaic.server.tablet.TabletTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.query.ExecuteOptions;
import dev.mosaic.server.tablet.query.QueryResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transactions against a real MariaDB. */
class TxEngineIT {
    private static final ExecuteOptions OPTS = ExecuteOptions.DEFAULT;
    private static MysqldCluster cluster;
    private static Mysqld mysqld;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(1);
        mysqld = cluster.get(0);
        TabletTestSupport.prepare(mysqld);
        mysqld.executeAll(List.of("CREATE TABLE vt_test.acct (id INT PRIMARY KEY, v VARCHAR(20))"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void resetRows() {
        mysqld.executeAll(List.of("DELETE FROM vt_test.acct", "INSERT INTO vt_test.acct VALUES (1, 'clean'), (2, 'clean')"));
    }

    private static String committed(int id) {
        return mysqld.fetchValue("SELECT v FROM vt_test.acct WHERE id = " + id).orElse(null);
    }

    private static QueryResult exec(TabletQueryServer s, String sql) {
        return s.queries().execute(sql, BindVariables.EMPTY, OPTS);
    }

    @Test
    void commitAndRollback() {
        SimpleMeterRegistry registry = TabletTestSupport.registry();
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, TabletConfig.defaults(), registry)) {
            TxEngine tx = s.transactions();
            long a = tx.begin(OPTS);
            assertEquals(1, tx.execute(a, "UPDATE acct SET v = :v WHERE id = 1",
                    BindVariables.EMPTY.with("v", Value.of("a")), OPTS).rowsAffected());
            assertEquals("a", tx.execute(a, "SELECT v FROM acct WHERE id = 1", BindVariables.EMPTY, OPTS).text(0, 0));
            assertEquals("clean", exec(s, "SELECT v FROM acct WHERE id = 1").text(0, 0), "not visible before commit");
            assertEquals(1, tx.openTransactions());
            tx.commit(a);
            assertEquals(0, tx.openTransactions());
            assertEquals("a", committed(1));

            long b = tx.begin(OPTS);
            assertTrue(b > a);
            tx.execute(b, "UPDATE acct SET v = 'b' WHERE id = 2", BindVariables.EMPTY, OPTS);
            tx.rollback(b);
            assertEquals("clean", committed(2));

            MosaicException e = assertThrows(MosaicException.class, () -> tx.commit(a));
            assertEquals(ErrorCode.ABORTED, e.code());
            assertTrue(e.getMessage().matches("transaction " + a + ": ended at .* \\(commit\\)"), e.getMessage());
            e = assertThrows(MosaicException.class, () -> tx.execute(b, "SELECT 1", BindVariables.EMPTY, OPTS));
            assertTrue(e.getMessage().endsWith("(rollback)"), e.getMessage());
            e = assertThrows(MosaicException.class, () -> tx.rollback(12345));
            assertEquals(ErrorCode.NOT_FOUND, e.code());
            assertEquals("transaction 12345: not found", e.getMessage());

            assertEquals(2.0, registry.get("mosaic.tablet.tx.begun").counter().count());
            assertEquals(1.0, registry.get("mosaic.tablet.tx.ended").tag("reason", "commit").counter().count());
            assertEquals(1.0, registry.get("mosaic.tablet.tx.ended").tag("reason", "rollback").counter().count());
            assertEquals(0.0, registry.get("mosaic.tablet.pool.in_use").tag("pool", "tx").gauge().value());
        }
    }

    @Test
    void openTransactionCap() {
        SimpleMeterRegistry registry = TabletTestSupport.registry();
        TabletConfig config = TabletConfig.defaults().toBuilder().txPoolSize(4).maxOpenTransactions(2)
                .txPoolWaitTimeout(Duration.ofMillis(200)).build();
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, config, registry)) {
            TxEngine tx = s.transactions();
            long a = tx.begin(OPTS);
            tx.begin(OPTS);
            long t0 = System.nanoTime();
            MosaicException e = assertThrows(MosaicException.class, () -> tx.begin(OPTS));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
            assertEquals(SqlError.TOO_MANY_USER_CONNECTIONS, e.sqlError().orElseThrow());
            assertTrue(e.getMessage().contains("transaction pool connection limit exceeded"), e.getMessage());
            assertTrue(ms >= 190 && ms < 1500, "took " + ms + "ms");
            assertEquals(1.0, registry.get("mosaic.tablet.tx.cap_exceeded").counter().count());
            assertEquals(2.0, registry.get("mosaic.tablet.tx.open").gauge().value());
            tx.rollback(a);
            tx.begin(OPTS); // room again
            assertEquals(2, tx.openTransactions());
            System.out.printf("tx cap: refused after %d ms (wait 200 ms)%n", ms);
        }
    }

    @Test
    void killerRollsBackAnAbandonedTransactionAndReleasesItsLocks() throws Exception {
        SimpleMeterRegistry registry = TabletTestSupport.registry();
        TabletConfig config = TabletConfig.defaults().toBuilder().txTimeout(Duration.ofSeconds(1)).build();
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, config, registry)) {
            TxEngine tx = s.transactions();
            long id = tx.begin(OPTS);
            tx.execute(id, "UPDATE acct SET v = 'dirty' WHERE id = 1", BindVariables.EMPTY, OPTS);
            long t0 = System.nanoTime();
            // ... and the client goes away.
            await("the killer to end the transaction", Duration.ofSeconds(5), () -> tx.openTransactions() == 0);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("clean", committed(1), "the update was rolled back");
            // The row lock is gone: another session can update the row at once.
            try (Connection c = mysqld.connect(); Statement st = c.createStatement()) {
                st.execute("SET SESSION innodb_lock_wait_timeout = 1");
                assertEquals(1, st.executeUpdate("UPDATE vt_test.acct SET v = 'other' WHERE id = 1"));
            }
            MosaicException e = assertThrows(MosaicException.class,
                    () -> tx.execute(id, "SELECT 1", BindVariables.EMPTY, OPTS));
            assertEquals(ErrorCode.ABORTED, e.code());
            assertTrue(e.getMessage().matches("transaction " + id
                    + ": ended at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} UTC \\(exceeded timeout: 1s\\)"),
                    e.getMessage());
            assertThrows(MosaicException.class, () -> tx.commit(id));
            assertEquals(1.0, registry.get("mosaic.tablet.tx.ended").tag("reason", "timeout").counter().count());
            assertEquals(0.0, registry.get("mosaic.tablet.pool.in_use").tag("pool", "tx").gauge().value());
            System.out.printf("tx killer: abandoned tx rolled back %d ms after its last statement (timeout 1s)%n", ms);
        }
    }

    @Test
    void killerEndsATransactionWhileAStatementRunsInIt() {
        TabletConfig config = TabletConfig.defaults().toBuilder().txTimeout(Duration.ofSeconds(1)).build();
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, config, TabletTestSupport.registry())) {
            TxEngine tx = s.transactions();
            long id = tx.begin(OPTS);
            tx.execute(id, "UPDATE acct SET v = 'dirty' WHERE id = 2", BindVariables.EMPTY, OPTS);
            long t0 = System.nanoTime();
            CompletableFuture<QueryResult> sleeping = CompletableFuture.supplyAsync(() -> tx.execute(id,
                    "SELECT SLEEP(20)", BindVariables.EMPTY, ExecuteOptions.DEFAULT.withTimeout(Duration.ZERO)));
            Throwable failure = assertThrows(Exception.class, sleeping::join).getCause();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            MosaicException e = (MosaicException) failure;
            assertEquals(ErrorCode.ABORTED, e.code(), e.toString());
            assertTrue(e.getMessage().contains("exceeded timeout: 1s"), e.getMessage());
            assertTrue(ms < 5000, "took " + ms + "ms");
            assertEquals("clean", committed(2));
            assertEquals(0, tx.openTransactions());
            assertEquals(0, s.pools().tx().inUse());
        }
    }

    @Test
    void closeRollsBackOpenTransactionsQuickly() {
        TabletQueryServer s = TabletTestSupport.open(mysqld, TabletConfig.defaults(), TabletTestSupport.registry());
        long id = s.transactions().begin(OPTS);
        s.transactions().execute(id, "UPDATE acct SET v = 'dirty' WHERE id = 1", BindVariables.EMPTY, OPTS);
        long t0 = System.nanoTime();
        s.close();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("clean", committed(1));
        assertTrue(ms < 2000, "close took " + ms + "ms");
        MosaicException e = assertThrows(MosaicException.class, () -> s.transactions().begin(OPTS));
        assertEquals(SqlError.SERVER_SHUTDOWN, e.sqlError().orElseThrow());
        e = assertThrows(MosaicException.class, () -> s.transactions().commit(id));
        assertTrue(e.getMessage().endsWith("(tablet shutdown)"), e.getMessage());
        System.out.printf("close with an open tx: %d ms%n", ms);
    }
}
