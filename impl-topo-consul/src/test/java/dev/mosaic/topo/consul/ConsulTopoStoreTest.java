package dev.mosaic.topo.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.WatchEvent;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Consul-specific behaviour the TCK does not pin down, against a private {@link ConsulStandIn}:
 * session expiry (not destroy) frees locks between TTL and 2x TTL, lock-delay, watch ordering,
 * an unreachable agent, configuration errors.
 */
class ConsulTopoStoreTest {
    private final ConsulStandIn standIn;
    private final List<TopoStore> stores = new CopyOnWriteArrayList<>();
    private final String root = "mosaic/unit-" + UUID.randomUUID();

    ConsulTopoStoreTest() throws Exception {
        standIn = ConsulStandIn.start();
    }

    @AfterEach
    void tearDown() {
        stores.forEach(TopoStore::close);
        standIn.close();
    }

    private TopoStore store(Map<String, String> extra) {
        Map<String, String> raw = new HashMap<>(Map.of("address", standIn.address(), "root", root, "session_ttl", "1s",
                "watch_retry_timeout", "1s"));
        raw.putAll(extra);
        ConsulTopoFactory f = new ConsulTopoFactory();
        TopoStore s = f.create(f.configSpec().validate(raw, "test"), PluginContext.named("test"));
        stores.add(s);
        return s;
    }

    private static void await(Duration d, String what, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void registeredUnderTypeConsul() {
        assertEquals(ConsulTopoFactory.class, Plugins.load(getClass().getClassLoader()).factory(dev.mosaic.spi.PluginKind.TOPO, "consul").getClass());
    }

    @Test
    void sessionExpiryFreesTheLockBetweenTtlAndTwiceTtl() throws Exception {
        TopoStore holder = store(Map.of());
        TopoStore next = store(Map.of());
        TopoLock held = holder.lock("ks/sh", "holder", Duration.ofSeconds(5));
        ((ConsulTopoStore) holder).stopRenewingForTest(); // the holder freezes: no more renewals
        long t0 = System.nanoTime();
        TopoLock got = next.lock("ks/sh", "next", Duration.ofSeconds(5));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 900, "Consul must not expire a session before its TTL; lock freed after " + ms + " ms");
        assertTrue(ms <= 2_500, "the session should expire within 2x TTL; lock freed after " + ms + " ms");
        TopoException e = assertThrows(TopoException.class, held::check);
        assertEquals(TopoError.NO_NODE, e.error());
        got.unlock();
    }

    /** Regression: renewals once failed (consul-api cannot PUT without a body) and locks died after 2x TTL. */
    @Test
    void renewalKeepsALockBeyondTwiceTheTtl() throws Exception {
        TopoStore s = store(Map.of());
        TopoLock l = s.lock("ks/long", "long holder", Duration.ofSeconds(5));
        Thread.sleep(3_000); // the point of the test is that time passes: 3x session_ttl
        l.check();
        TopoStore other = store(Map.of());
        assertTrue(other.tryLock("ks/long", "other").isEmpty(), "a renewed session's lock was taken");
        l.unlock();
    }

    /** Regression: session destroy once failed silently (same cause), leaving close() to the TTL. */
    @Test
    void closeDestroysTheSessionAtOnce() throws Exception {
        TopoStore s = store(Map.of());
        s.lock("ks/close", "closer", Duration.ofSeconds(5));
        assertEquals(1, standIn.sessionIds().size());
        s.close();
        assertEquals(List.of(), standIn.sessionIds(), "close() left its session to expire");
        TopoStore other = store(Map.of());
        other.tryLock("ks/close", "other").orElseThrow().unlock();
    }

    @Test
    void lockDelayHoldsAFreedLockBackWhenConfigured() throws Exception {
        TopoStore holder = store(Map.of("lock_delay", "2s"));
        TopoStore next = store(Map.of());
        holder.lock("ks/delay", "holder", Duration.ofSeconds(5));
        ConsulBackend.destroySessions(standIn.address(), holder);
        long t0 = System.nanoTime();
        TopoLock got = next.lock("ks/delay", "next", Duration.ofSeconds(10));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 1_500, "lock-delay 2s should keep the freed lock back; got it after " + ms + " ms");
        got.unlock();
    }

    @Test
    void watchDeliversChangesInOrderAndConverges() throws Exception {
        TopoStore s = store(Map.of());
        Version v0 = s.create("w/f", "0".getBytes(StandardCharsets.UTF_8));
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        assertEquals(v0, s.watch("w/f", events::add).initial().version());
        for (int i = 1; i <= 50; i++) {
            s.update("w/f", Integer.toString(i).getBytes(StandardCharsets.UTF_8), Optional.empty());
        }
        await(Duration.ofSeconds(5), "the watch reached 50", () -> !events.isEmpty()
                && events.get(events.size() - 1) instanceof WatchEvent.Changed c
                && new String(c.value().contents(), StandardCharsets.UTF_8).equals("50"));
        long last = v0.value();
        int lastValue = 0;
        for (WatchEvent e : events) {
            WatchEvent.Changed c = (WatchEvent.Changed) e;
            assertTrue(c.value().version().value() > last, "versions must increase: " + events);
            int value = Integer.parseInt(new String(c.value().contents(), StandardCharsets.UTF_8));
            assertTrue(value > lastValue, "values must arrive in order: " + events);
            last = c.value().version().value();
            lastValue = value;
        }
        s.delete("w/f", Optional.empty());
        await(Duration.ofSeconds(5), "the final Deleted", () -> events.get(events.size() - 1) instanceof WatchEvent.Deleted);
    }

    @Test
    void watchEndsWithFailedWhenTheAgentStaysUnreachable() throws Exception {
        TopoStore s = store(Map.of());
        s.create("w/down", "x".getBytes(StandardCharsets.UTF_8));
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        s.watch("w/down", events::add);
        standIn.stop();
        await(Duration.ofSeconds(8), "a final Failed after watch_retry_timeout (1s)",
                () -> !events.isEmpty() && events.get(events.size() - 1) instanceof WatchEvent.Failed);
        WatchEvent.Failed f = (WatchEvent.Failed) events.get(events.size() - 1);
        assertEquals(TopoError.UNAVAILABLE, f.error().error());
    }

    @Test
    void watchResumesAfterAShortOutage() throws Exception {
        TopoStore s = store(Map.of("watch_retry_timeout", "10s"));
        s.create("w/blip", "before".getBytes(StandardCharsets.UTF_8));
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        s.watch("w/blip", events::add);
        standIn.stop();
        Thread.sleep(300); // an outage the watch must ride out (not a wait for a condition)
        standIn.resume();
        s.update("w/blip", "after".getBytes(StandardCharsets.UTF_8), Optional.empty());
        await(Duration.ofSeconds(8), "the watch saw the write made after the outage", () -> !events.isEmpty()
                && events.get(events.size() - 1) instanceof WatchEvent.Changed c
                && new String(c.value().contents(), StandardCharsets.UTF_8).equals("after"));
    }

    @Test
    void unreachableAgentIsUnavailable() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        TopoStore s = store(Map.of("address", "127.0.0.1:" + port));
        TopoException e = assertThrows(TopoException.class, () -> s.get("a"));
        assertEquals(TopoError.UNAVAILABLE, e.error());
    }

    @Test
    void lockKeysLiveUnderTheDirectoryAndAreEphemeral() {
        TopoStore s = store(Map.of());
        TopoLock l = s.lock("ks/eph", "me", Duration.ofSeconds(5));
        assertEquals(List.of(new dev.mosaic.spi.topo.DirEntry("lock", false, true)), s.listDir("ks/eph/locks"));
        l.unlock();
        assertEquals(TopoError.NO_NODE, assertThrows(TopoException.class, () -> s.listDir("ks/eph")).error());
    }

    @Test
    void badConfigurationNamesTheKey() {
        ConsulTopoFactory f = new ConsulTopoFactory();
        for (Map.Entry<String, String> bad : Map.of("address", "localhost", "lock_delay", "1500ms",
                "watch_wait", "0s", "session_ttl", "48h").entrySet()) {
            Map<String, String> raw = new HashMap<>(Map.of("address", "127.0.0.1:8500"));
            raw.put(bad.getKey(), bad.getValue());
            MosaicException e = assertThrows(MosaicException.class,
                    () -> f.create(f.configSpec().validate(raw, "test"), PluginContext.named("t")));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("'" + bad.getKey() + "'"), e.getMessage());
        }
    }
}
