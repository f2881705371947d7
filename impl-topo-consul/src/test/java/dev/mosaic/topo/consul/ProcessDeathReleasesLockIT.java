package dev.mosaic.topo.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.topo.TopoStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * "Killing the process that holds a lock frees it for the next locker within the TTL": a child
 * JVM takes a lock through the plugin, is killed with {@code destroyForcibly()} (no shutdown hook,
 * no session destroy), and this JVM must then get the lock once Consul expires the child's session.
 * Consul guarantees expiry no earlier than the TTL and no later than twice the TTL after the last
 * renewal, so the bound asserted is 2 x session_ttl plus a margin.
 */
class ProcessDeathReleasesLockIT {
    private static final Duration MARGIN = Duration.ofMillis(1500);

    @Test
    void killedHolderFreesTheLockWithinTwiceTheTtlOnTheStandIn() throws Exception {
        try (ConsulStandIn standIn = ConsulStandIn.start()) {
            run(standIn.address(), Duration.ofSeconds(1));
        }
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "CONSUL_HTTP_ADDR", matches = ".+")
    void killedHolderFreesTheLockWithinTwiceTheTtlOnRealConsul() throws Exception {
        run(ConsulBackend.realAddress().orElseThrow(), Duration.ofSeconds(10));
    }

    private static void run(String address, Duration ttl) throws Exception {
        String root = "mosaic/it-" + UUID.randomUUID();
        String dir = "keyspaces/ks/shards/-80";
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String ttlText = ttl.toMillis() + "ms";
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                LockHolderMain.class.getName(), address, root, dir, ttlText))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ConsulTopoFactory f = new ConsulTopoFactory();
        Map<String, String> raw = Map.of("address", address, "root", root, "session_ttl", ttlText);
        try (TopoStore me = f.create(f.configSpec().validate(raw, "test"), PluginContext.named("next-locker"))) {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    return "read failed: " + e;
                }
            }).get(60, TimeUnit.SECONDS);
            assertEquals("LOCKED " + child.pid(), line, "the child did not report holding the lock");
            assertTrue(me.tryLock(dir, "next").isEmpty(), "the lock was free although the child holds it");

            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the child did not die");
            long killedAt = System.nanoTime();
            Duration bound = ttl.multipliedBy(2).plus(MARGIN);
            TopoLock lock;
            try {
                lock = me.lock(dir, "next", bound);
            } catch (TopoException e) {
                throw new AssertionError("the killed holder's lock was not free within " + bound.toMillis() + " ms", e);
            }
            long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.println("lock of the killed process acquired " + tookMs + " ms after the kill (session_ttl "
                    + ttl.toMillis() + " ms)");
            lock.check();
            lock.unlock();
            assertThrows(TopoException.class, lock::check);
        } finally {
            child.destroyForcibly();
        }
    }
}
