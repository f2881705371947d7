package dev.mosaic.server.ctld.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.process.config.Listen;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CtldServerConfigLoaderTest {
    private static final CtldServerConfigLoader LOADER =
            new CtldServerConfigLoader(Plugins.load(CtldServerConfigLoaderTest.class.getClassLoader()));

    /** A valid config: memory topology, one cell. Cases add lines. */
    private static final String BASE = """
            topo:
              type: memory
              config:
                cluster: it
            cell: zone1
            """;

    private static CtldServerConfig parse(String yaml) {
        return LOADER.parse(yaml, "test.yaml");
    }

    @Test
    void defaultsFollowVitessLocalExample() {
        CtldServerConfig c = parse(BASE);
        assertEquals("memory", c.topo().type());
        assertEquals(Map.of("cluster", "it"), c.topo().pluginConfig());
        assertEquals("zone1", c.cell());
        assertEquals(new Listen("0.0.0.0", 15999, 16), c.grpc());
        assertEquals(new Listen("0.0.0.0", 15000, 4), c.status());
        assertEquals(Duration.ofSeconds(30), c.tabletManagerCallTimeout());
        assertEquals(List.of(), c.gateLinks());
    }

    @Test
    void everyKeyIsRead() {
        CtldServerConfig c = parse(BASE + """
                grpc: {bind-address: 127.0.0.1, port: 0, threads: 3}
                status:
                  bind-address: 127.0.0.2
                  port: 0
                  threads: 2
                  gate-links: [http://localhost:15001/debug/status, "https://gate2:15001/"]
                tablet-manager.call-timeout: 5s
                """);
        assertEquals(new Listen("127.0.0.1", 0, 3), c.grpc());
        assertEquals(new Listen("127.0.0.2", 0, 2), c.status());
        assertEquals(Duration.ofSeconds(5), c.tabletManagerCallTimeout());
        assertEquals(List.of(URI.create("http://localhost:15001/debug/status"), URI.create("https://gate2:15001/")),
                c.gateLinks());
    }

    /** Each bad config, the key the error must name, and a word of its reason. */
    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of(BASE + "grpc.prot: 1\n", "grpc.prot", "unknown key"),
                Arguments.of(BASE + "mysql.port: 1\n", "mysql.port", "unknown key"),
                Arguments.of(BASE + "grpc:\n  port: 70000\n", "grpc.port", "not a port"),
                Arguments.of(BASE + "grpc.port: abc\n", "grpc.port", "not a number"),
                Arguments.of(BASE + "grpc.threads: 0\n", "grpc.threads", "at least 1"),
                Arguments.of(BASE + "status.port: -1\n", "status.port", "not a port"),
                Arguments.of(BASE + "status.port: 15999\n", "status.port", "same port as grpc.port"),
                Arguments.of(BASE + "status.threads: x\n", "status.threads", "not a number"),
                Arguments.of(BASE + "status.bind-address: \"\"\n", "status.bind-address", "not a bind address"),
                Arguments.of(BASE + "status.gate-links: [ftp://gate/]\n", "status.gate-links", "http(s) URL"),
                Arguments.of(BASE + "status.gate-links: [\"http://bad host/\"]\n", "status.gate-links", "not a URL"),
                Arguments.of(BASE + "tablet-manager.call-timeout: soon\n", "tablet-manager.call-timeout",
                        "not a duration"),
                Arguments.of(BASE + "tablet-manager.call-timeout: 0s\n", "tablet-manager.call-timeout", "positive"),
                Arguments.of(BASE + "grpc.port:\n", "grpc.port", "no value"),
                Arguments.of(BASE.replace("cell: zone1", "cell: zone-1"), "cell", "not a cell name"),
                Arguments.of(BASE + "topo.config.nosuch: 1\n", "topo.config.nosuch", ""),
                Arguments.of(BASE.replace("type: memory", "type: nosuch"), "topo.type", "nosuch"),
                Arguments.of(BASE.replace("cell: zone1\n", ""), "cell", "required"),
                Arguments.of("cell: zone1\n", "topo.type", "required"),
                Arguments.of(BASE + "backup.storage.type: tape\n", "backup.storage.type", "unknown backup_storage type"),
                Arguments.of(BASE + "backup.storage.type: file\n", "backup.storage.root", "required"),
                Arguments.of(BASE + "backup.engine: builtin\n", "backup.engine", "unknown key"));
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void badKeysAreNamedWithTheReason(String yaml, String key, String reason) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
        assertTrue(e.problems().stream().anyMatch(p -> p.key().equals(key) && p.reason().contains(reason)),
                "expected a problem naming " + key + " (" + reason + "), got " + e.problems());
    }

    @Test
    void backupStorageIsReadWhenGiven() {
        assertEquals(java.util.Optional.empty(), parse(BASE).backupStorage());
        var storage = parse(BASE + "backup:\n  storage:\n    root: /var/backups/mosaic\n").backupStorage().orElseThrow();
        assertEquals("file", storage.type());
        assertEquals(java.util.Map.of("root", "/var/backups/mosaic"), storage.pluginConfig());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(BASE + "grpc.port: -1\nstatus.port: x\nnosuch: 1\n"));
        assertEquals(List.of("grpc.port", "nosuch", "status.port"),
                e.problems().stream().map(ConfigException.Problem::key).sorted().toList());
    }

    @Test
    void notYamlOrNotAMappingIsRejected() {
        assertThrows(MosaicException.class, () -> parse("topo: [unclosed"));
        assertThrows(MosaicException.class, () -> parse("- a\n- b\n"));
    }
}
