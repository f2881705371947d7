package dev.mosaic.api.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyspaceIdTest {
    @Test
    void ordersUnsignedLexicographically() {
        List<String> sorted = List.of("", "00", "0000", "01", "7f", "7fff", "80", "8000", "ff", "ffff");
        List<KeyspaceId> ids = new ArrayList<>(sorted.stream().map(KeyspaceId::fromHex).toList());
        Collections.reverse(ids);
        Collections.sort(ids);
        assertEquals(sorted, ids.stream().map(KeyspaceId::toHex).toList());
    }

    @Test
    void hexRoundTripsAndCopies() {
        byte[] raw = {(byte) 0x16, (byte) 0x6b, (byte) 0x40, (byte) 0xb4};
        KeyspaceId id = KeyspaceId.of(raw);
        raw[0] = 0;
        assertEquals("166b40b4", id.toHex());
        assertEquals(id, KeyspaceId.fromHex("166B40B4"));
        byte[] out = id.bytes();
        out[0] = 0;
        assertEquals("166b40b4", id.toString());
        assertEquals(0x16, id.byteAt(0));
        assertNotEquals(id, KeyspaceId.fromHex("166b40b400"));
    }

    @Test
    void uint64IsBigEndian() {
        assertEquals("0000000000000001", KeyspaceId.ofUint64(1).toHex());
        assertEquals("ffffffffffffffff", KeyspaceId.ofUint64(-1).toHex());
        assertTrue(KeyspaceId.ofUint64(-1).compareTo(KeyspaceId.ofUint64(Long.MAX_VALUE)) > 0);
    }

    @Test
    void rejectsBadHex() {
        assertThrows(IllegalArgumentException.class, () -> KeyspaceId.fromHex("abc"));
        assertThrows(IllegalArgumentException.class, () -> KeyspaceId.fromHex("zz"));
    }
}
