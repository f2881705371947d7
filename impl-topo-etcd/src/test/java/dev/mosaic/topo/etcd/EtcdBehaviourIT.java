package dev.mosaic.topo.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.topo.DirEntry;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.WatchEvent;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * etcd-specific behaviour the TCK cannot see: the session lease lives on its own lifecycle,
 * watches resume from the last revision across an etcd restart (nothing lost, nothing repeated),
 * a watch whose etcd stays away ends with Failed, an unreachable etcd is UNAVAILABLE, lock keys
 * are ephemeral entries under {@code <dir>/locks/}, and compacted history is NO_NODE.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdBehaviourIT {
    @RegisterExtension
    static final EtcdExtension ETCD = new EtcdExtension();

    private static final Duration LEASE_TTL = Duration.ofSeconds(2);

    private final String root = "/mosaic-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<TopoStore> stores = new ArrayList<>();

    private TopoStore store(Map<String, String> extra) {
        EtcdTopoFactory f = new EtcdTopoFactory();
        Map<String, String> raw = new HashMap<>(Map.of("endpoints", ETCD.endpoint(), "root", root,
                "lease_ttl", LEASE_TTL.toSeconds() + "s", "request_timeout", "3s", "dial_timeout", "3s"));
        raw.putAll(extra);
        TopoStore s = f.create(f.configSpec().validate(raw, "etcd"), PluginContext.named("it"));
        stores.add(s);
        return s;
    }

    private TopoStore store() {
        return store(Map.of());
    }

    @AfterEach
    void closeStores() {
        stores.forEach(TopoStore::close);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void await(Duration deadline, String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("after " + deadline.toMillis() + " ms, still not: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    @Order(1)
    void lockOutlivesTheThreadThatTookItAndManyLeaseTtls() throws Exception {
        TopoStore holder = store();
        TopoStore other = store();
        // Take the lock on a short-lived thread: the keep-alive must not depend on it.
        TopoLock lock = CompletableFuture.supplyAsync(() -> holder.lock("ks/a", "holder", Duration.ofSeconds(5)))
                .get(10, TimeUnit.SECONDS);
        long end = System.nanoTime() + LEASE_TTL.multipliedBy(3).toNanos();
        while (System.nanoTime() - end < 0) {
            lock.check();
            assertTrue(other.tryLock("ks/a", "other").isEmpty(), "another session took a held lock");
            Thread.sleep(250);
        }
        lock.unlock();
        other.tryLock("ks/a", "other").orElseThrow().unlock();
    }

    @Test
    @Order(2)
    void lockKeysAreEphemeralEntriesUnderLocks() {
        TopoStore s = store();
        s.create("ks/b/Keyspace", b("x"));
        try (TopoLock l = s.lock("ks/b", "listing", Duration.ofSeconds(5))) {
            List<DirEntry> locks = s.listDir("ks/b/locks");
            assertEquals(1, locks.size());
            assertTrue(locks.get(0).ephemeral(), "lock key must be listed as ephemeral: " + locks);
            assertTrue(s.listDir("ks/b").contains(new DirEntry("locks", true, false)));
            l.check();
        }
        assertEquals(List.of(new DirEntry("Keyspace", false, false)), s.listDir("ks/b"));
    }

    @Test
    @Order(3)
    void abandonedSessionReleasesItsLockAfterTheLeaseTtl() throws Exception {
        EtcdTopoStore holder = (EtcdTopoStore) store();
        TopoStore next = store();
        holder.lock("ks/c", "crashing holder", Duration.ofSeconds(5));
        long t0 = System.nanoTime();
        holder.shutdown(false); // keep-alives stop, no revoke: as if the process died
        try (TopoLock l = next.lock("ks/c", "next", LEASE_TTL.plusSeconds(3))) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= LEASE_TTL.toMillis() / 2, "released after " + ms + " ms: before its lease could expire?");
            l.check();
        }
    }

    @Test
    @Order(4)
    void historyCompactedAwayIsNoNode() throws Exception {
        TopoStore s = store();
        Version v1 = s.create("hist/f", b("1"));
        Version v2 = s.update("hist/f", b("2"), Optional.empty());
        assertEquals("1", s(s.getVersion("hist/f", v1).contents()));
        try (Client c = Client.builder().endpoints(ETCD.endpoint()).build()) {
            c.getKVClient().compact(v2.value()).get(10, TimeUnit.SECONDS);
        }
        TopoException e = assertThrows(TopoException.class, () -> s.getVersion("hist/f", v1));
        assertEquals(TopoError.NO_NODE, e.error());
        assertEquals("2", s(s.getVersion("hist/f", v2).contents()));
    }

    @Test
    @Order(5)
    void unreachableEtcdIsUnavailable() throws Exception {
        int port;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        long t0 = System.nanoTime();
        TopoException e = assertThrows(TopoException.class,
                () -> store(Map.of("endpoints", "127.0.0.1:" + port, "dial_timeout", "2s")));
        assertEquals(TopoError.UNAVAILABLE, e.error(), e.getMessage());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
    }

    /** Restarts etcd: the watch re-opens from the revision after the last event, so 1..10 arrive exactly once. */
    @Test
    @Order(10)
    void watchResumesFromTheLastRevisionAcrossAnEtcdRestart() throws Exception {
        TopoStore s = store();
        s.create("w/f", b("0"));
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        s.watch("w/f", events::add);
        for (int i = 1; i <= 5; i++) {
            s.update("w/f", b(Integer.toString(i)), Optional.empty());
        }
        await(Duration.ofSeconds(5), "5 events before the restart", () -> events.size() >= 5);
        ETCD.server().restart();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int i = 6; i <= 10; ) {
            try {
                s.update("w/f", b(Integer.toString(i)), Optional.empty());
                i++;
            } catch (TopoException e) {
                if (System.nanoTime() - end > 0) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
        await(Duration.ofSeconds(20), "10 events after the restart: " + events, () -> events.size() >= 10);
        Thread.sleep(300); // nothing may follow: no replayed duplicates
        List<String> values = events.stream().map(e -> s(assertInstanceOf(WatchEvent.Changed.class, e).value().contents())).toList();
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"), values);
    }

    /** etcd down for longer than the give-up window (2 x max(lease_ttl, request_timeout)): the watch ends Failed. */
    @Test
    @Order(11)
    void watchEndsFailedWhenEtcdStaysAway() throws Exception {
        TopoStore s = store(Map.of("lease_ttl", "1s", "request_timeout", "1s"));
        s.create("w/g", b("0"));
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        s.watch("w/g", events::add);
        ETCD.server().stop();
        try {
            await(Duration.ofSeconds(20), "a final Failed event while etcd is down: " + events,
                    () -> !events.isEmpty() && events.get(events.size() - 1).isFinal());
            WatchEvent.Failed f = assertInstanceOf(WatchEvent.Failed.class, events.get(events.size() - 1));
            assertEquals(TopoError.UNAVAILABLE, f.error().error());
            TopoException e = assertThrows(TopoException.class, () -> s.get("w/g"));
            assertEquals(TopoError.UNAVAILABLE, e.error(), e.getMessage());
        } finally {
            ETCD.server().start();
        }
        await(Duration.ofSeconds(20), "the store works again after etcd came back", () -> {
            try {
                return s(s.get("w/g").contents()).equals("0");
            } catch (TopoException e) {
                return false;
            }
        });
    }
}
