package dev.mosaic.server.tablet.protection;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.tablet.acl.Role;
import dev.mosaic.server.tablet.acl.TableAclConfig;
import dev.mosaic.server.tablet.acl.TableAclGuard;
import dev.mosaic.server.tablet.acl.TableAclSettings;
import dev.mosaic.server.tablet.plan.PlanCache;
import dev.mosaic.server.tablet.plan.StatementAnalyzer;
import dev.mosaic.server.tablet.query.StatementKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ACL adapter's decisions, without MySQL (TableAclIT runs them through the engines). */
class PlanTableAclCheckerTest {
    private static final TableAclConfig CONFIG = TableAclConfig.parse("test", """
            {"table_groups": [
              {"name": "app", "table_names_or_prefixes": ["t", "u"], "readers": ["r"], "writers": ["w"], "admins": ["a"]}
            ]}""");

    private static PlanTableAclChecker checker(TableAclSettings settings) {
        return new PlanTableAclChecker(TableAclGuard.of(CONFIG, settings),
                new PlanCache(new StatementAnalyzer(), 100, new SimpleMeterRegistry()));
    }

    private static ErrorCode denied(PlanTableAclChecker c, String user, String sql) {
        return assertThrows(MosaicException.class, () -> c.check(user, sql, StatementKind.of(sql))).code();
    }

    @Test
    void everyTableIsCheckedWithItsRole() {
        PlanTableAclChecker c = checker(TableAclSettings.STRICT);
        assertDoesNotThrow(() -> c.check("r", "SELECT * FROM t JOIN u ON t.id = u.id", StatementKind.READ));
        assertEquals(ErrorCode.PERMISSION_DENIED, denied(c, "r", "INSERT INTO t SELECT * FROM u"));
        assertDoesNotThrow(() -> c.check("w", "INSERT INTO t SELECT * FROM u", StatementKind.WRITE));
        assertEquals(ErrorCode.PERMISSION_DENIED, denied(c, "w", "INSERT INTO t SELECT * FROM other"));
        assertEquals(ErrorCode.PERMISSION_DENIED, denied(c, "w", "DROP TABLE t"));
        assertDoesNotThrow(() -> c.check("a", "DROP TABLE t", StatementKind.DDL));
        assertEquals(ErrorCode.PERMISSION_DENIED, denied(c, "r", "WITH x AS (SELECT 1) SELECT * FROM x, v"));
        assertDoesNotThrow(() -> c.check("r", "WITH v AS (SELECT * FROM t) SELECT * FROM v", StatementKind.READ));
    }

    @Test
    void statementsWithoutTablesNeedNoCaller() {
        PlanTableAclChecker c = checker(TableAclSettings.STRICT);
        for (String sql : new String[] {"SELECT 1", "SELECT NOW() FROM dual", "SET autocommit = 1", "BEGIN", "COMMIT", "SHOW TABLES"}) {
            assertDoesNotThrow(() -> c.check("", sql, StatementKind.of(sql)), sql);
        }
        assertEquals(ErrorCode.UNAUTHENTICATED, denied(c, "", "SELECT * FROM t"));
    }

    @Test
    void undeterminedStatementsOnlyForExemptCallers() {
        PlanTableAclChecker strict = checker(TableAclSettings.STRICT);
        assertEquals(ErrorCode.PERMISSION_DENIED, denied(strict, "a", "CALL p()"));
        assertEquals(ErrorCode.PERMISSION_DENIED, denied(strict, "a", "SELECT * FROM t; DROP TABLE u"));
        PlanTableAclChecker exempt = checker(new TableAclSettings(TableAclSettings.UnlistedTables.DENY, false, Set.of("vt_dba")));
        assertDoesNotThrow(() -> exempt.check("vt_dba", "CALL p()", StatementKind.OTHER));
        assertDoesNotThrow(() -> exempt.check("vt_dba", "SELECT * FROM anything", StatementKind.READ));
    }

    @Test
    void dryRunCountsInsteadOfDenying() {
        PlanTableAclChecker c = checker(new TableAclSettings(TableAclSettings.UnlistedTables.DENY, true, Set.of()));
        assertDoesNotThrow(() -> c.check("r", "UPDATE t SET v = 1", StatementKind.WRITE));
        assertDoesNotThrow(() -> c.check("r", "CALL p()", StatementKind.OTHER));
        assertDoesNotThrow(() -> c.check("", "SELECT * FROM t", StatementKind.READ));
        Map<TableAclGuard.StatsKey, Long> pseudo = c.guard().stats().pseudoDenied();
        assertEquals(1L, pseudo.get(new TableAclGuard.StatsKey("t", "app", Role.WRITER)));
        assertEquals(1L, pseudo.get(new TableAclGuard.StatsKey(TableAclGuard.UNDETERMINED_TABLES, "", Role.WRITER)));
        assertEquals(Map.of(), c.guard().stats().denied());
    }
}
