package dev.mosaic.vindex.vhash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.VindexFactory;
import java.math.BigDecimal;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class VhashTest {
    @Test
    void toUint64() {
        assertEquals(5L, Vhash.toUint64(Value.of(5)));
        assertEquals(-1L, Vhash.toUint64(Value.ofUnsigned(-1L)));
        assertEquals(42L, Vhash.toUint64(Value.of("42")));
        assertEquals(-1L, Vhash.toUint64(Value.of("18446744073709551615")));
        assertEquals(7L, Vhash.toUint64(Value.of("7".getBytes())));
        assertEquals("negative number cannot be converted to unsigned: -1",
                assertThrows(IllegalArgumentException.class, () -> Vhash.toUint64(Value.of(-1))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Vhash.toUint64(Value.of("notint")));
        assertThrows(IllegalArgumentException.class, () -> Vhash.toUint64(Value.of("18446744073709551616")));
        assertThrows(IllegalArgumentException.class, () -> Vhash.toUint64(Value.NULL));
        assertThrows(IllegalArgumentException.class, () -> Vhash.toUint64(Value.of(new BigDecimal("1.5"))));
    }

    @Test
    void describeAsVitessPrintsValues() {
        assertEquals("INT64(1)", Vhash.describe(Value.of(1)));
        assertEquals("VARCHAR(\"a\")", Vhash.describe(Value.of("a")));
        assertEquals("NULL", Vhash.describe(Value.NULL));
    }

    /**
     * The hash vindex is built on another branch. When it is on the classpath, vhash must give
     * Vitess's published vectors; until then, loading fails with a clear precondition error.
     */
    @Test
    void loadsTheRegisteredHashVindex() {
        boolean present = StreamSupport.stream(ServiceLoader.load(VindexFactory.class).spliterator(), false)
                .anyMatch(f -> f.type().equals("hash"));
        if (present) {
            Vhash v = Vhash.load("test");
            assertEquals(KeyspaceId.fromHex("166b40b44aba4bd6"), v.hash(1));
            assertEquals(KeyspaceId.fromHex("06e7ea22ce92708f"), v.hash(2));
            assertEquals(1L, v.unhash(KeyspaceId.fromHex("166b40b44aba4bd6")));
            assertEquals("invalid keyspace id: 626f677573",
                    assertThrows(IllegalArgumentException.class, () -> v.unhash(KeyspaceId.of("bogus".getBytes()))).getMessage());
        } else {
            MosaicException e = assertThrows(MosaicException.class, () -> Vhash.load("vindex 'v' (type lookup_hash)"));
            assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
            assertEquals("vindex 'v' (type lookup_hash) needs the 'hash' vindex type, which is not registered "
                    + "(is mosaic-vindex complete on the classpath?)", e.getMessage());
        }
    }
}
