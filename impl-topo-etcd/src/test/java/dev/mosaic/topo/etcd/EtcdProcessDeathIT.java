package dev.mosaic.topo.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.topo.TopoStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 4's "killing the process that holds a lock frees it for the next locker within the TTL":
 * a child JVM takes a lock through the plugin and is killed with SIGKILL (no shutdown hook, no
 * lease revoke); this JVM must get the lock within {@code lease_ttl} plus a margin for etcd's
 * lease expiry sweep (500 ms) and the keep-alive cadence.
 */
class EtcdProcessDeathIT {
    @RegisterExtension
    static final EtcdExtension ETCD = new EtcdExtension();

    private static final Duration LEASE_TTL = Duration.ofSeconds(3);
    private static final Duration MARGIN = Duration.ofSeconds(2);

    @Test
    void killingTheHolderProcessFreesTheLockWithinTheLeaseTtl() throws Exception {
        String root = "/mosaic-process-death";
        String lockPath = "keyspaces/commerce";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                LockHolderMain.class.getName(), ETCD.endpoint(), root, LEASE_TTL.toSeconds() + "s", lockPath))
                .redirectErrorStream(true)
                .start();
        EtcdTopoFactory factory = new EtcdTopoFactory();
        try (TopoStore store = factory.create(factory.configSpec().validate(
                Map.of("endpoints", ETCD.endpoint(), "root", root, "lease_ttl", LEASE_TTL.toSeconds() + "s"), "etcd"),
                PluginContext.named("next-locker"))) {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> locked = CompletableFuture.supplyAsync(() -> {
                StringBuilder seen = new StringBuilder();
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("LOCKED ")) {
                            return line;
                        }
                        seen.append(line).append('\n');
                    }
                } catch (java.io.IOException e) {
                    seen.append(e);
                }
                throw new IllegalStateException("child exited without taking the lock; output:\n" + seen);
            });
            assertEquals("LOCKED " + lockPath, locked.get(60, TimeUnit.SECONDS));
            assertTrue(store.tryLock(lockPath, "next").isEmpty(), "the child's lock must exclude this JVM");

            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "child did not die");
            long t0 = System.nanoTime();
            Duration allowed = LEASE_TTL.plus(MARGIN);
            try (TopoLock lock = store.lock(lockPath, "next", allowed)) {
                long tookMs = (System.nanoTime() - t0) / 1_000_000;
                lock.check();
                System.out.println("lock freed " + tookMs + " ms after SIGKILL of its holder (lease_ttl "
                        + LEASE_TTL.toMillis() + " ms)");
                assertTrue(tookMs <= allowed.toMillis(), "took " + tookMs + " ms");
            }
        } finally {
            child.destroyForcibly();
        }
    }
}
