package dev.mosaic.topo.consul;

import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import java.util.HashSet;
import java.util.Set;

/**
 * Exclusion between holders inside one connection. Consul lets a session re-acquire a key it
 * already holds, so two threads locking the same directory through one store would both
 * "succeed"; this registry makes the second wait, as Vitess's consultopo does with its in-process
 * lock map.
 */
final class LocalLocks {
    private final Set<String> held = new HashSet<>();

    /**
     * Takes {@code key} locally, waiting until {@code deadlineNanos} (a System.nanoTime() value).
     *
     * @return false if the deadline passed
     */
    synchronized boolean acquire(String key, long deadlineNanos, String path) {
        while (held.contains(key)) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopoException(TopoError.INTERRUPTED, path, "interrupted while waiting for the lock", e);
            }
        }
        held.add(key);
        return true;
    }

    synchronized void release(String key) {
        held.remove(key);
        notifyAll();
    }

    synchronized void wakeAll() {
        notifyAll();
    }
}
