package dev.mosaic.server.tablet.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sidecar on a real MariaDB primary and replica: created on the primary only, received by the
 * replica through replication, and a second start (a tablet restart) applies and writes nothing.
 */
class SidecarIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static MysqldCluster cluster;
    private static Mysqld primary;
    private static Mysqld replica;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(2);
        primary = cluster.get(0);
        replica = cluster.get(1);
        primary.replication().makePrimary();
        replica.replication().setReplicationSource(new ReplicationSource("127.0.0.1",
                primary.connectionParams().port(), "root", "", Duration.ofSeconds(1), Duration.ofMillis(500)), false);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<String> tables(Mysqld m, String db) {
        return m.fetch("SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + db
                + "' ORDER BY TABLE_NAME").stream().map(r -> r.get("n")).toList();
    }

    private static boolean hasDatabase(Mysqld m, String db) {
        return !m.fetch("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + db + "'").isEmpty();
    }

    private static void caughtUp() {
        replica.replication().waitForPosition(primary.replication().primaryPosition(), WAIT);
    }

    @Test
    void createdOnPrimaryReplicatedAndIdempotent() {
        // A replica only looks, even before its primary made the sidecar.
        SidecarStatus onReplica = Sidecar.ensure(replica, "_vt", TabletType.REPLICA);
        assertFalse(onReplica.exists());
        assertEquals(0, onReplica.version());
        assertFalse(hasDatabase(replica, "_vt"), "a replica must not create the sidecar itself");

        SidecarStatus created = Sidecar.ensure(primary, "_vt", TabletType.PRIMARY);
        assertTrue(created.upToDate());
        assertEquals(List.of(1, 2), created.appliedNow());
        List<String> expected = List.of("dt_participant", "dt_state", "heartbeat", "redo_state", "redo_statement",
                Sidecar.VERSION_TABLE);
        assertEquals(expected, tables(primary, "_vt"));
        List<Map<String, String>> pk = primary.fetch("SELECT COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE "
                + "WHERE TABLE_SCHEMA = '_vt' AND TABLE_NAME = 'heartbeat' AND CONSTRAINT_NAME = 'PRIMARY'");
        assertEquals("keyspaceShard", pk.get(0).get("c"));

        caughtUp();
        assertEquals(expected, tables(replica, "_vt"), "the replica receives the sidecar by replication");
        SidecarStatus replicaNow = Sidecar.ensure(replica, "_vt", TabletType.REPLICA);
        assertTrue(replicaNow.upToDate());
        assertEquals(List.of(), replicaNow.appliedNow());

        // A restart: nothing applied, nothing written to the binlog.
        String before = primary.replication().primaryPosition().encode();
        SidecarStatus again = Sidecar.ensure(primary, "_vt", TabletType.PRIMARY);
        assertTrue(again.upToDate());
        assertEquals(List.of(), again.appliedNow());
        assertEquals(before, primary.replication().primaryPosition().encode());
    }

    @Test
    void aNewVersionAppliesOnlyItself() {
        Sidecar.ensure(primary, "_mosaic", TabletType.PRIMARY);
        List<SidecarMigration> next = new ArrayList<>(Sidecar.migrations());
        int v = Sidecar.latestVersion() + 1;
        next.add(new SidecarMigration(v, "a test table",
                List.of("CREATE TABLE IF NOT EXISTS extra (id BIGINT NOT NULL PRIMARY KEY) ENGINE = InnoDB")));
        SidecarStatus s = Sidecar.ensure(primary, "_mosaic", true, next);
        assertEquals(List.of(v), s.appliedNow());
        assertEquals(v, s.version());
        assertEquals(String.valueOf(v), primary.fetchValue("SELECT MAX(version) FROM _mosaic.sidecar_version").orElseThrow());
        caughtUp();
        assertTrue(tables(replica, "_mosaic").contains("extra"));
        assertEquals(List.of(), Sidecar.ensure(primary, "_mosaic", true, next).appliedNow());
    }
}
