package dev.mosaic.topo.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.topo.TopoStoreFactory;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration validation and registration; no etcd needed. */
class EtcdTopoFactoryTest {
    private static EtcdConfig config(Map<String, String> raw) {
        return EtcdConfig.from(new EtcdTopoFactory().configSpec().validate(raw, "etcd"));
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> m = new HashMap<>(Map.of("endpoints", "127.0.0.1:2379"));
        m.put(key, value);
        return m;
    }

    @Test
    void defaults() {
        EtcdConfig c = config(Map.of("endpoints", "127.0.0.1:2379, http://10.0.0.2:2379"));
        assertEquals(List.of(URI.create("http://127.0.0.1:2379"), URI.create("http://10.0.0.2:2379")), c.endpoints());
        assertEquals("/mosaic/global", c.root());
        assertEquals(Duration.ofSeconds(30), c.leaseTtl());
        assertEquals(Duration.ofSeconds(5), c.dialTimeout());
        assertEquals(Duration.ofSeconds(10), c.requestTimeout());
        assertEquals("/cells/zone1", config(with("root", "/cells/zone1/")).root());
    }

    /** Each bad value: the key that must be named in the error. */
    @Test
    void badValuesNameTheirKey() {
        Map<Map<String, String>, String> cases = Map.of(
                Map.of("endpoints", ""), "endpoints",
                Map.of("endpoints", "ftp://h:1"), "endpoints",
                Map.of("endpoints", "no-port"), "endpoints",
                with("root", "relative"), "root",
                with("root", "/a//b"), "root",
                with("lease_ttl", "500ms"), "lease_ttl",
                with("lease_ttl", "1500ms"), "lease_ttl",
                with("dial_timeout", "0"), "dial_timeout",
                with("request_timeout", "0"), "request_timeout");
        cases.forEach((raw, key) -> {
            MosaicException e = assertThrows(MosaicException.class, () -> config(raw), raw::toString);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), raw::toString);
            assertTrue(e.getMessage().contains("'" + key + "'"), () -> raw + " -> " + e.getMessage());
        });
    }

    @Test
    void malformedValuesAreRejectedByTheSpec() {
        ConfigException e = assertThrows(ConfigException.class, () -> config(with("lease_ttl", "soon")));
        assertTrue(e.getMessage().contains("lease_ttl"), e.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> config(Map.of()));
        assertTrue(missing.getMessage().contains("endpoints"), missing.getMessage());
    }

    @Test
    void registeredUnderTypeEtcd() {
        TopoStoreFactory f = Plugins.load(getClass().getClassLoader()).factory(PluginKind.TOPO, "etcd");
        assertTrue(f instanceof EtcdTopoFactory, () -> String.valueOf(f));
    }
}
