package dev.mosaic.server.sql.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.planner.Planner;
import dev.mosaic.server.sql.planner.PlannerCorpusTest;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
}
