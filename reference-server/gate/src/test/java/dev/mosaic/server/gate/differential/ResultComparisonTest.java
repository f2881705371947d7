package dev.mosaic.server.gate.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The differential test's comparison: what counts as the same answer and what does not. */
class ResultComparisonTest {
    private static ShardedDifferentialIT.Result result(List<String> labels, List<List<String>> rows) {
        return new ShardedDifferentialIT.Result(labels, rows, null);
    }

    private static final ShardedDifferentialIT.Result AB = result(List.of("x"), List.of(List.of("a"), List.of("B")));
    private static final ShardedDifferentialIT.Result BA = result(List.of("x"), List.of(List.of("B"), List.of("a")));

    @Test
    void orderCountsOnlyWhenTheStatementOrders() {
        assertNull(AB.diff(BA, false, false));
        assertNotNull(AB.diff(BA, true, false));
        assertNull(AB.diff(AB, true, false));
    }

    @Test
    void rowsColumnsErrorsAndDuplicatesCount() {
        assertNotNull(AB.diff(result(List.of("x"), List.of(List.of("a"))), false, false), "a missing row");
        assertNotNull(AB.diff(result(List.of("x"), List.of(List.of("a"), List.of("B"), List.of("B"))), false, false),
                "a duplicate row");
        assertNotNull(AB.diff(result(List.of("x", "y"), List.of(List.of("a", "1"), List.of("B", "2"))), false, false),
                "another column count");
        assertNotNull(AB.diff(new ShardedDifferentialIT.Result(List.of(), List.of(), "1235 42000 nope"), false, false));
        assertNotNull(result(List.of("s"), List.of(List.of("1.50"))).diff(result(List.of("s"), List.of(List.of("1.5"))),
                false, false), "decimals compare as MySQL prints them, not by value");
        assertNotNull(result(List.of("s"), List.of(List.of("NULL"))).diff(result(List.of("s"), List.of(List.of("0"))),
                false, false));
    }

    @Test
    void caseAndAccentVariantsAreEqualOnlyWhenAsked() {
        ShardedDifferentialIT.Result oracle = result(List.of("n"), List.of(List.of("alice"), List.of("zoë")));
        ShardedDifferentialIT.Result gate = result(List.of("n"), List.of(List.of("Alice"), List.of("Zoe")));
        assertNotNull(oracle.diff(gate, true, false));
        assertNull(oracle.diff(gate, true, true));
        assertNotNull(oracle.diff(result(List.of("n"), List.of(List.of("alice"), List.of("zoey"))), true, true));
    }

    @Test
    void orderedMeansATopLevelOrderBy() {
        assertEquals(true, ShardedDifferentialIT.ordered("SELECT a FROM t ORDER BY a"));
        assertEquals(false, ShardedDifferentialIT.ordered("SELECT a FROM t"));
        assertEquals(false, ShardedDifferentialIT.ordered("SELECT a FROM (SELECT a FROM t ORDER BY a LIMIT 3) x"));
        assertEquals(true, ShardedDifferentialIT.ordered("select a from t order by a"));
    }
}
