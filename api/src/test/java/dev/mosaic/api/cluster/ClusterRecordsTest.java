package dev.mosaic.api.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.key.KeyRange;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterRecordsTest {
    @Test
    void tabletAliasFormatsLikeVitess() {
        assertEquals("zone1-0000000100", new TabletAlias("zone1", 100).toString());
        assertEquals(new TabletAlias("zone1", 100), TabletAlias.parse("zone1-0000000100"));
        assertEquals(new TabletAlias("zone1", 100), TabletAlias.parse("zone1-100"));
        assertEquals("us_east-4294967295", new TabletAlias("us_east", 4294967295L).toString().replace("-4294967295", "-4294967295"));
        assertTrue(new TabletAlias("a", 1).compareTo(new TabletAlias("a", 2)) < 0);
        assertTrue(new TabletAlias("a", 9).compareTo(new TabletAlias("b", 1)) < 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zone1", "-100", "zone1-", "zone1-abc", "zone1-12345678901", "zone1--1"})
    void tabletAliasRejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TabletAlias.parse(text));
        assertTrue(e.getMessage().contains("tablet alias"), e.getMessage());
    }

    @Test
    void tabletTypes() {
        assertEquals(TabletType.PRIMARY, TabletType.parse("primary"));
        assertEquals(TabletType.PRIMARY, TabletType.parse("MASTER"));
        assertEquals(TabletType.RDONLY, TabletType.parse("batch"));
        assertEquals(TabletType.DRAINED, TabletType.parse("Drained"));
        assertTrue(TabletType.REPLICA.isServing());
        assertFalse(TabletType.SPARE.isServing());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TabletType.parse("leader"));
        assertTrue(e.getMessage().contains("valid: primary"), e.getMessage());
    }

    @Test
    void shardNameMustMatchRange() {
        Shard s = Shard.create("customer", "-80");
        assertEquals(KeyRange.parse("-80"), s.keyRange());
        assertEquals(KeyRange.FULL, Shard.create("commerce", "0").keyRange());
        assertThrows(IllegalArgumentException.class,
                () -> new Shard("customer", "-80", KeyRange.parse("80-"), Optional.empty(), 0, true));
        assertThrows(IllegalArgumentException.class, () -> Shard.create("customer", "8-"));
        assertThrows(IllegalArgumentException.class, () -> Shard.create("bad/name", "0"));
    }

    @Test
    void tabletRecord() {
        Tablet t = new Tablet(new TabletAlias("zone1", 100), "localhost", 16100, 15100, "127.0.0.1", 17100,
                "commerce", "0", TabletType.REPLICA, Map.of("app", "x"));
        assertEquals(TabletType.PRIMARY, t.withType(TabletType.PRIMARY).type());
        assertThrows(IllegalArgumentException.class, () -> new Tablet(new TabletAlias("zone1", 1), "h", 70000, 1,
                "h", 1, "ks", "0", TabletType.REPLICA, Map.of()));
        assertEquals("_vt", new Keyspace("commerce", "semi_sync", Keyspace.DEFAULT_SIDECAR_DB).sidecarDbName());
    }
}
