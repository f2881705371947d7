package dev.mosaic.bench.vindex;

import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * {@code map} throughput of the built-in hashing vindexes, one value per call and 100 values per
 * call, through the SPI as the gate calls it. Integer ids for hash and numeric; short strings
 * ({@code user-<n>@example.com}) for the byte-hashing vindexes. Single-threaded: ops/s is per core.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar VindexMap -f 1 -wi 2 -i 3 -w 2s -r 2s}; one
 * vindex: {@code -p type=hash}. On a shared machine add
 * {@code -prof 'dev.mosaic.bench.vindex.VindexMapBenchmark$CpuTime'}, which also reports the
 * score per CPU-second of the benchmark JVM ({@code ·cpu}): what one core does when it is not
 * being taken away by other processes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VindexMapBenchmark {
    @Param({"hash", "xxhash", "binary_md5", "unicode_loose_md5", "numeric"})
    public String type;

    private SingleColumnVindex vindex;
    private Value[] singles;
    private List<Value> batch;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        vindex = (SingleColumnVindex) Plugins.load(VindexMapBenchmark.class.getClassLoader())
                .create(PluginKind.VINDEX, type, "bench", Map.of());
        boolean numbers = type.equals("hash") || type.equals("numeric");
        singles = new Value[1024];
        for (int i = 0; i < singles.length; i++) {
            singles[i] = numbers ? Value.of(1_000_000L + i * 7919L) : Value.of("user-" + (1_000_000 + i * 7919) + "@example.com");
        }
        List<Value> b = new ArrayList<>(100);
        for (int i = 0; i < 100; i++) {
            b.add(singles[i * 3]);
        }
        batch = List.copyOf(b);
    }

    /** One value per call. */
    @Benchmark
    public Destination single() {
        Value v = singles[next++ & 1023];
        return vindex.map(VindexCursor.NONE, List.of(v)).get(0);
    }

    /** 100 values per call; values/s is 100 times the ops/s. */
    @Benchmark
    public List<Destination> batch100() {
        return vindex.map(VindexCursor.NONE, batch);
    }

    /**
     * JMH profiler: the primary score rescaled from wall-clock time to the CPU time the forked JVM
     * used in the iteration (all its threads, so GC and any JIT work count against the score).
     * For a single-threaded throughput benchmark on a busy machine this estimates per-core
     * throughput; on an idle machine it is at most slightly below the plain score.
     */
    public static final class CpuTime implements InternalProfiler {
        private long wall;
        private long cpu;

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        @Override
        public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
            wall = System.nanoTime();
            cpu = processCpuNanos();
        }

        @Override
        public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                IterationResult result) {
            long cpuUsed = processCpuNanos() - cpu;
            long wallUsed = System.nanoTime() - wall;
            Result<?> primary = result.getPrimaryResult();
            double perCpu = cpuUsed <= 0 ? Double.NaN : primary.getScore() * wallUsed / cpuUsed;
            return List.of(
                    new ScalarResult("cpu", perCpu, primary.getScoreUnit(), AggregationPolicy.AVG),
                    new ScalarResult("cpu.share", cpuUsed / (double) wallUsed, "cores", AggregationPolicy.AVG));
        }

        @Override
        public String getDescription() {
            return "score per CPU-second of the benchmark JVM";
        }
    }
}
