package dev.mosaic.server.tablet.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableAclGuardTest {
    private static final String CONFIG = """
            {
              "table_groups": [
                {
                  "name": "orders",
                  "table_names_or_prefixes": ["orders", "order_items"],
                  "readers": ["analytics"],
                  "writers": ["app"],
                  "admins": ["dba"]
                },
                {
                  "name": "logs",
                  "table_names_or_prefixes": ["log_%"],
                  "readers": ["%"],
                  "writers": ["ingest"]
                },
                {
                  "name": "secrets",
                  "table_names_or_prefixes": ["secrets"],
                  "readers": ["security-team"],
                  "admins": ["root"]
                }
              ]
            }
            """;

    private static TableAclGuard guard(TableAclSettings settings) {
        return TableAclGuard.of(TableAclConfig.parse("test", CONFIG), settings);
    }

    record Case(String user, List<String> groups, String table, Role role, boolean allowed) {
    }

    @Test
    void rolesTablesAndUsers() {
        TableAclGuard acl = guard(TableAclSettings.STRICT);
        List<Case> cases = List.of(
                // exact names, role order reader < writer < admin
                new Case("analytics", List.of(), "orders", Role.READER, true),
                new Case("analytics", List.of(), "orders", Role.WRITER, false),
                new Case("analytics", List.of(), "orders", Role.ADMIN, false),
                new Case("app", List.of(), "orders", Role.READER, true),
                new Case("app", List.of(), "orders", Role.WRITER, true),
                new Case("app", List.of(), "orders", Role.ADMIN, false),
                new Case("dba", List.of(), "order_items", Role.READER, true),
                new Case("dba", List.of(), "order_items", Role.WRITER, true),
                new Case("dba", List.of(), "order_items", Role.ADMIN, true),
                new Case("mallory", List.of(), "orders", Role.READER, false),
                // names are not prefixes: "orders_archive" is not in the orders group
                new Case("app", List.of(), "orders_archive", Role.READER, false),
                new Case("app", List.of(), "order", Role.READER, false),
                // prefixes, and % for everyone
                new Case("mallory", List.of(), "log_2024", Role.READER, true),
                new Case("mallory", List.of(), "log_", Role.READER, true),
                new Case("mallory", List.of(), "log_2024", Role.WRITER, false),
                new Case("ingest", List.of(), "log_2024", Role.WRITER, true),
                new Case("ingest", List.of(), "log_2024", Role.ADMIN, false),
                new Case("ingest", List.of(), "logs", Role.READER, false),
                // membership through a caller group
                new Case("alice", List.of("eng", "security-team"), "secrets", Role.READER, true),
                new Case("alice", List.of("eng"), "secrets", Role.READER, false),
                new Case("alice", List.of("security-team"), "secrets", Role.WRITER, false),
                new Case("root", List.of(), "secrets", Role.WRITER, true),
                // unlisted tables are denied by default, dual never checked
                new Case("dba", List.of(), "users", Role.READER, false),
                new Case("mallory", List.of(), "dual", Role.ADMIN, true),
                // names are case-sensitive, as MySQL table names are on Linux
                new Case("app", List.of(), "ORDERS", Role.READER, false));
        for (Case c : cases) {
            Caller caller = new Caller(c.user(), c.groups());
            assertEquals(c.allowed(), acl.allowed(caller, c.table(), c.role()), c.toString());
            if (c.allowed()) {
                acl.check(caller, c.table(), c.role());
            } else {
                MosaicException e = assertThrows(MosaicException.class, () -> acl.check(caller, c.table(), c.role()), c.toString());
                assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
            }
        }
    }

    @Test
    void theDenialNamesUserGroupsRoleAndTableAsVitessDoes() {
        TableAclGuard acl = guard(TableAclSettings.STRICT);
        MosaicException e = assertThrows(MosaicException.class, () -> acl.check("bob", "orders", Role.WRITER));
        assertEquals("table acl error: \"bob\" [] cannot run WRITER on table \"orders\"", e.getMessage());
        e = assertThrows(MosaicException.class,
                () -> acl.check(new Caller("alice", List.of("eng", "ops")), "secrets", Role.ADMIN));
        assertEquals("table acl error: \"alice\" [eng ops] cannot run ADMIN on table \"secrets\"", e.getMessage());
        assertEquals(1142, e.mysqlErrno());
    }

    @Test
    void unlistedTablesCanBeLeftUncontrolled() {
        TableAclGuard acl = guard(new TableAclSettings(TableAclSettings.UnlistedTables.ALLOW, false, Set.of()));
        acl.check("anyone", "users", Role.ADMIN);
        assertThrows(MosaicException.class, () -> acl.check("anyone", "orders", Role.READER));
    }

    @Test
    void exemptUsersAndGroupsAreNotChecked() {
        TableAclGuard acl = guard(new TableAclSettings(TableAclSettings.UnlistedTables.DENY, false, Set.of("vt_dba", "admins")));
        acl.check("vt_dba", "orders", Role.ADMIN);
        acl.check(new Caller("carol", List.of("admins")), "users", Role.ADMIN);
        assertThrows(MosaicException.class, () -> acl.check("carol", "users", Role.READER));
    }

    @Test
    void dryRunAllowsButCountsWhatItWouldDeny() {
        TableAclGuard acl = guard(new TableAclSettings(TableAclSettings.UnlistedTables.DENY, true, Set.of()));
        acl.check("mallory", "orders", Role.WRITER);
        acl.check("mallory", "orders", Role.WRITER);
        acl.check("app", "orders", Role.WRITER);
        TableAclGuard.Stats stats = acl.stats();
        assertEquals(Map.of(new TableAclGuard.StatsKey("orders", "orders", Role.WRITER), 2L), stats.pseudoDenied());
        assertEquals(Map.of(new TableAclGuard.StatsKey("orders", "orders", Role.WRITER), 1L), stats.allowed());
        assertEquals(Map.of(), stats.denied());
    }

    @Test
    void decisionsAreCountedByTableGroupAndRole() {
        TableAclGuard acl = guard(TableAclSettings.STRICT);
        acl.allowed(Caller.of("x"), "log_1", Role.READER);
        acl.allowed(Caller.of("x"), "nowhere", Role.READER);
        TableAclGuard.Stats stats = acl.stats();
        assertEquals(Map.of(new TableAclGuard.StatsKey("log_1", "logs", Role.READER), 1L), stats.allowed());
        assertEquals(Map.of(new TableAclGuard.StatsKey("nowhere", "", Role.READER), 1L), stats.denied());
    }

    @Test
    void reloadSwapsInAGoodFileAndKeepsTheOldOnABadOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("acl.json");
        Files.writeString(file, CONFIG);
        TableAclGuard acl = TableAclGuard.fromFile(file, TableAclSettings.STRICT);
        assertTrue(acl.allowed(Caller.of("app"), "orders", Role.WRITER));
        TableAcl before = acl.current();

        Files.writeString(file, "{\"table_groups\": [{\"name\": \"x\", \"reader\": [\"app\"]}]}");
        TableAclConfigException e = assertThrows(TableAclConfigException.class, acl::reload);
        assertEquals(List.of(new TableAclConfigException.Problem("$.table_groups[0].reader",
                "unknown field; expected one of [name, table_names_or_prefixes, readers, writers, admins]")), e.problems());
        assertTrue(e.getMessage().startsWith("invalid table ACL config " + file + ": "), e.getMessage());
        assertSame(before, acl.current());
        assertSame(e, acl.lastReloadError().orElseThrow());
        assertTrue(acl.allowed(Caller.of("app"), "orders", Role.WRITER));

        Files.delete(file);
        MosaicException missing = assertThrows(MosaicException.class, acl::reload);
        assertEquals(ErrorCode.INVALID_ARGUMENT, missing.code());
        assertSame(before, acl.current());

        Files.writeString(file, """
                {"table_groups": [{"name": "orders", "table_names_or_prefixes": ["orders"], "readers": ["app"]}]}
                """);
        acl.reload();
        assertFalse(acl.allowed(Caller.of("app"), "orders", Role.WRITER));
        assertTrue(acl.allowed(Caller.of("app"), "orders", Role.READER));
        assertTrue(acl.lastReloadError().isEmpty());
    }

    @Test
    void aBadFileAtStartupIsFatal(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("acl.json");
        Files.writeString(file, "{\"table_groups\": {}}");
        TableAclConfigException e = assertThrows(TableAclConfigException.class,
                () -> TableAclGuard.fromFile(file, TableAclSettings.STRICT));
        assertEquals("$.table_groups", e.problems().get(0).path());
        assertThrows(MosaicException.class, () -> TableAclGuard.fromFile(dir.resolve("missing.json"), TableAclSettings.STRICT));
    }

    @Test
    void checksDuringReloadsSeeOneConfigOrTheOther() throws Exception {
        TableAclConfig a = TableAclConfig.parse("a", """
                {"table_groups": [{"table_names_or_prefixes": ["t1", "t2"], "readers": ["u"]}]}""");
        TableAclConfig b = TableAclConfig.parse("b", """
                {"table_groups": [{"table_names_or_prefixes": ["t1", "t2"], "readers": ["v"]}]}""");
        TableAclGuard acl = TableAclGuard.of(a, TableAclSettings.STRICT);
        Thread flipper = new Thread(() -> {
            for (int i = 0; i < 20_000; i++) {
                acl.set(i % 2 == 0 ? b : a);
            }
        });
        flipper.start();
        while (flipper.isAlive()) {
            TableAcl snapshot = acl.current();
            TableAcl.Group g1 = snapshot.groupFor("t1").orElseThrow();
            TableAcl.Group g2 = snapshot.groupFor("t2").orElseThrow();
            assertEquals(g1.allows(Caller.of("u"), Role.READER), g2.allows(Caller.of("u"), Role.READER));
        }
        flipper.join();
    }
}
