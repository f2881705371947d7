package dev.mosaic.server.tablet.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.replication.MariaDbGtidSet;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus.ThreadState;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Health rules and subscriptions, with a fake replication probe and checks run by hand. */
class TabletHealthTest {
    private static final Duration LONG = Duration.ofHours(1);

    private static ReplicationStatus status(ThreadState io, ThreadState sql, OptionalLong lag, String sqlError) {
        return new ReplicationStatus(io, sql, lag, MariaDbGtidSet.parse(""), MariaDbGtidSet.parse(""), "127.0.0.1",
                3306, 0, "", sqlError.isEmpty() ? 0 : 1062, sqlError);
    }

    private static TabletHealth health(TabletType type, AtomicReference<Optional<ReplicationStatus>> probe) {
        // interval/heartbeat long and not started: check() is driven by the test
        return new TabletHealth(TabletAlias.parse("zone1-7"), "ks", "-80", type, probe::get,
                new TabletHealth.Settings(LONG, LONG, Duration.ofSeconds(30)));
    }

    @Test
    void replicaRules() {
        AtomicReference<Optional<ReplicationStatus>> probe = new AtomicReference<>(
                Optional.of(status(ThreadState.RUNNING, ThreadState.RUNNING, OptionalLong.of(3), "")));
        try (TabletHealth h = health(TabletType.REPLICA, probe)) {
            HealthState s = h.current();
            assertTrue(s.serving());
            assertEquals(3, s.replicationLagSeconds());
            assertEquals("", s.healthError());

            probe.set(Optional.of(status(ThreadState.RUNNING, ThreadState.STOPPED, OptionalLong.empty(), "dup key")));
            h.check();
            assertFalse(h.current().serving());
            assertTrue(h.current().healthError().contains("1062: dup key"), h.current().healthError());

            probe.set(Optional.of(status(ThreadState.RUNNING, ThreadState.RUNNING, OptionalLong.of(31), "")));
            h.check();
            assertFalse(h.current().serving(), "over the unhealthy threshold");
            assertTrue(h.current().healthError().contains("threshold"));

            probe.set(Optional.empty());
            h.check();
            assertFalse(h.current().serving());
            assertTrue(h.current().healthError().contains("not configured"));
        }
        try (TabletHealth h = new TabletHealth(TabletAlias.parse("zone1-8"), "ks", "0", TabletType.RDONLY,
                () -> {
                    throw new IllegalStateException("mysqld down");
                }, new TabletHealth.Settings(LONG, LONG, LONG))) {
            assertFalse(h.current().serving());
            assertTrue(h.current().healthError().contains("mysqld down"));
        }
    }

    @Test
    void primaryAndOtherTypes() {
        AtomicReference<Optional<ReplicationStatus>> probe = new AtomicReference<>(Optional.empty());
        try (TabletHealth h = health(TabletType.PRIMARY, probe)) {
            assertTrue(h.current().serving());
            assertNotEquals(0, h.current().primaryTermStartSeconds());
            h.setType(TabletType.DRAINED);
            h.check();
            assertEquals(TabletType.DRAINED, h.current().type());
            assertFalse(h.current().serving());
            assertEquals("", h.current().healthError());
            assertEquals(0, h.current().primaryTermStartSeconds());
        }
    }

    @Test
    void subscribersGetChangesAndOnlyTheLatest() {
        AtomicReference<Optional<ReplicationStatus>> probe = new AtomicReference<>(
                Optional.of(status(ThreadState.RUNNING, ThreadState.RUNNING, OptionalLong.of(0), "")));
        try (TabletHealth h = health(TabletType.REPLICA, probe)) {
            AtomicInteger wakeups = new AtomicInteger();
            TabletHealth.Subscription sub = h.subscribe(wakeups::incrementAndGet);
            assertEquals(1, wakeups.get());
            assertTrue(sub.poll().serving(), "the current state at once");
            assertNull(sub.poll());

            h.check(); // the first check broadcasts (no previous broadcast: heartbeat due)
            sub.poll();
            int before = wakeups.get();
            h.check(); // no change, heartbeat not due
            assertEquals(before, wakeups.get());
            assertNull(sub.poll());

            // a slow subscriber: three changes, only the latest waits
            for (long lag = 1; lag <= 3; lag++) {
                probe.set(Optional.of(status(ThreadState.RUNNING, ThreadState.RUNNING, OptionalLong.of(lag), "")));
                h.check();
            }
            assertEquals(3, sub.poll().replicationLagSeconds());
            assertNull(sub.poll());

            sub.close();
            assertEquals(0, h.subscriberCount());
            TabletHealth.Subscription other = h.subscribe(() -> { });
            h.close();
            assertTrue(other.isEnded());
        }
    }

    @Test
    void aPrimaryWhoseMysqldDoesNotAnswerDoesNotServe() {
        AtomicReference<RuntimeException> down = new AtomicReference<>();
        TabletHealth.MysqlProbe mysql = () -> {
            if (down.get() != null) {
                throw down.get();
            }
        };
        try (TabletHealth h = new TabletHealth(TabletAlias.parse("zone1-9"), "ks", "0", TabletType.PRIMARY,
                Optional::empty, mysql, new TabletHealth.Settings(Duration.ofSeconds(1), Duration.ofSeconds(10), LONG))) {
            h.check();
            assertTrue(h.current().serving());
            down.set(new IllegalStateException("cannot connect to mysqld at 127.0.0.1:17100: Connection refused"));
            h.check();
            assertFalse(h.current().serving());
            assertEquals("mysqld is unreachable: cannot connect to mysqld at 127.0.0.1:17100: Connection refused",
                    h.current().healthError());
            down.set(null);
            h.check();
            assertTrue(h.current().serving());
            assertEquals("", h.current().healthError());
            // Not a primary: the probe is not asked (a replica's replication probe covers its mysqld).
            down.set(new IllegalStateException("unreachable"));
            h.setType(TabletType.SPARE);
            h.check();
            assertFalse(h.current().serving());
            assertEquals("", h.current().healthError());
        }
    }

    @Test
    void heartbeatAndQps() throws InterruptedException {
        AtomicReference<Optional<ReplicationStatus>> probe = new AtomicReference<>(Optional.empty());
        try (TabletHealth h = new TabletHealth(TabletAlias.parse("zone1-9"), "ks", "0", TabletType.PRIMARY, probe::get,
                new TabletHealth.Settings(Duration.ofMillis(20), Duration.ofMillis(100), LONG)).start()) {
            AtomicInteger wakeups = new AtomicInteger();
            h.subscribe(wakeups::incrementAndGet);
            for (int i = 0; i < 50; i++) {
                h.qpsCounter().increment();
            }
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((wakeups.get() < 4 || h.current().qps() <= 0) && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertTrue(wakeups.get() >= 4, "heartbeats while nothing changes: " + wakeups.get());
            assertTrue(h.current().qps() > 0);
        }
    }
}
