package dev.mosaic.server.sql.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.planner.Planner;
import dev.mosaic.server.sql.planner.PlannerCorpusTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plans from the planner executed over canned shard results: what each shard returns for the
 * shard query (already sorted as the query asks) in, what the client sees out.
 */
class ResultMergerTest {
    private static final CachingPlanner PLANNER = new CachingPlanner(PlannerCorpusTest.vschema(), 100, new SimpleMeterRegistry());

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("ordered merge with offset and limit",
                        "select order_id, price from corder order by price desc limit 1, 2",
                        List.of(SqlType.INT64, SqlType.DECIMAL, SqlType.VARBINARY),
                        new String[][]{{"1|9.00|x", "2|5.50|x", "3|1.00|x"}, {"4|7.25|x", "5|0.10|x"}},
                        List.of("4|7.25", "2|5.50"), "3"),
                Arguments.of("text ordered by weight string",
                        "select email from customer order by email",
                        List.of(SqlType.VARCHAR, SqlType.VARBINARY),
                        new String[][]{{"alice|ALICE", "Carol|CAROL"}, {"Bob|BOB", "dave|DAVE"}},
                        List.of("alice", "Bob", "Carol", "dave"), null),
                Arguments.of("grouped count and avg",
                        "select sku, avg(price), count(*) from corder group by sku",
                        List.of(SqlType.VARCHAR, SqlType.DECIMAL, SqlType.INT64, SqlType.INT64, SqlType.VARBINARY),
                        new String[][]{{"a|10|2|2|A", "b|3|1|1|B"}, {"a|5|1|1|A", "c|\\N|1|0|C"}},
                        List.of("a|5.0000|3", "b|3.0000|1", "c|\\N|1"), null),
                Arguments.of("scalar sum and count",
                        "select count(*), sum(price) from corder",
                        List.of(SqlType.INT64, SqlType.DECIMAL),
                        new String[][]{{"3|10.5"}, {"0|\\N"}, {"2|1.5"}},
                        List.of("5|12.0"), null),
                Arguments.of("distinct with limit",
                        "select distinct sku from corder limit 3",
                        List.of(SqlType.VARCHAR, SqlType.VARBINARY),
                        new String[][]{{"a|A", "c|C", "d|D"}, {"A|A", "b|B", "c|C"}},
                        List.of("a", "b", "c"), null),
                Arguments.of("top groups by count: aggregate, sort at the gate, limit",
                        "select sku, count(*) from corder group by sku order by count(*) desc limit 2",
                        List.of(SqlType.VARCHAR, SqlType.INT64, SqlType.VARBINARY),
                        new String[][]{{"a|1|A", "b|7|B", "c|2|C"}, {"a|3|A", "c|4|C"}},
                        List.of("b|7", "c|6"), null),
                Arguments.of("grouped max with limit after aggregation",
                        "select sku, max(price) from corder group by sku limit 2",
                        List.of(SqlType.VARCHAR, SqlType.DECIMAL, SqlType.VARBINARY, SqlType.VARBINARY),
                        new String[][]{{"a|1|1|A", "b|7|7|B"}, {"a|3|3|A", "b|2|2|B", "c|9|9|C"}},
                        List.of("a|3", "b|7"), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void merge(String name, String sql, List<SqlType> types, String[][] shardRows, List<String> expected, String upperLimit) {
        CachingPlanner.PlannedQuery q = PLANNER.plan(sql, new Planner.Session("customer", "primary"));
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            fields.add(new Field("c" + i, types.get(i)));
        }
        String[] seenUpperLimit = {null};
        RowStream out = ResultMerger.open(q.plan().root(), q.bindVars(), (Primitive.Route route, dev.mosaic.api.sql.BindVariables bv) -> {
            seenUpperLimit[0] = bv.get(ResultMerger.UPPER_LIMIT).map(Value::toSqlLiteral).orElse(null);
            List<RowStream> streams = new ArrayList<>();
            for (String[] rows : shardRows) {
                streams.add(RowStream.of(fields, MergingOperatorsTest.rows(rows)));
            }
            return streams;
        });
        assertEquals(expected, MergingOperatorsTest.drain(out));
        if (upperLimit != null) {
            assertEquals(upperLimit, seenUpperLimit[0]);
        }
    }
}
