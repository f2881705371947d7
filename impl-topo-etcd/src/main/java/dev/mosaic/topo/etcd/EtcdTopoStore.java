package dev.mosaic.topo.etcd;

import static dev.mosaic.topo.etcd.Keys.bytes;

import dev.mosaic.spi.topo.DirEntry;
import dev.mosaic.spi.topo.KeyValue;
import dev.mosaic.spi.topo.LeaderParticipation;
import dev.mosaic.spi.topo.RecursiveWatch;
import dev.mosaic.spi.topo.TopoCapability;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.Versioned;
import dev.mosaic.spi.topo.Watch;
import dev.mosaic.spi.topo.WatchListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection (client + session) to etcd. Files are keys {@code <root>/<path>} and their
 * {@link Version} is the key's mod revision; directories are implicit (key prefixes). Writes that
 * must be conditional run as etcd transactions. Locks and elections are queues of keys attached
 * to a lease, ordered by create revision (see {@link LockQueue}).
 */
final class EtcdTopoStore implements TopoStore {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    final EtcdConfig config;
    final Client client;
    final KV kv;
    final Keys keys;
    final ScheduledExecutorService timer;
    final ExecutorService delivery;
    final LockQueue queue;
    private final String name;
    private final Object sessionLock = new Object();
    private Session session;
    private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
    private final Set<EtcdLock> locks = ConcurrentHashMap.newKeySet();
    private final Set<EtcdElection> elections = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean closed;

    private EtcdTopoStore(EtcdConfig config, String name, Client client) {
        this.config = config;
        this.name = name;
        this.client = client;
        this.kv = client.getKVClient();
        this.keys = new Keys(config.root());
        int n = INSTANCES.incrementAndGet();
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("mosaic-topo-etcd-" + n + "-timer"));
        AtomicInteger threads = new AtomicInteger();
        this.delivery = Executors.newCachedThreadPool(
                r -> daemon("mosaic-topo-etcd-" + n + "-watch-" + threads.incrementAndGet()).newThread(r));
        this.queue = new LockQueue(this);
    }

    private static java.util.concurrent.ThreadFactory daemon(String threadName) {
        return r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        };
    }

    /** Opens a client and checks etcd answers within the dial timeout. */
    static EtcdTopoStore connect(EtcdConfig config, String name) {
        Client client = Client.builder()
                .endpoints(config.endpoints().toArray(URI[]::new))
                .connectTimeout(config.dialTimeout())
                // Fail fast with UNAVAILABLE when etcd is down instead of queueing until our timeout.
                .waitForReady(false)
                .retryMaxDuration(config.requestTimeout())
                .retryDelay(100)
                .retryMaxDelay(1000)
                .build();
        EtcdTopoStore store = new EtcdTopoStore(config, name, client);
        try {
            EtcdErrors.await(client.getKVClient().get(bytes(store.keys.dirPrefix("")),
                    GetOption.builder().isPrefix(true).withCountOnly(true).build()), "", config.dialTimeout());
        } catch (TopoException e) {
            store.close();
            throw new TopoException(e.error(), "", "cannot reach etcd at " + config.endpoints() + " within "
                    + config.dialTimeout() + ": " + e.getMessage(), e);
        }
        return store;
    }

    // ---- plumbing ---------------------------------------------------------------------------

    void open(String path) {
        if (closed) {
            throw new TopoException(TopoError.UNAVAILABLE, path, "this topology connection (" + name + ") is closed");
        }
    }

    boolean isClosed() {
        return closed;
    }

    <T> T await(java.util.concurrent.CompletableFuture<T> f, String path) {
        return EtcdErrors.await(f, path, config.requestTimeout());
    }

    long nextSequence() {
        return sequence.incrementAndGet();
    }

    /** The session lease, opened on first use and replaced once it died. */
    Session session(String path) {
        synchronized (sessionLock) {
            open(path);
            if (session == null || !session.alive()) {
                session = Session.open(client, config.leaseTtl(), path, config.requestTimeout());
            }
            return session;
        }
    }

    void forget(EtcdWatch w) {
        watches.remove(w);
    }

    void forget(EtcdLock l) {
        locks.remove(l);
    }

    void forget(EtcdElection e) {
        elections.remove(e);
    }

    private static Cmp exists(ByteSequence key) {
        return new Cmp(key, Cmp.Op.GREATER, CmpTarget.createRevision(0));
    }

    private static Cmp absent(ByteSequence key) {
        return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0));
    }

    private boolean isDir(String path) {
        GetResponse r = await(kv.get(bytes(keys.dirPrefix(path)),
                GetOption.builder().isPrefix(true).withCountOnly(true).build()), path);
        return r.getCount() > 0;
    }

    // ---- files -------------------------------------------------------------------------------

    @Override
    public Set<TopoCapability> capabilities() {
        return Collections.unmodifiableSet(EnumSet.of(TopoCapability.RECURSIVE_WATCH, TopoCapability.LOCK_TTL, TopoCapability.HISTORICAL_VERSIONS));
    }

    @Override
    public Version create(String path, byte[] contents) {
        Keys.checkFile(path);
        open(path);
        if (isDir(path)) {
            throw new TopoException(TopoError.NODE_EXISTS, path, "a directory exists at this path");
        }
        return createFile(path, contents, false);
    }

    /**
     * Writes {@code path} if no file exists there nor at any ancestor (a file cannot have
     * children). With {@code upsert}, a file that appeared meanwhile makes it return null.
     */
    private Version createFile(String path, byte[] contents, boolean upsert) {
        ByteSequence key = bytes(keys.file(path));
        List<Cmp> cmps = new ArrayList<>();
        cmps.add(absent(key));
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
            cmps.add(absent(bytes(keys.file(path.substring(0, slash)))));
        }
        TxnResponse r = await(kv.txn().If(cmps.toArray(Cmp[]::new))
                .Then(Op.put(key, ByteSequence.from(contents), PutOption.DEFAULT))
                .Else(Op.get(key, GetOption.builder().withCountOnly(true).build()))
                .commit(), path);
        if (r.isSucceeded()) {
            return new Version(r.getHeader().getRevision());
        }
        if (r.getGetResponses().get(0).getCount() > 0) {
            if (upsert) {
                return null;
            }
            throw new TopoException(TopoError.NODE_EXISTS, path, "node already exists");
        }
        throw new TopoException(TopoError.NODE_EXISTS, path, "a parent of this path is a file, not a directory");
    }

    @Override
    public Version update(String path, byte[] contents, Optional<Version> expected) {
        Keys.checkFile(path);
        open(path);
        ByteSequence key = bytes(keys.file(path));
        ByteSequence value = ByteSequence.from(contents);
        if (expected.isPresent()) {
            long v = expected.get().value();
            TxnResponse r = await(kv.txn()
                    .If(exists(key), new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(v)))
                    .Then(Op.put(key, value, PutOption.DEFAULT))
                    .Else(Op.get(key, GetOption.builder().withKeysOnly(true).build()))
                    .commit(), path);
            if (r.isSucceeded()) {
                return new Version(r.getHeader().getRevision());
            }
            List<io.etcd.jetcd.KeyValue> found = r.getGetResponses().get(0).getKvs();
            if (found.isEmpty()) {
                throw new TopoException(TopoError.NO_NODE, path, "no file to update at version " + v);
            }
            throw new TopoException(TopoError.BAD_VERSION, path,
                    "expected version " + v + ", found " + found.get(0).getModRevision());
        }
        for (int attempt = 0; ; attempt++) {
            // Common case first: the file exists, one round trip.
            TxnResponse r = await(kv.txn().If(exists(key)).Then(Op.put(key, value, PutOption.DEFAULT)).commit(), path);
            if (r.isSucceeded()) {
                return new Version(r.getHeader().getRevision());
            }
            if (isDir(path)) {
                throw new TopoException(TopoError.NODE_EXISTS, path, "a directory exists at this path");
            }
            Version created = createFile(path, contents, true);
            if (created != null) {
                return created;
            }
            if (attempt >= 5) {
                throw new TopoException(TopoError.UNAVAILABLE, path, "file kept appearing and disappearing during an unconditional update");
            }
        }
    }

    @Override
    public Versioned get(String path) {
        Keys.checkFile(path);
        open(path);
        GetResponse r = await(kv.get(bytes(keys.file(path))), path);
        if (r.getKvs().isEmpty()) {
            throw new TopoException(TopoError.NO_NODE, path, "no such file");
        }
        io.etcd.jetcd.KeyValue found = r.getKvs().get(0);
        return new Versioned(found.getValue().getBytes(), new Version(found.getModRevision()));
    }

    /** Reads the value the file had at {@code version} (a mod revision), while etcd has not compacted it. */
    @Override
    public Versioned getVersion(String path, Version version) {
        Keys.checkFile(path);
        open(path);
        java.util.Objects.requireNonNull(version, "version");
        GetResponse r;
        try {
            r = await(kv.get(bytes(keys.file(path)), GetOption.builder().withRevision(version.value()).build()), path);
        } catch (TopoException e) {
            if (e.error() == TopoError.UNAVAILABLE && e.getMessage().contains("revision")) {
                // compacted, or a future revision
                throw new TopoException(TopoError.NO_NODE, path, "version " + version + " is not available: " + e.getMessage(), e);
            }
            throw e;
        }
        if (r.getKvs().isEmpty() || r.getKvs().get(0).getModRevision() != version.value()) {
            throw new TopoException(TopoError.NO_NODE, path, "this path never had version " + version);
        }
        return new Versioned(r.getKvs().get(0).getValue().getBytes(), version);
    }

    @Override
    public void delete(String path, Optional<Version> expected) {
        Keys.checkFile(path);
        open(path);
        ByteSequence key = bytes(keys.file(path));
        if (expected.isPresent()) {
            long v = expected.get().value();
            TxnResponse r = await(kv.txn()
                    .If(exists(key), new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(v)))
                    .Then(Op.delete(key, DeleteOption.DEFAULT))
                    .Else(Op.get(key, GetOption.builder().withKeysOnly(true).build()))
                    .commit(), path);
            if (r.isSucceeded()) {
                return;
            }
            List<io.etcd.jetcd.KeyValue> found = r.getGetResponses().get(0).getKvs();
            if (!found.isEmpty()) {
                throw new TopoException(TopoError.BAD_VERSION, path,
                        "expected version " + v + ", found " + found.get(0).getModRevision());
            }
        } else if (await(kv.delete(key), path).getDeleted() > 0) {
            return;
        }
        if (isDir(path)) {
            throw new TopoException(TopoError.NOT_EMPTY, path, "directory is not empty");
        }
        throw new TopoException(TopoError.NO_NODE, path, "no such file");
    }

    @Override
    public List<DirEntry> listDir(String dirPath) {
        Keys.checkDir(dirPath);
        open(dirPath);
        String prefix = keys.dirPrefix(dirPath);
        GetResponse r = await(kv.get(bytes(prefix), GetOption.builder().isPrefix(true).withKeysOnly(true).build()), dirPath);
        TreeMap<String, DirEntry> entries = new TreeMap<>();
        for (io.etcd.jetcd.KeyValue e : r.getKvs()) {
            String rest = Keys.string(e.getKey()).substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                entries.put(rest, new DirEntry(rest, false, e.getLease() != 0));
            } else {
                String child = rest.substring(0, slash);
                entries.putIfAbsent(child, new DirEntry(child, true, false));
            }
        }
        if (entries.isEmpty()) {
            throw new TopoException(TopoError.NO_NODE, dirPath, "no such directory");
        }
        return List.copyOf(entries.values());
    }

    @Override
    public List<KeyValue> listByPrefix(String pathPrefix) {
        Keys.checkPrefix(pathPrefix);
        open(pathPrefix);
        GetResponse r = await(kv.get(bytes(keys.dirPrefix("") + pathPrefix), GetOption.builder().isPrefix(true).build()),
                pathPrefix);
        List<KeyValue> out = new ArrayList<>(r.getKvs().size());
        for (io.etcd.jetcd.KeyValue e : r.getKvs()) {
            out.add(new KeyValue(keys.path(Keys.string(e.getKey())), e.getValue().getBytes(), new Version(e.getModRevision())));
        }
        if (out.isEmpty()) {
            throw new TopoException(TopoError.NO_NODE, pathPrefix, "no file has this prefix");
        }
        out.sort((a, b) -> a.path().compareTo(b.path()));
        return out;
    }

    // ---- watches -----------------------------------------------------------------------------

    @Override
    public Watch watch(String path, WatchListener listener) {
        Keys.checkFile(path);
        open(path);
        EtcdWatch w = new EtcdWatch(this, path, false, listener);
        watches.add(w);
        try {
            w.start();
        } catch (RuntimeException e) {
            watches.remove(w);
            throw e;
        }
        if (closed) {
            w.cancel();
        }
        return w.asWatch();
    }

    @Override
    public RecursiveWatch watchRecursive(String dirPath, WatchListener listener) {
        Keys.checkDir(dirPath);
        open(dirPath);
        EtcdWatch w = new EtcdWatch(this, dirPath, true, listener);
        watches.add(w);
        try {
            w.start();
        } catch (RuntimeException e) {
            watches.remove(w);
            throw e;
        }
        if (closed) {
            w.cancel();
        }
        return w.asRecursiveWatch();
    }

    // ---- locks -------------------------------------------------------------------------------

    @Override
    public TopoLock lock(String dirPath, String contents, Duration timeout) {
        Keys.checkFile(dirPath);
        return acquire(dirPath, dirPath + "/" + Keys.LOCKS_DIR, contents, null, timeout, false);
    }

    @Override
    public Optional<TopoLock> tryLock(String dirPath, String contents) {
        Keys.checkFile(dirPath);
        return Optional.ofNullable(acquire(dirPath, dirPath + "/" + Keys.LOCKS_DIR, contents, null, Duration.ZERO, true));
    }

    @Override
    public TopoLock lockWithTtl(String dirPath, String contents, Duration ttl, Duration timeout) {
        Keys.checkFile(dirPath);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("lock TTL must be positive, got " + ttl);
        }
        return acquire(dirPath, dirPath + "/" + Keys.LOCKS_DIR, contents, ttl, timeout, false);
    }

    @Override
    public TopoLock lockName(String lockName, String contents, Duration timeout) {
        Keys.checkFile(lockName);
        return acquire(lockName, Keys.NAMED_LOCKS_DIR + "/" + lockName, contents, null, timeout, false);
    }

    /** Returns null only for a failed try-lock. */
    private EtcdLock acquire(String path, String queueDir, String contents, Duration ttl, Duration timeout,
                             boolean tryOnly) {
        open(path);
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        // A TTL lock gets its own lease, renewed until the TTL passes (or its holder dies: then it
        // expires within min(ttl, lease_ttl)), and revoked when the TTL passes.
        Session lease = ttl == null ? session(path)
                : Session.open(client, ttl.compareTo(config.leaseTtl()) < 0 ? ttl : config.leaseTtl(), path,
                        config.requestTimeout());
        LockQueue.Ticket ticket;
        try {
            ticket = queue.enqueue(path, queueDir, contents, lease);
        } catch (RuntimeException e) {
            if (ttl != null) {
                lease.revoke(config.requestTimeout());
            }
            throw e;
        }
        boolean acquired = false;
        try {
            LockQueue.Head head = queue.awaitHead(ticket, deadline, tryOnly);
            if (head.acquired()) {
                acquired = true;
                EtcdLock lock = new EtcdLock(this, path, ticket, ttl);
                locks.add(lock);
                if (closed) {
                    lock.release(false);
                    throw new TopoException(TopoError.UNAVAILABLE, path, "this topology connection is closed");
                }
                return lock;
            }
            if (head.vanished()) {
                throw new TopoException(TopoError.UNAVAILABLE, path,
                        "our lock entry vanished while waiting: the session lease expired");
            }
            if (tryOnly) {
                return null;
            }
            throw new TopoException(TopoError.TIMEOUT, path, "lock not acquired within " + timeout
                    + "; held by: " + head.holder());
        } finally {
            if (!acquired) {
                queue.dequeueQuietly(ticket);
                if (ttl != null) {
                    lease.revoke(config.requestTimeout());
                }
            }
        }
    }

    // ---- elections ---------------------------------------------------------------------------

    @Override
    public LeaderParticipation newLeaderParticipation(String electionName, String id) {
        Keys.checkFile(electionName);
        java.util.Objects.requireNonNull(id, "id");
        open(electionName);
        EtcdElection e = new EtcdElection(this, electionName, Keys.ELECTIONS_DIR + "/" + electionName, id);
        elections.add(e);
        return e;
    }

    // ---- session end -------------------------------------------------------------------------

    @Override
    public void close() {
        shutdown(true);
    }

    /**
     * Ends the connection. With {@code revoke}, the session lease is revoked so etcd releases the
     * locks and election entries at once; without, they are left to expire after
     * {@code lease_ttl}, exactly as when the process dies (used by tests).
     */
    void shutdown(boolean revoke) {
        synchronized (sessionLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (EtcdWatch w : List.copyOf(watches)) {
            w.cancel();
        }
        for (EtcdElection e : List.copyOf(elections)) {
            e.detach();
        }
        for (EtcdLock l : List.copyOf(locks)) {
            l.release(revoke);
        }
        synchronized (sessionLock) {
            if (session != null) {
                if (revoke) {
                    session.revoke(config.requestTimeout());
                } else {
                    session.abandon();
                }
            }
        }
        timer.shutdownNow();
        client.close();
        delivery.shutdown();
        try {
            delivery.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
