package dev.mosaic.server.sql.exec;

import static dev.mosaic.server.sql.exec.MergingOperatorsTest.drain;
import static dev.mosaic.server.sql.exec.MergingOperatorsTest.fields;
import static dev.mosaic.server.sql.exec.MergingOperatorsTest.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.plan.Routing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The nested-loop join over in-memory "shards": binding, column mapping, LEFT padding, NULL keys. */
class JoinStreamTest {
    private static final Primitive.Route LEFT = route("left");
    private static final Primitive.Route RIGHT = route("right");
    private static final Primitive.Route FIELDS = route("fields");

    private static Primitive.Route route(String query) {
        return new Primitive.Route(Routing.of(RouteOpcode.SCATTER, "ks"), "t", query, List.of(), 0, List.of());
    }

    /** Left rows (id, name); right rows (ref, label) where ref equals the bound :id; records each bound value. */
    private static final class Source implements ResultMerger.ShardSource {
        final List<Value> bound = new ArrayList<>();
        final Map<String, List<String>> right = Map.of("1", List.of("1|a", "1|b"), "3", List.of("3|c"));

        @Override
        public List<RowStream> execute(Primitive.Route route, BindVariables bindVars) {
            return switch (route.query()) {
                case "left" -> List.of(RowStream.of(fields(SqlType.INT64, SqlType.VARCHAR), rows("1|x", "2|y")),
                        RowStream.of(fields(SqlType.INT64, SqlType.VARCHAR), rows("3|z", "\\N|n")));
                case "right" -> {
                    Value id = bindVars.asMap().get("id");
                    bound.add(id);
                    List<String> match = id.isNull() ? List.of() : right.getOrDefault(id.toSqlLiteral(), List.of());
                    yield List.of(RowStream.of(fields(SqlType.INT64, SqlType.VARCHAR), rows(match.toArray(String[]::new))));
                }
                default -> List.of(RowStream.of(fields(SqlType.INT64, SqlType.VARCHAR), List.of()));
            };
        }
    }

    @Test
    void innerJoinBindsEachLeftRowAndMapsColumns() {
        Source source = new Source();
        Primitive.Join join = new Primitive.Join(Primitive.JoinKind.INNER, LEFT, RIGHT, List.of(-2, 2, -1), Map.of("id", 0), FIELDS);
        try (RowStream s = ResultMerger.open(join, BindVariables.EMPTY, source)) {
            assertEquals(3, s.fields().size());
            assertEquals(SqlType.VARCHAR, s.fields().get(1).type());
            assertEquals(List.of("x|a|1", "x|b|1", "z|c|3"), drain(s));
        }
        assertEquals(List.of(Value.of(1), Value.of(2), Value.of(3), Value.NULL), source.bound);
    }

    @Test
    void leftJoinPadsUnmatchedRowsWithNulls() {
        Primitive.Join join = new Primitive.Join(Primitive.JoinKind.LEFT, LEFT, RIGHT, List.of(-1, 2), Map.of("id", 0), FIELDS);
        try (RowStream s = ResultMerger.open(join, BindVariables.EMPTY, new Source())) {
            assertEquals(List.of("1|a", "1|b", "2|\\N", "3|c", "\\N|\\N"), drain(s));
        }
    }

    @Test
    void leftColumnsBecomeTypedBindValues() {
        Row r = Row.of("42", "abc", "1.50", null);
        assertEquals(Value.of(42), JoinStream.value(r, 0, SqlType.INT32));
        assertEquals(Value.ofUnsigned(42), JoinStream.value(r, 0, SqlType.UINT64));
        assertEquals(new Value.Text(SqlType.VARCHAR, "abc".getBytes()), JoinStream.value(r, 1, SqlType.VARCHAR));
        assertEquals(Value.of(new java.math.BigDecimal("1.50")), JoinStream.value(r, 2, SqlType.DECIMAL));
        assertEquals(Value.NULL, JoinStream.value(r, 3, SqlType.INT64));
    }

    @Test
    void aTextColumnOfAnotherCollationIsNotPassedToTheRightSide() {
        // utf8mb4_bin (46): bound as a literal it would compare under the connection's utf8mb4_general_ci.
        List<Field> binText = List.of(new Field("status", SqlType.VARCHAR,
                new Field.Definition("ks", "t", "t", "status", 40, 46, 0, 0)));
        ResultMerger.ShardSource source = (route, bv) -> List.of(RowStream.of(binText, rows("Paid")));
        Primitive.Join join = new Primitive.Join(Primitive.JoinKind.INNER, LEFT, RIGHT, List.of(-1), Map.of("status", 0), FIELDS);
        dev.mosaic.api.error.MosaicException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.mosaic.api.error.MosaicException.class, () -> ResultMerger.open(join, BindVariables.EMPTY, source));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("VT12001: unsupported: cross-shard join passing text column status (collation id 46)"), e.getMessage());
        // utf8mb4_general_ci (45), the connection's collation, is passed as before.
        List<Field> ciText = List.of(new Field("status", SqlType.VARCHAR,
                new Field.Definition("ks", "t", "t", "status", 40, 45, 0, 0)));
        ResultMerger.ShardSource ci = (route, bv) -> List.of(RowStream.of(ciText, route.query().equals("left") ? rows("Paid") : List.of()));
        try (RowStream s = ResultMerger.open(join, BindVariables.EMPTY, ci)) {
            assertEquals(List.of(), drain(s));
        }
    }
}
