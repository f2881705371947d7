package dev.mosaic.server.sql.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.RoutingRules;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.plan.Routing;
import dev.mosaic.server.sql.planner.Planner;
import dev.mosaic.server.sql.planner.PlannerCorpusTest;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.vindex.VindexCursor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shard resolution and insert splitting with the real vindexes. Known keyspace ids (Vitess's test
 * vectors): hash(1) = 166b40b44aba4bd6, hash(2) = 06e7ea22ce92708f, hash(3) = 4eb190c9a2fa169c,
 * hash(4) = d2fd8867d50d2dfe, xxhash(1) = d46405367612b4b7.
 */
class ShardResolverTest {
    private static final CachingPlanner PLANNER = new CachingPlanner(PlannerCorpusTest.vschema(), 100, new SimpleMeterRegistry());
    private static final List<ShardTarget> TWO = shards(2);
    private static final List<ShardTarget> FOUR = shards(4);

    static List<ShardTarget> shards(int n) {
        return KeyRange.splitNames(n).stream().map(ShardTarget::named).toList();
    }

    /** Text, binary and xxhash vindexes: tag.label is a VARCHAR, blob_t.b a VARBINARY, item.id a BIGINT. */
    private static final CachingPlanner TEXT_PLANNER = new CachingPlanner(VSchemaSnapshot.build(Map.of("tk", KeyspaceVSchema.fromJson("""
            {"sharded": true,
             "vindexes": {"md5": {"type": "unicode_loose_md5"}, "unicode_loose_xxhash": {"type": "unicode_loose_xxhash"},
                          "bmd5": {"type": "binary_md5"}, "bin": {"type": "binary"}, "xxhash": {"type": "xxhash"}},
             "tables": {"tag": {"column_vindexes": [{"column": "label", "name": "md5"}]},
                        "note": {"column_vindexes": [{"column": "title", "name": "unicode_loose_xxhash"}]},
                        "blob_t": {"column_vindexes": [{"column": "b", "name": "bmd5"}]},
                        "raw_t": {"column_vindexes": [{"column": "k", "name": "bin"}]},
                        "item": {"column_vindexes": [{"column": "id", "name": "xxhash"}]}}}
            """)), RoutingRules.EMPTY, Plugins.load(ShardResolverTest.class.getClassLoader())), 100, new SimpleMeterRegistry());

    private static CachingPlanner.PlannedQuery plan(String sql, String ks) {
        return PLANNER.plan(sql, new Planner.Session(ks, "primary"));
    }

    private static Routing routing(CachingPlanner.PlannedQuery q) {
        return q.plan().root() instanceof Primitive.Route r ? r.routing() : ((Primitive.Dml) q.plan().root()).routing();
    }

    /** Resolves like the executor: resolveIn for IN routes, else resolve; the shard names. */
    private static List<String> resolveText(String sql) {
        CachingPlanner.PlannedQuery q = TEXT_PLANNER.plan(sql, new Planner.Session("tk", "primary"));
        Routing routing = routing(q);
        if (routing.opcode() == RouteOpcode.IN) {
            return ShardResolver.resolveIn(routing, q.bindVars(), FOUR, VindexCursor.NONE).stream()
                    .map(s -> s.shard().name()).toList();
        }
        return ShardResolver.resolve(routing, q.bindVars(), FOUR, VindexCursor.NONE).stream().map(ShardTarget::name).toList();
    }

    static Stream<Arguments> routes() {
        return Stream.of(
                Arguments.of("select * from sbtest1 where id = 1", "sbtest", List.of("-40")),
                Arguments.of("select * from sbtest1 where id = 2", "sbtest", List.of("-40")),
                Arguments.of("select * from sbtest1 where id = 3", "sbtest", List.of("40-80")),
                Arguments.of("select * from sbtest1 where id = 4", "sbtest", List.of("c0-")),
                Arguments.of("select * from sbtest1 where id in (1, 3, 4, 2)", "sbtest", List.of("-40", "40-80", "c0-")),
                Arguments.of("select * from customer where customer_id = 1", "customer", List.of("c0-")),
                // Matches nothing anywhere; one shard still answers, for the columns and COUNT(*) = 0.
                Arguments.of("select * from customer where customer_id = null", "customer", List.of("-40")),
                Arguments.of("select count(*) from customer where customer_id = null", "customer", List.of("-40")),
                Arguments.of("select * from customer", "customer", List.of("-40", "40-80", "80-c0", "c0-")),
                Arguments.of("delete from sbtest1 where id = 4", "sbtest", List.of("c0-")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void routesToShards(String sql, String ks, List<String> expected) {
        CachingPlanner.PlannedQuery q = plan(sql, ks);
        var routing = q.plan().root() instanceof Primitive.Route r ? r.routing() : ((Primitive.Dml) q.plan().root()).routing();
        assertEquals(expected, ShardResolver.resolve(routing, q.bindVars(), FOUR, VindexCursor.NONE).stream().map(ShardTarget::name).toList());
    }

    @Test
    void inRouteGivesEachShardItsOwnValues() {
        CachingPlanner.PlannedQuery q = plan("select * from sbtest1 where id in (1, 3, 4, 2)", "sbtest");
        Primitive.Route r = (Primitive.Route) q.plan().root();
        assertEquals("SELECT * FROM sbtest1 WHERE id IN ::__vals", r.query());
        List<ShardResolver.ShardValues> split = ShardResolver.resolveIn(r.routing(), q.bindVars(), FOUR, VindexCursor.NONE);
        assertEquals(List.of("-40 (1, 2)", "40-80 (3)", "c0- (4)"),
                split.stream().map(s -> s.shard().name() + " " + s.values().toSqlLiteral()).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unmappable")
    void aValueTheVindexCannotMapIsRejectedNotRoutedNowhere(String sql) {
        // MySQL finds row 7 for id = 7.0 or '7.0'; the hash vindex has no keyspace id for them.
        CachingPlanner.PlannedQuery q = plan(sql, "sbtest");
        var routing = q.plan().root() instanceof Primitive.Route r ? r.routing() : ((Primitive.Dml) q.plan().root()).routing();
        MosaicException e = assertThrows(MosaicException.class, () -> {
            if (routing.opcode() == dev.mosaic.server.sql.plan.RouteOpcode.IN) {
                ShardResolver.resolveIn(routing, q.bindVars(), FOUR, VindexCursor.NONE);
            } else {
                ShardResolver.resolve(routing, q.bindVars(), FOUR, VindexCursor.NONE);
            }
        });
        assertEquals(1235, e.mysqlErrno(), e.getMessage());
        assertTrue(e.getMessage().startsWith("VT12001: unsupported: the value "), e.getMessage());
    }

    static Stream<String> unmappable() {
        return Stream.of("select * from sbtest1 where id = 7.0", "select * from sbtest1 where id = '7.0'",
                "select * from sbtest1 where id in (1, 2.5)", "delete from sbtest1 where id = 7.0");
    }

    @Test
    void theVindexTypeReachesThePlan() {
        Routing.PlannedVindex v = routing(TEXT_PLANNER.plan("select * from tag where label = 'red'",
                new Planner.Session("tk", "primary"))).vindex().orElseThrow();
        assertEquals(List.of("md5", "unicode_loose_md5", List.of("label")), List.of(v.name(), v.type(), v.columns()));
        assertEquals("hash", routing(plan("select * from sbtest1 where id = 1", "sbtest")).vindex().orElseThrow().type());
    }

    @Test
    void aNumberComparedWithATextVindexColumnIsRejected() {
        // label = 0 and label = '0' share one plan: only the bind variable's type tells them apart.
        Planner.Session s = new Planner.Session("tk", "primary");
        assertTrue(TEXT_PLANNER.plan("select * from tag where label = 0", s).plan()
                == TEXT_PLANNER.plan("select * from tag where label = '0'", s).plan(), "one cached plan");
        MosaicException e = assertThrows(MosaicException.class, () -> resolveText("select * from tag where label = 0"));
        assertEquals(1235, e.mysqlErrno(), e.getMessage());
        assertEquals("VT12001: unsupported: comparing vindex column label (vindex md5 of type unicode_loose_md5, a text vindex)"
                + " with the number 0: MySQL compares it as a number and may match rows on every shard;"
                + " write the value as a string ('0')", e.getMessage());
        assertEquals(1, resolveText("select * from tag where label = '0'").size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numbersForTextVindexes")
    void numbersForTextVindexesAreRejectedInEveryRoute(String sql, String vindex) {
        MosaicException e = assertThrows(MosaicException.class, () -> resolveText(sql));
        assertEquals(1235, e.mysqlErrno(), e.getMessage());
        assertTrue(e.getMessage().startsWith("VT12001: unsupported: comparing vindex column ")
                && e.getMessage().contains("(vindex " + vindex + ", a text vindex) with the number "), e.getMessage());
    }

    static Stream<Arguments> numbersForTextVindexes() {
        return Stream.of(
                Arguments.of("select * from tag where label = 1.5", "md5 of type unicode_loose_md5"),
                Arguments.of("select * from tag where label = 1e0", "md5 of type unicode_loose_md5"),
                Arguments.of("select * from tag where label = 18446744073709551615", "md5 of type unicode_loose_md5"),
                Arguments.of("select * from tag where label in ('red', 0)", "md5 of type unicode_loose_md5"),
                Arguments.of("delete from tag where label = 0", "md5 of type unicode_loose_md5"),
                Arguments.of("update tag set weight = 1 where label in (0, 1)", "md5 of type unicode_loose_md5"),
                Arguments.of("select * from note where title = -3", "unicode_loose_xxhash"),
                Arguments.of("select * from blob_t where b = 7", "bmd5 of type binary_md5"),
                Arguments.of("select * from raw_t where k in (x'01', 2)", "bin of type binary"));
    }

    @Test
    void stringsAndNullStillRouteForTextVindexes() {
        assertEquals(1, resolveText("select * from tag where label = 'red'").size());
        assertEquals(1, resolveText("select * from blob_t where b = '7'").size());
        assertTrue(resolveText("select * from tag where label in ('red', 'blue', null)").size() >= 1);
        assertEquals(List.of("-40"), resolveText("select * from tag where label = null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonIntegralForXxhash")
    void aNonIntegralNumberForXxhashIsRejected(String sql, String number) {
        MosaicException e = assertThrows(MosaicException.class, () -> resolveText(sql));
        assertEquals(1235, e.mysqlErrno(), e.getMessage());
        assertEquals("VT12001: unsupported: comparing vindex column id (vindex xxhash, which hashes the value's text) with"
                + " the non-integral number " + number + ": MySQL compares it as a number (on an integer column " + number
                + " may equal an integer) but the vindex hashes the text '" + number + "' and may read the wrong shard;"
                + " write the value as an integer, or as a string for a text column", e.getMessage());
    }

    static Stream<Arguments> nonIntegralForXxhash() {
        return Stream.of(Arguments.of("select * from item where id = 7.0", "7.0"),
                Arguments.of("select * from item where id in (1, 2.5)", "2.5"),
                Arguments.of("delete from item where id = 1e20", "1.0e20"));
    }

    @Test
    void integralNumbersAndStringsStillRouteForXxhash() {
        // 7e0 is the float 7, whose text (what xxhash hashes) is "7": the shard of 7.
        List<String> seven = resolveText("select * from item where id = 7");
        assertEquals(1, seven.size());
        assertEquals(seven, resolveText("select * from item where id = 7e0"));
        assertEquals(seven, resolveText("select * from item where id = '7'"));
        assertEquals(1, resolveText("select * from item where id = -1").size());
        assertTrue(resolveText("select * from item where id in (1, 2, 18446744073709551615)").size() >= 1);
    }

    @Test
    void integerTextAndLookupMissesStillRoute() {
        CachingPlanner.PlannedQuery q = plan("select * from sbtest1 where id = '4'", "sbtest");
        assertEquals(List.of("c0-"), ShardResolver.resolve(((Primitive.Route) q.plan().root()).routing(), q.bindVars(), FOUR,
                VindexCursor.NONE).stream().map(ShardTarget::name).toList());
    }

    @Test
    void insertRowsAreSplitPerShardAndKeepTheirOrder() {
        CachingPlanner.PlannedQuery q = plan("insert into sbtest2(id, k) values (1, 10), (4, 40), (2, 20), (3, 30)", "sbtest");
        Primitive.Insert ins = (Primitive.Insert) q.plan().root();
        List<ShardResolver.ShardInsert> split = ShardResolver.splitInsert(ins, q.bindVars(), FOUR, VindexCursor.NONE);
        assertEquals(List.of("-40", "40-80", "c0-"), split.stream().map(s -> s.shard().name()).toList());
        assertEquals(List.of(0, 2), split.get(0).rows());
        assertEquals("INSERT INTO sbtest2 (id, k) VALUES (:vtg1, :vtg2), (:vtg5, :vtg6)", split.get(0).query());
        assertEquals("INSERT INTO sbtest2 (id, k) VALUES (:vtg7, :vtg8)", split.get(1).query());
        assertEquals("INSERT INTO sbtest2 (id, k) VALUES (:vtg3, :vtg4)", split.get(2).query());
        List<ShardResolver.ShardInsert> two = ShardResolver.splitInsert(ins, q.bindVars(), TWO, VindexCursor.NONE);
        assertEquals(List.of("-80", "80-"), two.stream().map(s -> s.shard().name()).toList());
        assertEquals(List.of(0, 2, 3), two.get(0).rows());
    }

    @Test
    void sequenceValuesAreBoundBeforeSplitting() {
        CachingPlanner.PlannedQuery q = plan("insert into sbtest1(id, k) values (null, 1), (4, 2), (null, 3)", "sbtest");
        Primitive.Insert ins = (Primitive.Insert) q.plan().root();
        Primitive.AutoIncrement a = ins.autoIncrement().orElseThrow();
        assertEquals(2, SequenceBinder.idsNeeded(a, q.bindVars()));
        long[] next = {1};
        BindVariables bv = SequenceBinder.bind(a, q.bindVars(), next);
        assertEquals(3, next[0]);
        assertEquals("Int[value=1]", bv.get("__seq0").orElseThrow().toString());
        assertEquals("Int[value=4]", bv.get("__seq1").orElseThrow().toString());
        assertEquals("Int[value=2]", bv.get("__seq2").orElseThrow().toString());
        List<ShardResolver.ShardInsert> split = ShardResolver.splitInsert(ins, bv, FOUR, VindexCursor.NONE);
        assertEquals(List.of("-40", "c0-"), split.stream().map(s -> s.shard().name()).toList());
        assertEquals(List.of(0, 2), split.get(0).rows());
        assertEquals("INSERT INTO sbtest1 (id, k) VALUES (:__seq0, :vtg1), (:__seq2, :vtg4)", split.get(0).query());
    }

    @Test
    void aRowWithoutVindexValueIsAnError() {
        CachingPlanner.PlannedQuery q = plan("insert into sbtest2(k) values (1)", "sbtest");
        MosaicException e = assertThrows(MosaicException.class,
                () -> ShardResolver.splitInsert((Primitive.Insert) q.plan().root(), q.bindVars(), TWO, VindexCursor.NONE));
        assertEquals("could not map [NULL] to a keyspace id (row 1 of the insert into sbtest2)",
                e.getMessage().replace("Null[]", "NULL"));
    }
}
