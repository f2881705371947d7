package dev.mosaic.server.tablet.plan;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * The tablet's plan cache: {@link TabletPlan}s by SQL text (bind variables unsubstituted, so one
 * plan serves every execution of a parameterized statement), at most {@code query.plan-cache-size}
 * of them, least recently / frequently used evicted first (Caffeine). Statements longer than
 * {@link #MAX_CACHED_SQL_LENGTH} characters (bulk inserts) are analyzed on every call and not kept
 * (each such call counts as a miss).
 *
 * <p>Metrics: {@code mosaic.tablet.plan_cache.requests} (counter, tag {@code result=hit|miss}),
 * {@code mosaic.tablet.plan_cache.evictions} (counter), {@code mosaic.tablet.plan_cache.size}
 * (gauge). Thread-safe.
 */
public final class PlanCache {
    /** Longer statements are not cached. */
    public static final int MAX_CACHED_SQL_LENGTH = 64 * 1024;

    private final StatementAnalyzer analyzer;
    private final Cache<String, TabletPlan> plans;
    private final java.util.concurrent.atomic.LongAdder uncached = new java.util.concurrent.atomic.LongAdder();

    /**
     * A cache of at most {@code maxSize} plans made by {@code analyzer}.
     *
     * @param registry where the hit / miss counters go
     */
    public PlanCache(StatementAnalyzer analyzer, int maxSize, MeterRegistry registry) {
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        if (maxSize < 1) {
            throw new IllegalArgumentException("plan cache size must be at least 1, got " + maxSize);
        }
        this.plans = Caffeine.newBuilder().maximumSize(maxSize).recordStats().build();
        FunctionCounter.builder("mosaic.tablet.plan_cache.requests", plans, c -> c.stats().hitCount())
                .tag("result", "hit").description("plan lookups answered from the cache").register(registry);
        FunctionCounter.builder("mosaic.tablet.plan_cache.requests", this, PlanCache::misses)
                .tag("result", "miss").description("plan lookups that analyzed the statement").register(registry);
        FunctionCounter.builder("mosaic.tablet.plan_cache.evictions", plans, c -> c.stats().evictionCount())
                .description("plans evicted to stay within query.plan-cache-size").register(registry);
        Gauge.builder("mosaic.tablet.plan_cache.size", plans, Cache::estimatedSize)
                .description("plans cached").register(registry);
    }

    /** The plan of {@code sql}, from the cache or freshly analyzed (and then cached). Never throws for bad SQL. */
    public TabletPlan get(String sql) {
        if (sql.length() > MAX_CACHED_SQL_LENGTH) {
            uncached.increment();
            return analyzer.analyze(sql);
        }
        return plans.get(sql, analyzer::analyze);
    }

    /** Lookups answered from the cache. */
    public long hits() {
        return plans.stats().hitCount();
    }

    /** Lookups that had to analyze the statement (statements too long to cache included). */
    public long misses() {
        return plans.stats().missCount() + uncached.sum();
    }

    /** Plans cached now (approximate under concurrent updates). */
    public long size() {
        plans.cleanUp();
        return plans.estimatedSize();
    }

    /** Drops every plan (after a schema or ACL change that plans depend on). */
    public void clear() {
        plans.invalidateAll();
    }
}
