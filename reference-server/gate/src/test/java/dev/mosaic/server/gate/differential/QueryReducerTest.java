package dev.mosaic.server.gate.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.gate.differential.SqlNode.Expr;
import dev.mosaic.server.gate.differential.SqlNode.Select;
import dev.mosaic.server.gate.differential.SqlNode.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The reducer against fake oracles: pure logic, no mysqld. */
class QueryReducerTest {
    /** SELECT u.name, (u.score + 1), COALESCE(o.qty, 0) FROM users u JOIN orders o ... WHERE ... ORDER BY ... LIMIT 5. */
    private static Sql big() {
        Select s = new Select(false,
                List.of(Expr.leaf("u.name"), Expr.of("({} + 1)", Expr.leaf("u.score")), Expr.of("COALESCE({}, 0)", Expr.leaf("o.qty"))),
                Expr.leaf("users u"),
                List.of(Expr.frame("JOIN orders o ON {}", Expr.of("o.user_id = {}", Expr.leaf("u.user_id"))),
                        Expr.frame("LEFT JOIN events e ON {}", Expr.of("e.user_id = {}", Expr.leaf("u.user_id")))),
                List.of(Expr.leaf("u.balance > 10"), Expr.of("({} OR {})", Expr.leaf("o.qty IS NULL"), Expr.leaf("o.sku LIKE 'S%'")),
                        Expr.of("u.user_id IN ({})", Sql.of(new Select(false, List.of(Expr.leaf("s.user_id")),
                                Expr.leaf("events s"), List.of(), List.of(Expr.leaf("s.weight > 3"), Expr.leaf("s.kind = 'buy'")),
                                List.of(), List.of())))),
                List.of(), List.of());
        return new Sql(List.of(s), false, List.of(Expr.leaf("u.name"), Expr.leaf("u.user_id"), Expr.leaf("o.order_id")), true,
                " LIMIT 5");
    }

    @Test
    void rendersTheStatement() {
        assertEquals("SELECT u.name, (u.score + 1), COALESCE(o.qty, 0) FROM users u JOIN orders o ON o.user_id = u.user_id"
                + " LEFT JOIN events e ON e.user_id = u.user_id WHERE u.balance > 10 AND (o.qty IS NULL OR o.sku LIKE 'S%')"
                + " AND u.user_id IN (SELECT s.user_id FROM events s WHERE s.weight > 3 AND s.kind = 'buy')"
                + " ORDER BY u.name, u.user_id, o.order_id LIMIT 5", big().sql());
    }

    @Test
    void shrinksToWhatTheOracleNeeds() {
        // The "bug": a LIKE on the joined table. The fake oracle does not check the SQL is valid
        // (the real one does: a shrink counts only while MariaDB still answers it).
        Predicate<Sql> fails = q -> q.sql().contains("LIKE") && q.sql().contains("JOIN orders o");
        QueryReducer.Reduction r = QueryReducer.reduce(big(), fails, 1000);
        assertEquals("SELECT o.qty FROM users u JOIN orders o ON u.user_id WHERE o.sku LIKE 'S%'", r.minimal().sql());
        assertTrue(fails.test(r.minimal()));
    }

    @Test
    void shrinksInsideSubqueriesAndKeepsWhatIsNeeded() {
        Predicate<Sql> fails = q -> q.sql().contains("IN (SELECT s.user_id FROM events s WHERE s.kind = 'buy')")
                && q.sql().contains("ORDER BY");
        Sql min = QueryReducer.reduce(big(), fails, 1000).minimal();
        assertEquals("SELECT o.qty FROM users u WHERE u.user_id IN (SELECT s.user_id FROM events s WHERE s.kind = 'buy')"
                + " ORDER BY o.order_id", min.sql());
        assertFalse(min.ordered(), "a dropped sort key leaves a partial order: compared as a multiset");
    }

    @Test
    void aLimitNeverOutlivesItsTotalOrder() {
        List<Sql> seen = new ArrayList<>();
        QueryReducer.reduce(big(), q -> {
            seen.add(q);
            return q.sql().contains("LIMIT");
        }, 1000);
        for (Sql q : seen) {
            assertTrue(q.limit().isEmpty() || q.totalOrder(), q.sql());
        }
    }

    @Test
    void stopsAtTheBudgetAndNeverGrows() {
        List<Integer> lengths = new ArrayList<>();
        QueryReducer.Reduction r = QueryReducer.reduce(big(), q -> {
            lengths.add(q.sql().length());
            return true;
        }, 7);
        assertEquals(7, r.tries());
        assertEquals(7, r.shrinks());
        for (int i = 1; i < lengths.size(); i++) {
            assertTrue(lengths.get(i) < lengths.get(i - 1), "each kept shrink is shorter: " + lengths);
        }
    }

    @Test
    void unionArmsAreDroppedOneAtATime() {
        Select a = new Select(false, List.of(Expr.leaf("u.name")), Expr.leaf("users u"), List.of(), List.of(), List.of(), List.of());
        Select b = new Select(false, List.of(Expr.leaf("p.title")), Expr.leaf("commerce.products p"), List.of(), List.of(),
                List.of(), List.of());
        Sql union = new Sql(List.of(a, b, a), false, List.of(Expr.leaf("1")), true, " LIMIT 3");
        Sql min = QueryReducer.reduce(union, q -> q.sql().contains("products") && q.sql().contains(" UNION "), 100).minimal();
        assertEquals("SELECT p.title FROM commerce.products p UNION SELECT u.name FROM users u", min.sql());
        // Nothing smaller fails: the original comes back.
        assertEquals(union, QueryReducer.reduce(union, q -> false, 100).minimal());
    }
}
