package dev.mosaic.vindex.unicode;

import static dev.mosaic.vindex.Vindexes.one;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Hashing;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.vindex.Vindexes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Vitess's unicodeloosemd5_test.go and unicodeloosexxhash_test.go vectors, and its golden file
 * testdata/unicode_hash_golden.json (Wikipedia text in many scripts, hashed by Vitess).
 */
class UnicodeLooseVindexTest {
    private static final VindexCursor NO = VindexCursor.NONE;
    private final SingleColumnVindex md5 = Vindexes.create("unicode_loose_md5");
    private final SingleColumnVindex xx = Vindexes.create("unicode_loose_xxhash");

    private static Value vb(String s) {
        return new Value.Binary(SqlType.VARBINARY, s.getBytes(StandardCharsets.UTF_8));
    }

    // {input, md5, xxhash}
    private static final Object[][] VECTORS = {
        {vb("Test"), "0b5edbb401fd7524393690491d64f1f5", "42d21361087a4c07"},
        {vb("TEST"), "0b5edbb401fd7524393690491d64f1f5", "42d21361087a4c07"},
        {vb("Te\u0301st"), "0b5edbb401fd7524393690491d64f1f5", "42d21361087a4c07"},
        {vb("T\u00e9st"), "0b5edbb401fd7524393690491d64f1f5", "42d21361087a4c07"},
        {vb("B\u00e9st"), "c2b2332e4f73d00741026249706f2fb6", "926975b9ce2ec316"},
        {vb("Test "), "0b5edbb401fd7524393690491d64f1f5", "42d21361087a4c07"},
        {vb(" Test"), "a2e3515c7e8df1ffd2ccfc11c6b19dd1", "4fcb8be34ec05775"},
        {vb("Test\t"), "82456dd87a9c7a02b1c2056b5abaa272", "20af87fc36e3fd51"},
        {vb("T\u00e9stLooong"), "9683e12b80430cd453f5dfdfba81c9a5", "d3ea873942b484a7"},
        {vb("T"), "ac0f9179f51db87fe8ecc0cf40cab97a", "f81c3be2d501fe18"},
        {Value.NULL, "d41d8cd98f00b204e9800998ecf8427e", "99e9d85137db46ef"},
        {Value.of("Test"), "0b5edbb401fd7524393690491d64f1f5", "42d21361087a4c07"},
    };

    @Test
    void vitessVectors() {
        for (Object[] v : VECTORS) {
            assertEquals(one((String) v[1]), md5.map(NO, List.of((Value) v[0])).get(0), "md5 " + v[0]);
            assertEquals(one((String) v[2]), xx.map(NO, List.of((Value) v[0])).get(0), "xxhash " + v[0]);
        }
        KeyspaceId test = KeyspaceId.fromHex("0b5edbb401fd7524393690491d64f1f5");
        assertArrayEquals(new boolean[] {true, true, false},
                md5.verify(NO, List.of(vb("Test"), vb("TEst"), vb("different")), List.of(test, test, test)));
        KeyspaceId xtest = KeyspaceId.fromHex("42d21361087a4c07");
        assertArrayEquals(new boolean[] {true, true, false}, xx.verify(NO, List.of(vb("Test"), vb("TEst"), vb("different")),
                List.of(xtest, xtest, KeyspaceId.fromHex("20af87fc36e3fd51"))));
        assertEquals(1, md5.cost());
        assertEquals(1, xx.cost());
        assertTrue(md5 instanceof Hashing && xx instanceof Hashing);
    }

    @Test
    void vitessGoldenFile() throws IOException {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/vitess/unicode_hash_golden.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = Pattern.compile("\"Input\":\\s*\"([^\"]*)\",\\s*\"XXHash\":\\s*\"([^\"]*)\",\\s*\"MD5\":\\s*\"([^\"]*)\"").matcher(json);
        List<String> failures = new ArrayList<>();
        int n = 0;
        while (m.find()) {
            n++;
            byte[] input = Base64.getDecoder().decode(m.group(1));
            Value v = new Value.Text(SqlType.VARCHAR, input);
            String wantXx = HexFormat.of().formatHex(Base64.getDecoder().decode(m.group(2)));
            String wantMd5 = HexFormat.of().formatHex(Base64.getDecoder().decode(m.group(3)));
            String gotXx = ((Hashing) xx).hash(v).toHex();
            String gotMd5 = ((Hashing) md5).hash(v).toHex();
            if (!wantXx.equals(gotXx) || !wantMd5.equals(gotMd5)) {
                failures.add("case " + n + ": " + new String(input, 0, Math.min(60, input.length), StandardCharsets.UTF_8));
            }
        }
        assertEquals(28, n, "golden cases read");
        assertEquals(List.of(), failures);
    }

    @Test
    void invalidUtf8IsAnError() {
        Value bad = new Value.Binary(SqlType.VARBINARY, new byte[] {'a', (byte) 0xff});
        for (SingleColumnVindex v : List.of(md5, xx)) {
            MosaicException e = assertThrows(MosaicException.class, () -> v.map(NO, List.of(bad)));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().startsWith("cannot normalize string containing invalid UTF-8"), e.getMessage());
            assertThrows(MosaicException.class, () -> v.verify(NO, List.of(bad), List.of(KeyspaceId.EMPTY)));
        }
        // surrogates and overlong forms are invalid, as in Go
        for (byte[] b : List.of(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xc0, (byte) 0xaf},
                new byte[] {(byte) 0xe2, (byte) 0x82})) {
            assertThrows(MosaicException.class, () -> LooseCollationKey.key(b));
        }
    }

    @Test
    void looseEquivalences() {
        String[][] same = {
            {"hello", "HELLO", "h\u00e9llo", "hello   ", "\uff48\uff45\uff4c\uff4c\uff4f"},
            {"stra\u00dfe", "STRASSE"},
        };
        for (String[] group : same) {
            KeyspaceId first = ((Hashing) md5).hash(Value.of(group[0]));
            for (String s : group) {
                assertEquals(first, ((Hashing) md5).hash(Value.of(s)), s);
            }
        }
    }

    @Test
    void implicitWeights() {
        // CJK unified ideographs are not in the table: cp + 0x10000, three bytes with the top bit set
        assertEquals("814e2d", HexFormat.of().formatHex(LooseCollationKey.key("\u4e2d".getBytes(StandardCharsets.UTF_8))));
        assertEquals(0x4e2d + 0x10000, LooseCollationKey.implicitPrimary(0x4e2d));
        assertEquals(0x20000 + 0x20000, LooseCollationKey.implicitPrimary(0x20000));
        assertEquals(0x31350 + 0x20000, LooseCollationKey.implicitPrimary(0x31350));
        assertEquals(0xE000 + 0x50000, LooseCollationKey.implicitPrimary(0xE000));
    }
}
