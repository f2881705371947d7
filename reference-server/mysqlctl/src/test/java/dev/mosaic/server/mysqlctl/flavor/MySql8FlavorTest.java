package dev.mosaic.server.mysqlctl.flavor;

import static dev.mosaic.server.mysqlctl.flavor.MariaDbFlavorTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.replication.MySqlGtidSet;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus.ThreadState;
import dev.mosaic.server.mysqlctl.replication.SemiSyncStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** SQL generation and parsing only: no MySQL 8 server is available where Mosaic is built. */
class MySql8FlavorTest {
    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private final Flavor flavor = Flavor.forVersion("8.0.36");

    @Test
    void replicationSourceUsesAutoPosition() {
        assertEquals(List.of("CHANGE REPLICATION SOURCE TO\n"
                        + "  SOURCE_HOST = 'db-1',\n"
                        + "  SOURCE_PORT = 3306,\n"
                        + "  SOURCE_USER = 'repl',\n"
                        + "  SOURCE_PASSWORD = 'pw',\n"
                        + "  SOURCE_CONNECT_RETRY = 10,\n"
                        + "  GET_SOURCE_PUBLIC_KEY = 1,\n"
                        + "  SOURCE_AUTO_POSITION = 1"),
                flavor.setReplicationSourceCommands(ReplicationSource.of("db-1", 3306, "repl", "pw")));
    }

    @Test
    void statements() {
        assertEquals("SELECT @@GLOBAL.gtid_executed", flavor.primaryPositionQuery());
        assertEquals("SHOW REPLICA STATUS", flavor.replicationStatusQuery());
        assertEquals(List.of("START REPLICA"), flavor.startReplicationCommands());
        assertEquals(List.of("STOP REPLICA"), flavor.stopReplicationCommands());
        assertEquals(List.of("STOP REPLICA IO_THREAD", "START REPLICA IO_THREAD"), flavor.restartReplicationIoCommands());
        assertEquals(List.of("STOP REPLICA", "RESET REPLICA ALL"), flavor.resetReplicationCommands());
        assertEquals(List.of("SET GLOBAL super_read_only = ON"), flavor.setReadOnlyCommands(true));
        assertEquals(List.of("SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF"), flavor.setReadOnlyCommands(false));
        assertEquals(List.of("SET GLOBAL rpl_semi_sync_source_enabled = OFF", "SET GLOBAL rpl_semi_sync_replica_enabled = ON"),
                flavor.setSemiSyncCommands(false, true));
        assertEquals(List.of("SET GLOBAL rpl_semi_sync_source_timeout = 2000"), flavor.setSemiSyncTimeoutCommands(Duration.ofSeconds(2)));
        // whole seconds, rounded up, never 0
        assertEquals("SELECT WAIT_FOR_EXECUTED_GTID_SET('" + UUID + ":1-5', 1)",
                flavor.waitForPositionQuery(MySqlGtidSet.parse(UUID + ":1-5"), Duration.ofMillis(200)));
        assertEquals("SELECT WAIT_FOR_EXECUTED_GTID_SET('" + UUID + ":1-5', 3)",
                flavor.waitForPositionQuery(MySqlGtidSet.parse(UUID + ":1-5"), Duration.ofMillis(2001)));
        assertTrue(flavor.waitForPositionReached("0"));
        assertFalse(flavor.waitForPositionReached("1"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"8.0.36, RESET MASTER", "8.3.0, RESET MASTER", "8.4.2, RESET BINARY LOGS AND GTIDS", "9.1.0, RESET BINARY LOGS AND GTIDS"})
    void resetBinaryLogsIsRenamedIn84(String version, String reset) {
        assertEquals(List.of("STOP REPLICA", "RESET REPLICA ALL", reset), Flavor.forVersion(version).resetReplicationAndGtidCommands());
    }

    @Test
    void initCommandIsInitializeInsecure() {
        List<String> cmd = flavor.initDatadirCommand(Path.of("/usr/sbin/mysqld"), Path.of("/d/data"), Path.of("/d/tmp"), false);
        assertEquals(List.of("/usr/sbin/mysqld", "--no-defaults", "--initialize-insecure", "--datadir=/d/data",
                "--tmpdir=/d/tmp", "--skip-log-bin"), cmd);
    }

    @Test
    void myCnfLoadsSemiSyncPluginsAndGtidMode() {
        Map<String, String> m = flavor.myCnfOptions();
        assertEquals("ON", m.get("gtid_mode"));
        assertEquals("ON", m.get("enforce_gtid_consistency"));
        assertEquals("semisync_source.so;semisync_replica.so", m.get("plugin-load-add"));
        assertEquals("OFF", m.get("mysqlx"));
    }

    @Test
    void parsesReplicaStatus() {
        Map<String, String> row = row(
                "Channel_Name", "",
                "Source_Host", "10.0.0.1",
                "Source_Port", "3306",
                "Replica_IO_Running", "Yes",
                "Replica_SQL_Running", "No",
                "Seconds_Behind_Source", null,
                "Retrieved_Gtid_Set", UUID + ":1-10",
                "Executed_Gtid_Set", UUID.toUpperCase() + ":1-8,\n8f52c2ac-0b2a-11ef-a1c4-0242ac120002:1-2",
                "Last_IO_Errno", "0",
                "Last_IO_Error", "",
                "Last_SQL_Errno", "1062",
                "Last_SQL_Error", "Duplicate entry");
        ReplicationStatus s = flavor.parseReplicationStatus(List.of(row)).orElseThrow();
        assertEquals(ThreadState.RUNNING, s.ioThread());
        assertEquals(ThreadState.STOPPED, s.sqlThread());
        assertTrue(s.lagSeconds().isEmpty());
        assertEquals(UUID + ":1-8,8f52c2ac-0b2a-11ef-a1c4-0242ac120002:1-2", s.position().toString());
        assertEquals(MySqlGtidSet.parse(UUID + ":1-10"), s.relayLogPosition());
        assertEquals("1062: Duplicate entry", s.lastError().orElseThrow());
    }

    @Test
    void parsesSemiSync() {
        assertEquals(new SemiSyncStatus(false, true, false, true, 0, 10000, 0, 0), flavor.parseSemiSyncStatus(row(
                "rpl_semi_sync_source_enabled", "OFF",
                "rpl_semi_sync_replica_enabled", "ON",
                "rpl_semi_sync_source_timeout", "10000",
                "Rpl_semi_sync_source_status", "OFF",
                "Rpl_semi_sync_replica_status", "ON",
                "Rpl_semi_sync_source_clients", "0")));
    }

    @Test
    void waitsForTheRequestedAckCount() {
        assertEquals(List.of("SET GLOBAL rpl_semi_sync_source_wait_for_replica_count = 2"), flavor.setSemiSyncAckCountCommands(2));
        assertEquals(List.of("SET GLOBAL rpl_semi_sync_source_wait_for_replica_count = 1"), flavor.setSemiSyncAckCountCommands(0));
    }

    @ParameterizedTest
    @CsvSource({"10.11.19-MariaDB-0+deb12u1-log, mariadb", "5.5.5-10.6.12-MariaDB, mariadb",
            "8.0.26, mysql8", "8.0.36-28 Percona Server, mysql8", "8.4.2, mysql8", "9.0.1, mysql8"})
    void forVersion(String version, String name) {
        assertEquals(name, Flavor.forVersion(version).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.7.44", "8.0.25", "PostgreSQL 16"})
    void unsupportedVersions(String version) {
        MosaicException e = assertThrows(MosaicException.class, () -> Flavor.forVersion(version));
        assertEquals(ErrorCode.UNIMPLEMENTED, e.code());
    }

    @Test
    void isTheMySqlFlavor() {
        assertInstanceOf(MySql8Flavor.class, flavor);
        assertInstanceOf(MySqlGtidSet.class, flavor.parseGtidSet(UUID + ":1"));
    }
}
