package dev.mosaic.server.gate.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.gate.differential.SqlGrammar.Generated;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generator: seeded, every construct reachable, LIMIT only under a total order, tags honest. */
class SqlGrammarTest {
    private static final List<String> EMAILS = List.of("user1@example.com", "User2@mail.org");

    private static List<Generated> generate(long seed, int n) {
        return new SqlGrammar(seed, EMAILS).generate(n);
    }

    @Test
    void theSameSeedGivesTheSameStatements() {
        assertEquals(generate(42, 300), generate(42, 300));
        assertNotEquals(generate(42, 50), generate(43, 50));
    }

    @Test
    void everyConstructIsGenerated() {
        Set<Construct> seen = EnumSet.noneOf(Construct.class);
        for (Generated g : generate(7, 3000)) {
            seen.addAll(g.constructs());
        }
        assertEquals(EnumSet.allOf(Construct.class), seen);
    }

    @Test
    void aLimitComesOnlyWithATotalOrderAndTagsMatchTheText() {
        for (Generated g : generate(11, 3000)) {
            String sql = g.sql().sql();
            if (sql.contains(" LIMIT ")) {
                assertTrue(g.sql().ordered(), sql);
                assertTrue(g.constructs().contains(Construct.LIMIT), sql);
            }
            check(g, Construct.UNION_ALL, sql.contains(" UNION ALL "));
            check(g, Construct.LEFT_JOIN, sql.contains("LEFT JOIN "));
            check(g, Construct.DISTINCT, sql.contains("SELECT DISTINCT ") || sql.contains(" UNION SELECT DISTINCT "));
            check(g, Construct.GROUP_CONCAT, sql.contains("GROUP_CONCAT("));
            check(g, Construct.COUNT_DISTINCT, sql.contains("COUNT(DISTINCT "));
            check(g, Construct.HAVING, sql.contains(" HAVING "));
            check(g, Construct.SUBQUERY_EXISTS, sql.contains("EXISTS ("));
            check(g, Construct.DERIVED_TABLE, sql.contains(") AS d"));
            assertEquals(g.sql().ordered(), g.constructs().contains(Construct.ORDER_BY_TOTAL), sql);
        }
    }

    private static void check(Generated g, Construct c, boolean present) {
        assertEquals(present, g.constructs().contains(c), c + ": " + g.sql().sql());
    }
}
