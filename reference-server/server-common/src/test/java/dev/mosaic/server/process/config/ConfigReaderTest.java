package dev.mosaic.server.process.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.spi.config.ConfigException.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {

    @Test
    void everyBadKeyIsReportedWithItsReason() {
        List<Problem> problems = new ArrayList<>();
        ConfigReader r = ConfigReader.of(Map.of("p", "70000", "n", "x", "d", " 5m "), problems);
        assertEquals(0, (int) r.optional("p", 0, ConfigValues::port));
        assertEquals(3, (int) r.optional("n", 3, ConfigValues::positiveInt));
        assertEquals(Duration.ofMinutes(5), r.required("d", ConfigValues::duration));
        assertNull(r.required("missing", s -> s));
        assertEquals(List.of(new Problem("p", "not a port (0..65535): 70000"), new Problem("n", "not a number: 'x'"),
                new Problem("missing", "required key is missing")), problems);
        assertFalse(r.ok("p"));
        assertFalse(r.ok("missing"));
        assertTrue(r.ok("d"));
    }

    @Test
    void aMissingKeyAlreadyReportedIsReportedOnceWhenAsked() {
        List<Problem> once = new ArrayList<>(List.of(new Problem("k", "has no value")));
        assertNull(ConfigReader.reportingMissingKeysOnce(Map.of(), once).required("k", s -> s));
        assertEquals(List.of(new Problem("k", "has no value")), once);

        List<Problem> plain = new ArrayList<>(List.of(new Problem("k", "has no value")));
        assertNull(ConfigReader.of(Map.of(), plain).required("k", s -> s));
        assertEquals(List.of(new Problem("k", "has no value"), new Problem("k", "required key is missing")), plain);
    }
}
