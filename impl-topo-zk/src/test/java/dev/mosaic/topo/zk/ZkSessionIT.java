package dev.mosaic.topo.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.spi.topo.LeaderParticipation;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ZooKeeper-specific behaviour beyond the TCK: sessions, server restarts, version design. */
class ZkSessionIT {
    private static final Duration SESSION = Duration.ofSeconds(2);
    private final String root = "/mosaic-it/" + UUID.randomUUID();
    private final List<TopoStore> stores = new CopyOnWriteArrayList<>();

    private TopoStore store() {
        TopoStore s = ZkTestSupport.open(ZkTestServer.shared().config(root, SESSION));
        stores.add(s);
        return s;
    }

    @AfterEach
    void closeAll() throws Exception {
        ZkTestServer.shared().start(); // in case a test left it stopped
        stores.forEach(TopoStore::close);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void await(Duration d, String what, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("after " + d.toMillis() + " ms, still not: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static boolean checkThrows(TopoLock l, TopoError kind) {
        try {
            l.check();
            return false;
        } catch (TopoException e) {
            return e.error() == kind;
        }
    }

    @Test
    void versionOfARecreatedFileNeverMatches() {
        TopoStore s = store();
        Version v1 = s.create("a/f", b("one"));
        s.delete("a/f", Optional.empty());
        Version v2 = s.create("a/f", b("two"));
        ZkTopoStore zk = (ZkTopoStore) s;
        Stat st = zk.read("", z -> z.exists(root + "/a/f", false));
        assertEquals(0, st.getVersion(), "ZooKeeper's dataVersion restarted at 0 on re-creation, as the old node's was");
        assertNotEquals(v1, v2);
        TopoException e = assertThrows(TopoException.class, () -> s.update("a/f", b("stale"), Optional.of(v1)));
        assertEquals(TopoError.BAD_VERSION, e.error());
        e = assertThrows(TopoException.class, () -> s.delete("a/f", Optional.of(v1)));
        assertEquals(TopoError.BAD_VERSION, e.error());
        assertArrayEquals(b("two"), s.get("a/f").contents());
    }

    @Test
    void watchIsReArmedAcrossManyChangesAndConverges() throws Exception {
        TopoStore s = store();
        s.create("w/f", b("0"));
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        s.watch("w/f", events::add);
        TopoStore writer = store();
        for (int i = 1; i <= 200; i++) {
            writer.update("w/f", b(Integer.toString(i)), Optional.empty());
        }
        await(Duration.ofSeconds(10), "watch converged on 200: " + events.size() + " events", () -> !events.isEmpty()
                && events.get(events.size() - 1) instanceof WatchEvent.Changed c
                && new String(c.value().contents(), StandardCharsets.UTF_8).equals("200"));
        long last = -1;
        for (WatchEvent e : events) {
            long v = Long.parseLong(new String(((WatchEvent.Changed) e).value().contents(), StandardCharsets.UTF_8));
            assertTrue(v > last, "values arrive in order: " + v + " after " + last);
            last = v;
        }
    }

    @Test
    void sessionExpiryReleasesLockEndsLeadershipAndFailsWatches() throws Exception {
        TopoStore a = store();
        TopoStore b = store();
        a.create("s/f", b("x"));
        TopoLock lock = a.lock("s", "a", Duration.ofSeconds(5));
        LeaderParticipation pa = a.newLeaderParticipation("s-election", "a");
        LeaderParticipation.LeadershipTerm term = pa.waitForLeadership(Duration.ofSeconds(5));
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        a.watch("s/f", events::add);

        ZkTestSupport.expireSession(a, ZkTestServer.shared().connectString());

        TopoLock next = b.lock("s", "b", Duration.ofSeconds(5)); // ephemeral node gone at once on the server
        await(Duration.ofSeconds(10), "holder's check() reports NO_NODE", () -> checkThrows(lock, TopoError.NO_NODE));
        assertTrue(term.awaitLoss(Duration.ofSeconds(10)), "leadership ended with the session");
        assertFalse(term.isLeader());
        await(Duration.ofSeconds(10), "watch ended with Failed: " + events, () -> !events.isEmpty()
                && events.get(events.size() - 1) instanceof WatchEvent.Failed);
        assertEquals(TopoError.NO_NODE, assertThrows(TopoException.class, lock::unlock).error());
        LeaderParticipation pb = b.newLeaderParticipation("s-election", "b");
        pb.waitForLeadership(Duration.ofSeconds(5));
        assertEquals(Optional.of("b"), pb.currentLeader());
        next.unlock();
        // The store itself recovers with a new session.
        await(Duration.ofSeconds(10), "store usable again", () -> {
            try {
                return a.get("s/f") != null;
            } catch (TopoException e) {
                return false;
            }
        });
    }

    @Test
    void shortServerRestartKeepsTheSessionItsLockAndItsWatch() throws Exception {
        TopoStore a = ZkTestSupport.open(ZkTestServer.shared().config(root, Duration.ofSeconds(20)));
        stores.add(a);
        a.create("r/f", b("before"));
        TopoLock lock = a.lock("r", "a", Duration.ofSeconds(5));
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        a.watch("r/f", events::add);

        ZkTestServer.shared().restart();

        TopoStore writer = store();
        writer.update("r/f", b("after"), Optional.empty());
        await(Duration.ofSeconds(20), "watch resumed with \"after\": " + events, () -> !events.isEmpty()
                && events.get(events.size() - 1) instanceof WatchEvent.Changed c
                && new String(c.value().contents(), StandardCharsets.UTF_8).equals("after"));
        lock.check(); // the session survived the restart: still held
        assertTrue(writer.tryLock("r", "writer").isEmpty(), "still excluded after the restart");
        lock.unlock();
    }

    @Test
    void serverGoneLongerThanTheSessionTimeoutEndsEverythingLoudly() throws Exception {
        TopoStore a = store();
        a.create("g/f", b("x"));
        TopoLock lock = a.lock("g", "a", Duration.ofSeconds(5));
        LeaderParticipation.LeadershipTerm term = a.newLeaderParticipation("g-election", "a")
                .waitForLeadership(Duration.ofSeconds(5));
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        a.watch("g/f", events::add);

        ZkTestServer.shared().stop();
        assertTrue(term.awaitLoss(Duration.ofSeconds(10)), "leadership ends as soon as the connection is suspended");
        await(Duration.ofSeconds(3), "check() cannot vouch for the lock while disconnected",
                () -> checkThrows(lock, TopoError.UNAVAILABLE) || checkThrows(lock, TopoError.NO_NODE));
        await(SESSION.multipliedBy(5), "watch ended with Failed once the session was lost: " + events,
                () -> !events.isEmpty() && events.get(events.size() - 1) instanceof WatchEvent.Failed);
        await(Duration.ofSeconds(5), "check() reports the lock lost", () -> checkThrows(lock, TopoError.NO_NODE));
        assertInstanceOf(WatchEvent.Failed.class, events.get(events.size() - 1));
        ZkTestServer.shared().start();
    }
}
