package dev.mosaic.server.tablet.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class PlanCacheTest {

    @Test
    void repeatedTextIsAHitAndCountedInMicrometer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PlanCache cache = new PlanCache(new StatementAnalyzer(), 10, registry);
        TabletPlan first = cache.get("SELECT * FROM t WHERE id = :id");
        assertSame(first, cache.get("SELECT * FROM t WHERE id = :id"));
        cache.get("SELECT * FROM u");
        assertEquals(1, cache.hits());
        assertEquals(2, cache.misses());
        assertEquals(1.0, registry.get("mosaic.tablet.plan_cache.requests").tag("result", "hit").functionCounter().count());
        assertEquals(2.0, registry.get("mosaic.tablet.plan_cache.requests").tag("result", "miss").functionCounter().count());
        assertEquals(2.0, registry.get("mosaic.tablet.plan_cache.size").gauge().value());
    }

    @Test
    void theCacheIsBounded() {
        PlanCache cache = new PlanCache(new StatementAnalyzer(), 3, new SimpleMeterRegistry());
        for (int i = 0; i < 50; i++) {
            cache.get("SELECT * FROM t WHERE id = " + i);
        }
        assertEquals(3, cache.size());
    }

    @Test
    void hugeStatementsAreAnalyzedButNotKept() {
        PlanCache cache = new PlanCache(new StatementAnalyzer(), 3, new SimpleMeterRegistry());
        StringBuilder sql = new StringBuilder("INSERT INTO t VALUES (0)");
        for (int i = 1; sql.length() <= PlanCache.MAX_CACHED_SQL_LENGTH; i++) {
            sql.append(", (").append(i).append(')');
        }
        assertEquals(java.util.List.of("t"), cache.get(sql.toString()).tablesWritten());
        cache.get(sql.toString());
        assertEquals(0, cache.size());
        assertEquals(2, cache.misses());
    }

    @Test
    void sizeMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new PlanCache(new StatementAnalyzer(), 0, new SimpleMeterRegistry()));
    }
}
