package dev.mosaic.server.sql.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.server.sql.plan.AggregateParam;
import dev.mosaic.server.sql.plan.AggregateParam.AggregateFunction;
import dev.mosaic.server.sql.plan.OrderBy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven tests of the gate-side merging operators over raw text rows. */
class MergingOperatorsTest {

    /** Rows written as "a|b|c", with \N for NULL. */
    static List<Row> rows(String... rows) {
        List<Row> out = new ArrayList<>();
        for (String r : rows) {
            String[] parts = r.split("\\|", -1);
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].equals("\\N")) {
                    parts[i] = null;
                }
            }
            out.add(Row.of(parts));
        }
        return out;
    }

    static List<String> drain(RowStream s) {
        List<String> out = new ArrayList<>();
        Row r;
        while ((r = s.next()) != null) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                sb.append(i == 0 ? "" : "|").append(r.isNull(i) ? "\\N" : r.string(i));
            }
            out.add(sb.toString());
        }
        return out;
    }

    static List<Field> fields(SqlType... types) {
        List<Field> out = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            out.add(new Field("c" + i, types[i]));
        }
        return out;
    }

    static List<RowStream> shards(List<Field> fields, String[]... shards) {
        List<RowStream> out = new ArrayList<>();
        for (String[] s : shards) {
            out.add(RowStream.of(fields, rows(s)));
        }
        return out;
    }

    static Stream<Arguments> mergeCases() {
        return Stream.of(
                Arguments.of("ints ascending over 3 shards", fields(SqlType.INT64), List.of(new OrderBy(0, -1, false)),
                        new String[][]{{"1", "4", "9"}, {"2", "3"}, {"5", "10", "11"}},
                        List.of("1", "2", "3", "4", "5", "9", "10", "11")),
                Arguments.of("ints are compared as numbers, not text", fields(SqlType.INT32), List.of(new OrderBy(0, -1, false)),
                        new String[][]{{"-20", "9"}, {"-3", "100"}}, List.of("-20", "-3", "9", "100")),
                Arguments.of("descending", fields(SqlType.INT64), List.of(new OrderBy(0, -1, true)),
                        new String[][]{{"9", "4", "1"}, {"10", "3"}}, List.of("10", "9", "4", "3", "1")),
                Arguments.of("NULL sorts first ascending", fields(SqlType.INT64), List.of(new OrderBy(0, -1, false)),
                        new String[][]{{"1", "2"}, {"\\N", "3"}}, List.of("\\N", "1", "2", "3")),
                Arguments.of("decimals", fields(SqlType.DECIMAL), List.of(new OrderBy(0, -1, false)),
                        new String[][]{{"1.50", "10.01"}, {"2.5", "9.999"}}, List.of("1.50", "2.5", "9.999", "10.01")),
                Arguments.of("unsigned above 2^63 compare as numbers", fields(SqlType.UINT64), List.of(new OrderBy(0, -1, false)),
                        new String[][]{{"5", "18446744073709551615"}, {"9223372036854775808"}},
                        List.of("5", "9223372036854775808", "18446744073709551615")),
                Arguments.of("doubles", fields(SqlType.FLOAT64), List.of(new OrderBy(0, -1, false)),
                        new String[][]{{"-1e3", "2.5"}, {"1e-2", "3"}}, List.of("-1e3", "1e-2", "2.5", "3")),
                Arguments.of("text by weight string (case-insensitive collation)", fields(SqlType.VARCHAR, SqlType.VARBINARY),
                        List.of(new OrderBy(0, 1, false)),
                        new String[][]{{"apple|APPLE", "Cherry|CHERRY"}, {"Banana|BANANA", "date|DATE"}},
                        List.of("apple|APPLE", "Banana|BANANA", "Cherry|CHERRY", "date|DATE")),
                Arguments.of("weight string ignored for numbers", fields(SqlType.INT64, SqlType.VARBINARY),
                        List.of(new OrderBy(0, 1, false)),
                        new String[][]{{"2|zz", "30|aa"}, {"4|\\N"}}, List.of("2|zz", "4|\\N", "30|aa")),
                Arguments.of("two keys, second descending", fields(SqlType.INT64, SqlType.INT64),
                        List.of(new OrderBy(0, -1, false), new OrderBy(1, -1, true)),
                        new String[][]{{"1|9", "2|5"}, {"1|10", "2|7"}}, List.of("1|10", "1|9", "2|7", "2|5")),
                Arguments.of("temporal text sorts byte-wise", fields(SqlType.DATETIME), List.of(new OrderBy(0, -1, false)),
                        new String[][]{{"2024-01-02 00:00:00"}, {"2023-12-31 23:59:59", "2024-05-01 10:00:00"}},
                        List.of("2023-12-31 23:59:59", "2024-01-02 00:00:00", "2024-05-01 10:00:00")),
                Arguments.of("TIME by duration, negative and over 99 hours", fields(SqlType.TIME), List.of(new OrderBy(0, -1, false)),
                        new String[][]{{"-10:00:00", "00:30:00.5", "100:00:00"}, {"-02:00:00", "00:30:00.25", "99:59:59"}},
                        List.of("-10:00:00", "-02:00:00", "00:30:00.25", "00:30:00.5", "99:59:59", "100:00:00")),
                Arguments.of("YEAR numerically", fields(SqlType.YEAR), List.of(new OrderBy(0, -1, false)),
                        new String[][]{{"1999", "2024"}, {"2001"}}, List.of("1999", "2001", "2024")),
                Arguments.of("empty shards", fields(SqlType.INT64), List.of(new OrderBy(0, -1, false)),
                        new String[][]{{}, {"1"}, {}}, List.of("1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mergeCases")
    void mergeSort(String name, List<Field> fields, List<OrderBy> keys, String[][] shards, List<String> expected) {
        assertEquals(expected, drain(new MergeSortStream(shards(fields, shards), keys)));
    }

    static Stream<Arguments> aggregateCases() {
        AggregateParam count = new AggregateParam(AggregateFunction.COUNT, 1, -1, "count(*)");
        AggregateParam sum = new AggregateParam(AggregateFunction.SUM, 1, -1, "sum(x)");
        AggregateParam min = new AggregateParam(AggregateFunction.MIN, 1, -1, "min(x)");
        AggregateParam max = new AggregateParam(AggregateFunction.MAX, 1, -1, "max(x)");
        AggregateParam countDistinct = new AggregateParam(AggregateFunction.COUNT_DISTINCT, 1, -1, "count(distinct x)");
        AggregateParam avg = new AggregateParam(AggregateFunction.AVG, 1, 2, "avg(x)");
        List<OrderBy> byFirst = List.of(new OrderBy(0, -1, false));
        return Stream.of(
                Arguments.of("scalar count adds partial counts", fields(SqlType.INT64, SqlType.INT64), List.of(count), List.of(),
                        List.of("\\N|3", "\\N|4", "\\N|0"), List.of("\\N|7"), SqlType.INT64),
                Arguments.of("scalar count of no rows is 0", fields(SqlType.INT64, SqlType.INT64), List.of(count), List.of(),
                        List.of(), List.of("\\N|0"), SqlType.INT64),
                Arguments.of("scalar sum of no rows is NULL", fields(SqlType.INT64, SqlType.DECIMAL), List.of(sum), List.of(),
                        List.of(), List.of("\\N|\\N"), SqlType.DECIMAL),
                Arguments.of("sum ignores NULL partials", fields(SqlType.INT64, SqlType.DECIMAL), List.of(sum), List.of(),
                        List.of("\\N|10", "\\N|\\N", "\\N|5"), List.of("\\N|15"), SqlType.DECIMAL),
                Arguments.of("sum of all-NULL partials is NULL", fields(SqlType.INT64, SqlType.DECIMAL), List.of(sum), List.of(),
                        List.of("\\N|\\N", "\\N|\\N"), List.of("\\N|\\N"), SqlType.DECIMAL),
                Arguments.of("sum of integer partials is DECIMAL", fields(SqlType.INT64, SqlType.INT64), List.of(sum), List.of(),
                        List.of("\\N|9223372036854775807", "\\N|1"), List.of("\\N|9223372036854775808"), SqlType.DECIMAL),
                Arguments.of("sum keeps decimal scale", fields(SqlType.INT64, SqlType.DECIMAL), List.of(sum), List.of(),
                        List.of("\\N|1.25", "\\N|2.50"), List.of("\\N|3.75"), SqlType.DECIMAL),
                Arguments.of("sum of doubles stays double", fields(SqlType.INT64, SqlType.FLOAT64), List.of(sum), List.of(),
                        List.of("\\N|1.5", "\\N|2.25"), List.of("\\N|3.75"), SqlType.FLOAT64),
                Arguments.of("min numeric, NULLs ignored", fields(SqlType.INT64, SqlType.INT64), List.of(min), List.of(),
                        List.of("\\N|10", "\\N|\\N", "\\N|-2", "\\N|9"), List.of("\\N|-2"), SqlType.INT64),
                Arguments.of("max numeric compares numbers", fields(SqlType.INT64, SqlType.INT64), List.of(max), List.of(),
                        List.of("\\N|9", "\\N|10"), List.of("\\N|10"), SqlType.INT64),
                Arguments.of("min of text follows the collation through the weight string",
                        fields(SqlType.INT64, SqlType.VARCHAR, SqlType.VARBINARY),
                        List.of(new AggregateParam(AggregateFunction.MIN, 1, -1, "min(x)", 2)), List.of(),
                        List.of("\\N|B|B", "\\N|a|A"), List.of("\\N|a|A"), SqlType.VARCHAR),
                Arguments.of("max of text follows the collation through the weight string",
                        fields(SqlType.INT64, SqlType.VARCHAR, SqlType.VARBINARY),
                        List.of(new AggregateParam(AggregateFunction.MAX, 1, -1, "max(x)", 2)), List.of(),
                        List.of("\\N|b|B", "\\N|C|C", "\\N|a|A"), List.of("\\N|C|C"), SqlType.VARCHAR),
                Arguments.of("max of all NULL is NULL", fields(SqlType.INT64, SqlType.INT64), List.of(max), List.of(),
                        List.of("\\N|\\N"), List.of("\\N|\\N"), SqlType.INT64),
                Arguments.of("avg is sum of sums over sum of counts, scale + 4",
                        fields(SqlType.INT64, SqlType.DECIMAL, SqlType.INT64), List.of(avg), List.of(),
                        List.of("\\N|10|3", "\\N|5|2"), List.of("\\N|3.0000|5"), SqlType.DECIMAL),
                Arguments.of("avg with decimal partials", fields(SqlType.INT64, SqlType.DECIMAL, SqlType.INT64), List.of(avg), List.of(),
                        List.of("\\N|1.00|3"), List.of("\\N|0.333333|3"), SqlType.DECIMAL),
                Arguments.of("avg over zero rows is NULL", fields(SqlType.INT64, SqlType.DECIMAL, SqlType.INT64), List.of(avg), List.of(),
                        List.of("\\N|\\N|0", "\\N|\\N|0"), List.of("\\N|\\N|0"), SqlType.DECIMAL),
                Arguments.of("grouped counts", fields(SqlType.VARCHAR, SqlType.INT64), List.of(count), byFirst,
                        List.of("a|1", "a|2", "b|5", "c|1", "c|1"), List.of("a|3", "b|5", "c|2"), SqlType.INT64),
                Arguments.of("grouped with NULL group", fields(SqlType.INT64, SqlType.DECIMAL), List.of(sum), byFirst,
                        List.of("\\N|1", "\\N|2", "7|3"), List.of("\\N|3", "7|3"), SqlType.DECIMAL),
                Arguments.of("grouped over no rows yields no rows", fields(SqlType.INT64, SqlType.INT64), List.of(count), byFirst,
                        List.of(), List.of(), SqlType.INT64),
                Arguments.of("count distinct counts changes of the sorted values, NULLs skipped",
                        fields(SqlType.INT64, SqlType.INT64), List.of(countDistinct), List.of(),
                        List.of("\\N|\\N", "\\N|1", "\\N|1", "\\N|5", "\\N|10", "\\N|10"), List.of("\\N|3"), SqlType.INT64),
                Arguments.of("scalar count distinct of no rows is 0", fields(SqlType.INT64, SqlType.INT64),
                        List.of(countDistinct), List.of(), List.of(), List.of("\\N|0"), SqlType.INT64),
                Arguments.of("count distinct of all NULL is 0", fields(SqlType.INT64, SqlType.DECIMAL),
                        List.of(countDistinct), List.of(), List.of("\\N|\\N", "\\N|\\N"), List.of("\\N|0"), SqlType.INT64),
                Arguments.of("count distinct of text compares weight strings (the collation)",
                        fields(SqlType.INT64, SqlType.VARCHAR, SqlType.VARBINARY),
                        List.of(new AggregateParam(AggregateFunction.COUNT_DISTINCT, 1, -1, "count(distinct x)", 2)), List.of(),
                        List.of("\\N|a|A", "\\N|A|A", "\\N|b|B"), List.of("\\N|2|A"), SqlType.INT64),
                Arguments.of("sum distinct adds each sorted value once, NULLs skipped", fields(SqlType.INT64, SqlType.INT64),
                        List.of(new AggregateParam(AggregateFunction.SUM_DISTINCT, 1, -1, "sum(distinct x)")), List.of(),
                        List.of("\\N|\\N", "\\N|2", "\\N|2", "\\N|5"), List.of("\\N|7"), SqlType.DECIMAL),
                Arguments.of("avg distinct divides by the distinct count, scale + 4", fields(SqlType.INT64, SqlType.DECIMAL),
                        List.of(new AggregateParam(AggregateFunction.AVG_DISTINCT, 1, -1, "avg(distinct x)")), List.of(),
                        List.of("\\N|1.5", "\\N|1.5", "\\N|2.0"), List.of("\\N|1.75000"), SqlType.DECIMAL),
                Arguments.of("scalar sum distinct of no rows is NULL", fields(SqlType.INT64, SqlType.INT64),
                        List.of(new AggregateParam(AggregateFunction.SUM_DISTINCT, 1, -1, "sum(distinct x)")), List.of(),
                        List.of(), List.of("\\N|\\N"), SqlType.DECIMAL),
                Arguments.of("grouped count distinct restarts per group", fields(SqlType.VARCHAR, SqlType.INT64),
                        List.of(countDistinct), byFirst,
                        List.of("a|1", "a|1", "a|2", "b|2", "c|\\N"), List.of("a|2", "b|1", "c|0"), SqlType.INT64));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("aggregateCases")
    void aggregate(String name, List<Field> fields, List<AggregateParam> aggs, List<OrderBy> groupBy, List<String> input,
                   List<String> expected, SqlType resultType) {
        AggregateStream s = new AggregateStream(RowStream.of(fields, rows(input.toArray(new String[0]))), aggs, groupBy);
        assertEquals(expected, drain(s));
        assertEquals(resultType, s.fields().get(aggs.get(0).column()).type());
    }

    static Stream<Arguments> rawAggregateCases() {
        List<OrderBy> byFirst = List.of(new OrderBy(0, -1, false));
        return Stream.of(
                Arguments.of("count counts non-NULL values, not their sum", fields(SqlType.INT64, SqlType.INT64),
                        List.of(new AggregateParam(AggregateFunction.COUNT, 1, -1, "count(x)")), List.of(),
                        List.of("\\N|7", "\\N|\\N", "\\N|7"), List.of("\\N|2"), SqlType.INT64),
                Arguments.of("scalar over no rows: count 0, sum NULL, avg NULL",
                        fields(SqlType.INT64, SqlType.INT64, SqlType.INT64),
                        List.of(new AggregateParam(AggregateFunction.COUNT, 0, -1, "count(*)"),
                                new AggregateParam(AggregateFunction.SUM, 1, -1, "sum(x)"),
                                new AggregateParam(AggregateFunction.AVG, 2, 2, "avg(x)")), List.of(),
                        List.of(), List.of("0|\\N|\\N"), SqlType.INT64),
                Arguments.of("avg of integers divides by the non-NULL count, scale 4", fields(SqlType.INT64, SqlType.INT64),
                        List.of(new AggregateParam(AggregateFunction.AVG, 1, 1, "avg(x)")), List.of(),
                        List.of("\\N|1", "\\N|\\N", "\\N|2"), List.of("\\N|1.5000"), SqlType.DECIMAL),
                Arguments.of("avg of decimals adds 4 to the scale", fields(SqlType.INT64, SqlType.DECIMAL),
                        List.of(new AggregateParam(AggregateFunction.AVG, 1, 1, "avg(x)")), List.of(),
                        List.of("\\N|1.00", "\\N|2.00", "\\N|2.00"), List.of("\\N|1.666667"), SqlType.DECIMAL),
                Arguments.of("sum of all NULL is NULL", fields(SqlType.INT64, SqlType.INT64),
                        List.of(new AggregateParam(AggregateFunction.SUM, 1, -1, "sum(x)")), List.of(),
                        List.of("\\N|\\N"), List.of("\\N|\\N"), SqlType.DECIMAL),
                Arguments.of("grouped counts of rows", fields(SqlType.VARCHAR, SqlType.INT64),
                        List.of(new AggregateParam(AggregateFunction.COUNT, 1, -1, "count(*)")), byFirst,
                        List.of("a|1", "a|1", "b|1"), List.of("a|2", "b|1"), SqlType.INT64));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rawAggregateCases")
    void rawAggregate(String name, List<Field> fields, List<AggregateParam> aggs, List<OrderBy> groupBy, List<String> input,
                      List<String> expected, SqlType resultType) {
        AggregateStream s = new AggregateStream(RowStream.of(fields, rows(input.toArray(new String[0]))), aggs, groupBy, true);
        assertEquals(expected, drain(s));
        assertEquals(resultType, s.fields().get(aggs.get(0).column()).type());
    }

    @org.junit.jupiter.api.Test
    void rawSumOfFloatIsRejected() {
        List<Field> f = fields(SqlType.INT64, SqlType.FLOAT32);
        org.junit.jupiter.api.Assertions.assertThrows(dev.mosaic.api.error.MosaicException.class, () -> new AggregateStream(
                RowStream.of(f, rows("\\N|1.1")), List.of(new AggregateParam(AggregateFunction.SUM, 1, -1, "sum(x)")), List.of(), true));
    }

    static Stream<Arguments> limitCases() {
        return Stream.of(
                Arguments.of("count only", 2L, 0L, List.of("1", "2")),
                Arguments.of("offset and count", 2L, 3L, List.of("4", "5")),
                Arguments.of("offset beyond the end", 5L, 10L, List.of()),
                Arguments.of("count beyond the end", 10L, 4L, List.of("5", "6")),
                Arguments.of("zero count", 0L, 0L, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limitCases")
    void limit(String name, long count, long offset, List<String> expected) {
        RowStream in = RowStream.of(fields(SqlType.INT64), rows("1", "2", "3", "4", "5", "6"));
        assertEquals(expected, drain(new LimitStream(in, count, offset)));
    }

    static Stream<Arguments> distinctCases() {
        return Stream.of(
                Arguments.of("numbers", fields(SqlType.INT64), List.of(new OrderBy(0, -1, false)),
                        List.of("1", "1", "2", "3", "3", "3"), List.of("1", "2", "3")),
                Arguments.of("text equal under the collation is one value", fields(SqlType.VARCHAR, SqlType.VARBINARY),
                        List.of(new OrderBy(0, 1, false)), List.of("a|A", "A|A", "b|B"), List.of("a|A", "b|B")),
                Arguments.of("NULLs are one value", fields(SqlType.INT64), List.of(new OrderBy(0, -1, false)),
                        List.of("\\N", "\\N", "1"), List.of("\\N", "1")),
                Arguments.of("two columns", fields(SqlType.INT64, SqlType.INT64),
                        List.of(new OrderBy(0, -1, false), new OrderBy(1, -1, false)),
                        List.of("1|1", "1|1", "1|2", "2|1"), List.of("1|1", "1|2", "2|1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distinctCases")
    void distinct(String name, List<Field> fields, List<OrderBy> cols, List<String> input, List<String> expected) {
        assertEquals(expected, drain(new DistinctStream(RowStream.of(fields, rows(input.toArray(new String[0]))), cols)));
    }

    @org.junit.jupiter.api.Test
    void enumKeysAreRefusedRatherThanMisordered() {
        List<Field> f = fields(SqlType.ENUM);
        dev.mosaic.api.error.MosaicException e = org.junit.jupiter.api.Assertions.assertThrows(dev.mosaic.api.error.MosaicException.class,
                () -> new MergeSortStream(shards(f, new String[]{"b"}, new String[]{"a"}), List.of(new OrderBy(0, -1, false))));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("VT12001: unsupported:"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void truncateSharesTheBuffer() {
        Row r = Row.of("a", "bb", "ccc");
        Row t = r.truncate(2);
        assertEquals(2, t.size());
        assertEquals("bb", t.string(1));
        assertEquals(Arrays.asList("a", "bb"), List.of(t.string(0), t.string(1)));
        org.junit.jupiter.api.Assertions.assertSame(r.buffer(), t.buffer());
    }
}
