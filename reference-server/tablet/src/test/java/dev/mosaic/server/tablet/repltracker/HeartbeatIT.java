package dev.mosaic.server.tablet.repltracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.health.HealthState;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.sidecar.Sidecar;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Heartbeat lag on a real MariaDB primary/replica pair: near zero while replicating, growing while
 * replication is stopped (which Seconds_Behind_Master cannot show: it is NULL then), back near zero
 * once it runs again; and the health checker reports that lag.
 */
class HeartbeatIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration INTERVAL = Duration.ofMillis(200);

    private static MysqldCluster cluster;
    private static Mysqld primary;
    private static Mysqld replica;
    private static Heartbeat writer;
    private static Heartbeat reader;
    private static TabletHealth health;
    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(2);
        primary = cluster.get(0);
        replica = cluster.get(1);
        primary.replication().makePrimary();
        replica.replication().setReplicationSource(new ReplicationSource("127.0.0.1",
                primary.connectionParams().port(), "root", "", Duration.ofSeconds(1), Duration.ofMillis(500)), false);
        Sidecar.ensure(primary, "_vt", TabletType.PRIMARY);
        writer = Heartbeat.start(primary, "_vt", TabletAlias.parse("zone1-100"), "commerce", "0", TabletType.PRIMARY,
                new Heartbeat.Settings(INTERVAL), registry);
        reader = Heartbeat.start(replica, "_vt", TabletAlias.parse("zone1-101"), "commerce", "0", TabletType.REPLICA,
                new Heartbeat.Settings(INTERVAL), new SimpleMeterRegistry());
        health = new TabletHealth(TabletAlias.parse("zone1-101"), "commerce", "0", TabletType.REPLICA,
                reader.replicationProbe(replica.replication()::replicationStatus),
                TabletHealth.Settings.defaults().withInterval(Duration.ofMillis(100))).start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {health, reader, writer, cluster}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    private static long lagMillis() {
        return reader.status().lag().map(Duration::toMillis).orElse(-1L);
    }

    @Test
    void lagGrowsWhileReplicationIsStoppedAndRecovers() {
        TabletTestSupport.await("a first small heartbeat lag", WAIT, () -> lagMillis() >= 0 && lagMillis() < 1500);
        TabletTestSupport.await("the replica serving with a heartbeat lag under 1 s", WAIT,
                () -> health.current().serving() && health.current().replicationLagSeconds() == 0);
        Map<String, String> row = primary.fetch("SELECT keyspaceShard AS k, tabletUid AS u FROM _vt.heartbeat").get(0);
        assertEquals("commerce:0", row.get("k"));
        assertEquals("100", row.get("u"));
        assertTrue(registry.get("mosaic.tablet.heartbeat.writes").counter().count() > 0);
        assertEquals(0.0, registry.get("mosaic.tablet.heartbeat.write_errors").counter().count());

        replica.replication().stopReplication();
        try {
            TabletTestSupport.await("the heartbeat lag to pass 3 s", WAIT, () -> lagMillis() > 3000);
            long first = lagMillis();
            TabletTestSupport.await("the lag to keep growing", WAIT, () -> lagMillis() > first + 500);
            TabletTestSupport.await("health to report the growing lag", WAIT,
                    () -> health.current().replicationLagSeconds() >= 3);
            HealthState down = health.current();
            assertFalse(down.serving(), "a replica whose replication is stopped does not serve");
            assertTrue(down.healthError().contains("replication is not running"), down.healthError());
        } finally {
            replica.replication().startReplication();
        }
        TabletTestSupport.await("the lag back under 1 s", WAIT, () -> lagMillis() >= 0 && lagMillis() < 1000);
        TabletTestSupport.await("the replica serving again with lag 0", WAIT,
                () -> health.current().serving() && health.current().replicationLagSeconds() == 0);
    }

    @Test
    void aTabletThatStopsBeingPrimaryStopsWriting() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        // A second "shard" row on the same primary, so the shared writer's row is left alone.
        try (Heartbeat h = Heartbeat.start(primary, "_vt", TabletAlias.parse("zone1-200"), "other", "0",
                TabletType.PRIMARY, new Heartbeat.Settings(INTERVAL), r)) {
            TabletTestSupport.await("a write", WAIT, () -> r.get("mosaic.tablet.heartbeat.writes").counter().count() > 0);
            h.setType(TabletType.RDONLY);
            assertFalse(h.isWriting());
            // Now it reads its own row, which nobody refreshes any more: the lag grows.
            TabletTestSupport.await("the unrefreshed row to age past 1 s", WAIT,
                    () -> h.status().lag().map(d -> d.toMillis() > 1000).orElse(false));
            h.setType(TabletType.PRIMARY);
            assertTrue(h.isWriting());
        }
    }
}
