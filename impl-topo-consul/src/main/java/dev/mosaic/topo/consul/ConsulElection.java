package dev.mosaic.topo.consul;

import dev.mosaic.spi.topo.LeaderParticipation;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One participant in a leader election: leadership is holding {@code elections/<name>/leader}
 * with the connection's session, the key's value being the participant id. Consul does not queue
 * waiters; whoever acquires first after a release wins.
 */
final class ConsulElection implements LeaderParticipation {
    private final ConsulTopoStore store;
    private final String name;
    private final String id;
    private final String key;
    private final Set<LeaderWatch> watchers = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    private volatile Term current;

    ConsulElection(ConsulTopoStore store, String name, String id, String key) {
        this.store = store;
        this.name = name;
        this.id = id;
        this.key = key;
    }

    @Override
    public LeadershipTerm waitForLeadership(Duration timeout) {
        if (stopped) {
            throw new TopoException(TopoError.INTERRUPTED, name, "participation was stopped");
        }
        Term t = current;
        if (t != null && t.isLeader()) {
            return t;
        }
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        if (!store.local.acquire(key, deadline, name)) {
            throw new TopoException(TopoError.TIMEOUT, name, "not elected within " + timeout);
        }
        boolean ok = false;
        try {
            ConsulSession s = store.acquireKey(key, name, id.getBytes(StandardCharsets.UTF_8), () -> store.session(name),
                    deadline, true, () -> stopped);
            Term term = new Term(s);
            current = term;
            ok = true;
            if (stopped) { // stopped while we were acquiring
                term.resign();
                throw new TopoException(TopoError.INTERRUPTED, name, "participation was stopped");
            }
            return term;
        } catch (TopoException e) {
            if (e.error() == TopoError.TIMEOUT) {
                throw new TopoException(TopoError.TIMEOUT, name, "not elected within " + timeout, e);
            }
            throw e;
        } finally {
            if (!ok) {
                store.local.release(key);
            }
        }
    }

    @Override
    public Optional<String> currentLeader() {
        store.open(name);
        return LeaderWatch.leaderOf(store.kv.get(key, name));
    }

    @Override
    public AutoCloseable watchLeader(Consumer<Optional<String>> listener) {
        store.open(name);
        LeaderWatch[] self = new LeaderWatch[1];
        LeaderWatch w = new LeaderWatch(store.settings, name, key, listener, () -> {
            watchers.remove(self[0]);
            store.unregister(self[0]);
        });
        self[0] = w;
        watchers.add(w);
        store.register(w);
        w.start(0);
        return w;
    }

    @Override
    public void stop() {
        stopped = true;
        Term t = current;
        if (t != null) {
            t.resign();
        }
        for (LeaderWatch w : List.copyOf(watchers)) {
            w.stop();
        }
        store.local.wakeAll();
        store.forget(this);
    }

    /** The store is closing (its session is about to be destroyed). */
    void closeLocally() {
        stopped = true;
        Term t = current;
        if (t != null) {
            t.end();
        }
        for (LeaderWatch w : List.copyOf(watchers)) {
            w.stop();
        }
    }

    private final class Term implements LeadershipTerm {
        private final ConsulSession session;
        private final AtomicBoolean ended = new AtomicBoolean();

        Term(ConsulSession session) {
            this.session = session;
        }

        void end() {
            if (ended.compareAndSet(false, true)) {
                store.local.release(key);
            }
        }

        private boolean heldIn(Optional<ConsulKv.Entry> e) {
            return e.isPresent() && e.get().session().equals(session.id);
        }

        @Override
        public boolean isLeader() {
            if (ended.get()) {
                return false;
            }
            if (session.isLost()) {
                end();
                return false;
            }
            try {
                if (heldIn(store.kv.get(key, name))) {
                    return true;
                }
                end();
                return false;
            } catch (TopoException e) {
                // Consul unreachable: the session cannot have been invalidated within one TTL of the
                // last renewal, so leadership is certain until then and unknown (false) afterwards.
                return session.aliveForSure();
            }
        }

        @Override
        public boolean awaitLoss(Duration timeout) {
            long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
            long index = 0;
            while (true) {
                if (ended.get() || session.isLost()) {
                    end();
                    return true;
                }
                long left = deadline - System.nanoTime();
                try {
                    Duration wait = Duration.ofMillis(Math.max(10, Math.min(left, ConsulTopoStore.LOCK_POLL_WAIT.toNanos()) / 1_000_000));
                    ConsulKv.Read<Optional<ConsulKv.Entry>> r = index == 0
                            ? store.kv.get(key, name, 0, Duration.ZERO)
                            : store.blockingKv.get(key, name, index, wait);
                    if (!heldIn(r.value())) {
                        end();
                        return true;
                    }
                    index = Math.max(1, r.index());
                } catch (TopoException e) {
                    if (e.error() == TopoError.INTERRUPTED) {
                        throw e;
                    }
                    if (store.isClosed() || !session.aliveForSure()) {
                        end();
                        return true;
                    }
                    index = 0;
                    try {
                        Thread.sleep(Math.max(1, Math.min(100, left / 1_000_000)));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new TopoException(TopoError.INTERRUPTED, name, "interrupted", ie);
                    }
                }
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
            }
        }

        @Override
        public void resign() {
            if (ended.get()) {
                return;
            }
            try {
                if (!store.isClosed()) {
                    store.releaseKey(key, name, session);
                }
            } finally {
                end();
                if (current == this) {
                    current = null;
                }
            }
        }
    }
}
