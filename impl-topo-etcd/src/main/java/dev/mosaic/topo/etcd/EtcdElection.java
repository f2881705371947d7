package dev.mosaic.topo.etcd;

import static dev.mosaic.topo.etcd.Keys.bytes;

import dev.mosaic.spi.topo.LeaderParticipation;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.WatchEvent;
import io.etcd.jetcd.options.WatchOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One participant in an election: a {@link LockQueue} under {@code elections/<name>/} whose head
 * is the leader, each entry holding its participant id and attached to the session lease, so a
 * dead leader's entry expires and the next participant takes over.
 */
final class EtcdElection implements LeaderParticipation {
    private final EtcdTopoStore store;
    private final String name;
    private final String queueDir;
    private final String id;
    private final List<AutoCloseable> leaderWatches = new CopyOnWriteArrayList<>();
    private LockQueue.Ticket ticket;
    private boolean stopped;

    EtcdElection(EtcdTopoStore store, String name, String queueDir, String id) {
        this.store = store;
        this.name = name;
        this.queueDir = queueDir;
        this.id = id;
    }

    @Override
    public LeadershipTerm waitForLeadership(Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        LockQueue.Ticket mine;
        synchronized (this) {
            if (stopped) {
                throw new TopoException(TopoError.INTERRUPTED, name, "participation was stopped");
            }
            if (ticket == null || !ticket.lease().alive()) {
                ticket = store.queue.enqueue(name, queueDir, id, store.session(name));
            }
            mine = ticket;
        }
        boolean won = false;
        try {
            LockQueue.Head head = store.queue.awaitHead(mine, deadline, false);
            if (head.vanished()) {
                throw new TopoException(TopoError.INTERRUPTED, name,
                        "participation ended while waiting (stopped, or its session lease expired)");
            }
            if (!head.acquired()) {
                throw new TopoException(TopoError.TIMEOUT, name, "not elected within " + timeout + "; leader: " + head.holder());
            }
            synchronized (this) {
                if (stopped || ticket != mine) {
                    throw new TopoException(TopoError.INTERRUPTED, name, "participation was stopped while waiting");
                }
            }
            won = true;
            return new Term(mine);
        } finally {
            if (!won) {
                synchronized (this) {
                    if (ticket == mine) {
                        ticket = null;
                    }
                }
                store.queue.dequeueQuietly(mine);
            }
        }
    }

    /** One term: ends when our queue entry goes (resign, stop, session death, store closed). */
    private final class Term implements LeadershipTerm {
        private final LockQueue.Ticket mine;
        private volatile boolean over;

        Term(LockQueue.Ticket mine) {
            this.mine = mine;
        }

        @Override
        public boolean isLeader() {
            if (over || store.isClosed() || !mine.lease().alive()) {
                return false;
            }
            try {
                if (store.queue.isHead(mine)) {
                    return true;
                }
            } catch (TopoException e) {
                // Cannot confirm leadership: a leader must then assume it has none.
                return false;
            }
            over = true;
            return false;
        }

        @Override
        public boolean awaitLoss(Duration timeout) {
            long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
            CompletableFuture<Void> lost = new CompletableFuture<>();
            Runnable onDeath = () -> lost.complete(null);
            mine.lease().onDeath(onDeath);
            io.etcd.jetcd.Watch.Watcher w = null;
            try {
                w = store.client.getWatchClient().watch(bytes(mine.key()),
                        WatchOption.builder().withNoPut(true).build(),
                        io.etcd.jetcd.Watch.listener(resp -> lost.complete(null), err -> { }));
                while (true) {
                    if (!isLeader()) {
                        return true;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        // Woken by the watch or the session's death; re-checked at least every 500ms.
                        lost.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)), TimeUnit.NANOSECONDS);
                    } catch (TimeoutException | ExecutionException e) {
                        // Re-check below.
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopoException(TopoError.INTERRUPTED, name, "interrupted while waiting for loss of leadership", e);
            } finally {
                mine.lease().removeOnDeath(onDeath);
                if (w != null) {
                    w.close();
                }
            }
        }

        @Override
        public void resign() {
            over = true;
            synchronized (EtcdElection.this) {
                if (ticket == mine) {
                    ticket = null;
                }
            }
            if (!store.isClosed()) {
                store.queue.dequeueQuietly(mine);
            }
        }
    }

    @Override
    public Optional<String> currentLeader() {
        store.open(name);
        return store.queue.headValue(name, queueDir);
    }

    @Override
    public AutoCloseable watchLeader(Consumer<Optional<String>> listener) {
        Objects.requireNonNull(listener, "listener");
        store.open(name);
        SerialDelivery delivery = new SerialDelivery(store.delivery, () -> { });
        Object lock = new Object();
        @SuppressWarnings("unchecked")
        Optional<String>[] last = new Optional[1];
        Runnable refresh = () -> {
            Optional<String> leader;
            try {
                leader = currentLeader();
            } catch (TopoException e) {
                return; // the next event re-reads it
            }
            synchronized (lock) {
                if (!leader.equals(last[0])) {
                    last[0] = leader;
                    delivery.submit(() -> listener.accept(leader));
                }
            }
        };
        refresh.run();
        EtcdWatch w = new EtcdWatch(store, queueDir, true, event -> {
            if (!(event instanceof WatchEvent.Cancelled)) {
                refresh.run();
            }
        });
        w.start();
        AutoCloseable handle = w::cancel;
        leaderWatches.add(handle);
        // Catch a change between the first read and the watch's start.
        refresh.run();
        return () -> {
            leaderWatches.remove(handle);
            w.cancel();
        };
    }

    @Override
    public void stop() {
        LockQueue.Ticket t;
        synchronized (this) {
            stopped = true;
            t = ticket;
            ticket = null;
        }
        if (t != null && !store.isClosed()) {
            store.queue.dequeueQuietly(t);
        }
        detach();
    }

    /** Closes the leader watches and forgets this participation (its entry goes with the session). */
    void detach() {
        synchronized (this) {
            stopped = true;
        }
        for (AutoCloseable c : leaderWatches) {
            try {
                c.close();
            } catch (Exception e) {
                // EtcdWatch.cancel does not throw.
            }
        }
        leaderWatches.clear();
        store.forget(this);
    }
}
