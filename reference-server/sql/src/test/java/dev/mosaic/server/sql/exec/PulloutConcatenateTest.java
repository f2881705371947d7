package dev.mosaic.server.sql.exec;

import static dev.mosaic.server.sql.exec.MergingOperatorsTest.drain;
import static dev.mosaic.server.sql.exec.MergingOperatorsTest.fields;
import static dev.mosaic.server.sql.exec.MergingOperatorsTest.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.plan.OrderBy;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.plan.Routing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pulled-out subqueries (the bound values) and UNION ALL (concatenation, column type check). */
class PulloutConcatenateTest {
    private static Primitive.Route route(String query) {
        return new Primitive.Route(Routing.of(RouteOpcode.SCATTER, "ks"), "t", query, List.of(), 0, List.of());
    }

    /** Answers by query text; records the bind variables the "outer" query saw. */
    private static final class Source implements ResultMerger.ShardSource {
        final List<BindVariables> outer = new ArrayList<>();

        @Override
        public List<RowStream> execute(Primitive.Route route, BindVariables bindVars) {
            return switch (route.query()) {
                case "none" -> List.of(RowStream.of(fields(SqlType.INT64), List.of()));
                case "one" -> List.of(RowStream.of(fields(SqlType.INT64), rows("7")));
                case "many" -> List.of(RowStream.of(fields(SqlType.INT64), rows("1", "\\N")), RowStream.of(fields(SqlType.INT64), rows("3")));
                case "dec" -> List.of(RowStream.of(fields(SqlType.DECIMAL), rows("1.50")));
                // A text column and its weight string (case-insensitive: 'a' and 'A' weigh the same).
                case "ci1" -> List.of(RowStream.of(textAndWeight(45), List.of(Row.of("b", "B"), Row.of("a", "A"), Row.of(null, null))),
                        RowStream.of(textAndWeight(45), List.of(Row.of("A", "A"))));
                case "ci2" -> List.of(RowStream.of(textAndWeight(45), List.of(Row.of("B", "B"), Row.of(null, null), Row.of("c", "C"))));
                case "bin" -> List.of(RowStream.of(textAndWeight(46), List.of(Row.of("a", "a"))));
                default -> {
                    outer.add(bindVars);
                    yield List.of(RowStream.of(fields(SqlType.INT64), rows("42")));
                }
            };
        }
    }

    private static List<Field> textAndWeight(int collation) {
        return List.of(new Field("name", SqlType.VARCHAR, new Field.Definition("ks", "t", "t", "name", 80, collation, 0, 0)),
                new Field("weight_string(name)", SqlType.VARBINARY, new Field.Definition("", "", "", "", 80, 63, 0, 0)));
    }

    private static BindVariables run(Primitive.PulloutOpcode op, String sub) {
        Source source = new Source();
        Primitive p = new Primitive.PulloutSubquery(op, "__sq1", "__sq_has_values1", route(sub), route("outer"));
        try (RowStream s = ResultMerger.open(p, BindVariables.EMPTY, source)) {
            assertEquals(List.of("42"), drain(s));
        }
        return source.outer.get(0);
    }

    @Test
    void scalarSubqueryBindsItsValueOrNull() {
        assertEquals(Value.of(7), run(Primitive.PulloutOpcode.VALUE, "one").asMap().get("__sq1"));
        assertEquals(Value.NULL, run(Primitive.PulloutOpcode.VALUE, "none").asMap().get("__sq1"));
        MosaicException e = assertThrows(MosaicException.class, () -> run(Primitive.PulloutOpcode.VALUE, "many"));
        assertTrue(e.getMessage().contains("more than 1 row"), e.getMessage());
    }

    @Test
    void inSubqueryBindsEveryValueAndWhetherThereWereAny() {
        Map<String, Value> bv = run(Primitive.PulloutOpcode.IN, "many").asMap();
        assertEquals(Value.of(1), bv.get("__sq_has_values1"));
        assertEquals(Value.tuple(Value.of(1), Value.NULL, Value.of(3)), bv.get("__sq1"));
        bv = run(Primitive.PulloutOpcode.NOT_IN, "none").asMap();
        assertEquals(Value.of(0), bv.get("__sq_has_values1"));
    }

    @Test
    void unionAllConcatenatesAndRejectsDifferentColumnTypes() {
        Source source = new Source();
        try (RowStream s = ResultMerger.open(new Primitive.Concatenate(List.of(route("many"), route("one"))), BindVariables.EMPTY, source)) {
            assertEquals(List.of("1", "\\N", "3", "7"), drain(s));
        }
        MosaicException e = assertThrows(MosaicException.class,
                () -> ResultMerger.open(new Primitive.Concatenate(List.of(route("one"), route("dec"))), BindVariables.EMPTY, source));
        assertTrue(e.getMessage().startsWith("VT12001: unsupported: UNION across shards of columns of different types"), e.getMessage());
    }

    @Test
    void unionDistinctDeduplicatesByCollationWithNullsEqual() {
        List<OrderBy> keys = List.of(new OrderBy(0, 1, false));
        Primitive union = new Primitive.Distinct(keys, 1,
                new Primitive.MemorySort(keys, 0, new Primitive.Concatenate(List.of(route("ci1"), route("ci2")))));
        try (RowStream s = ResultMerger.open(union, BindVariables.EMPTY, new Source())) {
            assertEquals(1, s.fields().size());
            // NULL once, 'a' kept as the first branch had it, 'b' once though spelt 'b' and 'B', then 'c'.
            assertEquals(List.of("\\N", "a", "b", "c"), drain(s));
        }
    }

    @Test
    void unionOfTextColumnsOfDifferentCollationsIsRejected() {
        MosaicException e = assertThrows(MosaicException.class, () -> ResultMerger.open(
                new Primitive.Concatenate(List.of(route("ci1"), route("bin"))), BindVariables.EMPTY, new Source()));
        assertTrue(e.getMessage().startsWith("VT12001: unsupported: UNION across shards of text columns with different collations"),
                e.getMessage());
    }
}
