package dev.mosaic.server.tablet.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mosaic.api.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableAclConfigTest {

    record Case(String name, String json, List<String> problems) {
    }

    @Test
    void invalidConfigsNameThePathOfEveryProblem() {
        List<Case> cases = List.of(
                new Case("unknown top-level field", """
                        {"table_groups": [], "tablegroups": []}""",
                        List.of("$.tablegroups: unknown field; expected one of [table_groups]")),
                new Case("unknown group field", """
                        {"table_groups": [{"name": "g", "reader": ["u"]}]}""",
                        List.of("$.table_groups[0].reader: unknown field; expected one of "
                                + "[name, table_names_or_prefixes, readers, writers, admins]")),
                new Case("root not an object", "[]",
                        List.of("$: expected object, got array")),
                new Case("groups not an array", """
                        {"table_groups": {"name": "g"}}""",
                        List.of("$.table_groups: expected array, got object")),
                new Case("group not an object", """
                        {"table_groups": ["g"]}""",
                        List.of("$.table_groups[0]: expected object, got string")),
                new Case("name not a string", """
                        {"table_groups": [{"name": 7}]}""",
                        List.of("$.table_groups[0].name: expected string, got number")),
                new Case("readers not an array", """
                        {"table_groups": [{"readers": "u"}]}""",
                        List.of("$.table_groups[0].readers: expected array of strings, got string")),
                new Case("several bad elements, all reported", """
                        {"table_groups": [{"table_names_or_prefixes": ["t"]}, {"writers": ["a", 1, true], "admins": [null]}]}""",
                        List.of("$.table_groups[1].writers[1]: expected string, got number",
                                "$.table_groups[1].writers[2]: expected string, got boolean",
                                "$.table_groups[1].admins[0]: expected string, got null")),
                new Case("field in both spellings", """
                        {"table_groups": [{"table_names_or_prefixes": ["a"], "tableNamesOrPrefixes": ["b"]}]}""",
                        List.of("$.table_groups[0].tableNamesOrPrefixes: field given twice (also as \"table_names_or_prefixes\")")),
                new Case("% inside a name", """
                        {"table_groups": [{"table_names_or_prefixes": ["ok", "a%b"]}]}""",
                        List.of("$.table_groups[0].table_names_or_prefixes[1]: \"a%b\": '%' marks a prefix and may only end a name")),
                new Case("empty name", """
                        {"table_groups": [{"table_names_or_prefixes": [""]}]}""",
                        List.of("$.table_groups[0].table_names_or_prefixes[0]: empty table name")),
                new Case("same name twice", """
                        {"table_groups": [{"table_names_or_prefixes": ["t"]}, {"table_names_or_prefixes": ["t"]}]}""",
                        List.of("$.table_groups[1].table_names_or_prefixes[0]: conflicting entries: \"t\" overlaps with "
                                + "\"t\" at $.table_groups[0].table_names_or_prefixes[0]")),
                new Case("name covered by a prefix", """
                        {"table_groups": [{"table_names_or_prefixes": ["log_%"]}, {"table_names_or_prefixes": ["log_a"]}]}""",
                        List.of("$.table_groups[1].table_names_or_prefixes[0]: conflicting entries: \"log_a\" overlaps with "
                                + "\"log_%\" at $.table_groups[0].table_names_or_prefixes[0]")),
                new Case("prefix extending a prefix", """
                        {"table_groups": [{"table_names_or_prefixes": ["log_2024%", "log_%"]}]}""",
                        List.of("$.table_groups[0].table_names_or_prefixes[0]: conflicting entries: \"log_2024%\" overlaps with "
                                + "\"log_%\" at $.table_groups[0].table_names_or_prefixes[1]")),
                new Case("malformed JSON", """
                        {"table_groups": [}""",
                        List.of("$.table_groups[0]: malformed JSON at line 1, column 19: unexpected '}', expected a value")));
        for (Case c : cases) {
            try {
                TableAclConfig.parse("acl.json", c.json());
                fail(c.name() + ": expected an error");
            } catch (TableAclConfigException e) {
                assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), c.name());
                assertEquals(c.problems(), e.problems().stream().map(Object::toString).toList(), c.name());
            }
        }
    }

    @Test
    void acceptsVitessFilesCamelCaseAndNulls() {
        TableAclConfig config = TableAclConfig.parse("acl.json", """
                {"tableGroups": [
                  {"name": "g", "tableNamesOrPrefixes": ["a", "b%"], "readers": ["r"], "writers": null},
                  {"table_names_or_prefixes": ["c"], "admins": ["x"]}
                ]}""");
        assertEquals(List.of(
                new TableGroup("g", List.of("a", "b%"), List.of("r"), List.of(), List.of()),
                new TableGroup("", List.of("c"), List.of(), List.of(), List.of("x"))), config.tableGroups());
        assertEquals(TableAclConfig.EMPTY, TableAclConfig.parse("empty", "{}"));
    }

    @Test
    void roundTripsThroughItsJson() {
        TableAclConfig config = new TableAclConfig(List.of(
                new TableGroup("g", List.of("a", "b%"), List.of("r"), List.of("w"), List.of("x"))));
        assertEquals(config, TableAclConfig.parse("round trip", config.toJson()));
    }

    @Test
    void aConfigBuiltInCodeIsCheckedToo() {
        TableAclConfigException e = assertThrows(TableAclConfigException.class, () -> new TableAclConfig(List.of(
                new TableGroup("g", List.of("a%", "ab"), List.of(), List.of(), List.of()))));
        assertEquals("$.table_groups[0].table_names_or_prefixes[1]", e.problems().get(0).path());
    }

    @Test
    void rolesNest() {
        assertEquals(List.of(true, false, false), List.of(Role.READER.implies(Role.READER), Role.READER.implies(Role.WRITER), Role.READER.implies(Role.ADMIN)));
        assertEquals(List.of(true, true, false), List.of(Role.WRITER.implies(Role.READER), Role.WRITER.implies(Role.WRITER), Role.WRITER.implies(Role.ADMIN)));
        assertEquals(List.of(true, true, true), List.of(Role.ADMIN.implies(Role.READER), Role.ADMIN.implies(Role.WRITER), Role.ADMIN.implies(Role.ADMIN)));
    }
}
