package dev.mosaic.topo.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An etcd lease kept alive by jetcd's background keep-alive stream, on its own lifecycle: it lives
 * until {@link #revoke()}, {@link #abandon()}, or etcd reports it gone, independent of whichever
 * call first needed it. Keys written with {@link #id()} vanish when the lease ends, which is how
 * a dead process releases its locks and election entries.
 *
 * <p>{@link #alive()} is the local view: false once etcd said the lease is gone, once the
 * keep-alive went without an answer past the lease's server-side deadline, or after revoke.
 */
final class Session {
    private final Client client;
    private final long id;
    private final long ttlSeconds;
    private volatile CloseableClient keepAlive;
    private final List<Runnable> onDeath = new CopyOnWriteArrayList<>();
    /** System.nanoTime() after which etcd has surely expired the lease if we were not heard. */
    private volatile long deadline;
    private volatile boolean dead;

    private Session(Client client, long id, long ttlSeconds) {
        this.client = client;
        this.id = id;
        this.ttlSeconds = ttlSeconds;
        this.deadline = System.nanoTime() + Duration.ofSeconds(ttlSeconds).toNanos();
        this.keepAlive = client.getLeaseClient().keepAlive(id, new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                if (r.getTTL() <= 0) {
                    die();
                } else {
                    deadline = System.nanoTime() + Duration.ofSeconds(r.getTTL()).toNanos();
                }
            }

            @Override
            public void onError(Throwable t) {
                // jetcd reports NOT_FOUND when the lease is gone and restarts the stream after
                // transient errors; only the former, or the deadline passing, ends the session.
                if (t.getMessage() != null && t.getMessage().contains("lease not found")) {
                    die();
                }
            }

            @Override
            public void onCompleted() {
                // jetcd drops a keep-alive whose deadline passed without an answer.
                die();
            }
        });
        if (dead) {
            keepAlive.close();
        }
    }

    /** Grants a lease of {@code ttl} (rounded up to whole seconds) and starts keeping it alive. */
    static Session open(Client client, Duration ttl, String path, Duration timeout) {
        long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
        long id = EtcdErrors.await(client.getLeaseClient().grant(seconds), path, timeout).getID();
        return new Session(client, id, seconds);
    }

    long id() {
        return id;
    }

    long ttlSeconds() {
        return ttlSeconds;
    }

    boolean alive() {
        if (!dead && System.nanoTime() - deadline > 0) {
            die();
        }
        return !dead;
    }

    /** Runs {@code r} (on a client thread) when the session is found dead; at once if it already is. */
    void onDeath(Runnable r) {
        onDeath.add(r);
        if (dead && onDeath.remove(r)) {
            r.run();
        }
    }

    void removeOnDeath(Runnable r) {
        onDeath.remove(r);
    }

    private void die() {
        if (dead) {
            return;
        }
        dead = true;
        CloseableClient k = keepAlive;
        if (k != null) {
            k.close();
        }
        for (Runnable r : onDeath) {
            if (onDeath.remove(r)) {
                r.run();
            }
        }
    }

    /** Ends the lease now, so etcd deletes its keys at once. Best effort if etcd is unreachable. */
    void revoke(Duration timeout) {
        die();
        try {
            EtcdErrors.await(client.getLeaseClient().revoke(id), "lease " + Long.toHexString(id), timeout);
        } catch (RuntimeException e) {
            // Unreachable or already gone: the lease expires by itself within its TTL.
        }
    }

    /** Stops renewing without revoking, as a crashed process would: etcd expires the lease after its TTL. */
    void abandon() {
        die();
    }
}
