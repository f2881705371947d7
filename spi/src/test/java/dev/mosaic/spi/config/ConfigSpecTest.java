package dev.mosaic.spi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSpecTest {
    private static final ConfigSpec SPEC = ConfigSpec.of(
            ConfigKey.required("table", ConfigType.STRING, "the lookup table"),
            ConfigKey.optional("batch_size", ConfigType.INT, "100", "rows per batch"),
            ConfigKey.optional("timeout", ConfigType.DURATION, "30s", "how long to wait"),
            ConfigKey.optional("autocommit", ConfigType.BOOLEAN, "false", "commit at once"),
            ConfigKey.optional("endpoints", ConfigType.LIST, "servers"));

    @Test
    void validConfigIsTypedWithDefaults() {
        Config c = SPEC.validate(Map.of("table", "t_lookup", "timeout", "1m30s"), "test");
        assertEquals("t_lookup", c.getString("table"));
        assertEquals(100, c.getInt("batch_size"));
        assertEquals(Duration.ofSeconds(90), c.getDuration("timeout"));
        assertFalse(c.getBoolean("autocommit"));
        assertFalse(c.has("endpoints"));
        assertTrue(c.isGiven("timeout"));
        assertFalse(c.isGiven("batch_size"));
    }

    @Test
    void everyProblemIsReportedWithItsKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> SPEC.validate(Map.of("tabel", "x", "batch_size", "ten", "autocommit", "yes"), "vindex 'v' (type lookup)"));
        List<String> keys = e.problems().stream().map(ConfigException.Problem::key).sorted().toList();
        assertEquals(List.of("autocommit", "batch_size", "tabel", "table"), keys);
        assertTrue(e.getMessage().startsWith("invalid configuration for vindex 'v' (type lookup): "), e.getMessage());
        assertTrue(e.getMessage().contains("key 'tabel': unknown key; known keys: table, batch_size"), e.getMessage());
        assertTrue(e.getMessage().contains("key 'table': required key is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("key 'batch_size': 'ten' is not an integer"), e.getMessage());
    }

    @Test
    void typesParseLikeVitessFlags() {
        record Case(ConfigType type, String raw, Object expected) {
        }
        List<Case> cases = List.of(
                new Case(ConfigType.DURATION, "500ms", Duration.ofMillis(500)),
                new Case(ConfigType.DURATION, "2h", Duration.ofHours(2)),
                new Case(ConfigType.DURATION, "1.5s", Duration.ofMillis(1500)),
                new Case(ConfigType.DURATION, "0", Duration.ZERO),
                new Case(ConfigType.BOOLEAN, "TRUE", true),
                new Case(ConfigType.BOOLEAN, "0", false),
                new Case(ConfigType.LIST, "a, b,,c ", List.of("a", "b", "c")),
                new Case(ConfigType.LONG, "9000000000", 9_000_000_000L),
                new Case(ConfigType.DOUBLE, "0.75", 0.75));
        for (Case c : cases) {
            assertEquals(c.expected(), c.type().parse(c.raw()), c.toString());
        }
        for (String bad : new String[] {"", "10", "5 s", "3d", "s"}) {
            assertThrows(IllegalArgumentException.class, () -> ConfigType.DURATION.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> ConfigType.DOUBLE.parse("NaN"));
    }

    @Test
    void malformedDeclarationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ConfigKey.required("Bad", ConfigType.STRING, "x"));
        assertThrows(IllegalArgumentException.class, () -> ConfigKey.required("ok", ConfigType.STRING, " "));
        assertThrows(IllegalArgumentException.class, () -> ConfigKey.optional("n", ConfigType.INT, "x", "number"));
        assertThrows(IllegalArgumentException.class, () -> ConfigSpec.of(
                ConfigKey.required("a", ConfigType.STRING, "a"), ConfigKey.required("a", ConfigType.INT, "a")));
    }

    @Test
    void readingAnUndeclaredKeyIsAPluginBug() {
        Config c = SPEC.validate(Map.of("table", "t"), "test");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.getString("nope"));
        assertTrue(e.getMessage().contains("not declared"));
        assertThrows(IllegalArgumentException.class, () -> c.getInt("table"));
    }
}
