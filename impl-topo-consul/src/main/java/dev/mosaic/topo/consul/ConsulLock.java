package dev.mosaic.topo.consul;

import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lock key held by a Consul session. {@link #check()} asks Consul whether the key is still held
 * by that session (Consul deletes it when the session is invalidated, behavior {@code delete}).
 */
final class ConsulLock implements TopoLock {
    private final ConsulTopoStore store;
    private final String key;
    private final String path;
    private final ConsulSession session;
    private final boolean ownSession;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean localReleased = new AtomicBoolean();
    private volatile boolean expired;
    private volatile boolean closedWithStore;

    ConsulLock(ConsulTopoStore store, String key, String path, ConsulSession session, boolean ownSession) {
        this.store = store;
        this.key = key;
        this.path = path;
        this.session = session;
        this.ownSession = ownSession;
    }

    /** Frees a TTL lock {@code ttl} from now: destroys its session, which makes Consul delete the key. */
    void expireAfter(ScheduledExecutorService scheduler, Duration ttl) {
        scheduler.schedule(() -> {
            if (!released.get()) {
                expired = true;
                store.destroyQuietly(session);
                releaseLocal();
            }
        }, ttl.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void releaseLocal() {
        if (localReleased.compareAndSet(false, true)) {
            store.local.release(key);
        }
    }

    /** The store is closing: its sessions are destroyed, so this lock is gone. */
    void markClosed() {
        closedWithStore = true;
        releaseLocal();
    }

    @Override
    public String path() {
        return path;
    }

    private TopoException lost(String why) {
        return new TopoException(TopoError.NO_NODE, path, "lock was lost: " + why);
    }

    @Override
    public void check() {
        if (released.get()) {
            throw lost("it was unlocked");
        }
        if (expired) {
            throw lost("its TTL passed");
        }
        if (closedWithStore) {
            throw lost("its connection was closed");
        }
        if (session.isLost()) {
            throw lost("its consul session " + session.id + " was invalidated");
        }
        Optional<ConsulKv.Entry> e = store.kv.get(key, path);
        if (e.isEmpty() || !e.get().session().equals(session.id)) {
            throw lost("the lock key is no longer held by session " + session.id);
        }
        if (expired) {
            throw lost("its TTL passed");
        }
    }

    @Override
    public void unlock() {
        if (!released.compareAndSet(false, true)) {
            throw lost("it was already unlocked");
        }
        try {
            if (expired) {
                throw lost("its TTL passed");
            }
            if (closedWithStore) {
                throw lost("its connection was closed");
            }
            if (!store.releaseKey(key, path, session)) {
                throw lost("the lock key was no longer held by session " + session.id);
            }
        } finally {
            releaseLocal();
            store.forget(this);
            if (ownSession) {
                store.destroyQuietly(session);
            }
        }
    }
}
