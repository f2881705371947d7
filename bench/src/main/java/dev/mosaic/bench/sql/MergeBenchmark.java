package dev.mosaic.bench.sql;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.server.sql.exec.AggregateStream;
import dev.mosaic.server.sql.exec.Field;
import dev.mosaic.server.sql.exec.MergeSortStream;
import dev.mosaic.server.sql.exec.Row;
import dev.mosaic.server.sql.exec.RowStream;
import dev.mosaic.server.sql.plan.AggregateParam;
import dev.mosaic.server.sql.plan.OrderBy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The gate-side merge of 16,000 rows spread over N shard results, over raw text rows as the tablet ships
 * them: {@code orderedMerge} is the k-way merge of an {@code ORDER BY id} scatter (integer key);
 * {@code textMerge} orders by a weight-string column; {@code groupedAggregate} merges by a group
 * column and sums per-shard partial counts and sums ({@code GROUP BY g} with 100 groups). Scores
 * are rows per second through the operator.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar MergeBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MergeBenchmark {
    /** Rows over all shards; each shard holds TOTAL / shards. */
    private static final int TOTAL = 16_000;

    @Param({"2", "16"})
    public int shards;

    private List<List<Row>> byId;
    private List<List<Row>> byText;
    private List<List<Row>> byGroup;
    private final List<Field> idFields = List.of(new Field("id", SqlType.INT64), new Field("c", SqlType.VARCHAR));
    private final List<Field> textFields = List.of(new Field("c", SqlType.VARCHAR), new Field("ws", SqlType.VARBINARY));
    private final List<Field> groupFields = List.of(new Field("g", SqlType.INT64), new Field("n", SqlType.INT64),
            new Field("s", SqlType.DECIMAL));

    @Setup(Level.Trial)
    public void setUp() {
        byId = new ArrayList<>();
        byText = new ArrayList<>();
        byGroup = new ArrayList<>();
        int perShard = TOTAL / shards;
        for (int s = 0; s < shards; s++) {
            List<Row> ids = new ArrayList<>();
            List<Row> texts = new ArrayList<>();
            List<Row> groups = new ArrayList<>();
            for (int i = 0; i < perShard; i++) {
                long id = (long) i * shards + s;
                ids.add(Row.of(Long.toString(id), "value-" + id));
                String c = String.format("name-%08d", id);
                texts.add(Row.of(c, c.toUpperCase()));
            }
            for (int g = 0; g < 100; g++) {
                for (int k = 0; k < perShard / 100; k++) {
                    groups.add(Row.of(Integer.toString(g), "3", "12.50"));
                }
            }
            byId.add(ids);
            byText.add(texts);
            byGroup.add(groups);
        }
    }

    private static List<RowStream> streams(List<Field> fields, List<List<Row>> data) {
        List<RowStream> out = new ArrayList<>(data.size());
        for (List<Row> rows : data) {
            out.add(RowStream.of(fields, rows));
        }
        return out;
    }

    private static long drain(RowStream s) {
        long n = 0;
        while (s.next() != null) {
            n++;
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(TOTAL)
    public long orderedMerge() {
        return drain(new MergeSortStream(streams(idFields, byId), List.of(new OrderBy(0, -1, false))));
    }

    @Benchmark
    @OperationsPerInvocation(TOTAL)
    public long textMerge() {
        return drain(new MergeSortStream(streams(textFields, byText), List.of(new OrderBy(0, 1, false))));
    }

    @Benchmark
    @OperationsPerInvocation(TOTAL)
    public long groupedAggregate() {
        List<OrderBy> group = List.of(new OrderBy(0, -1, false));
        RowStream merged = new MergeSortStream(streams(groupFields, byGroup), group);
        return drain(new AggregateStream(merged, List.of(
                new AggregateParam(AggregateParam.AggregateFunction.COUNT, 1, -1, "count(*)"),
                new AggregateParam(AggregateParam.AggregateFunction.SUM, 2, -1, "sum(x)")), group));
    }
}
