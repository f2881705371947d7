package dev.mosaic.vindex.cfc;

import dev.mosaic.vindex.functional.Xxh64;
import static dev.mosaic.vindex.testing.Vindexes.create;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.VindexCursor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code cfc} against Vitess's cfc_test.go. */
class CfcTest {
    static Cfc cfc(Map<String, String> params) {
        return (Cfc) create(new CfcFactory(), "cfc", params);
    }

    static byte[] md5(byte[] in) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(in);
        return in.length < d.length ? Arrays.copyOf(d, in.length) : d;
    }

    static byte[] expected(boolean xx, byte[]... comps) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : comps) {
            out.writeBytes(xx ? Cfc.Hash.XXHASH64.apply(c) : md5(c));
        }
        return out.toByteArray();
    }

    static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void info() {
        Cfc c = cfc(Map.of());
        assertEquals(1, c.cost());
        assertTrue(c.isUnique());
        assertFalse(c.needsCursor());
        assertEquals(2, c.prefixCost());
        assertEquals(3, cfc(Map.of("offsets", "[1,2,3]", "hash", "xxhash64")).prefixCost());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no params||",
            "no hash with offsets|offsets=[1,2]|",
            "hash with no offsets|hash=md5|CFC vindex requires offsets when hash is defined",
            "invalid offsets 10,12|hash=md5;offsets=10,12|invalid offsets 10,12 to CFC vindex cfc. expected sorted positive ints in brackets",
            "invalid offsets xxx|hash=md5;offsets=xxx|invalid offsets xxx to CFC vindex cfc. expected sorted positive ints in brackets",
            "empty offsets|hash=md5;offsets=[]|invalid offsets [] to CFC vindex cfc. expected sorted positive ints in brackets",
            "unsorted offsets|hash=md5;offsets=[10,3]|invalid offsets [10,3] to CFC vindex cfc. expected sorted positive ints in brackets",
            "negative offsets|hash=md5;offsets=[-1,3]|invalid offsets [-1,3] to CFC vindex cfc. expected sorted positive ints in brackets",
            "duplicated offsets|hash=md5;offsets=[4,4,6]|invalid offsets [4,4,6] to CFC vindex cfc. expected sorted positive ints in brackets",
            "bad hash|hash=sha1;offsets=[1]|invalid hash sha1 to CFC vindex cfc",
            "spaces|hash=md5;offsets=[3, 7]|",
    })
    void createVindex(String name, String params, String error) {
        Map<String, String> p = new HashMap<>();
        if (params != null) {
            for (String kv : params.split(";")) {
                int eq = kv.indexOf('=');
                p.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        if (error == null) {
            cfc(p);
        } else {
            ConfigException e = assertThrows(ConfigException.class, () -> cfc(p), name);
            assertEquals(error, e.problems().get(0).reason());
        }
    }

    @Test
    void unknownParamIsRejectedByName() {
        ConfigException e = assertThrows(ConfigException.class, () -> cfc(Map.of("hash", "md5", "offsets", "[3, 7]", "hello", "world")));
        assertEquals("hello", e.problems().get(0).key());
    }

    @Test
    void computeKsidWithoutHashIsIdentity() {
        byte[] id = b(3, 6, 20, 7, 60, 1);
        assertArrayEquals(id, cfc(Map.of()).computeKsid(id, true));
    }

    @Test
    void computeKsid() throws Exception {
        for (String h : List.of("md5", "xxhash64")) {
            boolean xx = h.equals("xxhash64");
            Cfc c = cfc(Map.of("hash", h, "offsets", "[3,5]"));
            MosaicException e = assertThrows(MosaicException.class, () -> c.computeKsid(b(3, 4, 5), false));
            assertEquals("insufficient size for cfc vindex cfc. need 5, got 3", e.getMessage());
            assertArrayEquals(expected(xx, b(3, 4, 5)), c.computeKsid(b(3, 4, 5), true));
            assertArrayEquals(expected(xx, b(3, 4, 5)), c.computeKsid(b(3, 4, 5, 1), true));
            assertArrayEquals(new byte[0], c.computeKsid(b(3, 4), true));
            assertArrayEquals(expected(xx, b(12, 234, 2), b(7, 1), b(6)), c.computeKsid(b(12, 234, 2, 7, 1, 6), false));
            byte[] longTail = b(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
            assertArrayEquals(expected(xx, b(5, 21, 124), b(75, 5), longTail), c.computeKsid(cat(b(5, 21, 124, 75, 5), longTail), false));
            // A prefix stops at the last offset: the open last component is never complete (Vitess hashes it).
            assertArrayEquals(expected(xx, b(5, 21, 124), b(75, 5)), c.computeKsid(cat(b(5, 21, 124, 75, 5), longTail), true));
            assertArrayEquals(new byte[0], c.computeKsid(new byte[0], true));
        }
    }

    @Test
    void hashOutputLengths() {
        int[][] cases = {{4, 4, 4}, {8, 8, 8}, {12, 12, 8}, {16, 16, 8}, {20, 16, 8}};
        for (int[] c : cases) {
            byte[] in = "abcdefghijklmnopqrst".substring(0, c[0]).getBytes(StandardCharsets.US_ASCII);
            assertEquals(c[1], Cfc.Hash.MD5.apply(in).length);
            assertEquals(c[2], Cfc.Hash.XXHASH64.apply(in).length);
        }
    }

    @Test
    void xxh64KnownDigests() {
        assertEquals(0xEF46DB3751D8E999L, Xxh64.hash(new byte[0]));
        assertEquals(0xD24EC4F1A98C6E5BL, Xxh64.hash("a".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0x44BC2CF5AD770999L, Xxh64.hash("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("99e9d85137db46ef", HexFormat.of().formatHex(Xxh64.digestLittleEndian(new byte[0])));
    }

    @Test
    void verifyAndMap() throws Exception {
        Cfc plain = cfc(Map.of());
        byte[] id = b(3, 10, 7, 200);
        assertArrayEquals(new boolean[] {true, false}, plain.verify(VindexCursor.NONE,
                List.of(Value.of(id), Value.of("foobar")), List.of(KeyspaceId.of(id), KeyspaceId.of(id))));

        Cfc c = cfc(Map.of("hash", "md5", "offsets", "[3,5]"));
        byte[] key = b(1, 234, 3, 12, 32, 7, 9);
        KeyspaceId want = KeyspaceId.of(expected(false, b(1, 234, 3), b(12, 32), b(7, 9)));
        assertArrayEquals(new boolean[] {true}, c.verify(VindexCursor.NONE, List.of(Value.of(key)), List.of(want)));
        assertThrows(MosaicException.class, () -> c.verify(VindexCursor.NONE, List.of(Value.of("foo")), List.of(want)));
        assertEquals("insufficient size for cfc vindex cfc. need 5, got 3",
                assertThrows(MosaicException.class, () -> c.map(VindexCursor.NONE, List.of(Value.of("abc")))).getMessage());
        Destination d = c.map(VindexCursor.NONE, List.of(Value.of("12345567"))).get(0);
        assertArrayEquals(new boolean[] {true}, c.verify(VindexCursor.NONE, List.of(Value.of("12345567")),
                List.of(((Destination.One) d).id())));
    }

    static Destination range(byte[] start, byte[] end) {
        return new Destination.Range(KeyRange.of(KeyspaceId.of(start), end == null ? KeyspaceId.EMPTY : KeyspaceId.of(end)));
    }

    @Test
    void prefixMap() throws Exception {
        Cfc c = cfc(Map.of("hash", "md5", "offsets", "[3,5]"));
        // Vitess also hashes the open last component ("f"), which misses 'abcdefg' for LIKE 'abcdef%';
        // Mosaic stops at the last offset (found by the TCK's vindex.prefix clause).
        byte[] abcdef = expected(false, "abc".getBytes(), "de".getBytes());
        assertEquals(Cfc.keyRangeFromPrefix(abcdef), c.mapPrefix(Value.of("abcdef")));
        KeyspaceId abcdefg = ((Destination.One) c.map(VindexCursor.NONE, List.of(Value.of("abcdefg"))).get(0)).id();
        assertTrue(((Destination.Range) c.mapPrefix(Value.of("abcdef%"))).range().contains(abcdefg));
        assertEquals(Cfc.keyRangeFromPrefix(expected(false, "abc".getBytes())), c.mapPrefix(Value.of("abcd")));
        assertEquals(new Destination.Range(KeyRange.FULL), c.mapPrefix(Value.of("ab")));

        Cfc plain = cfc(Map.of());
        assertEquals(range(b(3, 123, 255), b(3, 124, 0)), plain.mapPrefix(Value.of(cat(b(3, 123, 255), b('%')))));
        assertEquals(range(b(3, 123, 255, 6, 7), b(3, 123, 255, 6, 8)), plain.mapPrefix(Value.of(cat(b(3, 123, 255, 6, 7), b('%')))));
        assertEquals(range(b(255, 255, 255), null), plain.mapPrefix(Value.of(cat(b(255, 255, 255), b('%')))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "ab%|ab", "abc|abc", "a%%|a", "%ab|\"\"", "\\%a%|%a", "\\%%|%", "\\%|%", "\\\\%a|\\", "a\\\\%a|a\\",
            "\\\\\\%|\\%", "\\\\\\%a%|\\%a", "\\_\\\\\\%a_|_\\%a", "_%a%|\"\"", "\\i\\j\\k|ijk",
            "\\\\0\\\\'\\\\b|\\0\\'\\b", "\\|\\"})
    void findPrefix(String pattern, String prefix) {
        assertEquals(prefix, new String(Cfc.findPrefix(pattern.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1));
    }

    @Test
    void findPrefixDecodesMysqlEscapes() {
        byte[] got = Cfc.findPrefix("\\0\\'\\\"\\b\\n\\r\\t\\Z\\\\".getBytes(StandardCharsets.ISO_8859_1));
        assertArrayEquals("\u0000'\"\b\n\r\t\u001a\\".getBytes(StandardCharsets.ISO_8859_1), got);
    }

    @Test
    void keyRangeFromPrefix() {
        assertEquals(range(b(3, 123, 255), b(3, 124, 0)), Cfc.keyRangeFromPrefix(b(3, 123, 255)));
        assertEquals(range(b(213, 255), b(214, 0)), Cfc.keyRangeFromPrefix(b(213, 255)));
        assertEquals(range(b(1, 255, 255), b(2, 0, 0)), Cfc.keyRangeFromPrefix(b(1, 255, 255)));
        assertEquals(range(b(255, 255), null), Cfc.keyRangeFromPrefix(b(255, 255)));
        assertEquals(new Destination.Range(KeyRange.FULL), Cfc.keyRangeFromPrefix(new byte[0]));
    }
}
