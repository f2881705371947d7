package dev.mosaic.server.sql.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.plan.PlanDescription;
import dev.mosaic.server.sql.planner.Planner;
import dev.mosaic.server.sql.planner.PlannerCorpusTest;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Statement in, the plan of its field query (or none) out. */
class FieldQueriesTest {
    private static final VSchemaSnapshot VSCHEMA = PlannerCorpusTest.vschema();
    private static final Planner.Session SBTEST = new Planner.Session("sbtest", "primary");

    static Stream<Arguments> selects() {
        return Stream.of(
                Arguments.of("select id, c from sbtest1 where id = ?",
                        "{\"OperatorType\":\"Route\",\"Variant\":\"Reference\",\"Keyspace\":\"sbtest\",\"Table\":\"sbtest1\","
                                + "\"Query\":\"SELECT id, c FROM sbtest1 WHERE :vtg1 <> :vtg2\"}"),
                Arguments.of("select c from sbtest1 where k > ? order by c limit ?, ?",
                        "{\"OperatorType\":\"Route\",\"Variant\":\"Reference\",\"Keyspace\":\"sbtest\",\"Table\":\"sbtest1\","
                                + "\"Query\":\"SELECT c FROM sbtest1 WHERE :vtg1 <> :vtg2\"}"),
                Arguments.of("select k, count(*), avg(id) from sbtest1 where c = ? group by k having count(*) > ?",
                        null),
                Arguments.of("select sku from commerce.product where price > ? limit 3",
                        "{\"OperatorType\":\"Route\",\"Variant\":\"Unsharded\",\"Keyspace\":\"commerce\",\"Table\":\"product\","
                                + "\"Query\":\"SELECT sku FROM product WHERE :vtg1 <> :vtg2\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selects")
    void selectFieldQueries(String sql, String expected) {
        Optional<CachingPlanner.PlannedQuery> q = FieldQueries.forSelect(sql, SBTEST, VSCHEMA);
        assertTrue(q.isPresent(), sql);
        if (expected != null) {
            assertEquals(expected, PlanDescription.describe(q.get().plan().root()).toJson());
        }
        assertEquals(Value.of(1), q.get().bindVars().get("vtg1").orElseThrow());
        for (int i = 1; i <= q.get().paramCount(); i++) {
            assertEquals(Value.NULL, q.get().bindVars().get("v" + i).orElseThrow());
        }
    }

    @Test
    void aggregatesKeepTheirGateOperatorOverOneShard() {
        CachingPlanner.PlannedQuery q = FieldQueries.forSelect(
                "select k, count(*), avg(id) from sbtest1 where c = ? group by k order by k limit ?", SBTEST, VSCHEMA).orElseThrow();
        String d = PlanDescription.describe(q.plan().root()).toJson();
        assertTrue(d.startsWith("{\"OperatorType\":\"Aggregate\""), d);
        assertTrue(d.contains("\"Variant\":\"Reference\""), d);
        assertTrue(!d.contains("Limit"), d);
    }

    @Test
    void notSelectsHaveNoFieldQuery() {
        assertTrue(FieldQueries.forSelect("update sbtest1 set k = ? where id = ?", SBTEST, VSCHEMA).isEmpty());
        assertTrue(FieldQueries.forSelect("insert into sbtest2 (id) values (?)", SBTEST, VSCHEMA).isEmpty());
        assertTrue(FieldQueries.forSelect("set @@session.sql_mode = ?", SBTEST, VSCHEMA).isEmpty());
        assertTrue(FieldQueries.forSelect("select * from information_schema.tables where table_name = ?", SBTEST, VSCHEMA).isEmpty());
    }

    @Test
    void tableFieldQueryResolvesThroughTheVSchema() {
        CachingPlanner.PlannedQuery q = FieldQueries.forTable("orders", new Planner.Session(null, "primary"), VSCHEMA);
        String d = PlanDescription.describe(q.plan().root()).toJson();
        assertTrue(d.contains("\"Keyspace\":\"customer\"") && d.contains("corder") && d.contains("Reference"), d);
        MosaicException e = assertThrows(MosaicException.class,
                () -> FieldQueries.forTable("nosuch", new Planner.Session("sbtest", "primary"), VSCHEMA));
        assertTrue(e.getMessage().toLowerCase().contains("nosuch"), e.getMessage());
    }
}
