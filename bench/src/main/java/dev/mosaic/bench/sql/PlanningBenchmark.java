package dev.mosaic.bench.sql;

import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.RoutingRules;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.normalize.NormalizedStatement;
import dev.mosaic.server.sql.normalize.Normalizer;
import dev.mosaic.server.sql.parse.ParsedStatement;
import dev.mosaic.server.sql.parse.SqlParser;
import dev.mosaic.server.sql.plan.Plan;
import dev.mosaic.server.sql.planner.Planner;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import dev.mosaic.spi.Plugins;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The gate's per-statement SQL cost with a warm plan cache: parse (JSqlParser), normalize
 * (literals to bind variables, render the normalized text) and look the plan up, for a sysbench
 * point select and a sysbench insert, each call with a different literal. {@code planCold} is the
 * same select planned without the cache, for comparison.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar PlanningBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PlanningBenchmark {
    private static final String SBTEST = """
            {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
             "tables": {"sbtest1": {"column_vindexes": [{"column": "id", "name": "hash"}],
                                    "auto_increment": {"column": "id", "sequence": "commerce.sbtest_seq"}}}}""";
    private static final String COMMERCE = """
            {"tables": {"sbtest_seq": {"type": "sequence"}}}""";

    private CachingPlanner planner;
    private VSchemaSnapshot vschema;
    private final Planner.Session session = new Planner.Session("sbtest", "primary");
    private String[] selects;
    private String[] inserts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        vschema = VSchemaSnapshot.build(Map.of("sbtest", KeyspaceVSchema.fromJson(SBTEST), "commerce", KeyspaceVSchema.fromJson(COMMERCE)),
                RoutingRules.EMPTY, Plugins.load(PlanningBenchmark.class.getClassLoader()));
        planner = new CachingPlanner(vschema, 10_000, new SimpleMeterRegistry());
        selects = new String[1024];
        inserts = new String[1024];
        for (int i = 0; i < selects.length; i++) {
            selects[i] = "SELECT c FROM sbtest1 WHERE id=" + (i * 7919 + 1);
            inserts[i] = "INSERT INTO sbtest1 (id, k, c, pad) VALUES (" + (i * 7919 + 1) + ", " + (i * 31)
                    + ", '" + i + "-83868641912-28773972837-60736120486-75162659906-27563526494', '67847967377-48000963322-62604785301')";
        }
        planner.plan(selects[0], session);
        planner.plan(inserts[0], session);
    }

    @Benchmark
    public CachingPlanner.PlannedQuery pointSelectWarm() {
        return planner.plan(selects[next++ & 1023], session);
    }

    @Benchmark
    public CachingPlanner.PlannedQuery insertWarm() {
        return planner.plan(inserts[next++ & 1023], session);
    }

    @Benchmark
    public Plan pointSelectCold() {
        ParsedStatement st = SqlParser.parse(selects[next++ & 1023]);
        NormalizedStatement n = Normalizer.normalize(((ParsedStatement.Ast) st).statement());
        return Planner.plan(st, n, session, vschema);
    }
}
