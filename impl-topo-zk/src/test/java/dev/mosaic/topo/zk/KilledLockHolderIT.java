package dev.mosaic.topo.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.topo.TopoStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's "killing the process that holds a lock frees it for the next locker within the TTL":
 * a separate JVM takes a lock through the plugin and is killed with SIGKILL (no unlock, no
 * close); this JVM must get the lock within the session timeout plus a margin, and not before the
 * holder died.
 */
class KilledLockHolderIT {
    private static final Duration SESSION = Duration.ofSeconds(4);
    private static final Duration MARGIN = Duration.ofSeconds(4);

    @Test
    void killedHoldersLockGoesToTheNextLocker() throws Exception {
        ZkTestServer zk = ZkTestServer.shared();
        String root = "/mosaic-it/" + UUID.randomUUID();
        String dir = "keyspaces/commerce/shards/-80";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolderMain.class.getName(), zk.connectString(), root, SESSION.toMillis() + "ms", dir)
                .redirectErrorStream(true).start();
        try (TopoStore next = ZkTestSupport.open(zk.config(root, SESSION))) {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> locked = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("LOCKED ")) {
                            return line;
                        }
                    }
                    return "holder exited without locking";
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            });
            assertEquals("LOCKED " + dir, locked.get(30, TimeUnit.SECONDS));
            assertTrue(next.tryLock(dir, "next").isEmpty(), "the lock is held by the other process");

            holder.destroyForcibly();
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS), "holder process did not die");
            long killed = System.nanoTime();
            TopoLock lock;
            try {
                lock = next.lock(dir, "next locker", SESSION.plus(MARGIN));
            } catch (TopoException e) {
                fail("lock not freed within session_timeout " + SESSION + " + " + MARGIN + " after the holder was killed: " + e);
                return;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - killed);
            System.out.println("lock handed over " + took.toMillis() + " ms after SIGKILL of the holder (session_timeout "
                    + SESSION.toMillis() + " ms)");
            lock.check();
            lock.unlock();
            TopoException e = org.junit.jupiter.api.Assertions.assertThrows(TopoException.class, lock::check);
            assertEquals(TopoError.NO_NODE, e.error());
        } finally {
            holder.destroyForcibly();
        }
    }
}
