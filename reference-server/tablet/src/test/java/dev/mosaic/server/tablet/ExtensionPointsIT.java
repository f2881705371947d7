package dev.mosaic.server.tablet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.pool.ConnectionPool;
import dev.mosaic.server.tablet.pool.PooledConnection;
import dev.mosaic.server.tablet.query.ExecuteOptions;
import dev.mosaic.server.tablet.query.QueryConsolidator;
import dev.mosaic.server.tablet.query.StatementKind;
import dev.mosaic.server.tablet.query.TableAclChecker;
import dev.mosaic.server.tablet.tx.TxEngine;
import dev.mosaic.server.tablet.tx.TxSerializer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Where the consolidator, hot-row serializer and ACL checker plug in; pool waiter cap; timeouts inside a transaction. */
class ExtensionPointsIT {
    private static final ExecuteOptions OPTS = ExecuteOptions.DEFAULT;
    private static MysqldCluster cluster;
    private static Mysqld mysqld;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(1);
        mysqld = cluster.get(0);
        TabletTestSupport.prepare(mysqld);
        mysqld.executeAll(List.of("CREATE TABLE vt_test.t (id INT PRIMARY KEY, v INT)", "INSERT INTO vt_test.t VALUES (1, 0)"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void extensionsAreCalledWhereDocumented() {
        List<String> consolidated = new CopyOnWriteArrayList<>();
        List<String> serialized = new CopyOnWriteArrayList<>();
        AtomicInteger released = new AtomicInteger();
        QueryConsolidator consolidator = (sql, execution) -> {
            consolidated.add(sql);
            return execution.get();
        };
        TxSerializer serializer = (txId, sql, vars) -> {
            serialized.add(sql);
            return released::incrementAndGet;
        };
        TableAclChecker acl = (principal, sql, kind) -> {
            if (kind == StatementKind.WRITE && !principal.equals("writer")) {
                throw new MosaicException(ErrorCode.PERMISSION_DENIED, principal + " may not write");
            }
        };
        TabletExtensions ext = TabletExtensions.NONE.withConsolidator(consolidator).withTxSerializer(serializer).withAcl(acl);
        try (TabletQueryServer s = TabletQueryServer.open(TabletConfig.defaults().toBuilder().dbName(TabletTestSupport.DB).build(),
                mysqld.connectionParams(), TabletTestSupport.registry(), ext)) {
            s.queries().execute("SELECT v FROM t WHERE id = :id", BindVariables.EMPTY.with("id", dev.mosaic.api.sql.Value.of(1)), OPTS);
            assertEquals(List.of("SELECT v FROM t WHERE id = 1"), consolidated, "reads go through the consolidator, bound");

            MosaicException denied = assertThrows(MosaicException.class,
                    () -> s.queries().execute("UPDATE t SET v = 1", BindVariables.EMPTY, OPTS.withPrincipal("reader")));
            assertEquals(ErrorCode.PERMISSION_DENIED, denied.code());
            s.queries().execute("UPDATE t SET v = 1", BindVariables.EMPTY, OPTS.withPrincipal("writer"));
            assertEquals(1, consolidated.size(), "writes are not consolidated");

            TxEngine tx = s.transactions();
            long id = tx.begin(OPTS);
            assertThrows(MosaicException.class,
                    () -> tx.execute(id, "UPDATE t SET v = 2 WHERE id = 1", BindVariables.EMPTY, OPTS.withPrincipal("reader")));
            tx.execute(id, "UPDATE t SET v = 2 WHERE id = 1", BindVariables.EMPTY, OPTS.withPrincipal("writer"));
            tx.execute(id, "SELECT v FROM t", BindVariables.EMPTY, OPTS);
            assertEquals(List.of("UPDATE t SET v = 2 WHERE id = 1"), serialized, "only writes enter the serializer");
            assertEquals(0, released.get());
            tx.commit(id);
            assertEquals(1, released.get(), "the hold is released when the transaction ends");
        }
    }

    @Test
    void statementTimeoutInsideATransactionKeepsTheTransaction() {
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, TabletConfig.defaults(), TabletTestSupport.registry())) {
            TxEngine tx = s.transactions();
            long id = tx.begin(OPTS);
            tx.execute(id, "UPDATE t SET v = 5 WHERE id = 1", BindVariables.EMPTY, OPTS);
            MosaicException e = assertThrows(MosaicException.class, () -> tx.execute(id, "SELECT SLEEP(10) /* in-tx-timeout */",
                    BindVariables.EMPTY, OPTS.withTimeout(Duration.ofMillis(300))));
            assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
            TabletTestSupport.await("the killed query to leave the processlist", Duration.ofSeconds(3),
                    () -> TabletTestSupport.processesRunning(mysqld, "in-tx-timeout") == 0);
            assertEquals("5", tx.execute(id, "SELECT v FROM t WHERE id = 1", BindVariables.EMPTY, OPTS).text(0, 0));
            tx.rollback(id);
        }
    }

    @Test
    void waiterCapTurnsCallersAwayAtOnce() throws Exception {
        TabletConfig config = TabletConfig.defaults().toBuilder().queryPoolSize(1).poolWaiterCap(1)
                .queryPoolWaitTimeout(Duration.ofSeconds(5)).build();
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, config, TabletTestSupport.registry())) {
            ConnectionPool pool = s.pools().query();
            PooledConnection held = pool.get();
            CompletableFuture<PooledConnection> waiter = CompletableFuture.supplyAsync(pool::get);
            TabletTestSupport.await("one waiter", Duration.ofSeconds(3), () -> pool.waiting() == 1);
            long t0 = System.nanoTime();
            MosaicException e = assertThrows(MosaicException.class, pool::get);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(SqlError.TOO_MANY_USER_CONNECTIONS, e.sqlError().orElseThrow());
            assertTrue(e.getMessage().contains("waiter count exceeded"), e.getMessage());
            assertTrue(ms < 500, "took " + ms + "ms");
            held.close();
            waiter.get().close(); // the waiter got the connection once it was returned
            assertEquals(0, pool.inUse());
        }
    }
}
