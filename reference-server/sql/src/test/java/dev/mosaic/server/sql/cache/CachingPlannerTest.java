package dev.mosaic.server.sql.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.planner.Planner;
import dev.mosaic.server.sql.planner.PlannerCorpusTest;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachingPlannerTest {
    private static final VSchemaSnapshot VSCHEMA = PlannerCorpusTest.vschema();
    private static final Planner.Session CUSTOMER = new Planner.Session("customer", "primary");

    private static double count(SimpleMeterRegistry r, String result) {
        return r.get("mosaic.gate.plan.cache.requests").tag("result", result).counter().count();
    }

    @Test
    void oneSharedPlanServesEveryValue() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CachingPlanner p = new CachingPlanner(VSCHEMA, 100, registry);
        CachingPlanner.PlannedQuery a = p.plan("select * from customer where customer_id = 1", CUSTOMER);
        CachingPlanner.PlannedQuery b = p.plan("SELECT * FROM customer WHERE customer_id = 2", CUSTOMER);
        assertFalse(a.cacheHit());
        assertTrue(b.cacheHit());
        assertSame(a.plan(), b.plan());
        assertEquals(Value.of(1), a.bindVars().get("vtg1").orElseThrow());
        assertEquals(Value.of(2), b.bindVars().get("vtg1").orElseThrow());
        assertEquals(1, count(registry, "hit"));
        assertEquals(1, count(registry, "miss"));
        assertEquals(1.0, registry.get("mosaic.gate.plan.cache.size").gauge().value());
    }

    @Test
    void keyIncludesTheSessionKeyspaceAndTabletType() {
        CachingPlanner p = new CachingPlanner(VSCHEMA, 100, new SimpleMeterRegistry());
        p.plan("select * from product", new Planner.Session("commerce", "primary"));
        assertFalse(p.plan("select * from product", new Planner.Session(null, "primary")).cacheHit());
        assertFalse(p.plan("select * from product", new Planner.Session(null, "replica")).cacheHit());
        assertTrue(p.plan("select * from product", new Planner.Session(null, "replica")).cacheHit());
    }

    @Test
    void theObserverSeesEachPlanOnTheCallingThread() {
        CachingPlanner p = new CachingPlanner(VSCHEMA, 100, new SimpleMeterRegistry());
        java.util.List<String> seen = new java.util.ArrayList<>();
        Thread caller = Thread.currentThread();
        p.observe((plan, hit) -> {
            assertSame(caller, Thread.currentThread());
            seen.add(plan.query() + (hit ? " (hit)" : " (miss)"));
        });
        CachingPlanner.PlannedQuery a = p.plan("select * from customer where customer_id = 1", CUSTOMER);
        p.plan("select * from customer where customer_id = 2", CUSTOMER);
        assertEquals(java.util.List.of(a.plan().query() + " (miss)", a.plan().query() + " (hit)"), seen);
        assertTrue(a.plan().query().contains(":vtg1"), a.plan().query());
        assertThrows(MosaicException.class, () -> p.plan("select from where", CUSTOMER));
        assertEquals(2, seen.size(), "a statement that does not plan is not reported");
    }

    @Test
    void bounded() {
        CachingPlanner p = new CachingPlanner(VSCHEMA, 5, new SimpleMeterRegistry());
        for (int i = 0; i < 50; i++) {
            p.plan("select c" + i + " from customer where customer_id = 1", CUSTOMER);
        }
        assertTrue(p.size() <= 5, "size " + p.size());
    }

    @Test
    void aNewVSchemaDropsEveryPlan() {
        CachingPlanner p = new CachingPlanner(VSCHEMA, 100, new SimpleMeterRegistry());
        p.plan("select * from customer where customer_id = 1", CUSTOMER);
        assertTrue(p.plan("select * from customer where customer_id = 7", CUSTOMER).cacheHit());
        p.updateVSchema(VSCHEMA);
        assertEquals(0, p.size());
        assertFalse(p.plan("select * from customer where customer_id = 7", CUSTOMER).cacheHit());
    }

    @Test
    void errorsAreNotCached() {
        CachingPlanner p = new CachingPlanner(VSCHEMA, 10, new SimpleMeterRegistry());
        assertThrows(MosaicException.class, () -> p.plan("select * from nosuch", CUSTOMER));
        assertThrows(MosaicException.class, () -> p.plan("select * from nosuch", CUSTOMER));
        assertEquals(0, p.size());
    }
    @Test
    void aTextStatementOfAKnownDigestIsPlannedWithoutParsing() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CachingPlanner p = new CachingPlanner(VSCHEMA, 100, registry);
        CachingPlanner.PlannedQuery a = p.plan("select name from customer where customer_id = 1 and name = 'x'", CUSTOMER);
        CachingPlanner.PlannedQuery b = p.plan("select name from customer where customer_id = 2 and name = 'y'", CUSTOMER);
        assertSame(a.plan(), b.plan());
        assertEquals(a.bindVars().names(), b.bindVars().names());
        assertEquals(Value.of(2), b.bindVars().get("vtg1").orElseThrow());
        assertEquals(Value.of("y"), b.bindVars().get("vtg2").orElseThrow());
        assertEquals(1.0, registry.get("mosaic.gate.plan.cache.unparsed").counter().count());
        // Equal values later are fine: the pairing was learnt from distinct ones.
        CachingPlanner.PlannedQuery c = p.plan("select name from customer where customer_id = 3 and name = '3'", CUSTOMER);
        assertEquals(Value.of(3), c.bindVars().get("vtg1").orElseThrow());
        assertEquals(Value.of("3"), c.bindVars().get("vtg2").orElseThrow());
        assertEquals(2.0, registry.get("mosaic.gate.plan.cache.unparsed").counter().count());
    }

    @Test
    void aDigestIsNotLearntWhereLiteralsAndBindVariablesCannotBePairedForCertain() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CachingPlanner p = new CachingPlanner(VSCHEMA, 100, registry);
        for (String sql : List.of(
                "select name from customer where customer_id = 5 and name = 5",     // equal values
                "select 5 from customer where customer_id = 5",                      // kept literal equal to a bound one
                "select name from customer where customer_id = -5",                 // the value is not the literal's
                "select name from customer where customer_id in (1, 2)",            // a list variable
                "select name from customer where name = 'a\\b'")) {                  // an escaped string
            p.plan(sql, CUSTOMER);
            p.plan(sql, CUSTOMER);
        }
        assertEquals(0.0, registry.get("mosaic.gate.plan.cache.unparsed").counter().count());
    }

    @Test
    void aKeptLiteralMustHaveTheTextThePlanWasMadeFor() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CachingPlanner p = new CachingPlanner(VSCHEMA, 100, registry);
        CachingPlanner.PlannedQuery a = p.plan("select 7 from customer where customer_id = 1", CUSTOMER);
        CachingPlanner.PlannedQuery b = p.plan("select 8 from customer where customer_id = 2", CUSTOMER);
        assertNotEquals(a.plan().query(), b.plan().query());
        assertTrue(b.plan().query().contains("SELECT 8"), b.plan().query());
        assertEquals(0.0, registry.get("mosaic.gate.plan.cache.unparsed").counter().count());
        CachingPlanner.PlannedQuery c = p.plan("select 8 from customer where customer_id = 3", CUSTOMER);
        assertSame(b.plan(), c.plan());
        assertEquals(1.0, registry.get("mosaic.gate.plan.cache.unparsed").counter().count());
    }

    /**
     * Every statement of the planner corpus, planned once to learn its digest and then with other
     * values for its literals (distinct ones, then all equal), gives exactly the plan and bind
     * variables a fresh planner gives the same text by parsing it.
     */
    @Test
    void theDigestPathAgreesWithParsingOnTheWholePlannerCorpus() throws Exception {
        int statements = 0;
        int unparsed = 0;
        for (java.nio.file.Path file : PlannerCorpusTest.caseFiles()) {
            var cases = (dev.mosaic.api.json.JsonArray) dev.mosaic.api.json.Json.parse(java.nio.file.Files.readString(file));
            for (var c : cases.elements()) {
                var obj = (dev.mosaic.api.json.JsonObject) c;
                String query = ((dev.mosaic.api.json.JsonString) obj.get("query").orElseThrow()).value();
                String keyspace = obj.get("keyspace").map(k -> ((dev.mosaic.api.json.JsonString) k).value()).orElse(null);
                String tabletType = obj.get("tablet_type").map(k -> ((dev.mosaic.api.json.JsonString) k).value()).orElse("primary");
                Planner.Session session = new Planner.Session(keyspace, tabletType);
                SqlDigest d = SqlDigest.of(query);
                if (d == null || d.literals().isEmpty()) {
                    continue;
                }
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                CachingPlanner warm = new CachingPlanner(VSCHEMA, 100, registry);
                try {
                    warm.plan(query, session);
                } catch (MosaicException e) {
                    continue; // rejected statements are never cached
                }
                for (boolean same : new boolean[] {false, true}) {
                    String variant = variant(d, same);
                    CachingPlanner.PlannedQuery fast;
                    CachingPlanner.PlannedQuery parsed;
                    try {
                        parsed = new CachingPlanner(VSCHEMA, 100, new SimpleMeterRegistry()).plan(variant, session);
                    } catch (MosaicException e) {
                        continue; // the other values make it invalid (e.g. a LIMIT too large)
                    }
                    fast = warm.plan(variant, session);
                    statements++;
                    assertEquals(parsed.plan().query(), fast.plan().query(), file.getFileName() + ": " + variant);
                    assertEquals(parsed.bindVars(), fast.bindVars(), file.getFileName() + ": " + variant);
                    assertEquals(parsed.paramCount(), fast.paramCount(), variant);
                }
                unparsed += (int) registry.get("mosaic.gate.plan.cache.unparsed").counter().count();
            }
        }
        assertTrue(statements >= 100, "compared " + statements);
        assertTrue(unparsed >= 50, "only " + unparsed + " variants took the digest path");
    }

    /** {@code d}'s template with new literals: distinct new values, or one value everywhere. */
    private static String variant(SqlDigest d, boolean same) {
        StringBuilder out = new StringBuilder();
        String t = d.template();
        int k = 0;
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (ch != '\u0000') {
                out.append(ch);
                continue;
            }
            char kind = t.charAt(++i);
            k++;
            out.append(switch (kind) {
                case 'i' -> same ? "3" : Integer.toString(70 + k);
                case 'd' -> same ? "3.25" : k + ".75";
                default -> same ? "'3'" : "'v" + k + "'";
            });
        }
        return out.toString();
    }
}
