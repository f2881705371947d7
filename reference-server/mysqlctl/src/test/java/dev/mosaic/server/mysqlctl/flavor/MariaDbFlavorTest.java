package dev.mosaic.server.mysqlctl.flavor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.replication.MariaDbGtidSet;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus.ThreadState;
import dev.mosaic.server.mysqlctl.replication.SemiSyncStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MariaDbFlavorTest {
    private final MariaDbFlavor flavor = new MariaDbFlavor("10.11.19-MariaDB");

    @Test
    void replicationSourceUsesSlavePosAndQuotes() {
        ReplicationSource src = new ReplicationSource("db-1", 3306, "repl", "it's\\secret",
                Duration.ofSeconds(2), Duration.ofMillis(500));
        assertEquals(List.of(
                "SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_current_pos",
                "CHANGE MASTER TO\n"
                        + "  MASTER_HOST = 'db-1',\n"
                        + "  MASTER_PORT = 3306,\n"
                        + "  MASTER_USER = 'repl',\n"
                        + "  MASTER_PASSWORD = 'it''s\\\\secret',\n"
                        + "  MASTER_CONNECT_RETRY = 2,\n"
                        + "  MASTER_HEARTBEAT_PERIOD = 0.500,\n"
                        + "  MASTER_USE_GTID = slave_pos"),
                flavor.setReplicationSourceCommands(src));
    }

    @Test
    void statements() {
        assertEquals("SELECT @@GLOBAL.gtid_binlog_pos", flavor.primaryPositionQuery());
        assertEquals(List.of("START SLAVE"), flavor.startReplicationCommands());
        assertEquals(List.of("STOP SLAVE"), flavor.stopReplicationCommands());
        assertEquals(List.of("STOP SLAVE", "RESET SLAVE ALL"), flavor.resetReplicationCommands());
        assertEquals(List.of("STOP SLAVE", "RESET SLAVE ALL", "RESET MASTER", "SET GLOBAL gtid_slave_pos = ''"),
                flavor.resetReplicationAndGtidCommands());
        // no super_read_only on MariaDB
        assertEquals(List.of("SET GLOBAL read_only = ON"), flavor.setReadOnlyCommands(true));
        assertEquals(List.of("SET GLOBAL read_only = OFF"), flavor.setReadOnlyCommands(false));
        assertEquals(List.of("SET GLOBAL rpl_semi_sync_master_enabled = ON", "SET GLOBAL rpl_semi_sync_slave_enabled = OFF"),
                flavor.setSemiSyncCommands(true, false));
        assertEquals(List.of("SET GLOBAL rpl_semi_sync_master_timeout = 1500"), flavor.setSemiSyncTimeoutCommands(Duration.ofMillis(1500)));
        assertEquals("SELECT MASTER_GTID_WAIT('0-1-5,1-2-3', 2.500)",
                flavor.waitForPositionQuery(MariaDbGtidSet.parse("1-2-3,0-1-5"), Duration.ofMillis(2500)));
        assertTrue(flavor.waitForPositionReached("0"));
        assertFalse(flavor.waitForPositionReached("-1"));
        assertFalse(flavor.waitForPositionReached(null));
    }

    @Test
    void initCommandReadsNoOptionFileAndUsesItsOwnTmpdir() {
        List<String> cmd = flavor.initDatadirCommand(Path.of("/usr/bin/mariadb-install-db"), Path.of("/d/data"), Path.of("/d/tmp"), true);
        assertEquals("--no-defaults", cmd.get(1));
        assertTrue(cmd.contains("--tmpdir=/d/tmp"));
        assertTrue(cmd.contains("--datadir=/d/data"));
        assertTrue(cmd.contains("--auth-root-authentication-method=normal"));
        assertTrue(cmd.contains("--user=root"));
        assertFalse(flavor.initDatadirCommand(Path.of("x"), Path.of("d"), Path.of("t"), false).contains("--user=root"));
    }

    @Test
    void parsesReplicaStatusOfTheDefaultConnection() {
        Map<String, String> named = row("Connection_name", "other", "Master_Host", "elsewhere", "Slave_IO_Running", "Yes");
        Map<String, String> row = row(
                "Connection_name", "",
                "Master_Host", "127.0.0.1",
                "Master_Port", "17001",
                "Slave_IO_Running", "Yes",
                "Slave_SQL_Running", "Yes",
                "Seconds_Behind_Master", "3",
                "Gtid_IO_Pos", "0-1-12",
                "Gtid_Slave_Pos", "0-1-10",
                "Last_IO_Errno", "0",
                "Last_IO_Error", "",
                "Last_SQL_Errno", "0",
                "Last_SQL_Error", "");
        ReplicationStatus s = flavor.parseReplicationStatus(List.of(named, row)).orElseThrow();
        assertEquals(ThreadState.RUNNING, s.ioThread());
        assertTrue(s.isRunning());
        assertEquals(3, s.lagSeconds().getAsLong());
        assertEquals(MariaDbGtidSet.parse("0-1-10"), s.position());
        assertEquals(MariaDbGtidSet.parse("0-1-12"), s.relayLogPosition());
        assertEquals("127.0.0.1", s.sourceHost());
        assertEquals(17001, s.sourcePort());
        assertEquals(Optional.empty(), s.lastError());
    }

    @Test
    void parsesABrokenReplica() {
        Map<String, String> row = row(
                "Connection_name", "",
                "Master_Host", "127.0.0.1",
                "Master_Port", "17001",
                "Slave_IO_Running", "Connecting",
                "Slave_SQL_Running", "No",
                "Seconds_Behind_Master", null,
                "Gtid_IO_Pos", "",
                "Gtid_Slave_Pos", "",
                "Last_IO_Errno", "2003",
                "Last_IO_Error", "error connecting to master",
                "Last_SQL_Errno", "0",
                "Last_SQL_Error", "");
        ReplicationStatus s = flavor.parseReplicationStatus(List.of(row)).orElseThrow();
        assertEquals(ThreadState.CONNECTING, s.ioThread());
        assertEquals(ThreadState.STOPPED, s.sqlThread());
        assertTrue(s.lagSeconds().isEmpty());
        assertEquals(Optional.of("2003: error connecting to master"), s.lastError());
    }

    @Test
    void notAReplica() {
        assertEquals(Optional.empty(), flavor.parseReplicationStatus(List.of()));
        // after RESET SLAVE (without ALL) the row stays, with no host
        assertEquals(Optional.empty(), flavor.parseReplicationStatus(List.of(row("Connection_name", "", "Master_Host", ""))));
    }

    @Test
    void parsesSemiSync() {
        SemiSyncStatus s = flavor.parseSemiSyncStatus(row(
                "rpl_semi_sync_master_enabled", "ON",
                "rpl_semi_sync_slave_enabled", "OFF",
                "rpl_semi_sync_master_timeout", "2000",
                "Rpl_semi_sync_master_status", "ON",
                "Rpl_semi_sync_slave_status", "OFF",
                "Rpl_semi_sync_master_clients", "2",
                "Rpl_semi_sync_master_yes_tx", "7",
                "Rpl_semi_sync_master_no_tx", "3"));
        assertEquals(new SemiSyncStatus(true, false, true, false, 2, 2000, 7, 3), s);
    }

    @Test
    void waitsForOneAckAndRefusesMore() {
        assertEquals(List.of(), flavor.setSemiSyncAckCountCommands(0));
        assertEquals(List.of(), flavor.setSemiSyncAckCountCommands(1));
        MosaicException e = assertThrows(MosaicException.class, () -> flavor.setSemiSyncAckCountCommands(2));
        assertEquals(ErrorCode.UNIMPLEMENTED, e.code());
        assertTrue(e.getMessage().contains("MariaDB waits for exactly one"), e.getMessage());
    }

    @Test
    void myCnfHasStrictGtidAndNoAutoStart() {
        Map<String, String> m = flavor.myCnfOptions();
        assertEquals("ON", m.get("gtid_strict_mode"));
        assertEquals("ON", m.get("log_slave_updates"));
        assertEquals("", m.get("skip_slave_start"));
    }

    static Map<String, String> row(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
