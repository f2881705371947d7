package dev.mosaic.server.tablet.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.MysqldConfig;
import dev.mosaic.server.tablet.server.TabletServerConfig.MysqldMode;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TabletServerConfigLoaderTest {
    private static final TabletServerConfigLoader LOADER =
            new TabletServerConfigLoader(Plugins.load(TabletServerConfigLoaderTest.class.getClassLoader()));

    /** A valid config: managed mysqld, memory topology. Cases replace or add lines. */
    private static final String BASE = """
            tablet:
              alias: zone1-0000000100
              keyspace: commerce
              shard: "0"
            mysqld:
              mode: managed
              root: /tmp/vtdataroot
            topo:
              type: memory
              config:
                cluster: it
            """;

    /** A file backup storage section. */
    private static final String BACKUP = "backup:\n  storage:\n    root: /var/backups/mosaic\n";

    /** BASE with an attached mysqld. */
    private static final String ATTACHED_BASE = BASE.replace("  mode: managed\n  root: /tmp/vtdataroot\n",
            "  mode: attached\n");

    @Test
    void noBackupKeysMeansNoBackupStorage() {
        TabletServerConfig.BackupSettings b = parse(BASE).backup();
        assertEquals(java.util.Optional.empty(), b.storage());
        assertEquals("builtin", b.engine());
        assertEquals(4, b.concurrency());
        assertEquals(false, b.restoreFromBackup());
        assertEquals(java.util.Optional.empty(), b.restoreFromBackupTs());
    }

    @Test
    void backupKeysReachTheBackupSettings() {
        TabletServerConfig.BackupSettings b = parse(BASE + BACKUP + "backup.engine: logical\nbackup.concurrency: 8\n"
                + "restore-from-backup: true\nrestore-from-backup-ts: 2026-11-22.150547\n").backup();
        var storage = b.storage().orElseThrow();
        assertEquals("file", storage.type(), "file is the default storage type");
        assertEquals(Map.of("root", "/var/backups/mosaic"), storage.pluginConfig());
        assertEquals("logical", b.engine());
        assertEquals(8, b.concurrency());
        assertTrue(b.restoreFromBackup());
        assertEquals(java.time.Instant.parse("2026-11-22T15:05:47Z"), b.restoreFromBackupTs().orElseThrow());
    }

    private static TabletServerConfig parse(String yaml) {
        return LOADER.parse(yaml, "test.yaml");
    }

    @Test
    void defaultsFollowVitessLocalExample() {
        TabletServerConfig c = parse(BASE);
        assertEquals(new TabletAlias("zone1", 100), c.tablet().alias());
        assertEquals("commerce", c.tablet().keyspace());
        assertEquals("0", c.tablet().shard());
        assertEquals(TabletType.REPLICA, c.tablet().initType());
        assertEquals(16100, c.grpc().port());
        assertEquals(15100, c.status().port());
        assertEquals(17100, c.mysqld().port());
        assertEquals(MysqldMode.MANAGED, c.mysqld().mode());
        assertEquals(Path.of("/tmp/vtdataroot"), c.mysqld().root());
        assertEquals(MysqldConfig.FlavorChoice.AUTO, c.mysqld().flavor());
        assertEquals("root", c.mysqld().user());
        assertEquals("vt_commerce", c.query().dbName());
        assertEquals(16, c.query().queryPoolSize());
        assertEquals(Map.of("cluster", "it"), c.topo().pluginConfig());
        assertTrue(c.consolidator().enabled());
        assertEquals(Duration.ofHours(2), c.health().unhealthyThreshold());
    }

    @Test
    void throttlerKeysHaveDefaultsAndAreChecked() {
        assertEquals(dev.mosaic.server.tablet.throttle.ThrottlerSettings.defaults(), parse(BASE).throttler());
        TabletServerConfig c = parse(BASE + "throttler: {poll-interval: 250ms, config-refresh: 2s, staleness: 1s,"
                + " read-timeout: 500ms, rpc-timeout: 300ms}\n");
        assertEquals(new dev.mosaic.server.tablet.throttle.ThrottlerSettings(Duration.ofMillis(250), Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofMillis(300)), c.throttler());
        ConfigException stale = assertThrows(ConfigException.class, () -> parse(BASE
                + "throttler: {poll-interval: 1s, staleness: 1500ms}\n"));
        assertTrue(stale.getMessage().contains("throttler.staleness") && stale.getMessage().contains("twice"), stale.getMessage());
        ConfigException bad = assertThrows(ConfigException.class, () -> parse(BASE + "throttler: {poll-interval: soon}\n"));
        assertTrue(bad.getMessage().contains("throttler.poll-interval"), bad.getMessage());
    }

    @Test
    void nestedAndDottedKeysAreTheSame() {
        TabletServerConfig nested = parse(BASE + "query:\n  pool:\n    query:\n      size: 8\n    tx:\n      size: 5\n");
        TabletServerConfig dotted = parse(BASE + "query:\n  pool.query.size: 8\n  pool.tx.size: 5\n");
        assertEquals(8, nested.query().queryPoolSize());
        assertEquals(nested.query(), dotted.query());
        assertEquals(5, dotted.query().maxOpenTransactions());
    }

    @Test
    void sidecarSchemaAndHeartbeatKeysReachTheQueryConfig() {
        TabletServerConfig d = parse(BASE);
        assertEquals("_vt", d.query().sidecarDbName());
        assertEquals(Duration.ofMinutes(30), d.query().schemaReloadInterval());
        assertEquals(false, d.query().heartbeatEnable());
        assertEquals(Duration.ofSeconds(1), d.query().heartbeatInterval());
        TabletServerConfig c = parse(BASE + """
                query:
                  sidecar.db-name: _mosaic
                  schema:
                    reload-interval: 5m
                  heartbeat: {enable: true, interval: 250ms}
                """);
        assertEquals("_mosaic", c.query().sidecarDbName());
        assertEquals(Duration.ofMinutes(5), c.query().schemaReloadInterval());
        assertTrue(c.query().heartbeatEnable());
        assertEquals(Duration.ofMillis(250), c.query().heartbeatInterval());
        ConfigException e = assertThrows(ConfigException.class, () -> parse(BASE + """
                query: {sidecar.db-name: "bad-name", heartbeat.interval: 0}
                """));
        assertTrue(e.getMessage().contains("query.sidecar.db-name"), e.getMessage());
    }

    @Test
    void attachedModeAndExplicitValues() {
        TabletServerConfig c = parse("""
                tablet: {cell: zone2, uid: 7, keyspace: ks, shard: "-80", type: rdonly, hostname: h1}
                ports: {grpc: 1234, status: 0, mysql: 3306}
                mysqld: {mode: attached, host: db1, user: vt_dba, password: secret, start-timeout: 5s}
                topo: {type: memory}
                query: {db.name: other, query.timeout: 500ms}
                consolidator: {enabled: false}
                health: {interval: 250ms}
                """);
        assertEquals(new TabletAlias("zone2", 7), c.tablet().alias());
        assertEquals(TabletType.RDONLY, c.tablet().initType());
        assertEquals("h1", c.tablet().hostname());
        assertEquals(1234, c.grpc().port());
        assertEquals(0, c.status().port());
        assertEquals("db1", c.mysqld().host());
        assertEquals(3306, c.mysqld().port());
        assertEquals("secret", c.mysqld().password());
        assertTrue(!c.mysqld().toString().contains("secret"), c.mysqld().toString());
        assertEquals(Duration.ofSeconds(5), c.mysqld().startTimeout());
        assertEquals("other", c.query().dbName());
        assertEquals(Duration.ofMillis(500), c.query().queryTimeout());
        assertTrue(!c.consolidator().enabled());
        assertEquals(Duration.ofMillis(250), c.health().interval());
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("unknown top-level key", BASE + "tabletz:\n  x: 1\n", "tabletz.x", "unknown key"),
                Arguments.of("unknown key in a section", BASE + "ports:\n  grcp: 1\n", "ports.grcp", "unknown key"),
                Arguments.of("missing alias", BASE.replace("  alias: zone1-0000000100\n", ""), "tablet.alias",
                        "required key is missing"),
                Arguments.of("bad alias", BASE.replace("zone1-0000000100", "zone1"), "tablet.alias", "cell-uid"),
                Arguments.of("alias and cell both", BASE + "tablet.cell: zone1\n", "tablet.alias", "not both"),
                Arguments.of("missing keyspace", BASE.replace("  keyspace: commerce\n", ""), "tablet.keyspace",
                        "required key is missing"),
                Arguments.of("bad shard", BASE.replace("shard: \"0\"", "shard: \"zz-\""), "tablet.shard", "zz"),
                Arguments.of("primary init type", BASE + "tablet.type: primary\n", "tablet.type",
                        "must be replica, rdonly or spare"),
                Arguments.of("bad port", BASE + "ports:\n  grpc: 70000\n", "ports.grpc", "not a port"),
                Arguments.of("port not a number", BASE + "ports:\n  status: web\n", "ports.status", "not a number"),
                Arguments.of("missing mysqld mode", BASE.replace("  mode: managed\n", ""), "mysqld.mode",
                        "required key is missing"),
                Arguments.of("bad mysqld mode", BASE.replace("mode: managed", "mode: borrowed"), "mysqld.mode",
                        "'managed' or 'attached'"),
                Arguments.of("managed without root", BASE.replace("  root: /tmp/vtdataroot\n", ""), "mysqld.root",
                        "required key is missing"),
                Arguments.of("host with managed", BASE + "mysqld.host: db1\n", "mysqld.host", "only for mysqld.mode 'attached'"),
                Arguments.of("bad flavor", BASE + "mysqld.flavor: oracle\n", "mysqld.flavor", "auto, mariadb or mysql8"),
                Arguments.of("bad duration", BASE + "mysqld.start-timeout: soon\n", "mysqld.start-timeout",
                        "not a duration"),
                Arguments.of("missing topo type", BASE.replace("  type: memory\n", ""), "topo.type",
                        "required key is missing"),
                Arguments.of("unknown topo plugin", BASE.replace("type: memory", "type: floppy"), "topo.type",
                        "unknown topo type 'floppy'"),
                Arguments.of("unknown topo plugin key", BASE + "topo.config.clutser: x\n", "topo.config.clutser",
                        "unknown key"),
                Arguments.of("missing topo plugin key", BASE.replace("type: memory", "type: etcd")
                        .replace("    cluster: it\n", "    root: /x\n"), "topo.config.endpoints", "required key is missing"),
                Arguments.of("bad query duration", BASE + "query:\n  query.timeout: 5 seconds\n", "query.query.timeout",
                        "not a duration"),
                Arguments.of("unknown query key", BASE + "query:\n  pool.size: 3\n", "query.pool.size", "unknown key"),
                Arguments.of("query cross-key rule", BASE + "query:\n  pool.tx.size: 2\n  tx.max-open: 3\n",
                        "query.tx.max-open", "must not exceed pool.tx.size"),
                Arguments.of("bad boolean", BASE + "consolidator.enabled: maybe\n", "consolidator.enabled",
                        "true or false"),
                Arguments.of("negative cap", BASE + "consolidator.waiter-cap: -1\n", "consolidator.waiter-cap",
                        "must not be negative"),
                Arguments.of("empty value", BASE + "tablet.hostname:\n", "tablet.hostname", "has no value"),
                Arguments.of("unknown backup storage", BASE + "backup.storage.type: tape\n", "backup.storage.type",
                        "unknown backup_storage type 'tape'"),
                Arguments.of("file storage without root", BASE + "backup.storage.type: file\n", "backup.storage.root",
                        "required key is missing"),
                Arguments.of("unknown storage key", BASE + BACKUP + "backup.storage.rot: /x\n", "backup.storage.rot",
                        "unknown key"),
                Arguments.of("unknown backup engine", BASE + BACKUP + "backup.engine: tar\n", "backup.engine",
                        "unknown backup engine 'tar'; known engines: builtin, logical"),
                Arguments.of("zero concurrency", BASE + BACKUP + "backup.concurrency: 0\n", "backup.concurrency",
                        "at least 1"),
                Arguments.of("restore without storage", BASE + "restore-from-backup: true\n", "restore-from-backup",
                        "needs a backup storage"),
                Arguments.of("restore not a boolean", BASE + BACKUP + "restore-from-backup: yes please\n",
                        "restore-from-backup", "true or false"),
                Arguments.of("restore with attached mysqld", ATTACHED_BASE + BACKUP + "restore-from-backup: true\n",
                        "restore-from-backup", "only for mysqld.mode 'managed'"),
                Arguments.of("bad restore time", BASE + BACKUP + "restore-from-backup: true\n"
                        + "restore-from-backup-ts: 2026-11-22T15:05\n", "restore-from-backup-ts", "2006-01-02.150405"),
                Arguments.of("restore time without restore", BASE + BACKUP
                        + "restore-from-backup-ts: 2026-11-22.150547\n", "restore-from-backup-ts",
                        "only with restore-from-backup"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigNamesTheKey(String name, String yaml, String key, String reason) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
        assertTrue(e.problems().stream().anyMatch(p -> p.key().equals(key) && p.reason().contains(reason)),
                "expected " + key + ": ..." + reason + "... in " + e.problems());
        assertTrue(e.getMessage().contains("test.yaml"), e.getMessage());
    }

    @Test
    void everyProblemIsReportedTogether() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("""
                tablet: {alias: zone1-1, keyspace: ks, shard: "0", colour: blue}
                ports: {grpc: -1}
                mysqld: {mode: attached, start-timeout: never}
                topo: {type: memory}
                query: {pool.query.size: 0, tx.timeout: x}
                """));
        List<String> keys = e.problems().stream().map(ConfigException.Problem::key).toList();
        assertTrue(keys.containsAll(List.of("tablet.colour", "ports.grpc", "mysqld.start-timeout",
                "query.pool.query.size", "query.tx.timeout")), keys.toString());
    }

    @Test
    void notYamlOrNotAMappingIsRejected() {
        MosaicException notYaml = assertThrows(MosaicException.class, () -> parse("tablet: [unclosed"));
        assertTrue(notYaml.getMessage().contains("not valid YAML"), notYaml.getMessage());
        MosaicException list = assertThrows(MosaicException.class, () -> parse("- a\n- b\n"));
        assertTrue(list.getMessage().contains("must be a YAML mapping"), list.getMessage());
        ConfigException dup = assertThrows(ConfigException.class,
                () -> parse(BASE + "query:\n  pool:\n    query.size: 3\n  pool.query:\n    size: 4\n"));
        assertTrue(dup.getMessage().contains("query.pool.query.size"), dup.getMessage());
    }

    @Test
    void largeUidsNeedExplicitPorts() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(BASE.replace("zone1-0000000100", "zone1-0000100000")));
        assertTrue(e.problems().stream().anyMatch(p -> p.key().equals("ports.grpc") && p.reason().contains("set ports.grpc")),
                e.problems().toString());
    }
}
