package dev.mosaic.server.gate.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.gate.process.GateServerConfig.AuthMode;
import dev.mosaic.server.mysql.protocol.auth.AuthMethod;
import dev.mosaic.server.process.config.Listen;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GateServerConfigLoaderTest {
    private static final GateServerConfigLoader LOADER =
            new GateServerConfigLoader(Plugins.load(GateServerConfigLoaderTest.class.getClassLoader()));

    /** A valid config: memory topology, one cell. Cases add lines. */
    private static final String BASE = """
            topo:
              type: memory
              config:
                cluster: it
            cell: zone1
            """;

    private static GateServerConfig parse(String yaml) {
        return LOADER.parse(yaml, "test.yaml");
    }

    @Test
    void defaultsFollowVitessLocalExampleAndFlags() {
        GateServerConfig c = parse(BASE);
        assertEquals("memory", c.topo().type());
        assertEquals(Map.of("cluster", "it"), c.topo().pluginConfig());
        assertEquals(List.of("zone1"), c.gateway().cells());
        assertEquals("zone1", c.gateway().localCell());
        assertEquals(List.of(), c.keyspaces(), "all keyspaces of the topology");
        assertEquals(Duration.ofSeconds(10), c.topoRefreshInterval());
        assertEquals(15306, c.mysql().port());
        assertEquals("0.0.0.0", c.mysql().bindAddress());
        assertEquals(1000, c.mysql().maxConnections());
        assertEquals(GateServerConfigLoader.MARIADB_VERSION, c.mysql().serverVersion());
        assertTrue(c.mysql().serverVersion().startsWith("5.5.5-10."), "MariaDB's own version form");
        assertEquals(AuthMode.NONE, c.auth().mode());
        assertEquals(AuthMethod.MYSQL_NATIVE_PASSWORD, c.auth().method());
        assertEquals(5000, c.planCacheSize());
        assertEquals(15001, c.status().port());
        assertEquals(Duration.ofSeconds(1), c.queryLog().slowThreshold());
        assertEquals(Optional.empty(), c.queryLog().slowLogFile());
        // vtgate's defaults: --tablet_refresh_interval 1m, --healthcheck_timeout 1m,
        // --discovery_low_replication_lag 30s, --discovery_high_replication_lag_minimum_serving 2h,
        // --min_number_serving_vttablets 2.
        assertEquals(Duration.ofMinutes(1), c.gateway().tabletRefreshInterval());
        assertEquals(Duration.ofMinutes(1), c.gateway().healthCheckTimeout());
        assertEquals(Duration.ofSeconds(30), c.gateway().lowReplicationLag());
        assertEquals(Duration.ofHours(2), c.gateway().highReplicationLag());
        assertEquals(2, c.gateway().minServingTablets());
    }

    @Test
    void everyKeyIsRead() {
        GateServerConfig c = parse(BASE + """
                cells: [zone1, zone2]
                keyspaces: [commerce, customer]
                topo.refresh-interval: 2s
                gateway:
                  tablet-refresh-interval: 5s
                  healthcheck-timeout: 20s
                  healthcheck-retry-min: 10ms
                  healthcheck-retry-max: 1s
                  low-replication-lag: 10s
                  high-replication-lag: 1h
                  min-serving-tablets: 1
                  call-timeout: 3s
                mysql:
                  bind-address: 127.0.0.1
                  port: 0
                  max-connections: 7
                  io-threads: 2
                  command-threads: 3
                  command-queue: 4
                  server-version: 8.0.40-Custom
                  handshake-timeout: 3s
                auth:
                  mode: static
                  method: caching_sha2_password
                  users:
                    app: secret
                    ro: ""
                planner.cache-size: 10
                executor:
                  shard-call-threads: 5
                  shard-call-queue: 6
                status: {bind-address: 127.0.0.1, port: 0, threads: 2}
                querylog: {slow-threshold: 250ms, max-queries: 50, slow-log-file: /tmp/slow.log}
                """);
        assertEquals(List.of("zone1", "zone2"), c.gateway().cells());
        assertEquals(List.of("commerce", "customer"), c.keyspaces());
        assertEquals(Duration.ofSeconds(2), c.topoRefreshInterval());
        assertEquals(Duration.ofSeconds(5), c.gateway().tabletRefreshInterval());
        assertEquals(Duration.ofSeconds(20), c.gateway().healthCheckTimeout());
        assertEquals(Duration.ofMillis(10), c.gateway().healthRetryMin());
        assertEquals(Duration.ofSeconds(1), c.gateway().healthRetryMax());
        assertEquals(Duration.ofSeconds(10), c.gateway().lowReplicationLag());
        assertEquals(Duration.ofHours(1), c.gateway().highReplicationLag());
        assertEquals(1, c.gateway().minServingTablets());
        assertEquals(Duration.ofSeconds(3), c.gateway().callTimeout());
        assertEquals(new GateServerConfig.Mysql("127.0.0.1", 0, 7, 2, 3, 4, "8.0.40-Custom", Duration.ofSeconds(3)),
                c.mysql());
        assertEquals(AuthMode.STATIC, c.auth().mode());
        assertEquals(AuthMethod.CACHING_SHA2_PASSWORD, c.auth().method());
        assertEquals(Map.of("app", "secret", "ro", ""), c.auth().users());
        assertTrue(!c.auth().toString().contains("secret"), "passwords are never printed");
        assertEquals(10, c.planCacheSize());
        assertEquals(new GateServerConfig.Pool(5, 6), c.shardCalls());
        assertEquals(new Listen("127.0.0.1", 0, 2), c.status());
        assertEquals(new GateServerConfig.QueryLog(Duration.ofMillis(250), 50, Optional.of(Path.of("/tmp/slow.log"))),
                c.queryLog());
    }

    @Test
    void backendFlavorPicksTheAdvertisedVersion() {
        assertEquals(GateServerConfigLoader.MYSQL8_VERSION,
                parse(BASE + "mysql.backend-flavor: mysql8\n").mysql().serverVersion());
        assertEquals(GateServerConfigLoader.MARIADB_VERSION,
                parse(BASE + "mysql.backend-flavor: MariaDB\n").mysql().serverVersion());
    }

    @Test
    void globalAddressAndRootMapToThePluginKeys() {
        GateServerConfig c = parse("""
                topo:
                  type: etcd
                  global-server-address: http://127.0.0.1:2379
                  global-root: /mosaic/global
                cell: zone1
                """);
        assertEquals("http://127.0.0.1:2379", c.topo().pluginConfig().get("endpoints"));
        assertEquals("/mosaic/global", c.topo().pluginConfig().get("root"));
    }

    /** Each bad config, the key the error must name, and a word of its reason. */
    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of(BASE + "mysql.prot: 1\n", "mysql.prot", "unknown key"),
                Arguments.of(BASE + "mysql:\n  port: 70000\n", "mysql.port", "not a port"),
                Arguments.of(BASE + "mysql.port: abc\n", "mysql.port", "not a number"),
                Arguments.of(BASE + "mysql.max-connections: 0\n", "mysql.max-connections", "at least 1"),
                Arguments.of(BASE + "mysql.backend-flavor: oracle\n", "mysql.backend-flavor", "mariadb or mysql8"),
                Arguments.of(BASE + "mysql.backend-flavor: mysql8\nmysql.server-version: 8.0.1\n",
                        "mysql.server-version", "not both"),
                Arguments.of(BASE + "auth.mode: ldap\n", "auth.mode", "none or static"),
                Arguments.of(BASE + "auth.method: sha256_password\n", "auth.method", "caching_sha2_password"),
                Arguments.of(BASE + "auth.mode: static\n", "auth.users.<user>", "at least one user"),
                Arguments.of(BASE + "auth.users.app: x\n", "auth.users.app", "only for auth.mode static"),
                Arguments.of(BASE + "cells: [zone2]\n", "cells", "own cell"),
                Arguments.of(BASE + "keyspaces: [a, a]\n", "keyspaces", "twice"),
                Arguments.of(BASE + "keyspaces: [\"bad name\"]\n", "keyspaces", "not a name"),
                Arguments.of(BASE + "gateway.healthcheck-timeout: soon\n", "gateway.healthcheck-timeout", "not a duration"),
                Arguments.of(BASE + "gateway.low-replication-lag: 3h\n", "gateway.high-replication-lag", "below"),
                Arguments.of(BASE + "gateway.healthcheck-retry-min: 10s\ngateway.healthcheck-retry-max: 1s\n",
                        "gateway.healthcheck-retry-max", "below"),
                Arguments.of(BASE + "querylog.slow-threshold: 0s\n", "querylog.slow-threshold", "positive"),
                Arguments.of(BASE + "planner.cache-size: -1\n", "planner.cache-size", "at least 1"),
                Arguments.of(BASE + "status.port:\n", "status.port", "no value"),
                Arguments.of(BASE + "topo.config.nosuch: 1\n", "topo.config.nosuch", ""),
                Arguments.of(BASE.replace("type: memory", "type: nosuch"), "topo.type", "nosuch"),
                Arguments.of(BASE.replace("cell: zone1\n", ""), "cell", "required"));
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void badKeysAreNamedWithTheReason(String yaml, String key, String reason) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
        assertTrue(e.problems().stream().anyMatch(p -> p.key().equals(key) && p.reason().contains(reason)),
                "expected a problem naming " + key + " (" + reason + "), got " + e.problems());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(BASE + "mysql.port: -1\nstatus.port: x\nnosuch: 1\n"));
        assertEquals(List.of("mysql.port", "nosuch", "status.port"),
                e.problems().stream().map(ConfigException.Problem::key).sorted().toList());
    }

    @Test
    void notYamlOrNotAMappingIsRejected() {
        assertThrows(MosaicException.class, () -> parse("topo: [unclosed"));
        assertThrows(MosaicException.class, () -> parse("- a list\n"));
    }
}
