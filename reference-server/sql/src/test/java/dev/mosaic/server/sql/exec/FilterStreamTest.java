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
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.ValueExpr;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The gate-side HAVING filter: numeric comparisons with NULL semantics; other types rejected. */
class FilterStreamTest {
    private static List<String> filter(SqlType type, Primitive.CompareOp op, Value value, String... input) {
        RowStream in = RowStream.of(fields(SqlType.VARCHAR, type), rows(input));
        try (RowStream s = new FilterStream(in, List.of(new Primitive.Comparison(1, op, new ValueExpr.Const(value))),
                BindVariables.EMPTY)) {
            return drain(s);
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(SqlType.INT64, Primitive.CompareOp.GT, Value.of(2), List.of("a|3", "b|2", "c|\\N", "d|10"), List.of("a|3", "d|10")),
                Arguments.of(SqlType.INT64, Primitive.CompareOp.LE, Value.of(2), List.of("a|3", "b|2", "c|\\N"), List.of("b|2")),
                Arguments.of(SqlType.DECIMAL, Primitive.CompareOp.EQ, new Value.Decimal(new BigDecimal("2.5")),
                        List.of("a|2.50", "b|2.5000", "c|2.51"), List.of("a|2.50", "b|2.5000")),
                Arguments.of(SqlType.DECIMAL, Primitive.CompareOp.NE, Value.of(2), List.of("a|2.00", "b|2.01", "c|\\N"), List.of("b|2.01")),
                Arguments.of(SqlType.FLOAT64, Primitive.CompareOp.LT, new Value.Decimal(new BigDecimal("0.5")),
                        List.of("a|0.25", "b|0.5", "c|1e-3"), List.of("a|0.25", "c|1e-3")),
                Arguments.of(SqlType.UINT64, Primitive.CompareOp.GE, Value.of(-1), List.of("a|0", "b|18446744073709551615"),
                        List.of("a|0", "b|18446744073709551615")),
                // A NULL constant makes every comparison not true.
                Arguments.of(SqlType.INT64, Primitive.CompareOp.NE, Value.NULL, List.of("a|1", "b|\\N"), List.of()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void comparesNumbersAsMysqlDoes(SqlType type, Primitive.CompareOp op, Value value, List<String> input, List<String> expected) {
        assertEquals(expected, filter(type, op, value, input.toArray(String[]::new)));
    }

    @Test
    void textColumnsAndNonNumericValuesAreRejected() {
        MosaicException text = assertThrows(MosaicException.class,
                () -> filter(SqlType.VARCHAR, Primitive.CompareOp.EQ, Value.of("eu"), "a|eu"));
        assertTrue(text.getMessage().startsWith("VT12001: unsupported: HAVING across shards comparing column"), text.getMessage());
        MosaicException string = assertThrows(MosaicException.class,
                () -> filter(SqlType.INT64, Primitive.CompareOp.GT, Value.of("2"), "a|3"));
        assertTrue(string.getMessage().contains("which is not a number"), string.getMessage());
    }
}
