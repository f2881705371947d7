package dev.mosaic.topo.consul;

import dev.mosaic.api.json.JsonObject;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One connection to Consul: a {@link TopoStore} whose files are KV entries under the configured
 * root, and whose locks and elections are keys acquired by this connection's Consul session.
 *
 * <ul>
 *   <li><b>Versions</b> are ModifyIndex. Writes go through {@code /v1/txn} ({@code cas} with index 0
 *       to create, {@code cas} with the expected ModifyIndex to compare-and-set, {@code set}
 *       otherwise) because a plain {@code PUT ?cas=} answers only true/false, and reading the new
 *       ModifyIndex afterwards would race with the next writer. Deletes are {@code check-index} or
 *       {@code get} followed by {@code delete} in one transaction, because {@code DELETE ?cas=}
 *       reports success for a key that does not exist.</li>
 *   <li><b>Directories</b> are implicit: {@code ?keys&separator=/} lists them.</li>
 *   <li><b>Watches</b> are blocking queries on a dedicated thread and connection per watch.</li>
 *   <li><b>Locks</b> are {@code PUT ?acquire=<session>} on {@code <dir>/locks/lock}; waiting uses
 *       blocking queries on that key; unlock is a transaction {@code check-session} +
 *       {@code delete}. The session (behavior {@code delete}, TTL {@code session_ttl}, lock-delay
 *       {@code lock_delay}) is created on first use and renewed by a background renewer every
 *       TTL/3; if it is lost, locks held under it are lost ({@link TopoLock#check()} says so) and
 *       the next lock creates a new session.</li>
 * </ul>
 */
final class ConsulTopoStore implements TopoStore {
    /** Longest single blocking query while waiting for a lock or leadership (bounds reaction to stop/interrupt). */
    static final Duration LOCK_POLL_WAIT = Duration.ofSeconds(1);
    private static final int TXN_MAX_OPS = 64;

    final ConsulSettings settings;
    private final String instanceName;
    final ConsulKv kv;
    final ConsulKv blockingKv;
    final LocalLocks local = new LocalLocks();
    private final ScheduledThreadPoolExecutor scheduler;
    private final Set<PollingWatch> watches = ConcurrentHashMap.newKeySet();
    private final Set<ConsulLock> locks = ConcurrentHashMap.newKeySet();
    private final Set<ConsulElection> elections = ConcurrentHashMap.newKeySet();
    private final Set<ConsulSession> sessions = ConcurrentHashMap.newKeySet();
    private ConsulSession session;
    private volatile boolean closed;

    ConsulTopoStore(ConsulSettings settings, String instanceName) {
        this.settings = settings;
        this.instanceName = instanceName;
        this.kv = new ConsulKv(new ConsulHttp(settings, settings.requestTimeout(), 16));
        Duration blockingRead = settings.requestTimeout().plus(LOCK_POLL_WAIT).plus(LOCK_POLL_WAIT.dividedBy(16));
        this.blockingKv = new ConsulKv(new ConsulHttp(settings, blockingRead, 64));
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "consul-session-renewer " + instanceName);
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    void open(String path) {
        if (closed) {
            throw new TopoException(TopoError.UNAVAILABLE, path, "this consul topology connection is closed");
        }
    }

    @Override
    public Set<TopoCapability> capabilities() {
        return EnumSet.of(TopoCapability.RECURSIVE_WATCH, TopoCapability.LOCK_TTL);
    }

    // ---- files --------------------------------------------------------------------------

    private boolean isDir(String path) {
        return !kv.keys(settings.childPrefix(path), path).isEmpty();
    }

    @Override
    public Version create(String path, byte[] contents) {
        open(TopoPaths.checkFile(path));
        if (isDir(path)) {
            throw new TopoException(TopoError.NODE_EXISTS, path, "a directory exists at this path");
        }
        ConsulKv.TxnResult r = kv.txn(List.of(ConsulKv.opValue("cas", settings.key(path), contents, 0)), path);
        if (!r.committed()) {
            throw new TopoException(TopoError.NODE_EXISTS, path, "node already exists");
        }
        return written(r, path);
    }

    private static Version written(ConsulKv.TxnResult r, String path) {
        if (r.results().isEmpty()) {
            throw new TopoException(TopoError.UNAVAILABLE, path, "consul committed the write but returned no ModifyIndex");
        }
        return new Version(r.results().get(0).modifyIndex());
    }

    @Override
    public Version update(String path, byte[] contents, Optional<Version> expected) {
        open(TopoPaths.checkFile(path));
        String key = settings.key(path);
        if (expected.isPresent()) {
            long v = expected.get().value();
            if (v > 0) {
                ConsulKv.TxnResult r = kv.txn(List.of(ConsulKv.opValue("cas", key, contents, v)), path);
                if (r.committed()) {
                    return written(r, path);
                }
            }
            Optional<ConsulKv.Entry> now = kv.get(key, path);
            if (now.isEmpty()) {
                throw new TopoException(TopoError.NO_NODE, path, "no file to update at version " + expected.get());
            }
            throw new TopoException(TopoError.BAD_VERSION, path,
                    "expected version " + expected.get() + ", found " + now.get().modifyIndex());
        }
        if (isDir(path) && kv.get(key, path).isEmpty()) {
            throw new TopoException(TopoError.NODE_EXISTS, path, "a directory exists at this path");
        }
        return written(kv.txn(List.of(ConsulKv.opValue("set", key, contents, -1)), path), path);
    }

    @Override
    public Versioned get(String path) {
        open(TopoPaths.checkFile(path));
        ConsulKv.Entry e = kv.get(settings.key(path), path)
                .orElseThrow(() -> new TopoException(TopoError.NO_NODE, path, "no such file"));
        return new Versioned(e.value(), new Version(e.modifyIndex()));
    }

    @Override
    public void delete(String path, Optional<Version> expected) {
        open(TopoPaths.checkFile(path));
        String key = settings.key(path);
        JsonObject guard = expected.isPresent() ? ConsulKv.op("check-index", key, expected.get().value())
                : ConsulKv.op("get", key);
        ConsulKv.TxnResult r = kv.txn(List.of(guard, ConsulKv.op("delete", key)), path);
        if (r.committed()) {
            return;
        }
        Optional<ConsulKv.Entry> now = kv.get(key, path);
        if (now.isEmpty()) {
            if (isDir(path)) {
                throw new TopoException(TopoError.NOT_EMPTY, path, "directory is not empty");
            }
            throw new TopoException(TopoError.NO_NODE, path, "no such file");
        }
        if (expected.isPresent()) {
            throw new TopoException(TopoError.BAD_VERSION, path,
                    "expected version " + expected.get() + ", found " + now.get().modifyIndex());
        }
        // Re-created between the transaction and the read: delete what is there now.
        delete(path, Optional.of(new Version(now.get().modifyIndex())));
    }

    @Override
    public List<DirEntry> listDir(String dirPath) {
        open(TopoPaths.checkDir(dirPath));
        String prefix = settings.childPrefix(dirPath);
        TreeMap<String, DirEntry> entries = new TreeMap<>();
        List<String> files = new ArrayList<>();
        for (String k : kv.keys(prefix, dirPath)) {
            if (!k.startsWith(prefix) || k.length() == prefix.length()) {
                continue;
            }
            String rest = k.substring(prefix.length());
            if (rest.endsWith("/")) {
                String name = rest.substring(0, rest.length() - 1);
                if (!name.isEmpty() && name.indexOf('/') < 0) {
                    entries.putIfAbsent(name, new DirEntry(name, true, false));
                }
            } else if (rest.indexOf('/') < 0) {
                files.add(k);
            }
        }
        for (ConsulKv.Entry e : filesWithSessions(files, dirPath)) {
            String name = e.key().substring(prefix.length());
            entries.put(name, new DirEntry(name, false, e.locked()));
        }
        if (entries.isEmpty()) {
            throw new TopoException(TopoError.NO_NODE, dirPath, "no such directory");
        }
        return List.copyOf(entries.values());
    }

    /** Reads files in batches of transaction {@code get}s, to learn which are held by a session (ephemeral). */
    private List<ConsulKv.Entry> filesWithSessions(List<String> keys, String path) {
        List<ConsulKv.Entry> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += TXN_MAX_OPS) {
            List<String> batch = keys.subList(i, Math.min(keys.size(), i + TXN_MAX_OPS));
            List<JsonObject> ops = batch.stream().map(k -> ConsulKv.op("get", k)).toList();
            ConsulKv.TxnResult r = kv.txn(ops, path);
            if (r.committed()) {
                out.addAll(r.results());
            } else {
                for (String k : batch) { // one vanished meanwhile: read them one by one
                    kv.get(k, path).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    @Override
    public List<KeyValue> listByPrefix(String pathPrefix) {
        open(TopoPaths.checkPrefix(pathPrefix));
        String prefix = pathPrefix.isEmpty() ? settings.childPrefix("") : settings.key(pathPrefix);
        List<KeyValue> out = new ArrayList<>();
        for (ConsulKv.Entry e : kv.recurse(prefix, pathPrefix, 0, Duration.ZERO).value()) {
            out.add(new KeyValue(settings.path(e.key()), e.value(), new Version(e.modifyIndex())));
        }
        if (out.isEmpty()) {
            throw new TopoException(TopoError.NO_NODE, pathPrefix, "no file has this prefix");
        }
        return out;
    }

    // ---- watches ------------------------------------------------------------------------

    @Override
    public Watch watch(String path, WatchListener listener) {
        open(TopoPaths.checkFile(path));
        ConsulKv.Read<Optional<ConsulKv.Entry>> r = kv.get(settings.key(path), path, 0, Duration.ZERO);
        ConsulKv.Entry first = r.value().orElseThrow(() -> new TopoException(TopoError.NO_NODE, path, "no such file"));
        ConsulWatch[] self = new ConsulWatch[1];
        ConsulWatch w = new ConsulWatch(settings, path, first, listener, () -> watches.remove(self[0]));
        self[0] = w;
        watches.add(w);
        w.start(r.index());
        return w;
    }

    @Override
    public RecursiveWatch watchRecursive(String dirPath, WatchListener listener) {
        open(TopoPaths.checkDir(dirPath));
        String prefix = settings.childPrefix(dirPath);
        ConsulKv.Read<List<ConsulKv.Entry>> r = kv.recurse(prefix, dirPath, 0, Duration.ZERO);
        ConsulRecursiveWatch[] self = new ConsulRecursiveWatch[1];
        ConsulRecursiveWatch w = new ConsulRecursiveWatch(settings, dirPath, prefix, r.value(), listener,
                () -> watches.remove(self[0]));
        self[0] = w;
        watches.add(w);
        w.start(r.index());
        return w;
    }

    void register(PollingWatch w) {
        watches.add(w);
    }

    void unregister(PollingWatch w) {
        watches.remove(w);
    }

    // ---- sessions -----------------------------------------------------------------------

    private String sessionName() {
        return "mosaic " + instanceName + " pid " + ProcessHandle.current().pid();
    }

    /** This connection's session, created (and its renewal scheduled) on first use or after a loss. */
    synchronized ConsulSession session(String path) {
        open(path);
        if (session == null || session.isLost()) {
            ConsulSession s = ConsulSession.create(kv.http(), sessionName(), settings.sessionTtl(), settings.lockDelay(), path);
            sessions.add(s);
            long period = Math.max(1, settings.sessionTtl().toMillis() / 3);
            ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
            task[0] = scheduler.scheduleWithFixedDelay(() -> {
                try {
                    if (!s.renew(kv.http())) {
                        sessions.remove(s);
                        task[0].cancel(false);
                    }
                } catch (TopoException e) {
                    // Consul unreachable: retried at the next tick. Holders learn of a possible loss
                    // through check() (which asks Consul) and aliveForSure() (renewed < TTL ago).
                } catch (RuntimeException e) {
                    // A bug, not an outage: stop pretending the session is kept alive.
                    s.markLost();
                    sessions.remove(s);
                    throw e;
                }
            }, period, period, TimeUnit.MILLISECONDS);
            session = s;
        }
        return session;
    }

    /** The ids of the sessions this connection holds (tests destroy them to simulate a crash). */
    List<String> liveSessionIds() {
        return sessions.stream().filter(s -> !s.isLost()).map(s -> s.id).toList();
    }

    // ---- locks --------------------------------------------------------------------------

    /**
     * Stops renewing this connection's sessions, as a frozen or partitioned process would (tests
     * use it to show that Consul then expires the session and frees its locks).
     */
    void stopRenewingForTest() {
        scheduler.shutdownNow();
    }

    private String lockKey(String dirPath) {
        return settings.key(dirPath) + "/locks/lock";
    }

    @Override
    public TopoLock lock(String dirPath, String contents, Duration timeout) {
        open(TopoPaths.checkFile(dirPath));
        return take(lockKey(dirPath), dirPath, contents, timeout, true, null).orElseThrow();
    }

    @Override
    public Optional<TopoLock> tryLock(String dirPath, String contents) {
        open(TopoPaths.checkFile(dirPath));
        return take(lockKey(dirPath), dirPath, contents, Duration.ZERO, false, null);
    }

    @Override
    public TopoLock lockWithTtl(String dirPath, String contents, Duration ttl, Duration timeout) {
        open(TopoPaths.checkFile(dirPath));
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("lock TTL must be positive, got " + ttl);
        }
        if (ttl.compareTo(ConsulSettings.MAX_SESSION_TTL) > 0) {
            throw new IllegalArgumentException("lock TTL " + ttl + " exceeds Consul's maximum session TTL of 24h");
        }
        return take(lockKey(dirPath), dirPath, contents, timeout, true, ttl).orElseThrow();
    }

    @Override
    public TopoLock lockName(String name, String contents, Duration timeout) {
        open(TopoPaths.checkFile(name));
        return take(settings.key("internal/named_locks/" + name), name, contents, timeout, true, null).orElseThrow();
    }

    private Optional<TopoLock> take(String key, String path, String contents, Duration timeout, boolean wait, Duration ttl) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        if (!local.acquire(key, deadline, path)) {
            if (!wait) {
                return Optional.empty();
            }
            throw new TopoException(TopoError.TIMEOUT, path, "lock not acquired within " + timeout
                    + " (held by another holder on this connection)");
        }
        boolean ok = false;
        ConsulSession ttlSession = null;
        try {
            Supplier<ConsulSession> source;
            if (ttl != null) {
                // A TTL lock has a session of its own that is never renewed: Consul frees the lock
                // between max(ttl, floor) and twice that even if this process hangs; a timer frees it
                // at ttl while the process runs; check() reports expiry from ttl on.
                Duration floor = settings.sessionTtl().compareTo(Duration.ofSeconds(10)) < 0
                        ? settings.sessionTtl() : Duration.ofSeconds(10);
                Duration sessionTtl = ttl.compareTo(floor) < 0 ? floor : ttl;
                ttlSession = ConsulSession.create(kv.http(), sessionName() + " ttl-lock", sessionTtl, settings.lockDelay(), path);
                sessions.add(ttlSession);
                ConsulSession fixed = ttlSession;
                source = () -> fixed;
            } else {
                source = () -> session(path);
            }
            ConsulSession s = acquireKey(key, path, contents.getBytes(StandardCharsets.UTF_8), source, deadline, wait, () -> false);
            if (s == null) {
                return Optional.empty();
            }
            ConsulLock lock = new ConsulLock(this, key, path, s, ttl != null);
            locks.add(lock);
            if (ttl != null) {
                lock.expireAfter(scheduler, ttl);
            }
            ok = true;
            return Optional.of(lock);
        } finally {
            if (!ok) {
                local.release(key);
                if (ttlSession != null) {
                    destroyQuietly(ttlSession);
                }
            }
        }
    }

    /**
     * Acquires {@code key} for a session from {@code source}, waiting with blocking queries until it
     * is released, the deadline passes ({@code TIMEOUT}), or {@code abort} says stop
     * ({@code INTERRUPTED}).
     *
     * @return the session that holds the key, or null if {@code wait} is false and the key is held
     */
    ConsulSession acquireKey(String key, String path, byte[] value, Supplier<ConsulSession> source, long deadline,
                             boolean wait, BooleanSupplier abort) {
        long backoffMs = 25;
        int invalidSessions = 0;
        while (true) {
            open(path);
            if (Thread.currentThread().isInterrupted() || abort.getAsBoolean()) {
                throw new TopoException(TopoError.INTERRUPTED, path, "interrupted while waiting for the lock");
            }
            ConsulSession s = source.get();
            try {
                if (kv.acquire(key, s.id, value, path)) {
                    return s;
                }
            } catch (ConsulKv.InvalidSessionException e) {
                s.markLost();
                if (++invalidSessions > 3) {
                    throw new TopoException(TopoError.UNAVAILABLE, path, "consul keeps refusing the session: " + e.getMessage());
                }
                continue;
            }
            if (!wait) {
                return null;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                String holder = kv.get(key, path).map(e -> new String(e.value(), StandardCharsets.UTF_8)).orElse("?");
                throw new TopoException(TopoError.TIMEOUT, path, "not acquired in time; held by: " + holder);
            }
            ConsulKv.Read<Optional<ConsulKv.Entry>> now = kv.get(key, path, 0, Duration.ZERO);
            boolean held = now.value().map(ConsulKv.Entry::locked).orElse(false);
            if (held && left > 20_000_000L) {
                long waitNanos = Math.min(left, LOCK_POLL_WAIT.toNanos());
                blockingKv.get(key, path, Math.max(1, now.index()), Duration.ofMillis(Math.max(10, waitNanos / 1_000_000)));
                backoffMs = 25;
            } else {
                // Free but refused (Consul's lock-delay) or almost out of time: back off briefly.
                sleep(Math.min(backoffMs, Math.max(1, left / 1_000_000)), path);
                backoffMs = Math.min(backoffMs * 2, 1000);
            }
        }
    }

    private static void sleep(long ms, String path) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopoException(TopoError.INTERRUPTED, path, "interrupted while waiting", e);
        }
    }

    /** Deletes {@code key} only if {@code session} still holds it. */
    boolean releaseKey(String key, String path, ConsulSession session) {
        return kv.txn(List.of(ConsulKv.opSession("check-session", key, session.id), ConsulKv.op("delete", key)), path)
                .committed();
    }

    void forget(ConsulLock lock) {
        locks.remove(lock);
    }

    void destroyQuietly(ConsulSession s) {
        sessions.remove(s);
        try {
            s.destroy(kv.http());
        } catch (TopoException e) {
            // Unreachable: Consul invalidates the session when its TTL runs out anyway.
            s.markLost();
        }
    }

    // ---- elections ----------------------------------------------------------------------

    @Override
    public LeaderParticipation newLeaderParticipation(String electionName, String id) {
        open(TopoPaths.checkFile(electionName));
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("participant id must not be empty");
        }
        ConsulElection e = new ConsulElection(this, electionName, id, settings.key("elections/" + electionName + "/leader"));
        elections.add(e);
        return e;
    }

    void forget(ConsulElection e) {
        elections.remove(e);
    }

    // ---- lifecycle ----------------------------------------------------------------------

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        List<PollingWatch> ws = new ArrayList<>(watches);
        for (PollingWatch w : ws) {
            w.stop();
        }
        for (ConsulElection e : List.copyOf(elections)) {
            e.closeLocally();
        }
        for (ConsulLock l : List.copyOf(locks)) {
            l.markClosed();
        }
        local.wakeAll();
        scheduler.shutdownNow();
        for (ConsulSession s : List.copyOf(sessions)) {
            destroyQuietly(s);
        }
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (PollingWatch w : ws) {
            w.join(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
        }
        kv.http().close();
        blockingKv.http().close();
    }

    boolean isClosed() {
        return closed;
    }
}
