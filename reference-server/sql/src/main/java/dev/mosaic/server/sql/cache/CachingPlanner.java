package dev.mosaic.server.sql.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.server.sql.normalize.NormalizedStatement;
import dev.mosaic.server.sql.normalize.Normalizer;
import dev.mosaic.server.sql.parse.ParsedStatement;
import dev.mosaic.server.sql.parse.SqlParser;
import dev.mosaic.server.sql.plan.Plan;
import dev.mosaic.server.sql.planner.Planner;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Objects;

/**
 * The gate's front end for a statement: parse, normalize, and look the plan up by normalized text
 * (with the session's keyspace and tablet type, which change table resolution) in a bounded
 * Caffeine cache, planning on a miss. A new vschema snapshot replaces the cache, so no plan outlives
 * the vschema it was built from.
 *
 * <p>Metrics (Micrometer): {@code mosaic.gate.plan.cache.requests} with tag
 * {@code result=hit|miss}, {@code mosaic.gate.plan.cache.size}. Thread-safe.
 */
public final class CachingPlanner {
    private final int maxPlans;
    private final Counter hits;
    private final Counter misses;
    private volatile State state;
    private volatile Observer observer = (plan, cacheHit) -> { };

    /**
     * Told of every statement planned, on the thread that called {@link #plan} and before it
     * returns (a query log uses it to learn a statement's normalized text without parsing it
     * again). Must be quick and must not throw.
     */
    @FunctionalInterface
    public interface Observer {
        /** {@code plan} (its {@link Plan#query()} is the normalized text) was planned or found cached. */
        void planned(Plan plan, boolean cacheHit);
    }

    private record State(VSchemaSnapshot vschema, Cache<Key, Plan> cache) {
    }

    /** The cache key: what a plan depends on besides the vschema. */
    record Key(String keyspace, String tabletType, String query) {
    }

    /**
     * The plan of a statement and the bind variables to execute it with.
     *
     * @param plan       the (possibly shared) plan
     * @param bindVars   the values normalization extracted from the statement
     * @param cacheHit   true if the plan came from the cache
     * @param paramCount the number of {@code ?} parameters, whose values each execution binds as
     *                   {@code :v1 .. :vN} ({@link dev.mosaic.server.sql.normalize.Normalizer#parameterName})
     */
    public record PlannedQuery(Plan plan, BindVariables bindVars, boolean cacheHit, int paramCount) {
        /** Rejects nulls and a negative parameter count. */
        public PlannedQuery {
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(bindVars, "bindVars");
            if (paramCount < 0) {
                throw new IllegalArgumentException("paramCount must not be negative: " + paramCount);
            }
        }

        /** A statement without {@code ?} parameters. */
        public PlannedQuery(Plan plan, BindVariables bindVars, boolean cacheHit) {
            this(plan, bindVars, cacheHit, 0);
        }

        /** The same plan executed with other bind variables (a prepared statement's execution). */
        public PlannedQuery withBindVars(BindVariables values) {
            return new PlannedQuery(plan, values, cacheHit, paramCount);
        }
    }

    /**
     * A planner over {@code vschema} caching at most {@code maxPlans} plans.
     *
     * @param registry where to publish the cache metrics
     */
    public CachingPlanner(VSchemaSnapshot vschema, int maxPlans, MeterRegistry registry) {
        if (maxPlans < 1) {
            throw new IllegalArgumentException("maxPlans must be positive: " + maxPlans);
        }
        this.maxPlans = maxPlans;
        this.hits = Counter.builder("mosaic.gate.plan.cache.requests").tag("result", "hit")
                .description("plan cache lookups that found a plan").register(registry);
        this.misses = Counter.builder("mosaic.gate.plan.cache.requests").tag("result", "miss")
                .description("plan cache lookups that had to plan").register(registry);
        this.state = new State(Objects.requireNonNull(vschema, "vschema"), newCache());
        Gauge.builder("mosaic.gate.plan.cache.size", this, p -> p.state.cache().estimatedSize())
                .description("plans in the cache").register(registry);
    }

    private Cache<Key, Plan> newCache() {
        // Maintenance (eviction) on the calling thread: cheap, and no pool of Caffeine's own.
        return Caffeine.newBuilder().maximumSize(maxPlans).executor(Runnable::run).build();
    }

    /** Installs the one {@link Observer} (replacing any earlier one). */
    public void observe(Observer observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** Installs a new vschema snapshot and drops every cached plan. */
    public void updateVSchema(VSchemaSnapshot vschema) {
        state = new State(Objects.requireNonNull(vschema, "vschema"), newCache());
    }

    /** The current vschema snapshot. */
    public VSchemaSnapshot vschema() {
        return state.vschema();
    }

    /** The number of cached plans, after pending evictions. */
    public long size() {
        Cache<Key, Plan> cache = state.cache();
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /**
     * Plans {@code sql} for a session.
     *
     * @throws dev.mosaic.api.error.MosaicException for parse errors and what {@link Planner#plan} rejects
     *                                              (errors are not cached)
     */
    public PlannedQuery plan(String sql, Planner.Session session) {
        State s = state;
        ParsedStatement parsed = SqlParser.parse(sql);
        NormalizedStatement normalized = null;
        String text;
        BindVariables bindVars = BindVariables.EMPTY;
        int paramCount = 0;
        ParsedStatement inner = parsed instanceof ParsedStatement.VExplain v ? v.statement() : parsed;
        if (inner instanceof ParsedStatement.Ast ast) {
            normalized = Normalizer.normalize(ast.statement());
            text = parsed instanceof ParsedStatement.VExplain v
                    ? "vexplain " + v.kind().name().toLowerCase(Locale.ROOT) + " " + normalized.sql() : normalized.sql();
            bindVars = normalized.bindVars();
            paramCount = normalized.paramCount();
        } else {
            text = sql.strip();
        }
        Key key = new Key(session.keyspace(), session.tabletType(), text);
        Plan plan = s.cache().getIfPresent(key);
        if (plan != null) {
            hits.increment();
            observer.planned(plan, true);
            return new PlannedQuery(plan, bindVars, true, paramCount);
        }
        misses.increment();
        plan = Planner.plan(parsed, normalized, session, s.vschema());
        Plan raced = s.cache().asMap().putIfAbsent(key, plan);
        Plan chosen = raced != null ? raced : plan;
        observer.planned(chosen, false);
        return new PlannedQuery(chosen, bindVars, false, paramCount);
    }
}
