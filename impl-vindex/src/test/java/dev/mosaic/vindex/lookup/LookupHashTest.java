package dev.mosaic.vindex.lookup;

import static dev.mosaic.vindex.testing.Vindexes.create;
import static dev.mosaic.vindex.testing.Vindexes.ints;
import static dev.mosaic.vindex.testing.Vindexes.ksid;
import static dev.mosaic.vindex.testing.Vindexes.rowsOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.LookupVindex;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.vindex.testing.FakeHash;
import dev.mosaic.vindex.testing.RecordingCursor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code lookup_hash*} against Vitess's lookup_hash_test.go. The {@code hash} vindex is on another
 * branch, so these use {@link FakeHash} (Vitess's published hash vectors for 1 and 2); the real
 * wiring is checked in {@code VhashTest}.
 */
class LookupHashTest {
    static final KeyspaceId H1 = KeyspaceId.fromHex("166b40b44aba4bd6");
    static final KeyspaceId H2 = KeyspaceId.fromHex("06e7ea22ce92708f");
    static final Map<String, String> PARAMS = Map.of("table", "t", "from", "fromc", "to", "toc");

    static SingleColumnVindex lh(Map<String, String> p) {
        return (SingleColumnVindex) create(LookupFactoryBase.LookupHashFactory.with(FakeHash.vhash()), "lookup_hash", p);
    }

    static SingleColumnVindex lhu(Map<String, String> p) {
        return (SingleColumnVindex) create(LookupFactoryBase.LookupHashUniqueFactory.with(FakeHash.vhash()), "lookup_hash_unique", p);
    }

    @Test
    void info() {
        assertEquals(20, lh(PARAMS).cost());
        assertFalse(lh(PARAMS).isUnique());
        assertEquals(10, lhu(PARAMS).cost());
        assertTrue(lhu(PARAMS).isUnique());
    }

    @Test
    void mapHashesTheStoredNumbers() {
        RecordingCursor vc = new RecordingCursor().thenRows(List.of(ints(1), ints(2)), List.of(ints(1), ints(2)));
        Destination both = new Destination.Many(List.of(H1, H2));
        assertEquals(List.of(both, both), lh(PARAMS).map(vc, ints(1, 2)));

        // A stored value that is not a number is skipped.
        RecordingCursor bad = new RecordingCursor().thenRows(List.of(List.of(Value.of("notint"))));
        assertEquals(List.of(new Destination.Many(List.of())), lh(PARAMS).map(bad, ints(1)));

        RecordingCursor fail = new RecordingCursor().then(new MosaicException(ErrorCode.UNAVAILABLE, "execute failed"));
        assertEquals("lookup.Map: execute failed", assertThrows(MosaicException.class, () -> lh(PARAMS).map(fail, ints(1))).getMessage());
    }

    @Test
    void uniqueMap() {
        RecordingCursor vc = new RecordingCursor().thenRows(List.of(), List.of(ints(2)), List.of(List.of(Value.of("x"))));
        assertEquals(List.of(Destination.NONE, new Destination.One(H2), Destination.NONE), lhu(PARAMS).map(vc, ints(1, 2, 3)));
        RecordingCursor two = new RecordingCursor().thenRows(List.of(ints(1), ints(2)));
        assertEquals("LookupHash.Map: unexpected multiple results from vindex t: INT64(1)",
                assertThrows(MosaicException.class, () -> lhu(PARAMS).map(two, ints(1))).getMessage());
    }

    @Test
    void writeOnly() {
        Map<String, String> p = new java.util.HashMap<>(PARAMS);
        p.put("write_only", "true");
        RecordingCursor vc = new RecordingCursor();
        assertEquals(List.of(LookupTest.EVERYWHERE, LookupTest.EVERYWHERE), lh(p).map(vc, ints(1, 2)));
        assertArrayEquals(new boolean[] {true, true}, lh(p).verify(vc, ints(1, 2), List.of(ksid(""), ksid(""))));
        assertEquals(List.of(), vc.log());
    }

    @Test
    void verifyUnhashes() {
        RecordingCursor vc = new RecordingCursor().thenRows(List.of(ints(1))).thenRows(List.of());
        assertArrayEquals(new boolean[] {true, false}, lh(PARAMS).verify(vc, ints(1, 2), List.of(H1, H2)));
        assertEquals(List.of(
                "NORMAL select [fromc] from t where [fromc, toc] in [(1, u1)]",
                "NORMAL select [fromc] from t where [fromc, toc] in [(2, u2)]"), vc.log());
        assertEquals("lookup.Verify.vunhash: invalid keyspace id: 626f677573",
                assertThrows(MosaicException.class, () -> lh(PARAMS).verify(vc, ints(1), List.of(ksid("bogus")))).getMessage());
    }

    @Test
    void writesStoreTheUnhashedNumber() {
        RecordingCursor vc = new RecordingCursor();
        LookupVindex l = (LookupVindex) lh(PARAMS);
        l.create(vc, rowsOf(Value.of(1)), List.of(H1), false);
        l.delete(vc, rowsOf(Value.of(1)), H1);
        l.update(vc, ints(1), H1, ints(2));
        assertEquals(List.of(
                "NORMAL insert into t[fromc, toc] values [(1, u1)]",
                "NORMAL delete from t where [fromc, toc] = (1, u1)",
                "NORMAL delete from t where [fromc, toc] = (1, u1)",
                "NORMAL insert into t[fromc, toc] values [(2, u1)]"), vc.log());
        assertEquals("lookup.Create.vunhash: invalid keyspace id: 626f677573",
                assertThrows(MosaicException.class, () -> l.create(vc, rowsOf(Value.of(1)), List.of(ksid("bogus")), false)).getMessage());
        assertEquals("lookup.Delete.vunhash: invalid keyspace id: 626f677573",
                assertThrows(MosaicException.class, () -> l.delete(vc, rowsOf(Value.of(1)), ksid("bogus"))).getMessage());
        assertEquals("lookup.Update.vunhash: invalid keyspace id: 626f677573",
                assertThrows(MosaicException.class, () -> l.update(vc, ints(1), ksid("bogus"), ints(2))).getMessage());
    }

    @Test
    void createNullsWithAndWithoutIgnoreNulls() {
        RecordingCursor vc = new RecordingCursor();
        assertEquals("Column 'fromc' cannot be null on row 0, col 0", assertThrows(MosaicException.class,
                () -> ((LookupVindex) lh(PARAMS)).create(vc, rowsOf(Value.NULL), List.of(H1), false)).getMessage());
        Map<String, String> p = new java.util.HashMap<>(PARAMS);
        p.put("ignore_nulls", "true");
        ((LookupVindex) lh(p)).create(vc, rowsOf(Value.NULL), List.of(H1), false);
        assertEquals(List.of(), vc.log());
        // Delete and update with a NULL old value still issue their statements, as in Vitess.
        ((LookupVindex) lh(PARAMS)).delete(vc, rowsOf(Value.NULL), H1);
        assertEquals(1, vc.log().size());
    }
}
