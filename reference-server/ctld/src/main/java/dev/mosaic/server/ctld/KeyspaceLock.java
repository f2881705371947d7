package dev.mosaic.server.ctld;

import dev.mosaic.server.topo.ActionLock;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import java.util.Optional;

/**
 * A keyspace lock that a {@code force} caller may go on without (Vitess's DeleteKeyspace and
 * DeleteShards {@code --force}: clean-up must be possible when a crashed holder left the lock
 * behind). Without force, failing to lock is the verb's error.
 */
final class KeyspaceLock implements AutoCloseable {
    private final Optional<ActionLock> lock;

    private KeyspaceLock(Optional<ActionLock> lock) {
        this.lock = lock;
    }

    static KeyspaceLock take(TopoServer topo, String keyspace, String action, boolean force) {
        try {
            return new KeyspaceLock(Optional.of(topo.lockKeyspace(keyspace, action)));
        } catch (TopoException e) {
            if (force && e.error() == TopoError.TIMEOUT) {
                return new KeyspaceLock(Optional.empty());
            }
            throw e;
        }
    }

    /** The held lock, if it was taken. */
    Optional<ActionLock> held() {
        return lock;
    }

    /** Fails if the lock was taken and has since been lost; a forced run has nothing to check. */
    void check() {
        lock.ifPresent(ActionLock::check);
    }

    @Override
    public void close() {
        lock.ifPresent(ActionLock::close);
    }
}
