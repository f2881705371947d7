package dev.mosaic.server.tablet.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.server.tablet.query.ExecuteOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The query pool across a mysqld restart: every connection it held is dead afterwards. A read
 * outside a transaction that meets a dead connection is retried once on a fresh one, and the
 * pool drops all its other connections at the first dead one, so no later statement meets one.
 */
class MysqldRestartIT {
    private static MysqldCluster cluster;
    private static Mysqld mysqld;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(1);
        mysqld = cluster.get(0);
        TabletTestSupport.prepare(mysqld);
        mysqld.executeAll(List.of("CREATE TABLE vt_test.t (id INT PRIMARY KEY, v INT)",
                "INSERT INTO vt_test.t VALUES (1, 10), (2, 20)"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void statementsAfterAKilledAndRestartedMysqldMeetNoDeadConnection() throws Exception {
        SimpleMeterRegistry registry = TabletTestSupport.registry();
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, TabletConfig.defaults(), registry)) {
            int size = Math.min(4, s.pools().query().size());
            holdAndRelease(s.pools().query(), size);
            killAndRestartMysqld();
            // The pooled connections were used moments ago; reads and writes must all succeed.
            for (int i = 0; i < size; i++) {
                assertEquals("10", s.queries().execute("SELECT v FROM t WHERE id = 1", BindVariables.EMPTY,
                        ExecuteOptions.DEFAULT).texts().get(0).get(0));
            }
            assertEquals(1, s.queries().execute("UPDATE t SET v = v + 1 WHERE id = 2", BindVariables.EMPTY,
                    ExecuteOptions.DEFAULT).rowsAffected());
            holdAndRelease(s.pools().query(), size);
            assertEquals(1.0, registry.get("mosaic.tablet.query.reads_retried").counter().count(),
                    "only the first read met a dead connection");
            assertEquals(1.0, registry.get("mosaic.tablet.pool.connections_lost").tag("pool", "query").counter().count());
        }
    }

    @Test
    void aWriteOnADeadConnectionIsNotRetriedButTheNextOneSucceeds() throws Exception {
        try (TabletQueryServer s = TabletTestSupport.open(mysqld, TabletConfig.defaults(), TabletTestSupport.registry())) {
            int size = Math.min(4, s.pools().query().size());
            holdAndRelease(s.pools().query(), size);
            killAndRestartMysqld();
            // Whether a write on a lost connection reached mysqld cannot be known: it fails, UNAVAILABLE.
            MosaicException e = assertThrows(MosaicException.class, () -> s.queries().execute(
                    "UPDATE t SET v = v + 1 WHERE id = 1", BindVariables.EMPTY, ExecuteOptions.DEFAULT));
            assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.getMessage());
            // ... and the pool dropped every other connection it held: the next writes all succeed.
            for (int i = 0; i < size; i++) {
                assertEquals(1, s.queries().execute("UPDATE t SET v = v + 1 WHERE id = 1", BindVariables.EMPTY,
                        ExecuteOptions.DEFAULT).rowsAffected());
            }
            assertTrue(Integer.parseInt(s.queries().execute("SELECT v FROM t WHERE id = 1", BindVariables.EMPTY,
                    ExecuteOptions.DEFAULT).texts().get(0).get(0)) >= 10 + size);
        }
    }

    /** SIGKILL, then a new mysqld on the same data: every connection the pool held is dead. */
    private static void killAndRestartMysqld() throws Exception {
        ProcessHandle h = ProcessHandle.of(mysqld.pid().orElseThrow()).orElseThrow();
        h.destroyForcibly();
        h.onExit().get();
        mysqld.start(MysqldCluster.START_TIMEOUT);
        mysqld.executeAll(List.of("SET GLOBAL read_only = 0"));
    }

    /** Takes {@code n} connections at once (so the pool opens n) and gives them back. */
    private static void holdAndRelease(ConnectionPool pool, int n) {
        List<PooledConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(pool.get());
            }
        } finally {
            held.forEach(PooledConnection::close);
        }
    }
}
