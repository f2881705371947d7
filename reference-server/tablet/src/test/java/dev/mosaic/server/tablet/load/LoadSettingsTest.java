package dev.mosaic.server.tablet.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LoadSettingsTest {
    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(LoadSettings.PREFIX + kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsAreTheDoneWhen() {
        LoadSettings s = LoadSettings.fromProperties(new Properties());
        assertEquals(LoadSettings.DEFAULTS, s);
        assertEquals(2000, s.clients());
        assertEquals(100_000, s.queries());
        assertEquals(16, s.poolSize());
    }

    @Test
    void propertiesOverrideDefaults() {
        LoadSettings s = LoadSettings.fromProperties(props("clients", "500", "queries", "1_000_000", "warmup", "0",
                "pool-size", "32", "rows", "100000", "channels", "4", "grpc-threads", "16", "callback-threads", "3",
                "call-timeout-ms", "1500", "case-timeout-s", "900"));
        assertEquals(new LoadSettings(500, 1_000_000, 0, 32, 100_000, 4, 16, 3, Duration.ofMillis(1500),
                Duration.ofSeconds(900)), s);
    }

    @Test
    void badValuesNameTheProperty() {
        String[][] cases = {
                {"clients", "many", "mosaic.load.clients is not an integer"},
                {"clients", "0", "mosaic.load.clients must be at least 1"},
                {"pool-size", "-1", "mosaic.load.pool-size must be at least 1"},
                {"warmup", "-5", "mosaic.load.warmup must not be negative"},
                {"grpc-threads", "-1", "mosaic.load.grpc-threads must not be negative"},
                {"call-timeout-ms", "0", "mosaic.load.call-timeout-ms must be positive"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LoadSettings.fromProperties(props(c[0], c[1])), c[0] + "=" + c[1]);
            assertTrue(e.getMessage().startsWith(c[2]), e.getMessage());
        }
    }
}
