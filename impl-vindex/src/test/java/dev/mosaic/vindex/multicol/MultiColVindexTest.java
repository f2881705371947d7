package dev.mosaic.vindex.multicol;

import static dev.mosaic.vindex.Vindexes.one;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.MultiColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.vindex.Vindexes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Vitess's multicol_test.go vectors and parameter validation. */
class MultiColVindexTest {
    private static final VindexCursor NO = VindexCursor.NONE;

    private static Value vb(String s) {
        return new Value.Binary(SqlType.VARBINARY, s.getBytes());
    }

    @Test
    void vitessMapVectors() {
        MultiColumnVindex m = Vindexes.create("multicol", "multicol_map", Map.of("column_count", "3"));
        assertTrue(m.isPartial());
        assertTrue(m.isUnique());
        assertEquals(3, m.cost());
        List<Destination> got = m.map(NO, List.of(
                List.of(Value.of(1), Value.of(1), Value.of(1)),
                List.of(Value.of(255), Value.of(1), Value.of(1)),
                List.of(Value.of(256), Value.of(1), Value.of(1)),
                List.of(Value.of(1)),
                List.of(Value.of(1), Value.of(1)),
                List.of(vb("abcd"), Value.of(256), Value.of(256)),
                List.of(Value.of(256), Value.of(256), vb("abcd")),
                List.of(Value.of(1), Value.of(1), Value.of(1), Value.of(1)),
                List.of()));
        assertEquals(List.of(
                one("166b40166b40166b"),
                one("254e88166b40166b"),
                one("dd7c0b166b40166b"),
                new Destination.Range(KeyRange.parse("166b40-166b41")),
                new Destination.Range(KeyRange.parse("166b40166b40-166b40166b41")),
                Destination.NONE,
                Destination.NONE,
                Destination.NONE,
                new Destination.Range(KeyRange.FULL)), got);
        assertArrayEquals(new boolean[] {true, false}, m.verify(NO,
                List.of(List.of(Value.of(1), Value.of(1), Value.of(1)), List.of(Value.of(1), Value.of(1), Value.of(2))),
                List.of(KeyspaceId.fromHex("166b40166b40166b"), KeyspaceId.fromHex("166b40166b40166b"))));
        assertThrows(MosaicException.class, () -> m.verify(NO, List.of(List.of(vb("abcd"))), List.of(KeyspaceId.EMPTY)));
    }

    @Test
    void columnVindexesAndBytes() {
        MultiColumnVindex m = Vindexes.create("multicol", "m", Map.of(
                "column_count", "3", "column_bytes", "1,2,3", "column_vindex", "binary,binary,binary"));
        assertEquals(0, m.cost());
        assertEquals(List.of(one("616465")), m.map(NO, List.of(List.of(vb("abc"), vb("def"), vb("")))));
        // a short column hash is zero-padded only when a later column follows, as in Vitess
        assertEquals(List.of(one("6100006465")), m.map(NO, List.of(List.of(vb("a"), vb(""), vb("de")))));
        assertEquals(List.of(one("616263646566")), m.map(NO, List.of(List.of(vb("a"), vb("bc"), vb("def")))));
        MultiColumnVindex mixed = Vindexes.create("multicol", "m", Map.of(
                "column_count", "2", "column_vindex", " xxhash ,", "column_bytes", ",2"));
        assertArrayEquals(new int[] {6, 2}, ((MultiColVindex) mixed).columnBytes());
        assertEquals(List.of(one("d46405367612" + "166b")), mixed.map(NO, List.of(List.of(Value.of(1), Value.of(1)))));
    }

    @Test
    void columnBytesDefaults() {
        assertArrayEquals(new int[] {3, 3, 2}, MultiColVindex.columnBytes(null, 3));
        assertArrayEquals(new int[] {8}, MultiColVindex.columnBytes(null, 1));
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1}, MultiColVindex.columnBytes(null, 8));
        assertArrayEquals(new int[] {1, 4, 3}, MultiColVindex.columnBytes("1", 3));
    }

    @Test
    void vitessCreateErrors() {
        Object[][] cases = {
            {Map.of("column_count", "0"), "number of columns should be between 1 and 8 in the parameter 'column_count'"},
            {Map.of("column_count", "9"), "number of columns should be between 1 and 8 in the parameter 'column_count'"},
            {Map.of("column_count", "3", "column_bytes", "1,2,3,4"),
                "number of column bytes provided are more than column count in the parameter 'column_bytes'"},
            {Map.of("column_count", "3", "column_bytes", "100,200,300"),
                "column bytes count exceeds the keyspace id length (total bytes count cannot exceed 8 bytes) in the parameter 'column_bytes'"},
            {Map.of("column_count", "3", "column_bytes", "1,2,3", "column_vindex", "binary,binary,binary,binary"),
                "number of vindex function provided are more than column count in the parameter 'column_vindex'"},
            {Map.of("column_count", "3", "column_bytes", "1,2,3", "column_vindex", "binary,binary,null"),
                "multicol vindex supports vindexes that exports hashing function, are unique and are non-lookup vindex, passed vindex 'null' is invalid"},
            {Map.of("column_count", "3", "column_vindex", "binary,nope"), "unknown vindex type 'nope'"},
            {Map.of(), "'column_count': required key is missing"},
            {Map.of("column_count", "1", "hello", "world"), "'hello': unknown key"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Map<String, String> params = (Map<String, String>) c[0];
            MosaicException e = assertThrows(MosaicException.class, () -> Vindexes.create("multicol", "m", params));
            assertTrue(e.getMessage().contains((String) c[1]), params + " -> " + e.getMessage());
        }
        assertThrows(ConfigException.class, () -> Vindexes.create("multicol", "m", Map.of("column_count", "x")));
    }
}
