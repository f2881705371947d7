package dev.mosaic.server.tablet.protection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletProtections;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.acl.Role;
import dev.mosaic.server.tablet.acl.TableAclGuard;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.query.ExecuteOptions;
import dev.mosaic.server.tablet.query.QueryEngine;
import dev.mosaic.server.tablet.tx.TxEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table ACLs from config, through both engines, against a real MariaDB. */
class TableAclIT {
    private static final String ACL = """
            {"table_groups": [
              {"name": "orders", "table_names_or_prefixes": ["orders"],
               "readers": ["reader"], "writers": ["writer"], "admins": ["dba"]},
              {"name": "secrets", "table_names_or_prefixes": ["secret%"],
               "readers": ["dba"], "writers": ["dba"], "admins": ["dba"]}
            ]}
            """;
    private static MysqldCluster cluster;
    private static Mysqld mysqld;

    @TempDir
    Path dir;
    private SimpleMeterRegistry registry;
    private TabletProtections protections;
    private TabletQueryServer server;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(1);
        mysqld = cluster.get(0);
        TabletTestSupport.prepare(mysqld);
        mysqld.executeAll(List.of(
                "CREATE TABLE vt_test.orders (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE vt_test.secrets (id INT PRIMARY KEY, s VARCHAR(20))",
                "INSERT INTO vt_test.orders VALUES (1, 10), (2, 20)",
                "INSERT INTO vt_test.secrets VALUES (1, 'hush')"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void open() throws IOException {
        Path file = dir.resolve("acl.json");
        Files.writeString(file, ACL);
        TabletConfig config = TabletConfig.fromMap(Map.of("db.name", TabletTestSupport.DB, "acl.file", file.toString(),
                "acl.strict", "true", "acl.enforce-config", "true"));
        registry = TabletTestSupport.registry();
        protections = TabletProtections.fromConfig(config, registry);
        server = TabletQueryServer.open(config, mysqld.connectionParams(), registry, protections.extensions());
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private static ExecuteOptions as(String user) {
        return ExecuteOptions.DEFAULT.withPrincipal(user);
    }

    private String v(int id) {
        return mysqld.fetchValue("SELECT v FROM vt_test.orders WHERE id = " + id).orElseThrow();
    }

    @Test
    void aReaderMaySelectButNotUpdateThroughTheQueryEngine() {
        QueryEngine q = server.queries();
        assertEquals("10", q.execute("SELECT v FROM orders WHERE id = :id", BindVariables.EMPTY.with("id", Value.of(1)),
                as("reader")).text(0, 0));
        MosaicException e = assertThrows(MosaicException.class,
                () -> q.execute("UPDATE orders SET v = 99 WHERE id = 1", BindVariables.EMPTY, as("reader")));
        assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
        assertEquals("table acl error: \"reader\" [] cannot run WRITER on table \"orders\"", e.getMessage());
        assertEquals("10", v(1), "the denied statement never reached MySQL");
        assertEquals(1L, q.execute("UPDATE orders SET v = 11 WHERE id = 1", BindVariables.EMPTY, as("writer")).rowsAffected());
        assertEquals("11", v(1));
        q.execute("UPDATE orders SET v = 10 WHERE id = 1", BindVariables.EMPTY, as("writer"));

        TableAclGuard.Stats stats = protections.aclGuard().orElseThrow().stats();
        assertEquals(1L, stats.denied().get(new TableAclGuard.StatsKey("orders", "orders", Role.WRITER)));
        assertEquals(1L, stats.allowed().get(new TableAclGuard.StatsKey("orders", "orders", Role.READER)));
    }

    @Test
    void theSameRulesHoldInsideATransaction() {
        TxEngine tx = server.transactions();
        long id = tx.begin(ExecuteOptions.DEFAULT);
        assertEquals("20", tx.execute(id, "SELECT v FROM orders WHERE id = 2", BindVariables.EMPTY, as("reader")).text(0, 0));
        MosaicException e = assertThrows(MosaicException.class,
                () -> tx.execute(id, "UPDATE orders SET v = 0 WHERE id = 2", BindVariables.EMPTY, as("reader")));
        assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
        assertEquals("table acl error: \"reader\" [] cannot run WRITER on table \"orders\"", e.getMessage());
        tx.execute(id, "UPDATE orders SET v = 21 WHERE id = 2", BindVariables.EMPTY, as("writer"));
        tx.rollback(id);
        assertEquals("20", v(2));
        assertEquals(0, tx.openTransactions());
    }

    @Test
    void ddlNeedsAnAdmin() {
        QueryEngine q = server.queries();
        MosaicException e = assertThrows(MosaicException.class,
                () -> q.execute("ALTER TABLE orders ADD COLUMN by_writer INT", BindVariables.EMPTY, as("writer")));
        assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
        assertEquals("table acl error: \"writer\" [] cannot run ADMIN on table \"orders\"", e.getMessage());
        q.execute("ALTER TABLE orders ADD COLUMN by_dba INT", BindVariables.EMPTY, as("dba"));
        assertEquals("by_dba", String.join(",", mysqld.fetchValue("SELECT GROUP_CONCAT(COLUMN_NAME) FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = 'vt_test' AND TABLE_NAME = 'orders' AND COLUMN_NAME LIKE 'by_%'").orElseThrow()));
    }

    @Test
    void aJoinWithATableTheCallerCannotReadIsDenied() {
        QueryEngine q = server.queries();
        String join = "SELECT o.v, s.s FROM orders o JOIN `vt_test`.`secrets` s ON s.id = o.id";
        MosaicException e = assertThrows(MosaicException.class, () -> q.execute(join, BindVariables.EMPTY, as("writer")));
        assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
        assertEquals("table acl error: \"writer\" [] cannot run READER on table \"secrets\"", e.getMessage());
        MosaicException sub = assertThrows(MosaicException.class, () -> q.execute(
                "SELECT v FROM orders WHERE id IN (SELECT id FROM secrets)", BindVariables.EMPTY, as("reader")));
        assertEquals(ErrorCode.PERMISSION_DENIED, sub.code());
        assertEquals("hush", q.execute(join, BindVariables.EMPTY, as("dba")).text(0, 1));
    }

    @Test
    void tablelessStatementsPassAndUndeterminedOnesFailClosed() {
        QueryEngine q = server.queries();
        assertEquals("1", q.execute("SELECT 1 FROM dual", BindVariables.EMPTY, ExecuteOptions.DEFAULT).text(0, 0));
        q.execute("SET @x = 1", BindVariables.EMPTY, as("reader"));
        MosaicException unknown = assertThrows(MosaicException.class,
                () -> q.execute("SELECT v FROM orders", BindVariables.EMPTY, ExecuteOptions.DEFAULT));
        assertEquals(ErrorCode.UNAUTHENTICATED, unknown.code());
        assertEquals("missing caller id", unknown.getMessage());
        MosaicException call = assertThrows(MosaicException.class,
                () -> q.execute("CALL no_such_procedure()", BindVariables.EMPTY, as("dba")));
        assertEquals(ErrorCode.PERMISSION_DENIED, call.code());
        assertEquals("table acl error: \"dba\" [] cannot run CALL: the tables it touches cannot be determined",
                call.getMessage());
        MosaicException unlisted = assertThrows(MosaicException.class,
                () -> q.execute("SELECT * FROM mysql.user", BindVariables.EMPTY, as("dba")));
        assertEquals(ErrorCode.PERMISSION_DENIED, unlisted.code(), "a table no group lists is denied under strict");
    }

    @Test
    void plansAreCachedBySqlText() {
        QueryEngine q = server.queries();
        for (int i = 0; i < 5; i++) {
            q.execute("SELECT v FROM orders WHERE id = :id", BindVariables.EMPTY.with("id", Value.of(i)), as("reader"));
        }
        assertEquals(4.0, registry.get("mosaic.tablet.plan_cache.requests").tag("result", "hit").functionCounter().count());
        assertEquals(1.0, registry.get("mosaic.tablet.plan_cache.requests").tag("result", "miss").functionCounter().count());
    }
}
