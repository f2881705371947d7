package dev.mosaic.vindex.functional;

import static dev.mosaic.vindex.Vindexes.one;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.Hashing;
import dev.mosaic.spi.vindex.RangeMapping;
import dev.mosaic.spi.vindex.Reversible;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.vindex.Vindexes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Vitess's hash_test.go vectors, value conversion, reverse, and the DES against the JCE. */
class HashVindexTest {
    private final SingleColumnVindex hash = Vindexes.create("hash", "nn", Map.of());

    // From Vitess go/vt/vtgate/vindexes/hash_test.go (TestHashMap).
    private static final Object[][] VECTORS = {
        {Value.of(1), "166b40b44aba4bd6"},
        {Value.of(2), "06e7ea22ce92708f"},
        {Value.of(3), "4eb190c9a2fa169c"},
        {Value.NULL, null},
        {Value.of(4), "d2fd8867d50d2dfe"},
        {Value.of(5), "70bb023c810ca87a"},
        {Value.of(6), "f098480ac4c4be71"},
        {Value.of(0), "8ca64de9c1b123a7"},
        {Value.of(-1), "355550b2150e2451"},
        {Value.ofUnsigned(-1L), "355550b2150e2451"},
        {Value.of(Long.MAX_VALUE), "f77d48aadda1f1bb"},
        {Value.ofUnsigned(Long.MAX_VALUE), "f77d48aadda1f1bb"},
        {Value.of(Long.MIN_VALUE), "95f8a5e5dd31d900"},
    };

    @Test
    void vitessVectors() {
        List<Value> in = new ArrayList<>();
        List<Destination> want = new ArrayList<>();
        for (Object[] v : VECTORS) {
            in.add((Value) v[0]);
            want.add(v[1] == null ? Destination.NONE : one((String) v[1]));
        }
        assertEquals(want, hash.map(VindexCursor.NONE, in));
    }

    @Test
    void describesItselfAsVitessDoes() {
        assertEquals("nn", hash.name());
        assertEquals(1, hash.cost());
        assertTrue(hash.isUnique());
        assertFalse(hash.needsCursor());
        assertTrue(hash instanceof Reversible);
        assertTrue(hash instanceof Hashing);
        assertFalse(hash instanceof RangeMapping);
    }

    @Test
    void valueConversionFollowsToCastUint64() {
        Object[][] cases = {
            {Value.of("1"), "166b40b44aba4bd6"},
            {Value.of(" 1\t"), "166b40b44aba4bd6"},
            {new Value.Binary(SqlType.VARBINARY, "2".getBytes()), "06e7ea22ce92708f"},
            {Value.of(new BigDecimal("3")), "4eb190c9a2fa169c"},
            {Value.of(1.0), "166b40b44aba4bd6"},
            {Value.of("18446744073709551615"), "355550b2150e2451"},
            {Value.of("-1"), null},
            {Value.of("+1"), null},
            {Value.of("1.5"), null},
            {Value.of(1.5), null},
            {Value.of(new BigDecimal("1.0")), null},
            {Value.of("18446744073709551616"), null},
            {Value.of("0x10"), null},
            {Value.of("aa"), null},
            {Value.of(""), null},
            {Value.tuple(Value.of(1)), null},
        };
        for (Object[] c : cases) {
            Destination want = c[1] == null ? Destination.NONE : one((String) c[1]);
            assertEquals(want, hash.map(VindexCursor.NONE, List.of((Value) c[0])).get(0), c[0].toString());
        }
    }

    @Test
    void verify() {
        KeyspaceId one = KeyspaceId.fromHex("166b40b44aba4bd6");
        assertArrayEquals(new boolean[] {true, false},
                hash.verify(VindexCursor.NONE, List.of(Value.of(1), Value.of(2)), List.of(one, one)));
        assertArrayEquals(new boolean[] {true},
                hash.verify(VindexCursor.NONE, List.of(Value.of(-1)), List.of(KeyspaceId.fromHex("355550b2150e2451"))));
        MosaicException e = assertThrows(MosaicException.class,
                () -> hash.verify(VindexCursor.NONE, List.of(Value.of(new byte[] {'a', 'a'})), List.of(one)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("cannot parse uint64 from \"aa\"", e.getMessage());
        assertThrows(MosaicException.class, () -> hash.verify(VindexCursor.NONE, List.of(Value.NULL), List.of(one)));
    }

    @Test
    void reverseMap() {
        Reversible r = (Reversible) hash;
        assertEquals(List.of(Value.ofUnsigned(1)), r.reverseMap(VindexCursor.NONE, List.of(KeyspaceId.fromHex("166b40b44aba4bd6"))));
        MosaicException e = assertThrows(MosaicException.class, () -> r.reverseMap(VindexCursor.NONE,
                List.of(KeyspaceId.fromHex("166b40b44aba4bd6166b40b44aba4bd6"))));
        assertEquals("invalid keyspace id: 166b40b44aba4bd6166b40b44aba4bd6", e.getMessage());
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long v = rnd.nextLong();
            KeyspaceId k = ((Hashing) hash).hash(Value.ofUnsigned(v));
            assertEquals(Value.ofUnsigned(v), r.reverseMap(VindexCursor.NONE, List.of(k)).get(0));
        }
    }

    @Test
    void rejectsUnknownParams() {
        ConfigException e = assertThrows(ConfigException.class, () -> Vindexes.create("hash", "h", Map.of("hello", "world")));
        assertTrue(e.getMessage().contains("'hello'"), e.getMessage());
    }

    @Test
    void desMatchesJce() throws Exception {
        Cipher enc = Cipher.getInstance("DES/ECB/NoPadding");
        Cipher dec = Cipher.getInstance("DES/ECB/NoPadding");
        SecretKeySpec zero = new SecretKeySpec(new byte[8], "DES");
        enc.init(Cipher.ENCRYPT_MODE, zero);
        dec.init(Cipher.DECRYPT_MODE, zero);
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            long v = i < 1000 ? i - 500 : rnd.nextLong();
            byte[] block = Conversions.bigEndian(v);
            assertArrayEquals(enc.doFinal(block), Conversions.bigEndian(ZeroKeyDes.encrypt(v)), Long.toHexString(v));
            assertArrayEquals(dec.doFinal(block), Conversions.bigEndian(ZeroKeyDes.decrypt(v)), Long.toHexString(v));
        }
    }

    @Test
    void desMatchesJceOnBitPatterns() throws Exception {
        // every byte value in every byte position, and their complements: each delta-swap mask
        // of IP/FP and every entry reachable from a single byte
        Cipher enc = Cipher.getInstance("DES/ECB/NoPadding");
        enc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[8], "DES"));
        for (int pos = 0; pos < 8; pos++) {
            for (long b = 0; b < 256; b++) {
                for (long v : new long[] {b << (8 * pos), ~(b << (8 * pos))}) {
                    byte[] want = enc.doFinal(Conversions.bigEndian(v));
                    assertArrayEquals(want, Conversions.bigEndian(ZeroKeyDes.encrypt(v)), Long.toHexString(v));
                    assertEquals(v, ZeroKeyDes.decrypt(ZeroKeyDes.encrypt(v)), Long.toHexString(v));
                }
            }
        }
    }

    @Test
    void batchEncryptMatchesSingleBlocks() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int n = 0; n <= 13; n++) {
            long[] in = new long[n + 2];
            for (int i = 0; i < in.length; i++) {
                in[i] = rnd.nextLong();
            }
            long[] got = in.clone();
            ZeroKeyDes.encrypt(got, 1, n + 1);
            assertEquals(in[0], got[0]);
            assertEquals(in[n + 1], got[n + 1]);
            for (int i = 1; i <= n; i++) {
                assertEquals(ZeroKeyDes.encrypt(in[i]), got[i], "n=" + n + " i=" + i);
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> ZeroKeyDes.encrypt(new long[4], 2, 5));
    }

    @Test
    void mapPathsAgree() {
        Hashing h = (Hashing) hash;
        SplittableRandom rnd = new SplittableRandom(11);
        List<Value> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long v = rnd.nextLong();
            ids.add(i % 3 == 0 ? Value.of(v) : i % 3 == 1 ? Value.ofUnsigned(v) : Value.of(Long.toUnsignedString(v)));
            if (i % 37 == 5) {
                ids.add(Value.NULL);
            }
        }
        ids.add(Value.of("nope"));
        List<Destination> batch = hash.map(VindexCursor.NONE, ids);
        assertEquals(batch, hash.map(VindexCursor.NONE, new LinkedList<>(ids)));
        assertEquals(List.of(), hash.map(VindexCursor.NONE, List.of()));
        assertEquals(List.of(Destination.NONE, Destination.NONE), hash.map(VindexCursor.NONE, List.of(Value.NULL, Value.NULL)));
        for (int i = 0; i < ids.size(); i++) {
            Value id = ids.get(i);
            List<Destination> single = hash.map(VindexCursor.NONE, List.of(id));
            assertEquals(List.of(batch.get(i)), single);
            if (id != Value.NULL && !id.equals(Value.of("nope"))) {
                long bits = Conversions.hashUint64(id);
                assertEquals(new Destination.One(HashVindex.hashUint64(bits)), batch.get(i));
                assertEquals(HashVindex.hashUint64(bits), h.hash(id));
            } else {
                assertEquals(Destination.NONE, batch.get(i));
            }
        }
    }

    @Test
    void deterministicAcrossThreadsAndInstances() throws Exception {
        SingleColumnVindex other = Vindexes.create("hash");
        List<Value> ids = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ids.add(Value.of(i * 7919L - 1000));
        }
        List<Destination> want = hash.map(VindexCursor.NONE, ids);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Destination>>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                fs.add(pool.submit(() -> other.map(VindexCursor.NONE, ids)));
            }
            for (Future<List<Destination>> f : fs) {
                assertEquals(want, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
