package dev.mosaic.topo.etcd;

import static dev.mosaic.topo.etcd.Keys.bytes;

import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The queue behind locks and elections, as etcd's own mutex and Vitess's etcd2topo: each
 * contender writes a key {@code <queueDir>/<lease>-<n>} attached to its lease; the key with the
 * lowest create revision is the head (the lock holder, the leader); every other contender watches
 * only the deletion of the key just before its own, so a release wakes one waiter, not all.
 * A contender whose lease dies loses its key, which is what frees a dead holder's lock.
 */
final class LockQueue {
    /** One contender's entry: its key, the create revision that orders it, and the lease holding it. */
    record Ticket(String path, String queuePrefix, String key, long createRevision, Session lease) {
    }

    /**
     * Outcome of waiting: acquired; or not, with who holds it (for messages); or our entry
     * vanished (its lease expired, or it was dequeued by another thread, e.g. an election's stop).
     */
    record Head(boolean acquired, String holder, boolean vanished) {
    }

    private final EtcdTopoStore store;

    LockQueue(EtcdTopoStore store) {
        this.store = store;
    }

    Ticket enqueue(String path, String queueDir, String value, Session lease) {
        String prefix = store.keys.dirPrefix(queueDir);
        String key = prefix + Long.toHexString(lease.id()) + "-" + store.nextSequence();
        ByteSequence k = bytes(key);
        TxnResponse r = store.await(store.kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, bytes(value), PutOption.builder().withLeaseId(lease.id()).build()))
                .commit(), path);
        if (!r.isSucceeded()) {
            throw new TopoException(TopoError.UNAVAILABLE, path, "lock key " + key + " unexpectedly exists");
        }
        return new Ticket(path, prefix, key, r.getHeader().getRevision(), lease);
    }

    /** The queue's state as seen by {@code t}: whether its key still exists, and its predecessor. */
    private record State(boolean present, io.etcd.jetcd.KeyValue predecessor, io.etcd.jetcd.KeyValue head, long revision) {
    }

    private State state(Ticket t) {
        TxnResponse r = store.await(store.kv.txn()
                .Then(Op.get(bytes(t.key()), GetOption.builder().withKeysOnly(true).build()),
                        Op.get(bytes(t.queuePrefix()), GetOption.builder().isPrefix(true)
                                .withMaxCreateRevision(t.createRevision() - 1).build()))
                .commit(), t.path());
        List<GetResponse> gets = r.getGetResponses();
        boolean present = !gets.get(0).getKvs().isEmpty()
                && gets.get(0).getKvs().get(0).getCreateRevision() == t.createRevision();
        io.etcd.jetcd.KeyValue pred = null;
        io.etcd.jetcd.KeyValue head = null;
        for (io.etcd.jetcd.KeyValue kv : gets.get(1).getKvs()) {
            // Only direct children: the queue of a lock on "a" must not see one on "a/locks".
            if (Keys.string(kv.getKey()).indexOf('/', t.queuePrefix().length()) >= 0) {
                continue;
            }
            if (pred == null || kv.getCreateRevision() > pred.getCreateRevision()) {
                pred = kv;
            }
            if (head == null || kv.getCreateRevision() < head.getCreateRevision()) {
                head = kv;
            }
        }
        return new State(present, pred, head, r.getHeader().getRevision());
    }

    /** True if {@code t} is at the head of its queue now (one round trip). */
    boolean isHead(Ticket t) {
        State s = state(t);
        return s.present() && s.predecessor() == null;
    }

    /**
     * Waits until {@code t} is at the head, until {@code deadlineNanos} (System.nanoTime), or,
     * with {@code tryOnly}, not at all.
     *
     * @throws TopoException INTERRUPTED, or what a request to etcd fails with
     */
    Head awaitHead(Ticket t, long deadlineNanos, boolean tryOnly) {
        while (true) {
            store.open(t.path());
            State s = state(t);
            if (!s.present()) {
                return new Head(false, null, true);
            }
            if (s.predecessor() == null) {
                return new Head(true, null, false);
            }
            String holder = Keys.string(s.head().getValue());
            long left = deadlineNanos - System.nanoTime();
            if (tryOnly || left <= 0) {
                return new Head(false, holder, false);
            }
            awaitDeletion(t.path(), s.predecessor().getKey(), s.revision() + 1, left);
        }
    }

    /** Blocks until {@code key} is deleted (after {@code fromRevision}), at most {@code nanos}. */
    private void awaitDeletion(String path, ByteSequence key, long fromRevision, long nanos) {
        CompletableFuture<Boolean> gone = new CompletableFuture<>();
        io.etcd.jetcd.Watch.Watcher w = store.client.getWatchClient().watch(key,
                WatchOption.builder().withRevision(fromRevision).withNoPut(true).build(),
                io.etcd.jetcd.Watch.listener(resp -> {
                    for (WatchEvent e : resp.getEvents()) {
                        if (e.getEventType() == WatchEvent.EventType.DELETE) {
                            gone.complete(true);
                        }
                    }
                }, err -> gone.complete(false)));
        try {
            if (!gone.get(nanos, TimeUnit.NANOSECONDS)) {
                // The watch broke (etcd restarting?): pause briefly, then the caller re-reads the queue.
                Thread.sleep(100);
            }
        } catch (TimeoutException e) {
            // The caller sees the deadline has passed.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopoException(TopoError.INTERRUPTED, path, "interrupted while waiting for the lock", e);
        } catch (ExecutionException e) {
            throw EtcdErrors.map(path, e.getCause());
        } finally {
            w.close();
        }
    }

    /**
     * Deletes {@code t}'s key if it is still {@code t}'s.
     *
     * @return false if it was already gone
     */
    boolean dequeue(Ticket t) {
        ByteSequence k = bytes(t.key());
        TxnResponse r = store.await(store.kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(t.createRevision())))
                .Then(Op.delete(k, DeleteOption.DEFAULT))
                .commit(), t.path());
        return r.isSucceeded();
    }

    /** Best-effort {@link #dequeue}: on failure the key goes with its lease. */
    void dequeueQuietly(Ticket t) {
        boolean interrupted = Thread.interrupted();
        try {
            dequeue(t);
        } catch (RuntimeException e) {
            // Unreachable: the key disappears when its lease ends.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The value of the head of the queue in {@code queueDir}, if any. */
    java.util.Optional<String> headValue(String path, String queueDir) {
        String prefix = store.keys.dirPrefix(queueDir);
        GetResponse r = store.await(store.kv.get(bytes(prefix), GetOption.builder().isPrefix(true).build()), path);
        io.etcd.jetcd.KeyValue head = null;
        for (io.etcd.jetcd.KeyValue kv : r.getKvs()) {
            if (Keys.string(kv.getKey()).indexOf('/', prefix.length()) >= 0) {
                continue;
            }
            if (head == null || kv.getCreateRevision() < head.getCreateRevision()) {
                head = kv;
            }
        }
        return head == null ? java.util.Optional.empty() : java.util.Optional.of(Keys.string(head.getValue()));
    }
}
