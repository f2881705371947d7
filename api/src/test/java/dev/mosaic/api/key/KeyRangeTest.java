package dev.mosaic.api.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyRangeTest {

    @Test
    void splitMatchesVitessShardNames() {
        record Case(int n, List<String> names) {
        }
        List<Case> cases = List.of(
                new Case(1, List.of("-")),
                new Case(2, List.of("-80", "80-")),
                new Case(3, List.of("-55", "55-aa", "aa-")),
                new Case(4, List.of("-40", "40-80", "80-c0", "c0-")),
                new Case(5, List.of("-33", "33-66", "66-99", "99-cc", "cc-")),
                new Case(6, List.of("-2a", "2a-55", "55-80", "80-aa", "aa-d5", "d5-")),
                new Case(8, List.of("-20", "20-40", "40-60", "60-80", "80-a0", "a0-c0", "c0-e0", "e0-")));
        for (Case c : cases) {
            assertEquals(c.names(), KeyRange.splitNames(c.n()), "split " + c.n());
        }
    }

    @Test
    void splitForty() {
        // size = 6.4; boundaries floor(i * 6.4)
        List<String> names = KeyRange.splitNames(40);
        assertEquals(40, names.size());
        assertEquals("-06", names.get(0));
        assertEquals("06-0c", names.get(1));
        assertEquals("0c-13", names.get(2));
        assertEquals("13-19", names.get(3));
        assertEquals("19-20", names.get(4));
        assertEquals("f9-", names.get(39));
        assertPartition(names);
    }

    @Test
    void splitUsesTwoBytesAbove256() {
        List<String> names = KeyRange.splitNames(512);
        assertEquals("-0080", names.get(0));
        assertEquals("0080-0100", names.get(1));
        assertEquals("ff80-", names.get(511));
        assertPartition(names);
        assertEquals(65536, KeyRange.splitNames(65536).size());
    }

    @Test
    void splitPartitionsForEveryCountUpTo256() {
        for (int n = 1; n <= 256; n++) {
            assertPartition(KeyRange.splitNames(n));
        }
    }

    private static void assertPartition(List<String> names) {
        List<KeyRange> ranges = names.stream().map(KeyRange::parse).toList();
        assertTrue(ranges.get(0).start().isEmpty());
        assertTrue(ranges.get(ranges.size() - 1).end().isEmpty());
        for (int i = 1; i < ranges.size(); i++) {
            assertEquals(ranges.get(i - 1).end(), ranges.get(i).start(), names.toString());
            assertFalse(ranges.get(i - 1).intersects(ranges.get(i)));
        }
    }

    @Test
    void lastShardIsOpenEvenWhereVitessRoundsDown() {
        // Vitess's float arithmetic gives 255 for 49 * (256 / 49.0); the last shard must still be open.
        List<String> names = KeyRange.splitNames(49);
        assertEquals("fa-", names.get(48));
        assertEquals("f5-fa", names.get(47));
    }

    @Test
    void splitRejectsBadCounts() {
        assertThrows(IllegalArgumentException.class, () -> KeyRange.splitNames(0));
        assertThrows(IllegalArgumentException.class, () -> KeyRange.splitNames(-3));
        assertThrows(IllegalArgumentException.class, () -> KeyRange.splitNames(65537));
    }

    @ParameterizedTest
    @CsvSource({
        "-80, -80",
        "80-, 80-",
        "80-C0, 80-c0",
        "-, -",
        "0, -",
        "4000-8000, 4000-8000",
    })
    void parseAndFormat(String in, String out) {
        assertEquals(out, KeyRange.parse(in).toString());
    }

    @ParameterizedTest
    @CsvSource({
        "8-, odd number of hex digits",
        "zz-, not hex",
        "80-40, empty or inverted",
        "80-80, empty or inverted",
        "80, exactly one '-'",
        "-80-, exactly one '-'",
    })
    void parseRejects(String in, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyRange.parse(in));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().contains(in), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "-80, 00, true",
        "-80, 7fffffffffffffff, true",
        "-80, 80, false",
        "-80, 8000000000000000, false",
        "80-, 80, true",
        "80-, ff, true",
        "80-, 7f, false",
        "40-80, 40, true",
        "40-80, 3fff, false",
        "-, '', true",
        "-, ffffffff, true",
        "-80, '', true",
        "80-, '', false",
    })
    void contains(String range, String id, boolean expected) {
        assertEquals(expected, KeyRange.parse(range).contains(KeyspaceId.fromHex(id)));
    }

    @ParameterizedTest
    @CsvSource({
        "-80, 80-, false",
        "-80, 40-c0, true",
        "-, 40-c0, true",
        "40-80, 80-c0, false",
        "40-80, 7f-, true",
        "-4000, 40-, false",
        "-40, 3f-41, true",
    })
    void intersects(String a, String b, boolean expected) {
        assertEquals(expected, KeyRange.parse(a).intersects(KeyRange.parse(b)));
        assertEquals(expected, KeyRange.parse(b).intersects(KeyRange.parse(a)));
    }

    @Test
    void trailingZerosDoNotChangeABound() {
        assertEquals(KeyRange.parse("80-"), KeyRange.parse("8000-"));
        assertEquals(KeyRange.parse("80-"), KeyRange.parse("80-"));
        assertEquals(KeyRange.parse("80-"), KeyRange.parse("8000-").hashCode() == KeyRange.parse("80-").hashCode()
                ? KeyRange.parse("80-") : null);
        assertFalse(KeyRange.parse("-80").equals(KeyRange.parse("80-")));
        assertTrue(KeyRange.parse("-").containsRange(KeyRange.parse("40-80")));
        assertTrue(KeyRange.parse("-80").containsRange(KeyRange.parse("40-80")));
        assertFalse(KeyRange.parse("-80").containsRange(KeyRange.parse("40-")));
        assertTrue(KeyRange.FULL.isFull());
        assertFalse(KeyRange.parse("-80").isFull());
    }
}
