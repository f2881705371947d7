package dev.mosaic.server.topo.memory;

import dev.mosaic.spi.topo.DirEntry;
import dev.mosaic.spi.topo.KeyValue;
import dev.mosaic.spi.topo.LeaderParticipation;
import dev.mosaic.spi.topo.RecursiveWatch;
import dev.mosaic.spi.topo.TopoCapability;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.topo.TopoPaths;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.Versioned;
import dev.mosaic.spi.topo.Watch;
import dev.mosaic.spi.topo.WatchListener;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** One session on a {@link MemoryBackend}. */
final class MemoryTopoStore implements TopoStore {
    private static final AtomicLong SESSIONS = new AtomicLong();

    private final MemoryBackend backend;
    private final long session = SESSIONS.incrementAndGet();
    private volatile boolean closed;

    MemoryTopoStore(MemoryBackend backend) {
        this.backend = backend;
    }

    private void open(String path) {
        if (closed) {
            throw new TopoException(TopoError.UNAVAILABLE, path, "this topology connection is closed");
        }
    }

    @Override
    public Set<TopoCapability> capabilities() {
        return EnumSet.of(TopoCapability.RECURSIVE_WATCH, TopoCapability.LOCK_TTL);
    }

    @Override
    public Version create(String path, byte[] contents) {
        open(TopoPaths.checkFile(path));
        return backend.create(path, contents, 0);
    }

    @Override
    public Version update(String path, byte[] contents, Optional<Version> expected) {
        open(TopoPaths.checkFile(path));
        return backend.update(path, contents, expected);
    }

    @Override
    public Versioned get(String path) {
        open(TopoPaths.checkFile(path));
        return backend.get(path);
    }

    @Override
    public void delete(String path, Optional<Version> expected) {
        open(TopoPaths.checkFile(path));
        backend.delete(path, expected);
    }

    @Override
    public List<DirEntry> listDir(String dirPath) {
        open(TopoPaths.checkDir(dirPath));
        return backend.listDir(dirPath);
    }

    @Override
    public List<KeyValue> listByPrefix(String pathPrefix) {
        open(pathPrefix);
        return backend.listByPrefix(pathPrefix);
    }

    @Override
    public Watch watch(String path, WatchListener listener) {
        open(TopoPaths.checkFile(path));
        MemoryBackend.Watcher w = new MemoryBackend.Watcher(session, path, false, listener);
        Versioned initial;
        synchronized (backend) {
            initial = backend.get(path);
            backend.addWatcher(w);
        }
        return new Watch() {
            @Override
            public Versioned initial() {
                return initial;
            }

            @Override
            public void cancel() {
                backend.cancel(w);
            }
        };
    }

    @Override
    public RecursiveWatch watchRecursive(String dirPath, WatchListener listener) {
        open(TopoPaths.checkDir(dirPath));
        MemoryBackend.Watcher w = new MemoryBackend.Watcher(session, dirPath, true, listener);
        List<KeyValue> initial;
        synchronized (backend) {
            initial = backend.isDir(dirPath) ? backend.listByPrefix(TopoPaths.childPrefix(dirPath)) : List.of();
            backend.addWatcher(w);
        }
        return new RecursiveWatch() {
            @Override
            public List<KeyValue> initial() {
                return initial;
            }

            @Override
            public void cancel() {
                backend.cancel(w);
            }
        };
    }

    @Override
    public TopoLock lock(String dirPath, String contents, Duration timeout) {
        return acquire("dir:" + TopoPaths.checkFile(dirPath), dirPath, contents, Long.MAX_VALUE, timeout, true);
    }

    @Override
    public Optional<TopoLock> tryLock(String dirPath, String contents) {
        return Optional.ofNullable(acquire("dir:" + TopoPaths.checkFile(dirPath), dirPath, contents, Long.MAX_VALUE, Duration.ZERO, false));
    }

    @Override
    public TopoLock lockWithTtl(String dirPath, String contents, Duration ttl, Duration timeout) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("lock TTL must be positive, got " + ttl);
        }
        return acquire("dir:" + TopoPaths.checkFile(dirPath), dirPath, contents, ttl.toNanos(), timeout, true);
    }

    @Override
    public TopoLock lockName(String name, String contents, Duration timeout) {
        return acquire("name:" + TopoPaths.checkFile(name), name, contents, Long.MAX_VALUE, timeout, true);
    }

    /** Returns null only for a failed try-lock ({@code failOnTimeout == false}). */
    private TopoLock acquire(String key, String path, String contents, long ttlNanos, Duration timeout,
                             boolean failOnTimeout) {
        open(path);
        long start = System.nanoTime();
        long waitNanos = timeout.toNanos();
        synchronized (backend) {
            while (true) {
                open(path);
                long now = System.nanoTime();
                MemoryBackend.LockState held = backend.locks.get(key);
                if (held != null && held.expired(now)) {
                    backend.locks.remove(key);
                    held = null;
                }
                if (held == null) {
                    long deadline = ttlNanos == Long.MAX_VALUE ? Long.MAX_VALUE : now + ttlNanos;
                    MemoryBackend.LockState mine =
                            new MemoryBackend.LockState(session, backend.newToken(), contents, deadline);
                    backend.locks.put(key, mine);
                    return new MemoryLock(key, path, mine.token());
                }
                long left = waitNanos - (now - start);
                if (left <= 0) {
                    if (!failOnTimeout) {
                        return null;
                    }
                    throw new TopoException(TopoError.TIMEOUT, path, "lock not acquired within " + timeout
                            + "; held by: " + held.contents());
                }
                if (held.deadline() != Long.MAX_VALUE) {
                    left = Math.min(left, held.deadline() - now);
                }
                try {
                    long ms = Math.max(1, left / 1_000_000);
                    backend.wait(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TopoException(TopoError.INTERRUPTED, path, "interrupted while waiting for the lock", e);
                }
            }
        }
    }

    private final class MemoryLock implements TopoLock {
        private final String key;
        private final String path;
        private final long token;

        MemoryLock(String key, String path, long token) {
            this.key = key;
            this.path = path;
            this.token = token;
        }

        @Override
        public String path() {
            return path;
        }

        private MemoryBackend.LockState mine() {
            MemoryBackend.LockState held = backend.locks.get(key);
            if (held == null || held.token() != token) {
                throw new TopoException(TopoError.NO_NODE, path, "lock was lost (session ended or lock expired)");
            }
            if (held.expired(System.nanoTime())) {
                backend.locks.remove(key);
                backend.notifyAll();
                throw new TopoException(TopoError.NO_NODE, path, "lock expired (TTL passed)");
            }
            return held;
        }

        @Override
        public void check() {
            synchronized (backend) {
                mine();
            }
        }

        @Override
        public void unlock() {
            synchronized (backend) {
                mine();
                backend.locks.remove(key);
                backend.notifyAll();
            }
        }
    }

    @Override
    public LeaderParticipation newLeaderParticipation(String electionName, String id) {
        open(TopoPaths.checkFile(electionName));
        MemoryElection election;
        synchronized (backend) {
            election = backend.elections.computeIfAbsent(electionName, n -> new MemoryElection(backend, n));
        }
        return election.participant(session, id, () -> !closed);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            backend.endSession(session);
        }
    }
}
