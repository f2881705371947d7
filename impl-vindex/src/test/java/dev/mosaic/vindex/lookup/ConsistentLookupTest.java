package dev.mosaic.vindex.lookup;

import static dev.mosaic.vindex.testing.Vindexes.create;
import static dev.mosaic.vindex.testing.Vindexes.ints;
import static dev.mosaic.vindex.testing.Vindexes.ksid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.LookupVindex;
import dev.mosaic.spi.vindex.OwnerAware;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.vindex.testing.RecordingCursor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code consistent_lookup*} against Vitess's consistent_lookup_test.go (the logged queries). */
class ConsistentLookupTest {
    static final MosaicException DUP = new MosaicException(SqlError.DUP_ENTRY, "Duplicate entry '1-2' for key 'PRIMARY'");

    static SingleColumnVindex consistent(String type) {
        LookupFactoryBase f = type.equals("consistent_lookup")
                ? new LookupFactoryBase.ConsistentLookupFactory() : new LookupFactoryBase.ConsistentLookupUniqueFactory();
        SingleColumnVindex v = (SingleColumnVindex) create(f, type, Map.of("table", "t", "from", "fromc1,fromc2", "to", "toc"));
        ((OwnerAware) v).setOwnerInfo("ks", "t1", List.of("fc1", "fc2"));
        return v;
    }

    static List<List<Value>> ksidRows(String... tos) {
        return java.util.Arrays.stream(tos).map(s -> List.<Value>of(dev.mosaic.vindex.testing.Vindexes.bin(s))).toList();
    }

    @Test
    void info() {
        SingleColumnVindex nu = consistent("consistent_lookup");
        assertEquals(20, nu.cost());
        assertFalse(nu.isUnique());
        SingleColumnVindex u = consistent("consistent_lookup_unique");
        assertEquals(10, u.cost());
        assertTrue(u.isUnique());
        assertTrue(u instanceof OwnerAware);
    }

    @Test
    void ownerColumnCountMustMatch() {
        SingleColumnVindex v = (SingleColumnVindex) create(new LookupFactoryBase.ConsistentLookupFactory(), "consistent_lookup",
                Map.of("table", "t", "from", "fromc1,fromc2", "to", "toc"));
        MosaicException e = assertThrows(MosaicException.class, () -> ((OwnerAware) v).setOwnerInfo("ks", "t1", List.of("fc")));
        assertEquals("column count does not match value count with the row for vindex 'consistent_lookup'", e.getMessage());
        assertEquals(SqlError.WRONG_VALUE_COUNT_ON_ROW, e.sqlError().orElseThrow());
    }

    @Test
    void mapReadsInThePreSession() {
        RecordingCursor vc = new RecordingCursor().thenRows(ksidRows("1", "2"), ksidRows("1", "2"));
        List<Destination> got = consistent("consistent_lookup").map(vc, ints(1, 2));
        Destination both = new Destination.Many(List.of(ksid("1"), ksid("2")));
        assertEquals(List.of(both, both), got);
        assertEquals(List.of("PRE select [toc] from t where [fromc1] in [(1), (2)] lock EXCLUSIVE"), vc.log());
    }

    @Test
    void uniqueMap() {
        RecordingCursor vc = new RecordingCursor().thenRows(ksidRows(), ksidRows("1"));
        assertEquals(List.of(Destination.NONE, new Destination.One(ksid("1"))), consistent("consistent_lookup_unique").map(vc, ints(1, 2)));
        RecordingCursor two = new RecordingCursor().thenRows(ksidRows("1", "2"));
        assertEquals("Lookup.Map: unexpected multiple results from vindex t: INT64(1)",
                assertThrows(MosaicException.class, () -> consistent("consistent_lookup_unique").map(two, ints(1))).getMessage());
    }

    @Test
    void verifyReadsInThePreSession() {
        RecordingCursor vc = new RecordingCursor().thenRows(ksidRows("1")).thenRows(ksidRows("1"));
        boolean[] got = consistent("consistent_lookup").verify(vc, ints(1, 2), List.of(ksid("test1"), ksid("test2")));
        assertArrayEquals(new boolean[] {true, true}, got);
        assertEquals(List.of(
                "PRE select [fromc1] from t where [fromc1, toc] in [(1, b'test1')]",
                "PRE select [fromc1] from t where [fromc1, toc] in [(2, b'test2')]"), vc.log());
    }

    @Test
    void createSimple() {
        RecordingCursor vc = new RecordingCursor();
        ((LookupVindex) consistent("consistent_lookup")).create(vc, List.of(ints(1, 2), ints(3, 4)),
                List.of(ksid("test1"), ksid("test2")), false);
        assertEquals(List.of("PRE insert into t[fromc1, fromc2, toc] values [(1, 2, b'test1'), (3, 4, b'test2')]"), vc.log());
    }

    static final String INSERT = "PRE insert into t[fromc1, fromc2, toc] values [(1, 2, b'test1')]";
    static final String LOCK_LOOKUP = "PRE select [toc] from t where [fromc1, fromc2] in [(1, 2)] lock EXCLUSIVE";
    static final String LOCK_OWNER = "NORMAL select [fc1] from ks.t1 where [fc1, fc2] in [(1, 2)] lock SHARED at 31";

    @Test
    void duplicateWhoseLookupRowVanishedIsInsertedAgain() {
        RecordingCursor vc = new RecordingCursor().then(DUP).thenRows(ksidRows()).then(RecordingCursor.OK);
        ((LookupVindex) consistent("consistent_lookup")).create(vc, List.of(ints(1, 2)), List.of(ksid("test1")), false);
        assertEquals(List.of(INSERT, LOCK_LOOKUP, INSERT), vc.log());
    }

    @Test
    void orphanIsRepointed() {
        RecordingCursor vc = new RecordingCursor().then(DUP).thenRows(ksidRows("1")).thenRows(List.of()).then(RecordingCursor.OK);
        ((LookupVindex) consistent("consistent_lookup")).create(vc, List.of(ints(1, 2)), List.of(ksid("test1")), false);
        assertEquals(List.of(INSERT, LOCK_LOOKUP, LOCK_OWNER,
                "PRE update t set [toc] = (b'test1') where [fromc1, fromc2] = (1, 2)"), vc.log());
    }

    @Test
    void orphanAlreadyPointingHereIsKept() {
        RecordingCursor vc = new RecordingCursor().then(DUP).thenRows(ksidRows("1")).thenRows(List.of());
        ((LookupVindex) consistent("consistent_lookup")).create(vc, List.of(ints(1, 2)), List.of(ksid("1")), false);
        assertEquals(List.of(
                "PRE insert into t[fromc1, fromc2, toc] values [(1, 2, b'1')]",
                "PRE select [toc] from t where [fromc1, fromc2] in [(1, 2)] lock EXCLUSIVE",
                LOCK_OWNER), vc.log());
    }

    @Test
    void liveOwnerIsARealDuplicate() {
        RecordingCursor vc = new RecordingCursor().then(DUP).thenRows(ksidRows("1")).thenRows(List.of(ints(1)));
        MosaicException e = assertThrows(MosaicException.class,
                () -> ((LookupVindex) consistent("consistent_lookup")).create(vc, List.of(ints(1, 2)), List.of(ksid("test1")), false));
        assertEquals(SqlError.DUP_ENTRY, e.sqlError().orElseThrow());
        assertTrue(e.getMessage().contains("Duplicate entry"), e.getMessage());
        assertEquals(List.of(INSERT, LOCK_LOOKUP, LOCK_OWNER), vc.log());
    }

    @Test
    void otherErrorsPassThrough() {
        RecordingCursor vc = new RecordingCursor().then(new MosaicException(ErrorCode.UNAVAILABLE, "general error"));
        MosaicException e = assertThrows(MosaicException.class,
                () -> ((LookupVindex) consistent("consistent_lookup")).create(vc, List.of(ints(1, 2)), List.of(ksid("test1")), false));
        assertTrue(e.getMessage().contains("general error"));
        assertEquals(List.of(INSERT), vc.log());
    }

    @Test
    void twoLookupRowsAreUnexpected() {
        RecordingCursor vc = new RecordingCursor().then(DUP).thenRows(ksidRows("1", "2"));
        MosaicException e = assertThrows(MosaicException.class,
                () -> ((LookupVindex) consistent("consistent_lookup")).create(vc, List.of(ints(1, 2)), List.of(ksid("test1")), false));
        assertTrue(e.getMessage().startsWith("unexpected rows"), e.getMessage());
        assertEquals(List.of(INSERT, LOCK_LOOKUP), vc.log());
    }

    @Test
    void sameValueTwiceInOneStatementIsADuplicate() {
        RecordingCursor vc = new RecordingCursor().then(DUP).thenRows(ksidRows()).then(RecordingCursor.OK);
        MosaicException e = assertThrows(MosaicException.class,
                () -> ((LookupVindex) consistent("consistent_lookup_unique")).create(vc, List.of(ints(1, 2), ints(1, 2)),
                        List.of(ksid("a"), ksid("b")), false));
        assertEquals(SqlError.DUP_ENTRY, e.sqlError().orElseThrow());
    }

    @Test
    void createWithoutOwnerCannotResolveDuplicates() {
        SingleColumnVindex v = (SingleColumnVindex) create(new LookupFactoryBase.ConsistentLookupFactory(), "cl",
                Map.of("table", "t", "from", "fromc1,fromc2", "to", "toc"));
        RecordingCursor vc = new RecordingCursor().then(DUP).thenRows(ksidRows("1"));
        MosaicException e = assertThrows(MosaicException.class,
                () -> ((LookupVindex) v).create(vc, List.of(ints(1, 2)), List.of(ksid("x")), false));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
    }

    @Test
    void deleteIsPostCommit() {
        RecordingCursor vc = new RecordingCursor();
        ((LookupVindex) consistent("consistent_lookup")).delete(vc, List.of(ints(1, 2)), ksid("test"));
        assertEquals(List.of("POST delete from t where [fromc1, fromc2, toc] = (1, 2, b'test')"), vc.log());
    }

    @Test
    void updateIsPostDeleteThenPreInsert() {
        RecordingCursor vc = new RecordingCursor();
        ((LookupVindex) consistent("consistent_lookup")).update(vc, ints(1, 2), ksid("test"), ints(3, 4));
        assertEquals(List.of(
                "POST delete from t where [fromc1, fromc2, toc] = (1, 2, b'test')",
                "PRE insert into t[fromc1, fromc2, toc] values [(3, 4, b'test')]"), vc.log());
    }

    @Test
    void updateToEqualValuesDoesNothing() {
        RecordingCursor vc = new RecordingCursor();
        LookupVindex l = (LookupVindex) consistent("consistent_lookup");
        l.update(vc, ints(1, 2), ksid("test"), ints(1, 2));
        l.update(vc, List.of(Value.of(1), Value.NULL), ksid("test"), List.of(Value.ofUnsigned(1), Value.NULL));
        l.update(vc, List.of(Value.of(1), Value.of(new java.math.BigDecimal("2.0"))), ksid("test"), ints(1, 2));
        assertEquals(List.of(), vc.log());
        assertFalse(ConsistentLookupBase.nullSafeEqual(List.of(Value.NULL), List.of(Value.of(0))));
        assertFalse(ConsistentLookupBase.nullSafeEqual(List.of(Value.of("a")), List.of(Value.of("b"))));
    }

    @Test
    void writeOnly() {
        SingleColumnVindex v = (SingleColumnVindex) create(new LookupFactoryBase.ConsistentLookupUniqueFactory(), "clu",
                Map.of("table", "t", "from", "f", "to", "toc", "write_only", "true"));
        RecordingCursor vc = new RecordingCursor();
        assertEquals(List.of(LookupTest.EVERYWHERE), v.map(vc, ints(1)));
        assertArrayEquals(new boolean[] {true}, v.verify(vc, ints(1), List.of(ksid("x"))));
        assertEquals(List.of(), vc.log());
        assertTrue(((LookupVindex) v).isWriteOnly());
    }

    @Test
    void ignoreNullsSkipsNullRowsAndScattersALoneNull() {
        SingleColumnVindex v = (SingleColumnVindex) create(new LookupFactoryBase.ConsistentLookupFactory(), "cl",
                Map.of("table", "t", "from", "f", "to", "toc", "ignore_nulls", "true"));
        ((OwnerAware) v).setOwnerInfo("ks", "o", List.of("c"));
        RecordingCursor vc = new RecordingCursor();
        ((LookupVindex) v).create(vc, List.of(List.of(Value.NULL)), List.of(ksid("x")), false);
        assertEquals(List.of(), vc.log());
        assertSame(LookupBase.EVERYWHERE, v.map(vc, List.of(Value.NULL)).get(0));
    }
}
