package dev.mosaic.topo.zk;

import dev.mosaic.spi.topo.LeaderParticipation;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * One participant of a leader election: candidates are ephemeral sequential znodes
 * {@code elections/<name>/candidate-<uuid>-<seq>} holding the participant id; the lowest
 * sequence leads (Vitess's zk2topo scheme). A term ends when the participant resigns or stops,
 * when its node disappears, when the session is lost, and also when the connection is suspended:
 * then the server may expire the session and elect someone else before we could know, so the
 * term is ended at once (as Curator's LeaderLatch does) and our candidate node is removed as soon
 * as we are connected again.
 */
final class ZkElection implements LeaderParticipation, ZkTopoStore.SessionBound {
    private final ZkTopoStore store;
    private final String name;
    private final String dir;
    private final String id;
    private final Set<LeaderWatch> watches = ConcurrentHashMap.newKeySet();
    private final Object mu = new Object();
    private volatile boolean stopped;
    /** Our candidate node, or null; guarded by {@code mu}. */
    private String node;
    private Term term;

    ZkElection(ZkTopoStore store, String name, String dir, String id) {
        this.store = store;
        this.name = name;
        this.dir = dir;
        this.id = id;
        store.register(this);
    }

    @Override
    public LeadershipTerm waitForLeadership(Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        String mine;
        synchronized (mu) {
            if (stopped) {
                throw new TopoException(TopoError.INTERRUPTED, name, "participation was stopped");
            }
            if (term != null && term.isLeader()) {
                return term;
            }
            if (node == null) {
                node = store.createSequential(name, dir, "candidate-" + UUID.randomUUID() + "-",
                        id.getBytes(StandardCharsets.UTF_8));
            }
            mine = node;
        }
        try {
            while (true) {
                if (stopped) {
                    throw new TopoException(TopoError.INTERRUPTED, name, "participation was stopped");
                }
                List<String> queue = store.sequentialChildren(name, dir);
                int at = queue.indexOf(ZkPaths.name(mine));
                if (at < 0) {
                    throw new TopoException(TopoError.INTERRUPTED, name, "participation ended while waiting (node gone)");
                }
                if (at == 0) {
                    return elected(mine);
                }
                String predecessor = dir + "/" + queue.get(at - 1);
                CountDownLatch gone = new CountDownLatch(1);
                Stat s = store.read(name, zk -> zk.exists(predecessor, e -> gone.countDown()));
                if (s == null) {
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !gone.await(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS)) {
                    if (deadline - System.nanoTime() <= 0) {
                        withdraw(mine);
                        throw new TopoException(TopoError.TIMEOUT, name, "not elected within " + timeout);
                    }
                }
            }
        } catch (InterruptedException e) {
            withdraw(mine);
            throw ZkErrors.interrupted(name, e);
        } catch (TopoException e) {
            if (e.error() != TopoError.TIMEOUT) {
                withdraw(mine);
            }
            throw e;
        }
    }

    private LeadershipTerm elected(String mine) {
        Term t = new Term(mine);
        synchronized (mu) {
            if (stopped || !mine.equals(node)) {
                throw new TopoException(TopoError.INTERRUPTED, name, "participation ended while being elected");
            }
            term = t;
        }
        // Watch our own node: if it disappears (session expired on the server), the term ends.
        try {
            Stat s = store.read(name, zk -> zk.exists(mine, t));
            if (s == null) {
                t.end();
            }
        } catch (TopoException e) {
            t.end();
        }
        if (!store.connected()) {
            t.end();
        }
        return t;
    }

    /** Removes our candidate node (best effort; it also goes with the session). */
    private void withdraw(String mine) {
        synchronized (mu) {
            if (mine.equals(node)) {
                node = null;
            }
            if (term != null && term.node.equals(mine)) {
                term.end();
                term = null;
            }
        }
        try {
            store.read(name, zk -> {
                zk.delete(mine, -1);
                return null;
            });
        } catch (TopoException e) {
            // NO_NODE: already gone; UNAVAILABLE: it goes with the session
        }
        store.deleteEmptyDirs(mine);
    }

    @Override
    public Optional<String> currentLeader() {
        for (int race = 0; race < 100; race++) {
            List<String> queue = store.sequentialChildren(name, dir);
            if (queue.isEmpty()) {
                return Optional.empty();
            }
            String first = dir + "/" + queue.get(0);
            try {
                byte[] data = store.read(name, zk -> zk.getData(first, false, null));
                return Optional.of(new String(data, StandardCharsets.UTF_8));
            } catch (TopoException e) {
                if (e.error() != TopoError.NO_NODE) {
                    throw e;
                }
            }
        }
        throw new TopoException(TopoError.UNAVAILABLE, name, "leader kept changing while being read");
    }

    @Override
    public AutoCloseable watchLeader(Consumer<Optional<String>> listener) {
        Objects.requireNonNull(listener, "listener");
        LeaderWatch w = new LeaderWatch(listener);
        watches.add(w);
        w.arm();
        return w::close;
    }

    @Override
    public void stop() {
        String mine;
        synchronized (mu) {
            if (stopped) {
                return;
            }
            stopped = true;
            mine = node;
        }
        if (mine != null) {
            withdraw(mine);
        }
        for (LeaderWatch w : List.copyOf(watches)) {
            w.close();
        }
        store.unregister(this);
    }

    // ---- session events -------------------------------------------------------------------

    @Override
    public void suspended() {
        synchronized (mu) {
            if (term != null) {
                term.end();
            }
        }
    }

    @Override
    public void reconnected() {
        String stale = null;
        synchronized (mu) {
            if (term != null && !term.isLeader()) {
                // Our term ended while disconnected; give the others their turn.
                stale = term.node;
                term = null;
                if (stale.equals(node)) {
                    node = null;
                }
            }
        }
        if (stale != null) {
            String n = stale;
            store.pool().execute(() -> {
                try {
                    store.read(name, zk -> {
                        zk.delete(n, -1);
                        return null;
                    });
                } catch (TopoException e) {
                    // gone with the old session, or unreachable again (then it goes with the session)
                }
            });
        }
        for (LeaderWatch w : watches) {
            w.arm();
        }
    }

    @Override
    public void sessionLost() {
        synchronized (mu) {
            if (term != null) {
                term.end();
                term = null;
            }
            node = null;
        }
    }

    @Override
    public void storeClosed() {
        synchronized (mu) {
            stopped = true;
            if (term != null) {
                term.end();
            }
        }
        for (LeaderWatch w : List.copyOf(watches)) {
            w.close();
        }
    }

    /** One term; ends at most once. */
    private final class Term implements LeadershipTerm, Watcher {
        final String node;
        private final CountDownLatch lost = new CountDownLatch(1);

        Term(String node) {
            this.node = node;
        }

        void end() {
            lost.countDown();
        }

        @Override
        public void process(WatchedEvent e) {
            if (e.getType() == Event.EventType.NodeDeleted) {
                end();
            } else if (e.getType() != Event.EventType.None && lost.getCount() > 0) {
                // Data change on our node: re-arm the one-shot watch.
                try {
                    Stat s = store.read(name, zk -> zk.exists(node, this));
                    if (s == null) {
                        end();
                    }
                } catch (TopoException ex) {
                    end();
                }
            }
        }

        @Override
        public boolean isLeader() {
            return lost.getCount() > 0 && !stopped;
        }

        @Override
        public boolean awaitLoss(Duration timeout) {
            try {
                return lost.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw ZkErrors.interrupted(name, e);
            }
        }

        @Override
        public void resign() {
            if (lost.getCount() == 0) {
                return;
            }
            end();
            withdraw(node);
        }
    }

    /** Leader changes, from a persistent watch on the election directory. */
    private final class LeaderWatch implements Watcher {
        private final Consumer<Optional<String>> listener;
        private final SerialExecutor serial;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile ZooKeeper handle;
        /** Only touched on the serial executor. */
        private Optional<String> last;

        LeaderWatch(Consumer<Optional<String>> listener) {
            this.listener = listener;
            this.serial = new SerialExecutor(store.pool(), false, () -> { });
        }

        /** (Re-)registers the watch and reports the current leader if it changed. */
        void arm() {
            if (closed.get()) {
                return;
            }
            try {
                ZooKeeper old = handle;
                if (old != null) {
                    ZkTopoStore.removeWatch(old, dir, this, WatcherType.Persistent);
                }
                handle = store.addWatch(name, dir, this, AddWatchMode.PERSISTENT);
            } catch (TopoException e) {
                // not connected: arm() runs again on reconnect
            }
            serial.execute(this::refresh);
        }

        @Override
        public void process(WatchedEvent e) {
            if (!closed.get() && (e.getType() != Event.EventType.None || e.getState() == Event.KeeperState.SyncConnected)) {
                serial.execute(this::refresh);
            }
        }

        private void refresh() {
            if (closed.get()) {
                return;
            }
            Optional<String> now;
            try {
                now = currentLeader();
            } catch (TopoException e) {
                return; // unreachable: refreshed again on reconnect
            }
            if (!now.equals(last)) {
                last = now;
                listener.accept(now);
            }
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                watches.remove(this);
                ZooKeeper zk = handle;
                if (zk != null) {
                    ZkTopoStore.removeWatch(zk, dir, this, WatcherType.Persistent);
                }
            }
        }
    }
}
