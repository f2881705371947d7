package dev.mosaic.vindex.region;

import static dev.mosaic.vindex.testing.Vindexes.create;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.key.KeyRange;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.MultiColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.vindex.testing.FakeHash;
import dev.mosaic.vindex.testing.Vindexes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** region_experimental and region_json against Vitess's region_*_test.go vectors (hash via FakeHash). */
class RegionTest {
    static Destination one(String hex) {
        return new Destination.One(KeyspaceId.fromHex(hex));
    }

    static MultiColumnVindex regionExperimental(String bytes) {
        return (MultiColumnVindex) create(RegionFactories.RegionExperimentalFactory.with(FakeHash.vhash()),
                "region_experimental", Map.of("region_bytes", bytes));
    }

    @Test
    void experimentalInfo() {
        MultiColumnVindex v = regionExperimental("1");
        assertEquals(1, v.cost());
        assertTrue(v.isUnique());
        assertFalse(v.needsCursor());
        assertTrue(v.isPartial());
        assertEquals("region_experimental", v.name());
    }

    @Test
    void experimentalMapOneByte() {
        List<Destination> got = regionExperimental("1").map(VindexCursor.NONE, List.of(
                List.of(Value.of(1), Value.of(1)),
                List.of(Value.of(255), Value.of(1)),
                List.of(Value.of(256), Value.of(1)),
                List.of(Value.of(1), Value.of(1), Value.of(1)),         // too many columns
                List.of(Value.of(new byte[] {'a', 'b'}), Value.of(256)), // invalid region
                List.of(Value.of(1), Value.of(new byte[] {'a', 'b'})))); // invalid id
        assertEquals(List.of(one("01166b40b44aba4bd6"), one("ff166b40b44aba4bd6"), one("00166b40b44aba4bd6"),
                Destination.NONE, Destination.NONE, Destination.NONE), got);
    }

    @Test
    void experimentalMapTwoBytes() {
        List<Destination> got = regionExperimental("2").map(VindexCursor.NONE, List.of(
                List.of(Value.of(1), Value.of(1)),
                List.of(Value.of(255), Value.of(1)),
                List.of(Value.of(256), Value.of(1)),
                List.of(Value.of(0x10000), Value.of(1))));
        assertEquals(List.of(one("0001166b40b44aba4bd6"), one("00ff166b40b44aba4bd6"), one("0100166b40b44aba4bd6"),
                one("0000166b40b44aba4bd6")), got);
    }

    @Test
    void experimentalRegionAloneMapsToItsKeyRange() {
        assertEquals(List.of(new Destination.Range(KeyRange.parse("01-02")), new Destination.Range(KeyRange.parse("ff-"))),
                regionExperimental("1").map(VindexCursor.NONE, List.of(List.of(Value.of(1)), List.of(Value.of(255)))));
        assertEquals(List.of(new Destination.Range(KeyRange.parse("0102-0103"))),
                regionExperimental("2").map(VindexCursor.NONE, List.of(List.of(Value.of(258)))));
    }

    @Test
    void experimentalVerify() {
        boolean[] got = regionExperimental("1").verify(VindexCursor.NONE,
                List.of(List.of(Value.of(1), Value.of(1)), List.of(Value.of(1), Value.of(1)), List.of(Value.of(1))),
                List.of(KeyspaceId.fromHex("01166b40b44aba4bd6"), Vindexes.ksid("no match"), KeyspaceId.EMPTY));
        assertArrayEquals(new boolean[] {true, false, false}, got);
    }

    @Test
    void experimentalParams() {
        ConfigException e = assertThrows(ConfigException.class, () -> regionExperimental("3"));
        assertEquals(List.of(new ConfigException.Problem("region_bytes", "region_bits must be 1 or 2: 3")), e.problems());
        e = assertThrows(ConfigException.class, () -> create(new RegionFactories.RegionExperimentalFactory(), "r", Map.of()));
        assertEquals("region_bytes", e.problems().get(0).key());
        e = assertThrows(ConfigException.class, () -> create(new RegionFactories.RegionExperimentalFactory(), "r",
                Map.of("region_bytes", "1", "table", "t")));
        assertEquals("table", e.problems().get(0).key());
    }

    @Test
    void jsonMapAndVerify(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("regions.json");
        Files.writeString(file, "{\"US\": 1, \"CA\": 2, \"FR\": 258}");
        for (String rb : List.of("1", "2")) {
            MultiColumnVindex v = (MultiColumnVindex) create(RegionFactories.RegionJsonFactory.with(FakeHash.vhash()), "rj",
                    Map.of("region_map", file.toString(), "region_bytes", rb));
            assertFalse(v.isPartial());
            assertEquals(1, v.cost());
            List<Destination> got = v.map(VindexCursor.NONE, List.of(
                    List.of(Value.of(1), Value.of("US")),
                    List.of(Value.of(2), Value.of("FR")),
                    List.of(Value.of(1), Value.of("XX")),           // not in the map
                    List.of(Value.of("abc"), Value.of("US")),       // id not a number
                    List.of(Value.of(1))));                         // one column
            String us = rb.equals("1") ? "01" : "0001";
            String fr = rb.equals("1") ? "02" : "0102";
            assertEquals(List.of(one(us + "166b40b44aba4bd6"), one(fr + "06e7ea22ce92708f"), Destination.NONE, Destination.NONE,
                    Destination.NONE), got);
            assertArrayEquals(new boolean[] {true, false}, v.verify(VindexCursor.NONE,
                    List.of(List.of(Value.of(1), Value.of("US")), List.of(Value.of(1), Value.of("CA"))),
                    List.of(KeyspaceId.fromHex(us + "166b40b44aba4bd6"), KeyspaceId.fromHex(us + "166b40b44aba4bd6"))));
        }
    }

    @Test
    void jsonParams(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"US\": 1.5}");
        ConfigException e = assertThrows(ConfigException.class, () -> create(new RegionFactories.RegionJsonFactory(), "rj",
                Map.of("region_map", bad.toString(), "region_bytes", "1")));
        assertEquals("region_map", e.problems().get(0).key());
        e = assertThrows(ConfigException.class, () -> create(new RegionFactories.RegionJsonFactory(), "rj",
                Map.of("region_map", dir.resolve("missing.json").toString(), "region_bytes", "1")));
        assertEquals("region_map", e.problems().get(0).key());
        Path ok = dir.resolve("ok.json");
        Files.writeString(ok, "{}");
        e = assertThrows(ConfigException.class, () -> create(RegionFactories.RegionJsonFactory.with(FakeHash.vhash()), "rj",
                Map.of("region_map", ok.toString(), "region_bytes", "0")));
        assertEquals(List.of(new ConfigException.Problem("region_bytes", "region_bytes must be 1 or 2: 0")), e.problems());
    }

    @Test
    void regionMapJson() {
        assertEquals(Map.of("a\"b", 1L, "\u00e9", -1L), RegionMapJson.parse(" {\"a\\\"b\" : 1, \"\\u00e9\": 18446744073709551615 } "));
        assertThrows(IllegalArgumentException.class, () -> RegionMapJson.parse("{\"a\": -1}"));
        assertThrows(IllegalArgumentException.class, () -> RegionMapJson.parse("{\"a\": 18446744073709551616}"));
        assertThrows(IllegalArgumentException.class, () -> RegionMapJson.parse("[1]"));
    }
}
