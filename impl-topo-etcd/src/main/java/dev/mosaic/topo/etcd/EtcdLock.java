package dev.mosaic.topo.etcd;

import static dev.mosaic.topo.etcd.Keys.bytes;

import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import io.etcd.jetcd.kv.GetResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A held lock: the head entry of a {@link LockQueue}. Held while its key exists with our create
 * revision, which etcd guarantees only while its lease lives; {@link #check()} asks etcd, so a
 * holder never believes in a lock etcd has already given away (short of the lease expiring between
 * a check and the next action, which no lease-based lock can rule out).
 */
final class EtcdLock implements TopoLock {
    private final EtcdTopoStore store;
    private final String path;
    private final LockQueue.Ticket ticket;
    private final boolean ownLease;
    /** System.nanoTime() at which a TTL lock ends; Long.MAX_VALUE without TTL. */
    private final long expiresAt;
    private final ScheduledFuture<?> expiry;
    private volatile boolean released;

    EtcdLock(EtcdTopoStore store, String path, LockQueue.Ticket ticket, Duration ttl) {
        this.store = store;
        this.path = path;
        this.ticket = ticket;
        this.ownLease = ttl != null;
        if (ttl != null) {
            this.expiresAt = System.nanoTime() + ttl.toNanos();
            // Revoking the lock's own lease deletes its key: the next waiter gets the lock on time.
            this.expiry = store.timer.schedule(() -> ticket.lease().revoke(store.config.requestTimeout()),
                    ttl.toNanos(), TimeUnit.NANOSECONDS);
        } else {
            this.expiresAt = Long.MAX_VALUE;
            this.expiry = null;
        }
    }

    @Override
    public String path() {
        return path;
    }

    private boolean expired() {
        return expiresAt != Long.MAX_VALUE && System.nanoTime() - expiresAt >= 0;
    }

    @Override
    public void check() {
        if (released) {
            throw new TopoException(TopoError.NO_NODE, path, "lock was already released");
        }
        if (expired()) {
            throw new TopoException(TopoError.NO_NODE, path, "lock expired (its TTL passed)");
        }
        if (!ticket.lease().alive()) {
            throw new TopoException(TopoError.NO_NODE, path, "lock was lost: its session lease expired");
        }
        if (store.isClosed()) {
            throw new TopoException(TopoError.NO_NODE, path, "lock was lost: the topology connection is closed");
        }
        GetResponse r = store.await(store.kv.get(bytes(ticket.key())), path);
        if (r.getKvs().isEmpty() || r.getKvs().get(0).getCreateRevision() != ticket.createRevision()) {
            throw new TopoException(TopoError.NO_NODE, path, "lock was lost: its key " + ticket.key() + " is gone");
        }
    }

    @Override
    public void unlock() {
        if (released) {
            throw new TopoException(TopoError.NO_NODE, path, "lock was already released");
        }
        released = true;
        store.forget(this);
        if (expiry != null) {
            expiry.cancel(false);
        }
        boolean wasExpired = expired();
        boolean leaseAlive = ticket.lease().alive();
        boolean deleted;
        try {
            deleted = store.queue.dequeue(ticket);
        } finally {
            if (ownLease) {
                ticket.lease().revoke(store.config.requestTimeout());
            }
        }
        if (wasExpired) {
            throw new TopoException(TopoError.NO_NODE, path, "lock had expired (its TTL passed) before unlock");
        }
        if (!deleted || !leaseAlive) {
            throw new TopoException(TopoError.NO_NODE, path, "lock had been lost before unlock (session lease expired or key removed)");
        }
    }

    /** Called when the store closes: drop the lock, revoking its own lease if asked. */
    void release(boolean revoke) {
        released = true;
        store.forget(this);
        if (expiry != null) {
            expiry.cancel(false);
        }
        if (ownLease) {
            if (revoke) {
                ticket.lease().revoke(store.config.requestTimeout());
            } else {
                ticket.lease().abandon();
            }
        }
    }
}
