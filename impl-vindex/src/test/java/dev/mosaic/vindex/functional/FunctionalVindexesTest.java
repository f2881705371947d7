package dev.mosaic.vindex.functional;

import static dev.mosaic.vindex.Vindexes.one;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.Hashing;
import dev.mosaic.spi.vindex.PrefixMapping;
import dev.mosaic.spi.vindex.RangeMapping;
import dev.mosaic.spi.vindex.Reversible;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.vindex.Vindexes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vitess's published vectors for xxhash, binary_md5, binary, numeric, reverse_bits, null, numeric_static_map. */
class FunctionalVindexesTest {
    private static final VindexCursor NO = VindexCursor.NONE;

    private static Value vb(String s) {
        return new Value.Binary(SqlType.VARBINARY, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertMaps(SingleColumnVindex v, Object[][] vectors) {
        for (Object[] c : vectors) {
            Destination want = c[1] == null ? Destination.NONE : one((String) c[1]);
            assertEquals(want, v.map(NO, List.of((Value) c[0])).get(0), v.name() + " " + c[0]);
        }
    }

    private static void assertError(Runnable r, String message) {
        MosaicException e = assertThrows(MosaicException.class, r::run);
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        if (message != null) {
            assertEquals(message, e.getMessage());
        }
    }

    // xxhash_test.go TestXXHashMap
    @Test
    void xxhash() {
        SingleColumnVindex x = Vindexes.create("xxhash");
        assertMaps(x, new Object[][] {
            {Value.of("test1"), "d01ab7e4d6978f0b"},
            {Value.of("test2"), "87eb11714c0a0e89"},
            {Value.of("testaverylongvaluetomakesurethisworks"), "81d8c38e0d850e6a"},
            {Value.of(1), "d46405367612b4b7"},
            {Value.NULL, "99e9d85137db46ef"},
            {Value.of(-1), "d8e2a6a7c8c7623d"},
            {Value.ofUnsigned(-1L), "477cfa8d6d8f1f8d"},
            {Value.of(Long.MAX_VALUE), "b37eb01f7bffafd8"},
            {Value.ofUnsigned(Long.MAX_VALUE), "b37eb01f7bffafd8"},
            {Value.of(Long.MIN_VALUE), "102c27ddb26a609e"},
        });
        KeyspaceId k1 = KeyspaceId.fromHex("d46405367612b4b7");
        byte[] hex = {(byte) 0x9e, (byte) 0xfa};
        KeyspaceId kh = KeyspaceId.wrap(XxHashVindex.xxh64LittleEndian(hex));
        assertArrayEquals(new boolean[] {true, false, true, true}, x.verify(NO,
                List.of(Value.ofUnsigned(1), Value.ofUnsigned(2), new Value.Binary(SqlType.HEXVAL, hex), new Value.Binary(SqlType.HEXNUM, hex)),
                List.of(k1, k1, kh, kh)));
        assertEquals(1, x.cost());
        assertTrue(x.isUnique());
        assertTrue(x instanceof Hashing);
        assertFalse(x instanceof Reversible);
        assertError(() -> x.map(NO, List.of(Value.tuple(Value.of(1)))), null);
    }

    // binarymd5_test.go TestBinaryMD5Map / Verify
    @Test
    void binaryMd5() {
        SingleColumnVindex m = Vindexes.create("binary_md5");
        assertMaps(m, new Object[][] {
            {vb("test1"), "5a105e8b9d40e1329780d62ea2265d8a"},
            {vb("TEST"), "033bd94b1168d7e4f0d644c3c95e35bf"},
            {Value.NULL, "d41d8cd98f00b204e9800998ecf8427e"},
            {vb("Test"), "0cbc6611f5540bd0809a388dc95a615b"},
            {Value.of("Test"), "0cbc6611f5540bd0809a388dc95a615b"},
        });
        KeyspaceId t = KeyspaceId.fromHex("0cbc6611f5540bd0809a388dc95a615b");
        byte[] hex = {0x21, (byte) 0xcf};
        KeyspaceId kh = KeyspaceId.wrap(BinaryMd5Vindex.md5(hex));
        assertArrayEquals(new boolean[] {true, false, true, true}, m.verify(NO,
                List.of(vb("Test"), vb("TEst"), new Value.Binary(SqlType.HEXVAL, hex), new Value.Binary(SqlType.HEXNUM, hex)),
                List.of(t, t, kh, kh)));
        assertEquals(1, m.cost());
        assertFalse(m instanceof Reversible);
    }

    // binary_test.go
    @Test
    void binary() {
        SingleColumnVindex b = Vindexes.create("binary");
        assertEquals(0, b.cost());
        assertTrue(b.isUnique());
        assertEquals(List.of(new Destination.One(KeyspaceId.of("test1".getBytes())), new Destination.One(KeyspaceId.EMPTY),
                        new Destination.One(KeyspaceId.of("test2".getBytes()))),
                b.map(NO, List.of(Value.of("test1"), Value.NULL, Value.of("test2"))));
        byte[] hex = {(byte) 0x8a, 0x1e};
        assertArrayEquals(new boolean[] {true, false, true, true}, b.verify(NO,
                List.of(vb("1"), vb("2"), new Value.Binary(SqlType.HEXVAL, hex), new Value.Binary(SqlType.HEXNUM, hex)),
                List.of(KeyspaceId.of("1".getBytes()), KeyspaceId.of("1".getBytes()), KeyspaceId.wrap(hex), KeyspaceId.wrap(hex))));
        Reversible r = (Reversible) b;
        assertEquals(List.of(new Value.Binary(SqlType.VARBINARY, new byte[] {0, 0, 0, 0, 0, 0, 0, 1})),
                r.reverseMap(NO, List.of(KeyspaceId.fromHex("0000000000000001"))));
        assertError(() -> r.reverseMap(NO, java.util.Arrays.asList((KeyspaceId) null)), "Binary.ReverseMap: keyspaceId is nil");
        RangeMapping rm = (RangeMapping) b;
        // Vitess: DestinationKeyRange(01-10) for [0x01, 0x10); Mosaic's end is inclusive, so 0x10 is in.
        Destination d = rm.mapRange(new Value.Binary(SqlType.HEXNUM, new byte[] {1}), new Value.Binary(SqlType.HEXNUM, new byte[] {0x10}));
        assertEquals(new Destination.Range(KeyRange.parse("01-11")), d);
        KeyRange range = ((Destination.Range) d).range();
        assertTrue(range.contains(KeyspaceId.fromHex("10")));
        assertTrue(range.contains(KeyspaceId.fromHex("01")));
        assertFalse(range.contains(KeyspaceId.fromHex("11")));
        assertEquals(new Destination.Range(KeyRange.parse("ff-")), rm.mapRange(
                new Value.Binary(SqlType.VARBINARY, new byte[] {(byte) 0xff}), new Value.Binary(SqlType.VARBINARY, new byte[] {(byte) 0xff})));
        assertError(() -> rm.mapRange(vb("b"), vb("a")), null);
        PrefixMapping pm = (PrefixMapping) b;
        assertEquals(new Destination.Range(KeyRange.parse("616263-616264")), pm.mapPrefix(Value.of("abc")));
        assertEquals(new Destination.Range(KeyRange.FULL), pm.mapPrefix(Value.of("")));
    }

    // numeric_test.go
    @Test
    void numeric() {
        SingleColumnVindex n = Vindexes.create("numeric");
        assertEquals(0, n.cost());
        assertMaps(n, new Object[][] {
            {Value.of(1), "0000000000000001"},
            {Value.of(2), "0000000000000002"},
            {Value.of(3), "0000000000000003"},
            {Value.of(1.1), null},
            {Value.of(4), "0000000000000004"},
            {Value.of(5), "0000000000000005"},
            {Value.of(6), "0000000000000006"},
            {Value.of(7), "0000000000000007"},
            {Value.of(8), "0000000000000008"},
            {Value.NULL, null},
            {Value.of(-1), null},
            {Value.ofUnsigned(-1L), "ffffffffffffffff"},
        });
        KeyspaceId k1 = KeyspaceId.fromHex("0000000000000001");
        assertArrayEquals(new boolean[] {true, false}, n.verify(NO, List.of(Value.of(1), Value.of(2)), List.of(k1, k1)));
        assertError(() -> n.verify(NO, List.of(vb("aa")), List.of(k1)), "cannot parse uint64 from \"aa\"");
        Reversible r = (Reversible) n;
        assertEquals(List.of(Value.ofUnsigned(1)), r.reverseMap(NO, List.of(k1)));
        assertError(() -> r.reverseMap(NO, List.of(KeyspaceId.of("aa".getBytes()))), "Numeric.ReverseMap: length of keyspaceId is not 8: 2");
        RangeMapping rm = (RangeMapping) n;
        KeyRange range = ((Destination.Range) rm.mapRange(Value.of(1), Value.of(10))).range();
        assertEquals(KeyRange.of(k1, KeyspaceId.fromHex("000000000000000b")), range);
        assertTrue(range.contains(KeyspaceId.fromHex("000000000000000a")));
        assertFalse(range.contains(KeyspaceId.fromHex("000000000000000b")));
        assertEquals(KeyRange.of(KeyspaceId.fromHex("fffffffffffffffe"), KeyspaceId.EMPTY),
                ((Destination.Range) rm.mapRange(Value.ofUnsigned(-2L), Value.ofUnsigned(-1L))).range());
        assertError(() -> rm.mapRange(Value.of(2), Value.of(1)), null);
        assertError(() -> rm.mapRange(Value.NULL, Value.of(1)), null);
    }

    // reverse_bits_test.go
    @Test
    void reverseBits() {
        SingleColumnVindex rb = Vindexes.create("reverse_bits");
        assertEquals(1, rb.cost());
        assertMaps(rb, new Object[][] {
            {Value.of(1), "8000000000000000"},
            {Value.of(2), "4000000000000000"},
            {Value.of(3), "c000000000000000"},
            {Value.NULL, null},
            {Value.of(4), "2000000000000000"},
            {Value.of(5), "a000000000000000"},
            {Value.of(6), "6000000000000000"},
        });
        KeyspaceId k1 = KeyspaceId.fromHex("8000000000000000");
        assertArrayEquals(new boolean[] {true, false}, rb.verify(NO, List.of(Value.of(1), Value.of(2)), List.of(k1, k1)));
        assertError(() -> rb.verify(NO, List.of(vb("aa")), List.of(k1)), "cannot parse uint64 from \"aa\"");
        Reversible r = (Reversible) rb;
        assertEquals(List.of(Value.ofUnsigned(1)), r.reverseMap(NO, List.of(k1)));
        assertError(() -> r.reverseMap(NO, List.of(KeyspaceId.fromHex("80000000000000008000000000000000"))),
                "invalid keyspace id: 80000000000000008000000000000000");
    }

    // null_test.go
    @Test
    void nullVindex() {
        SingleColumnVindex n = Vindexes.create("null");
        assertEquals(100, n.cost());
        assertTrue(n.isUnique());
        assertFalse(n instanceof Hashing);
        assertEquals(List.of(one("00"), one("00"), one("00")), n.map(NO, List.of(Value.of(1), Value.NULL, Value.of("x"))));
        assertArrayEquals(new boolean[] {true, false},
                n.verify(NO, List.of(Value.of(1), Value.of(2)), List.of(KeyspaceId.fromHex("00"), KeyspaceId.fromHex("01"))));
    }

    // numeric_static_map_test.go
    @Test
    void numericStaticMap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("numeric_static_map_test.json");
        Files.writeString(file, "{\n\t\"1\": 1,\n\t\"3\": 2\n}\n");
        SingleColumnVindex m = Vindexes.create("numeric_static_map", "numericStaticMap", Map.of("json_path", file.toString()));
        assertEquals(1, m.cost());
        assertMaps(m, new Object[][] {
            {Value.of(1), "0000000000000001"},
            {Value.of(2), "0000000000000002"},
            {Value.of(3), "0000000000000002"},
            {Value.NULL, null},
            {Value.of(4), "0000000000000004"},
            {Value.of(5), "0000000000000005"},
            {Value.of(6), "0000000000000006"},
            {Value.of(7), "0000000000000007"},
            {Value.of(8), "0000000000000008"},
        });
        KeyspaceId k1 = KeyspaceId.fromHex("0000000000000001");
        assertArrayEquals(new boolean[] {true, false}, m.verify(NO, List.of(Value.of(1), Value.of(2)), List.of(k1, k1)));
        assertError(() -> m.verify(NO, List.of(vb("aa")), List.of(k1)), "cannot parse uint64 from \"aa\"");

        SingleColumnVindex withHash = Vindexes.create("numeric_static_map", "fb",
                Map.of("json", "{\"1\":2,\"3\":4,\"5\":6}", "fallback_type", "hash"));
        assertMaps(withHash, new Object[][] {
            {Value.of(1), "0000000000000002"},
            {Value.of(2), "06e7ea22ce92708f"},
            {Value.of(5), "0000000000000006"},
        });
        SingleColumnVindex withBinary = Vindexes.create("numeric_static_map", "fb",
                Map.of("json", "{}", "fallback_type", "binary"));
        assertMaps(withBinary, new Object[][] {{Value.of(12), "3132"}});
    }

    @Test
    void numericStaticMapParamErrors() {
        Object[][] cases = {
            {Map.of(), "NumericStaticMap: Could not find either `json_path` or `json` params in vschema"},
            {Map.of("json", "{}", "json_path", "/path/to/map.json"), "NumericStaticMap: Found both `json` and `json_path` params in vschema"},
            {Map.of("json_path", "/path/to/map.json"), "json_path"},
            {Map.of("json", "{]"), "invalid character ']' looking for beginning of object key string"},
            {Map.of("json", "{\"1\":2,\"3\":4,\"5\":6:8,\"10\":11}"), "invalid character ':' after object key:value pair"},
            {Map.of("json", "{\"1\":a}"), "invalid character 'a' looking for beginning of value"},
            {Map.of("json", "{\"a\":1}"), "key \"a\" is not an unsigned 64-bit integer"},
            {Map.of("json", "{\"1\":-1}"), "cannot unmarshal number -1"},
            {Map.of("json", "{\"1\":1.5}"), "cannot unmarshal number 1.5"},
            {Map.of("json", "{}", "fallback_type", "not_found"), "unknown vindex type 'not_found'"},
            {Map.of("json", "{}", "fallback_type", "null"), "is not a hashing vindex"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Map<String, String> params = (Map<String, String>) c[0];
            MosaicException e = assertThrows(MosaicException.class, () -> Vindexes.create("numeric_static_map", "n", params));
            assertTrue(e.getMessage().contains((String) c[1]), params + " -> " + e.getMessage());
        }
        assertEquals(Map.of(), NumericStaticMapVindex.parseTable("null"));
        assertEquals(Map.of(1L, 3L), NumericStaticMapVindex.parseTable(" {\"1\": 2, \"1\": 3} "));
        assertEquals(Map.of(-1L, -1L), NumericStaticMapVindex.parseTable("{\"18446744073709551615\": 18446744073709551615}"));
    }

    @Test
    void everyParameterlessTypeRejectsUnknownParams() {
        for (String type : List.of("hash", "xxhash", "binary_md5", "binary", "numeric", "reverse_bits", "null",
                "unicode_loose_md5", "unicode_loose_xxhash")) {
            ConfigException e = assertThrows(ConfigException.class, () -> Vindexes.create(type, "v", Map.of("hello", "world")));
            assertTrue(e.getMessage().contains("'hello'"), e.getMessage());
        }
    }
}
