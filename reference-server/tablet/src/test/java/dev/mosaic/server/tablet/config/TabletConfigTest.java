package dev.mosaic.server.tablet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TabletConfigTest {

    @Test
    void defaultsFollowVitess() {
        TabletConfig c = TabletConfig.defaults();
        assertEquals(16, c.queryPoolSize());
        assertEquals(200, c.streamPoolSize());
        assertEquals(20, c.txPoolSize());
        assertEquals(20, c.maxOpenTransactions());
        assertEquals(Duration.ofSeconds(1), c.txPoolWaitTimeout());
        assertEquals(Duration.ofSeconds(30), c.queryTimeout());
        assertEquals(Duration.ofSeconds(30), c.txTimeout());
        assertEquals(10_000, c.maxResultRows());
        assertEquals(32 * 1024, c.streamBufferSize());
        assertEquals(5000, c.poolWaiterCap());
        assertEquals("", c.dbName());
    }

    @Test
    void fromMapParsesEveryKey() {
        TabletConfig c = TabletConfig.fromMap(Map.ofEntries(
                Map.entry("db.name", "vt_commerce"),
                Map.entry("pool.query.size", "4"),
                Map.entry("pool.query.wait-timeout", "250ms"),
                Map.entry("pool.stream.size", "8"),
                Map.entry("pool.stream.wait-timeout", "2s"),
                Map.entry("pool.tx.size", "6"),
                Map.entry("pool.tx.wait-timeout", "PT0.5S"),
                Map.entry("pool.dba.size", "2"),
                Map.entry("pool.waiter-cap", "1_000"),
                Map.entry("pool.idle-timeout", "5m"),
                Map.entry("pool.connect-timeout", "3s"),
                Map.entry("query.timeout", "0"),
                Map.entry("query.max-result-rows", "500"),
                Map.entry("query.stream-buffer-size", "1024"),
                Map.entry("tx.timeout", "1h"),
                Map.entry("tx.max-open", "5"),
                Map.entry("reserved.idle-timeout", "90s"),
                Map.entry("sidecar.db-name", "_mosaic"),
                Map.entry("schema.reload-interval", "0"),
                Map.entry("heartbeat.enable", "true"),
                Map.entry("heartbeat.interval", "250ms"),
                Map.entry("semi-sync.timeout", "2s")));
        assertEquals(new TabletConfig("vt_commerce", 4, Duration.ofMillis(250), 8, Duration.ofSeconds(2), 6,
                Duration.ofMillis(500), 2, 1000, Duration.ofMinutes(5), Duration.ofSeconds(3), Duration.ZERO, 500, 1024,
                Duration.ofHours(1), 5, Duration.ofSeconds(90), "_mosaic", Duration.ZERO, true, Duration.ofMillis(250),
                5000, Duration.ofSeconds(2), TabletConfig.HotRowOptions.DEFAULT, TabletConfig.TableAclOptions.DEFAULT), c);
    }

    @Test
    void semiSyncTimeoutDefaultsToTenSecondsAndIsBoundedByMariaDb() {
        assertEquals(Duration.ofSeconds(10), TabletConfig.defaults().semiSyncTimeout());
        assertEquals(TabletConfig.MAX_SEMI_SYNC_TIMEOUT,
                TabletConfig.fromMap(Map.of("semi-sync.timeout", "4294967295ms")).semiSyncTimeout());
        MosaicException e = assertThrows(MosaicException.class, () -> TabletConfig.fromMap(Map.of("semi-sync.timeout", "1200h")));
        assertTrue(e.getMessage().contains("semi-sync.timeout"), e.getMessage());
        assertThrows(MosaicException.class, () -> TabletConfig.fromMap(Map.of("semi-sync.timeout", "0")));
    }

    @Test
    void reservedIdleTimeoutDefaultsToTxTimeout() {
        assertEquals(Duration.ofSeconds(7), TabletConfig.fromMap(Map.of("tx.timeout", "7s")).reservedIdleTimeout());
        assertEquals(Duration.ZERO, TabletConfig.fromMap(Map.of("reserved.idle-timeout", "0")).reservedIdleTimeout());
    }

    @Test
    void protectionKeysDefaultToOff() {
        TabletConfig c = TabletConfig.defaults();
        assertEquals(5000, c.planCacheSize());
        assertEquals(TabletConfig.HotRowOptions.DEFAULT, c.hotRow());
        assertEquals(new TabletConfig.HotRowOptions(false, false, 20, 1000, 1), c.hotRow());
        assertEquals(TabletConfig.TableAclOptions.DEFAULT, c.tableAcl());
        assertEquals(false, c.tableAcl().configured());
    }

    @Test
    void fromMapParsesTheProtectionKeys() {
        TabletConfig c = TabletConfig.fromMap(Map.ofEntries(
                Map.entry("query.plan-cache-size", "100"),
                Map.entry("hotrow.enabled", "true"),
                Map.entry("hotrow.dry-run", "TRUE"),
                Map.entry("hotrow.max-queue-size", "5"),
                Map.entry("hotrow.max-global-queue-size", "50"),
                Map.entry("hotrow.concurrent-transactions", "2"),
                Map.entry("acl.file", " /etc/mosaic/acl.json "),
                Map.entry("acl.enforce-config", "true"),
                Map.entry("acl.strict", "true"),
                Map.entry("acl.dry-run", "false"),
                Map.entry("acl.exempt-users", "vt_dba, , ops ")));
        assertEquals(100, c.planCacheSize());
        assertEquals(new TabletConfig.HotRowOptions(true, true, 5, 50, 2), c.hotRow());
        assertEquals(new TabletConfig.TableAclOptions("/etc/mosaic/acl.json", true, true, false, java.util.Set.of("vt_dba", "ops")),
                c.tableAcl());
        assertEquals(c, c.toBuilder().build(), "the builder copies the new keys too");
    }

    static Stream<Arguments> badProtectionValues() {
        return Stream.of(
                Arguments.of(Map.of("query.plan-cache-size", "0"), "query.plan-cache-size", "must be at least 1"),
                Arguments.of(Map.of("hotrow.enabled", "yes"), "hotrow.enabled", "not a boolean"),
                Arguments.of(Map.of("hotrow.max-queue-size", "0"), "hotrow.max-queue-size", "must be at least 1"),
                Arguments.of(Map.of("hotrow.concurrent-transactions", "0"), "hotrow.concurrent-transactions", "must be at least 1"),
                Arguments.of(Map.of("hotrow.max-queue-size", "30", "hotrow.max-global-queue-size", "20"),
                        "hotrow.max-global-queue-size", "must be at least hotrow.max-queue-size (30), got 20"),
                Arguments.of(Map.of("acl.strict", "true"), "acl.strict", "needs acl.file"),
                Arguments.of(Map.of("acl.dry-run", "true"), "acl.dry-run", "needs acl.file"),
                Arguments.of(Map.of("acl.enforce-config", "1"), "acl.enforce-config", "not a boolean"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badProtectionValues")
    void badProtectionValueNamesTheKey(Map<String, String> values, String key, String why) {
        MosaicException e = assertThrows(MosaicException.class, () -> TabletConfig.fromMap(values));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("tablet config " + key + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void maxOpenDefaultsToTxPoolSize() {
        assertEquals(7, TabletConfig.fromMap(Map.of("pool.tx.size", "7")).maxOpenTransactions());
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("pool.query.size", "0", "must be at least 1"),
                Arguments.of("pool.query.size", "many", "not an integer"),
                Arguments.of("pool.stream.size", "-1", "must be at least 1"),
                Arguments.of("pool.tx.size", "0", "must be at least 1"),
                Arguments.of("pool.dba.size", "0", "must be at least 1"),
                Arguments.of("pool.waiter-cap", "0", "must be at least 1"),
                Arguments.of("pool.query.wait-timeout", "-1s", "must not be negative"),
                Arguments.of("pool.query.wait-timeout", "soon", "not a duration"),
                Arguments.of("pool.tx.wait-timeout", "10x", "not a duration"),
                Arguments.of("pool.idle-timeout", "0", "must be positive"),
                Arguments.of("reserved.idle-timeout", "-5s", "must not be negative"),
                Arguments.of("reserved.idle-timeout", "later", "not a duration"),
                Arguments.of("pool.connect-timeout", "0", "must be positive"),
                Arguments.of("query.timeout", "-5ms", "must not be negative"),
                Arguments.of("query.max-result-rows", "0", "must be at least 1"),
                Arguments.of("query.stream-buffer-size", "0", "must be at least 1"),
                Arguments.of("tx.timeout", "-1s", "must not be negative"),
                Arguments.of("sidecar.db-name", "_vt-x", "not a sidecar database name"),
                Arguments.of("sidecar.db-name", "", "not a sidecar database name"),
                Arguments.of("schema.reload-interval", "-1m", "must not be negative"),
                Arguments.of("heartbeat.enable", "yes", "not a boolean"),
                Arguments.of("heartbeat.interval", "0", "must be positive"),
                Arguments.of("tx.max-open", "21", "must not exceed pool.tx.size"),
                Arguments.of("tx.max-open", "0", "must be at least 1"),
                Arguments.of("db.name", "a; drop", "not a plain database name"),
                Arguments.of("pool.querry.size", "4", "unknown key"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void badValueNamesTheKey(String key, String value, String why) {
        MosaicException e = assertThrows(MosaicException.class, () -> TabletConfig.fromMap(Map.of(key, value)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("tablet config " + key + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void sidecarMustNotBeTheTabletDatabase() {
        MosaicException e = assertThrows(MosaicException.class, () -> TabletConfig.fromMap(Map.of("db.name", "_vt")));
        assertTrue(e.getMessage().startsWith("tablet config sidecar.db-name: must differ from db.name"), e.getMessage());
        assertEquals("_vt", TabletConfig.defaults().sidecarDbName());
        assertEquals(Duration.ofMinutes(30), TabletConfig.defaults().schemaReloadInterval());
        assertEquals(Duration.ofSeconds(1), TabletConfig.defaults().heartbeatInterval());
    }

    @Test
    void builderValidatesToo() {
        MosaicException e = assertThrows(MosaicException.class,
                () -> TabletConfig.defaults().toBuilder().queryTimeout(Duration.ofSeconds(-1)).build());
        assertTrue(e.getMessage().contains("query.timeout"), e.getMessage());
    }
}
