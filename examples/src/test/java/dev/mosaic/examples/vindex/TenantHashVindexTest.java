package dev.mosaic.examples.vindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.VindexCursor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plugin's own vectors; behaviour in general is the TCK's business. */
class TenantHashVindexTest {
    @Test
    void vectors() {
        // The first 8 bytes of SHA-256 of "acme", a zero byte, "42" (python3: hashlib.sha256(b'acme\x0042')).
        TenantHashVindex v = new TenantHashVindex("t", "acme");
        assertEquals("07d5a9e652c5bd4d", v.hash(Value.of(42)).toHex());
        assertEquals(v.hash(Value.of("42")), v.hash(Value.of(42)));
        assertEquals(List.of(Destination.NONE), v.map(VindexCursor.NONE, List.of(Value.NULL)));
        assertNotEquals(v.hash(Value.of(42)), new TenantHashVindex("t", "other").hash(Value.of(42)));
        assertEquals(8, v.hash(Value.of(42)).length());
    }
}
