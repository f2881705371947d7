package dev.mosaic.topo.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration checks and registration; no server needed. */
class ZkTopoFactoryTest {
    private final ZkTopoFactory factory = new ZkTopoFactory();

    @Test
    void foundByServiceLoaderAsZk() {
        assertEquals(ZkTopoFactory.class, Plugins.load(getClass().getClassLoader()).factory(PluginKind.TOPO, "zk").getClass());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "servers|''",
        "servers|localhost",
        "servers|host:notaport",
        "servers|host:70000",
        "root|relative/path",
        "root|/",
        "root|/trailing/",
        "root|/a//b",
        "session_timeout|0",
        "connection_timeout|0",
        "retry_max_retries|-1",
        "watch_threads|0",
    })
    void badValueIsRejectedNamingTheKey(String key, String value) {
        Map<String, String> raw = new java.util.HashMap<>(Map.of("servers", "127.0.0.1:2181"));
        raw.put(key, value);
        ConfigException e = assertThrows(ConfigException.class,
                () -> factory.create(factory.configSpec().validate(raw, "t"), PluginContext.named("t")));
        assertTrue(e.problems().stream().anyMatch(p -> p.key().equals(key)), e.getMessage());
    }

    @Test
    void serversIsRequired() {
        ConfigException e = assertThrows(ConfigException.class, () -> factory.configSpec().validate(Map.of(), "t"));
        assertEquals("servers", e.problems().get(0).key());
    }

    @Test
    void unreachableServerIsUnavailableAfterTheConnectionTimeout() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var cfg = factory.configSpec().validate(Map.of("servers", "127.0.0.1:" + port, "connection_timeout", "300ms"), "t");
        TopoException e = assertThrows(TopoException.class, () -> factory.create(cfg, PluginContext.named("t")));
        assertEquals(TopoError.UNAVAILABLE, e.error());
    }
}
