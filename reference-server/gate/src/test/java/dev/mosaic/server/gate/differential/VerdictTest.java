package dev.mosaic.server.gate.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.server.gate.differential.ShardedDifferentialIT.Result;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What counts as a match, a rejection and a mismatch; and the report's counts. */
class VerdictTest {
    private static final Result ROWS = new Result(List.of("x"), List.of(List.of("1"), List.of("2")), null);
    private static final Result REVERSED = new Result(List.of("x"), List.of(List.of("2"), List.of("1")), null);
    private static final Result UNSUPPORTED = new Result(List.of(), List.of(),
            "1235 42000 VT12001: unsupported: UNION (distinct) across shards");
    private static final Result NO_COLUMN = new Result(List.of(), List.of(), "1054 42S22 Unknown column 'x'");
    private static final Result OTHER = new Result(List.of(), List.of(), "1105 HY000 VT13001: internal error");

    @Test
    void verdicts() {
        record Case(Result oracle, Result gate, boolean ordered, Verdict want) {
        }
        for (Case c : List.of(
                new Case(ROWS, ROWS, true, Verdict.MATCH),
                new Case(ROWS, REVERSED, false, Verdict.MATCH),
                new Case(ROWS, REVERSED, true, Verdict.WRONG_ANSWER),
                new Case(ROWS, UNSUPPORTED, true, Verdict.REJECTED),
                new Case(ROWS, OTHER, false, Verdict.GATE_ERROR),
                new Case(ROWS, new Result(List.of(), List.of(), "1235 42000 This version of MariaDB doesn't yet support"),
                        false, Verdict.GATE_ERROR),
                new Case(NO_COLUMN, ROWS, false, Verdict.ORACLE_ERROR),
                new Case(NO_COLUMN, new Result(List.of(), List.of(), "1054 42S22 Unknown column 'u.x'"), false, Verdict.MATCH),
                new Case(NO_COLUMN, UNSUPPORTED, false, Verdict.DIFFERENT_ERRORS))) {
            assertEquals(c.want(), Verdict.judge(c.oracle(), c.gate(), c.ordered(), false), c.toString());
        }
    }

    @Test
    void reportCountsRejectionsPerConstruct() {
        DifferentialReport r = new DifferentialReport(5);
        r.add(Set.of(Construct.UNION, Construct.LIMIT), Verdict.REJECTED);
        r.add(Set.of(Construct.LIMIT), Verdict.MATCH);
        r.add(Set.of(Construct.LIMIT), Verdict.WRONG_ANSWER);
        assertEquals(3, r.total());
        assertEquals(2, r.compared());
        assertEquals(1, r.matched());
        assertEquals(1, r.rejected());
        assertEquals(1, r.mismatched());
        String md = r.markdown("run");
        assertEquals(true, md.contains("| 3 | 2 | 1 | 1 | 1 (33.3%) |"), md);
        assertEquals(true, md.contains("| UNION (distinct) | 1 | 1 | 100.0% |"), md);
        assertEquals(true, md.contains("| LIMIT | 3 | 1 | 33.3% |"), md);
        assertEquals(true, md.indexOf("UNION (distinct)") < md.indexOf("| LIMIT"), "highest rejected fraction first: " + md);
    }
}
