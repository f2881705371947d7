package dev.mosaic.server.sql.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.server.sql.plan.AggregateParam;
import dev.mosaic.server.sql.plan.AggregateParam.AggregateFunction;
import dev.mosaic.server.sql.plan.OrderBy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Column definitions pass through the merging operators; aggregates describe their results. */
class FieldDefinitionsTest {
    private static final Field.Definition ID = new Field.Definition("customer", "t", "t", "id", 20, 63, 0, 1 | 2 | 32 | 512);
    private static final Field.Definition TS = new Field.Definition("customer", "t", "t", "ts", 26, 63, 6, 128);
    private static final Field.Definition NAME = new Field.Definition("customer", "x", "t", "name", 128, 45, 0, 1);
    private static final Field.Definition PRICE = new Field.Definition("customer", "t", "t", "price", 12, 63, 3, 0);
    private static final List<Field> FIELDS = List.of(new Field("id", SqlType.UINT64, ID),
            new Field("ts", SqlType.DATETIME, TS), new Field("n", SqlType.VARCHAR, NAME),
            new Field("price", SqlType.DECIMAL, PRICE), new Field("weight_string(n)", SqlType.VARBINARY,
                    new Field.Definition("", "", "", "", 512, 63, 0, 128)));

    private static List<RowStream> shards() {
        return List.of(RowStream.of(FIELDS, MergingOperatorsTest.rows("1|2024-01-02 03:04:05.123456|a|1.500|A")),
                RowStream.of(FIELDS, MergingOperatorsTest.rows("2|2024-01-02 03:04:05.000001|b|2.250|B")));
    }

    @Test
    void computedFieldHasNoDefinition() {
        Field f = new Field("count(*)", SqlType.INT64);
        assertNull(f.definition());
        assertTrue(f.computed());
        assertFalse(FIELDS.get(0).computed());
        assertTrue(Field.Definition.computed(3).isComputed());
        assertEquals(3, f.computedAs(SqlType.DECIMAL, 3).definition().decimals());
        assertNull(f.computedAs(SqlType.DECIMAL, -1).definition());
        assertEquals("vt", ID.withSchema("vt").schema());
        assertEquals(ID.flags(), ID.withSchema("vt").flags());
    }

    @Test
    void concatMergeSortLimitDistinctSortKeepDefinitions() {
        List<OrderBy> byId = List.of(new OrderBy(0, -1, true));
        assertEquals(FIELDS, new ConcatStream(shards()).fields());
        assertEquals(FIELDS, new MergeSortStream(shards(), byId).fields());
        assertEquals(FIELDS, new LimitStream(new MergeSortStream(shards(), byId), 1, 0).fields());
        assertEquals(FIELDS, new DistinctStream(new ConcatStream(shards()), List.of(new OrderBy(2, 4, false))).fields());
        assertEquals(FIELDS, new MemorySortStream(new ConcatStream(shards()), byId).fields());
        RowStream truncated = new TruncateStream(new MergeSortStream(shards(), byId), 4);
        assertEquals(FIELDS.subList(0, 4), truncated.fields());
        assertEquals(List.of("2|2024-01-02 03:04:05.000001|b|2.250", "1|2024-01-02 03:04:05.123456|a|1.500"),
                MergingOperatorsTest.drain(truncated));
    }

    @Test
    void minAndMaxKeepTheColumnsDefinition() {
        AggregateStream agg = new AggregateStream(new ConcatStream(shards()), List.of(
                new AggregateParam(AggregateFunction.MIN, 1, -1, "min(ts)"),
                new AggregateParam(AggregateFunction.MAX, 2, -1, "max(n)", 4)), List.of());
        assertSame(FIELDS.get(1), agg.fields().get(1));
        assertSame(FIELDS.get(2), agg.fields().get(2));
        assertEquals(FIELDS.get(0), agg.fields().get(0)); // not an aggregate: the group's value, same column
        assertEquals(List.of("1|2024-01-02 03:04:05.000001|b|1.500|B"), MergingOperatorsTest.drain(agg));
    }

    @Test
    void countIsBigintAndKeepsTheShardsDescriptionOfTheCount() {
        Field.Definition count = new Field.Definition("", "", "", "", 21, 63, 0, 1 | 128 | 32768);
        List<Field> in = List.of(new Field("count(*)", SqlType.INT64, count));
        AggregateStream agg = new AggregateStream(RowStream.of(in, MergingOperatorsTest.rows("2", "3")),
                List.of(new AggregateParam(AggregateFunction.COUNT, 0, -1, "count(*)")), List.of());
        assertEquals(new Field("count(*)", SqlType.INT64, count), agg.fields().get(0));
        assertEquals(List.of("5"), MergingOperatorsTest.drain(agg));

        // A COUNT over a column the shards did not describe is a computed BIGINT.
        AggregateStream computed = new AggregateStream(RowStream.of(List.of(new Field("c", SqlType.INT64)),
                MergingOperatorsTest.rows("1")), List.of(new AggregateParam(AggregateFunction.COUNT, 0, -1, "c")), List.of());
        assertEquals(new Field("c", SqlType.INT64), computed.fields().get(0));
    }

    @Test
    void sumKeepsTheScaleAndAvgAddsFourDigits() {
        // The shards sent SUM(price) (DECIMAL(32,3)) and COUNT(price) for AVG(price).
        Field.Definition sum = new Field.Definition("", "", "", "", 34, 63, 3, 128);
        Field.Definition cnt = new Field.Definition("", "", "", "", 21, 63, 0, 1 | 128);
        List<Field> in = List.of(new Field("sum(price)", SqlType.DECIMAL, sum), new Field("avg(price)", SqlType.DECIMAL, sum),
                new Field("count(price)", SqlType.INT64, cnt));
        AggregateStream agg = new AggregateStream(RowStream.of(in, MergingOperatorsTest.rows("1.500|1.500|1", "2.250|2.250|2")),
                List.of(new AggregateParam(AggregateFunction.SUM, 0, -1, "sum(price)"),
                        new AggregateParam(AggregateFunction.AVG, 1, 2, "avg(price)")), List.of());
        assertSame(in.get(0), agg.fields().get(0));
        Field avg = agg.fields().get(1);
        assertEquals(SqlType.DECIMAL, avg.type());
        assertEquals(7, avg.definition().decimals());
        assertEquals(38, avg.definition().columnLength());
        assertEquals(List.of("3.750|1.2500000|3"), MergingOperatorsTest.drain(agg));

        // A SUM over raw integers becomes a computed DECIMAL with the integers' scale (0).
        AggregateStream ints = new AggregateStream(RowStream.of(List.of(new Field("id", SqlType.UINT64, ID)),
                MergingOperatorsTest.rows("1", "2")), List.of(new AggregateParam(AggregateFunction.SUM, 0, -1, "s")), List.of());
        Field s = ints.fields().get(0);
        assertEquals(SqlType.DECIMAL, s.type());
        assertTrue(s.computed());
        assertEquals(0, s.definition().decimals());

        // Floating point: AVG of a "not fixed" double stays not fixed (31).
        Field.Definition dbl = new Field.Definition("", "", "", "", 23, 63, 31, 128);
        AggregateStream floats = new AggregateStream(RowStream.of(List.of(new Field("a", SqlType.FLOAT64, dbl),
                new Field("c", SqlType.INT64, cnt)), MergingOperatorsTest.rows("1.5|1")),
                List.of(new AggregateParam(AggregateFunction.AVG, 0, 1, "a")), List.of());
        assertEquals(31, floats.fields().get(0).definition().decimals());
    }
}
