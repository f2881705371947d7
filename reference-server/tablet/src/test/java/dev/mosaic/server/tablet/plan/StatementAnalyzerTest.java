package dev.mosaic.server.tablet.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.tablet.acl.Role;
import dev.mosaic.server.tablet.query.StatementKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The analyzer's case corpus ({@code plan/analyzer-cases.txt}: SQL in, plan out), plus a few properties. */
class StatementAnalyzerTest {
    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer();
    private static final BindVariables VARS = BindVariables.of(Map.of("id", Value.of(5), "v", Value.of(7),
            "name", Value.of("x"), "ids", Value.tuple(Value.of(1), Value.of(2))));

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (InputStream in = StatementAnalyzerTest.class.getResourceAsStream("/plan/analyzer-cases.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            String sql = null;
            for (String line : lines) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("=> ")) {
                    out.add(Arguments.of(sql, line.substring(3)));
                    sql = null;
                } else {
                    sql = line;
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void corpus(String sql, String expected) {
        TabletPlan p = ANALYZER.analyze(sql);
        String row = p.hotRow().map(t -> t.bind(VARS).description()).orElse("-");
        String actual = p.kind() + " | r=" + String.join(",", p.tablesRead()) + " | w=" + String.join(",", p.tablesWritten())
                + " | a=" + String.join(",", p.tablesAltered()) + " | " + (p.tablesUndetermined() ? "undetermined" : "determined")
                + " | row=" + row;
        assertEquals(expected, actual, sql);
    }

    @Test
    void differentBindValuesAreDifferentRows() {
        TabletPlan p = ANALYZER.analyze("UPDATE t SET v = v + 1 WHERE id = :id");
        TabletPlan.HotRowTemplate row = p.hotRow().orElseThrow();
        assertEquals(row.bind(BindVariables.EMPTY.with("id", Value.of(1))), row.bind(BindVariables.EMPTY.with("id", Value.of(1))));
        assertNotEquals(row.bind(BindVariables.EMPTY.with("id", Value.of(1))), row.bind(BindVariables.EMPTY.with("id", Value.of(2))));
        assertEquals("t where id = 'it''s'", row.bind(BindVariables.EMPTY.with("id", Value.of("it's"))).description());
    }

    @Test
    void permissionsTakeTheHighestRolePerTable() {
        TabletPlan p = ANALYZER.analyze("INSERT INTO t SELECT * FROM t JOIN u ON t.id = u.id");
        assertEquals(List.of(new TabletPlan.TablePermission("t", Role.WRITER), new TabletPlan.TablePermission("u", Role.READER)),
                sorted(p.permissions()));
        assertEquals(List.of(new TabletPlan.TablePermission("t2", Role.ADMIN), new TabletPlan.TablePermission("t1", Role.READER)),
                ANALYZER.analyze("CREATE TABLE t2 AS SELECT * FROM t1").permissions().stream()
                        .sorted((a, b) -> b.role().compareTo(a.role())).toList());
    }

    private static List<TabletPlan.TablePermission> sorted(List<TabletPlan.TablePermission> ps) {
        return ps.stream().sorted((a, b) -> a.table().compareTo(b.table())).toList();
    }

    @Test
    void unparseableStatementsFallBackToTheirFirstKeyword() {
        TabletPlan p = ANALYZER.analyze("UPDATE t SET v = 1 WHERE id = 1 AND ))) garbage");
        assertFalse(p.parsed());
        assertEquals(StatementKind.WRITE, p.kind());
        assertTrue(p.tablesUndetermined());
        assertTrue(p.hotRow().isEmpty(), "no key, so it passes hot-row protection");
        TabletPlan set = ANALYZER.analyze("SET NAMES utf8mb4 COLLATE something_odd ((");
        assertFalse(set.parsed());
        assertFalse(set.tablesUndetermined(), "a session statement touches no table");
    }

    @Test
    void aLongMultiRowInsertIsReadFromItsHead() {
        StringBuilder sql = new StringBuilder("INSERT INTO `db`.t (a, b) VALUES (0, 'x')");
        for (int i = 1; sql.length() < 200_000; i++) {
            sql.append(", (").append(i).append(", 'values ''quoted''')");
        }
        long t0 = System.nanoTime();
        TabletPlan p = ANALYZER.analyze(sql.toString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(List.of("t"), p.tablesWritten());
        assertEquals(List.of(), p.tablesRead());
        assertFalse(p.tablesUndetermined());
        assertTrue(ms < 1000, "took " + ms + "ms");
        // With a SELECT anywhere the whole statement is read.
        TabletPlan withSelect = ANALYZER.analyze("INSERT INTO t (a) SELECT a FROM u WHERE a IN (" + "1, ".repeat(1500) + "2)");
        assertEquals(List.of("u"), withSelect.tablesRead());
    }

    @Test
    void neverThrowsOnOddInput() {
        for (String sql : Arrays.asList("", " ", ";", "'", "/*", "-- ", "SELECT", "((((((((((", "UPDATE", "\u0000")) {
            TabletPlan p = ANALYZER.analyze(sql);
            assertFalse(p.parsed() && p.kind() == StatementKind.WRITE, sql);
        }
    }
}
