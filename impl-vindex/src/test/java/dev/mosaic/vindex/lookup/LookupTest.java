package dev.mosaic.vindex.lookup;

import static dev.mosaic.vindex.testing.Vindexes.bin;
import static dev.mosaic.vindex.testing.Vindexes.create;
import static dev.mosaic.vindex.testing.Vindexes.ints;
import static dev.mosaic.vindex.testing.Vindexes.ksid;
import static dev.mosaic.vindex.testing.Vindexes.row;
import static dev.mosaic.vindex.testing.Vindexes.rowsOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.LookupVindex;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.vindex.testing.RecordingCursor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code lookup} and {@code lookup_unique} against Vitess's lookup_test.go: the queries Vitess
 * expects become the cursor calls expected here.
 */
class LookupTest {
    static final Destination EVERYWHERE = new Destination.Range(KeyRange.FULL);

    static SingleColumnVindex lookup(String type, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(Map.of("table", "t", "from", "fromc", "to", "toc"));
        p.putAll(extra);
        LookupFactoryBase f = type.equals("lookup") ? new LookupFactoryBase.LookupFactory() : new LookupFactoryBase.LookupUniqueFactory();
        return (SingleColumnVindex) create(f, type, p);
    }

    static SingleColumnVindex lookup(String type) {
        return lookup(type, Map.of());
    }

    static List<List<Value>> rows(long... tos) {
        return ints(tos).stream().map(List::of).toList();
    }

    @Test
    void costUniquenessAndName() {
        SingleColumnVindex nu = lookup("lookup");
        assertEquals(20, nu.cost());
        assertFalse(nu.isUnique());
        assertTrue(nu.needsCursor());
        assertEquals("lookup", nu.name());
        SingleColumnVindex u = lookup("lookup_unique");
        assertEquals(10, u.cost());
        assertTrue(u.isUnique());
    }

    @Test
    void mapIntegersInOneBatch() {
        RecordingCursor vc = new RecordingCursor().thenRows(rows(1, 2), rows(1, 2));
        List<Destination> got = lookup("lookup").map(vc, ints(1, 2));
        Destination both = new Destination.Many(List.of(ksid("1"), ksid("2")));
        assertEquals(List.of(both, both), got);
        assertEquals(List.of("NORMAL select [toc] from t where [fromc] in [(1), (2)] lock EXCLUSIVE"), vc.log());
    }

    @Test
    void mapTextOneQueryEachUnlessBatchLookup() {
        RecordingCursor vc = new RecordingCursor();
        lookup("lookup").map(vc, List.of(Value.of("a"), Value.of("b")));
        assertEquals(List.of(
                "NORMAL select [toc] from t where [fromc] in [('a')] lock EXCLUSIVE",
                "NORMAL select [toc] from t where [fromc] in [('b')] lock EXCLUSIVE"), vc.log());

        vc = new RecordingCursor();
        lookup("lookup", Map.of("batch_lookup", "true")).map(vc, List.of(Value.of("a"), Value.of("b")));
        assertEquals(List.of("NORMAL select [toc] from t where [fromc] in [('a'), ('b')] lock EXCLUSIVE"), vc.log());
    }

    @Test
    void readLockParam() {
        RecordingCursor vc = new RecordingCursor();
        lookup("lookup", Map.of("read_lock", "shared")).map(vc, ints(1));
        lookup("lookup", Map.of("read_lock", "none")).map(vc, ints(1));
        assertEquals(List.of(
                "NORMAL select [toc] from t where [fromc] in [(1)] lock SHARED",
                "NORMAL select [toc] from t where [fromc] in [(1)]"), vc.log());
    }

    @Test
    void mapAutocommitReadsAutocommitted() {
        RecordingCursor vc = new RecordingCursor().thenRows(rows(1, 2), rows(1, 2));
        lookup("lookup", Map.of("autocommit", "true")).map(vc, ints(1, 2));
        assertEquals(List.of("AUTOCOMMIT select [toc] from t where [fromc] in [(1), (2)] lock EXCLUSIVE"), vc.log());
    }

    @Test
    void mapWriteOnlyScattersWithoutReading() {
        for (String type : List.of("lookup", "lookup_unique")) {
            RecordingCursor vc = new RecordingCursor();
            assertEquals(List.of(EVERYWHERE, EVERYWHERE), lookup(type, Map.of("write_only", "true")).map(vc, ints(1, 2)));
            assertEquals(List.of(), vc.log());
            assertTrue(((LookupVindex) lookup(type, Map.of("write_only", "true"))).isWriteOnly());
        }
    }

    @Test
    void mapAbsentIsNone() {
        assertEquals(List.of(Destination.NONE, Destination.NONE), lookup("lookup").map(new RecordingCursor(), ints(1, 2)));
        assertEquals(List.of(Destination.NONE, Destination.NONE), lookup("lookup_unique").map(new RecordingCursor(), ints(1, 2)));
    }

    @Test
    void mapSingleNullWithIgnoreNullsScatters() {
        RecordingCursor vc = new RecordingCursor();
        assertEquals(List.of(EVERYWHERE), lookup("lookup", Map.of("ignore_nulls", "true")).map(vc, List.of(Value.NULL)));
        assertEquals(List.of(), vc.log());
        // Without ignore_nulls, NULL is looked up (and found nowhere).
        assertEquals(List.of(Destination.NONE), lookup("lookup").map(vc, List.of(Value.NULL)));
        assertEquals(1, vc.log().size());
    }

    @Test
    void uniqueMapOneOrError() {
        RecordingCursor vc = new RecordingCursor().thenRows(rows(), rows(1));
        assertEquals(List.of(Destination.NONE, new Destination.One(ksid("1"))), lookup("lookup_unique").map(vc, ints(1, 2)));

        RecordingCursor two = new RecordingCursor().thenRows(rows(1, 3));
        MosaicException e = assertThrows(MosaicException.class, () -> lookup("lookup_unique").map(two, ints(1)));
        assertEquals("Lookup.Map: unexpected multiple results from vindex t: INT64(1)", e.getMessage());
    }

    @Test
    void mapWithoutCursorFails() {
        MosaicException e = assertThrows(MosaicException.class, () -> lookup("lookup").map(null, ints(1, 2)));
        assertEquals("cannot perform lookup: no vcursor provided", e.getMessage());
    }

    @Test
    void mapFailureIsWrapped() {
        RecordingCursor vc = new RecordingCursor().then(new MosaicException(ErrorCode.UNAVAILABLE, "execute failed"));
        MosaicException e = assertThrows(MosaicException.class, () -> lookup("lookup").map(vc, ints(1)));
        assertEquals("lookup.Map: execute failed", e.getMessage());
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
    }

    @Test
    void verifyOneReadPerValue() {
        RecordingCursor vc = new RecordingCursor().thenRows(rows(1)).thenRows(rows());
        boolean[] got = lookup("lookup").verify(vc, ints(1, 2), List.of(ksid("test1"), ksid("test2")));
        assertArrayEquals(new boolean[] {true, false}, got);
        assertEquals(List.of(
                "NORMAL select [fromc] from t where [fromc, toc] in [(1, b'test1')]",
                "NORMAL select [fromc] from t where [fromc, toc] in [(2, b'test2')]"), vc.log());

        RecordingCursor fail = new RecordingCursor().then(new MosaicException(ErrorCode.UNAVAILABLE, "execute failed"));
        MosaicException e = assertThrows(MosaicException.class,
                () -> lookup("lookup").verify(fail, ints(1), List.of(ksid("test1"))));
        assertEquals("lookup.Verify: execute failed", e.getMessage());
    }

    @Test
    void verifyAutocommit() {
        RecordingCursor vc = new RecordingCursor();
        lookup("lookup", Map.of("autocommit", "true")).verify(vc, ints(1, 2), List.of(ksid("test1"), ksid("test2")));
        assertTrue(vc.log().stream().allMatch(l -> l.startsWith("AUTOCOMMIT ")));
        assertEquals(2, vc.log().size());
    }

    @Test
    void verifyWriteOnlyOrNoVerifyReadsNothing() {
        for (String type : List.of("lookup", "lookup_unique")) {
            for (String param : List.of("write_only", "no_verify")) {
                RecordingCursor vc = new RecordingCursor().then(new MosaicException(ErrorCode.UNAVAILABLE, "execute failed"));
                boolean[] got = lookup(type, Map.of(param, "true")).verify(vc, ints(1, 2), List.of(ksid(""), ksid("")));
                assertArrayEquals(new boolean[] {true, true}, got, type + " " + param);
                assertEquals(List.of(), vc.log());
            }
        }
    }

    @Test
    void createSortsRowsIntoOneInsert() {
        RecordingCursor vc = new RecordingCursor();
        LookupVindex l = (LookupVindex) lookup("lookup");
        l.create(vc, rowsOf(Value.of(1), Value.of(2)), List.of(ksid("test1"), ksid("test2")), false);
        // INSERT IGNORE, rows given out of order: Vitess sorts them.
        l.create(vc, rowsOf(Value.of(2), Value.of(1)), List.of(ksid("test2"), ksid("test1")), true);
        assertEquals(List.of(
                "NORMAL insert into t[fromc, toc] values [(1, b'test1'), (2, b'test2')]",
                "NORMAL insert ignore into t[fromc, toc] values [(1, b'test1'), (2, b'test2')]"), vc.log());
    }

    @Test
    void createNulls() {
        RecordingCursor vc = new RecordingCursor();
        LookupVindex l = (LookupVindex) lookup("lookup");
        MosaicException e = assertThrows(MosaicException.class,
                () -> l.create(vc, rowsOf(Value.of(2), Value.NULL), List.of(ksid("test2"), ksid("test1")), true));
        assertEquals("Column 'fromc' cannot be null on row 1, col 0", e.getMessage());
        assertEquals(List.of(), vc.log());

        LookupVindex ignoring = (LookupVindex) lookup("lookup", Map.of("ignore_nulls", "true"));
        ignoring.create(vc, rowsOf(Value.of(2), Value.NULL), List.of(ksid("test2"), ksid("test1")), true);
        ignoring.create(vc, rowsOf(Value.NULL), List.of(ksid("test1")), false);
        assertEquals(List.of("NORMAL insert ignore into t[fromc, toc] values [(2, b'test2')]"), vc.log());
    }

    @Test
    void createColumnCountMismatch() {
        LookupVindex l = (LookupVindex) lookup("lookup");
        MosaicException e = assertThrows(MosaicException.class,
                () -> l.create(new RecordingCursor(), List.of(ints(1, 2)), List.of(ksid("x")), false));
        assertEquals("lookup column count does not match value count with the row (columns, count): ([fromc], 2)", e.getMessage());
        assertEquals(SqlError.WRONG_VALUE_COUNT_ON_ROW, e.sqlError().orElseThrow());
    }

    @Test
    void createFailureKeepsDuplicateError() {
        RecordingCursor vc = new RecordingCursor().then(new MosaicException(SqlError.DUP_ENTRY, "Duplicate entry '1'"));
        MosaicException e = assertThrows(MosaicException.class,
                () -> ((LookupVindex) lookup("lookup_unique")).create(vc, rowsOf(Value.of(1)), List.of(ksid("a")), false));
        assertEquals("lookup.Create: Duplicate entry '1'", e.getMessage());
        assertEquals(SqlError.DUP_ENTRY, e.sqlError().orElseThrow());
    }

    @Test
    void createAutocommitMultiColumn() {
        Map<String, String> p = Map.of("table", "t", "from", "from1, from2", "to", "toc", "autocommit", "true");
        LookupVindex l = (LookupVindex) create(new LookupFactoryBase.LookupFactory(), "lookup", p);
        RecordingCursor vc = new RecordingCursor();
        l.create(vc, List.of(ints(1, 2), ints(3, 4)), List.of(ksid("test1"), ksid("test2")), false);
        // Vitess upserts (ON DUPLICATE KEY UPDATE to the same values): an existing row is kept.
        assertEquals(List.of("AUTOCOMMIT insert on duplicate update into t[from1, from2, toc] values [(1, 2, b'test1'), (3, 4, b'test2')]"), vc.log());

        LookupVindex unique = (LookupVindex) create(new LookupFactoryBase.LookupUniqueFactory(), "lookup_unique", p);
        vc.clear();
        unique.create(vc, List.of(ints(1, 2)), List.of(ksid("test1")), false);
        assertEquals(List.of("AUTOCOMMIT insert into t[from1, from2, toc] values [(1, 2, b'test1')]"), vc.log());
    }

    @Test
    void multiShardAutocommitImpliesAutocommit() {
        Map<String, String> p = Map.of("table", "t", "from", "fromc", "to", "toc", "multi_shard_autocommit", "true");
        LookupVindex l = (LookupVindex) create(new LookupFactoryBase.LookupFactory(), "lookup", p);
        RecordingCursor vc = new RecordingCursor();
        l.create(vc, rowsOf(Value.of(1)), List.of(ksid("test1")), false);
        l.delete(vc, rowsOf(Value.of(1)), ksid("test1"));
        assertEquals(List.of("AUTOCOMMIT insert on duplicate update into t[fromc, toc] values [(1, b'test1')]"), vc.log());
    }

    @Test
    void deleteOneStatementPerRow() {
        RecordingCursor vc = new RecordingCursor();
        LookupVindex l = (LookupVindex) lookup("lookup");
        l.delete(vc, rowsOf(Value.of(1), Value.of(2)), ksid("test"));
        assertEquals(List.of(
                "NORMAL delete from t where [fromc, toc] = (1, b'test')",
                "NORMAL delete from t where [fromc, toc] = (2, b'test')"), vc.log());

        RecordingCursor fail = new RecordingCursor().then(new MosaicException(ErrorCode.UNAVAILABLE, "execute failed"));
        assertEquals("lookup.Delete: execute failed",
                assertThrows(MosaicException.class, () -> l.delete(fail, rowsOf(Value.of(1)), ksid("x"))).getMessage());
        assertEquals("lookup column count does not match value count with the row (columns, count): ([fromc], 2)",
                assertThrows(MosaicException.class, () -> l.delete(vc, List.of(ints(1, 2)), ksid("x"))).getMessage());
    }

    @Test
    void deleteUnderAutocommitIsANoOp() {
        RecordingCursor vc = new RecordingCursor();
        ((LookupVindex) lookup("lookup", Map.of("autocommit", "true"))).delete(vc, rowsOf(Value.of(1), Value.of(2)), ksid("test"));
        assertEquals(List.of(), vc.log());
    }

    @Test
    void updateIsDeleteThenInsert() {
        RecordingCursor vc = new RecordingCursor();
        ((LookupVindex) lookup("lookup")).update(vc, ints(1), ksid("test"), ints(2));
        assertEquals(List.of(
                "NORMAL delete from t where [fromc, toc] = (1, b'test')",
                "NORMAL insert into t[fromc, toc] values [(2, b'test')]"), vc.log());
    }

    @Test
    void createWithBinaryValuesSortsByteWise() {
        RecordingCursor vc = new RecordingCursor();
        ((LookupVindex) lookup("lookup")).create(vc, rowsOf(bin("b"), bin("a"), bin("a")),
                List.of(ksid("1"), ksid("3"), ksid("2")), false);
        assertEquals(List.of("NORMAL insert into t[fromc, toc] values [(b'a', b'2'), (b'a', b'3'), (b'b', b'1')]"), vc.log());
    }

    @Test
    void mapAndVerifyKeepOrderOfDuplicateIds() {
        RecordingCursor vc = new RecordingCursor().thenRows(rows(7), rows(), rows(7));
        List<Destination> got = lookup("lookup_unique").map(vc, ints(5, 6, 5));
        assertEquals(List.of(new Destination.One(ksid("7")), Destination.NONE, new Destination.One(ksid("7"))), got);
        assertEquals(1, vc.log().size());
        assertTrue(row(Value.of(1)).size() == 1);
    }
}
