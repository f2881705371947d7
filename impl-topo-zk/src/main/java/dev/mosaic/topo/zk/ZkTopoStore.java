package dev.mosaic.topo.zk;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.RetryLoop;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * A {@link TopoStore} on one ZooKeeper session (managed by Curator).
 *
 * <p><b>Layout</b> (as Vitess's zk2topo): a file is a persistent znode holding the bytes; a
 * directory is a container znode without data, created in the same transaction as its first
 * child and deleted with its last one (ZooKeeper also reaps empty containers itself). ZooKeeper's
 * {@code Stat} does not say whether a node is a container, so a node is a directory when it has
 * no data and has or had children ({@code cversion > 0}), and a file otherwise. Locks are ephemeral sequential znodes under
 * {@code <dir>/locks/}; elections under {@code elections/<name>/}; named locks under
 * {@code internal/named_locks/<name>/locks/}.
 *
 * <p><b>Versions</b> are the znode's {@code mzxid}: the zxid of the transaction that last wrote it.
 * zxids are unique and increase across the whole ensemble, so a version is never reused, not even
 * by a node deleted and re-created at the same path (whose {@code dataVersion} would restart at 0).
 * ZooKeeper can only make a write conditional on {@code dataVersion}, so a compare-and-set reads
 * the file and the root together, checks the {@code mzxid}, and then runs
 * {@code multi(check(root, rootVersion), setData(file, dataVersion))}. Every znode this store
 * creates other than lock and election nodes (files and directories) is created in a transaction
 * that also bumps the root's {@code dataVersion}; so if the root's version is unchanged, no
 * file was re-created between the read and the write, and the file's {@code dataVersion} is the
 * one read with the matching {@code mzxid}. A CAS therefore never succeeds against a re-created
 * node; a concurrent create elsewhere only makes the CAS re-read and retry.
 *
 * <p><b>Sessions</b>: connection loss is retried for reads and reported as
 * {@link TopoError#UNAVAILABLE} for writes (whose outcome is then unknown). When the session is
 * lost, watches end with {@link dev.mosaic.spi.topo.WatchEvent.Failed}, locks report
 * {@link TopoError#NO_NODE} from {@link TopoLock#check()}, and leadership terms end (they also end
 * when the connection is merely suspended, since another participant may be elected once the
 * server expires the session).
 */
final class ZkTopoStore implements TopoStore {
    static final byte[] EMPTY = new byte[0];
    static final List<org.apache.zookeeper.data.ACL> ACL = ZooDefs.Ids.OPEN_ACL_UNSAFE;
    /** Bound on internal retries of races (a concurrent create or directory removal). */
    private static final int MAX_RACES = 100;
    private static final AtomicInteger STORES = new AtomicInteger();

    /** Something tied to this store's session: watches, locks, election participations. */
    interface SessionBound {
        /** The connection is suspended: the session may or may not survive. */
        default void suspended() {
        }

        /** Connected again (same session, or a new one after {@link #sessionLost()}). */
        default void reconnected() {
        }

        /** The session is gone: ephemeral nodes and server-side watches with it. */
        void sessionLost();

        /** The store is closing. */
        void storeClosed();
    }

    @FunctionalInterface
    interface ZkCall<T> {
        T call(ZooKeeper zk) throws KeeperException, InterruptedException;
    }

    final ZkConfig config;
    final ZkPaths paths;
    final String name;
    private final CuratorFramework client;
    private final ExecutorService pool;
    private final Set<SessionBound> bound = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private ZkTopoStore(ZkConfig config, String name, CuratorFramework client) {
        this.config = config;
        this.paths = new ZkPaths(config.root());
        this.name = name;
        this.client = client;
        this.pool = Executors.newFixedThreadPool(config.watchThreads(), threads("mosaic-zk-watch-" + name));
        client.getConnectionStateListenable().addListener((c, state) -> onState(state));
    }

    static ZkTopoStore open(ZkConfig config, String name) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(config.connectString())
                .sessionTimeoutMs((int) config.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) config.connectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry((int) config.retryBaseSleep().toMillis(),
                        config.retryMaxRetries(), (int) config.retryMaxSleep().toMillis()))
                .ensembleTracker(false)
                .threadFactory(threads("mosaic-zk-curator-" + name))
                .build();
        client.start();
        try {
            if (!client.blockUntilConnected((int) config.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                client.close();
                throw new TopoException(TopoError.UNAVAILABLE, "", "no ZooKeeper server of " + config.connectString()
                        + " answered within connection_timeout " + config.connectionTimeout());
            }
        } catch (InterruptedException e) {
            client.close();
            throw ZkErrors.interrupted("", e);
        }
        ZkTopoStore store = new ZkTopoStore(config, name, client);
        try {
            store.ensureRoot();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet() + "-" + STORES.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void ensureRoot() {
        read("", zk -> {
            String p = "";
            for (String seg : paths.root().substring(1).split("/")) {
                p = p + "/" + seg;
                try {
                    zk.create(p, EMPTY, ACL, CreateMode.PERSISTENT);
                } catch (KeeperException.NodeExistsException e) {
                    // already there: fine
                }
            }
            return null;
        });
    }

    // ---- session plumbing -----------------------------------------------------------------

    private void onState(ConnectionState state) {
        for (SessionBound b : bound) {
            switch (state) {
                case SUSPENDED -> b.suspended();
                case LOST -> b.sessionLost();
                case RECONNECTED -> b.reconnected();
                default -> {
                }
            }
        }
    }

    void register(SessionBound b) {
        bound.add(b);
        if (closed) {
            bound.remove(b);
            b.storeClosed();
            throw new TopoException(TopoError.UNAVAILABLE, "", "this topology store is closed");
        }
    }

    void unregister(SessionBound b) {
        bound.remove(b);
    }

    ExecutorService pool() {
        return pool;
    }

    boolean isClosed() {
        return closed;
    }

    /** True while connected to a server. */
    boolean connected() {
        return !closed && client.getZookeeperClient().isConnected();
    }

    /** The live session's id, or 0 when not connected. */
    long sessionId() {
        try {
            return connected() ? client.getZookeeperClient().getZooKeeper().getSessionId() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    /** The ZooKeeper handle, waiting up to connection_timeout for a connection. */
    ZooKeeper zk(String path) {
        if (closed) {
            throw new TopoException(TopoError.UNAVAILABLE, path, "this topology store is closed");
        }
        try {
            var c = client.getZookeeperClient();
            if (!c.isConnected() && !c.blockUntilConnectedOrTimedOut()) {
                throw new TopoException(TopoError.UNAVAILABLE, path, "not connected to ZooKeeper ("
                        + config.connectString() + ") within connection_timeout " + config.connectionTimeout());
            }
            return c.getZooKeeper();
        } catch (InterruptedException e) {
            throw ZkErrors.interrupted(path, e);
        } catch (TopoException e) {
            throw e;
        } catch (Exception e) {
            throw new TopoException(TopoError.UNAVAILABLE, path, "no ZooKeeper connection: " + e, e);
        }
    }

    /** Runs an idempotent call, retrying connection losses per the retry settings. */
    <T> T read(String path, ZkCall<T> call) {
        RetryPolicy policy = client.getZookeeperClient().getRetryPolicy();
        long start = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            try {
                return call.call(zk(path));
            } catch (KeeperException e) {
                boolean transientLoss = e.code() == KeeperException.Code.CONNECTIONLOSS
                        || e.code() == KeeperException.Code.OPERATIONTIMEOUT
                        || e.code() == KeeperException.Code.SESSIONMOVED;
                if (transientLoss && !closed && policy.allowRetry(attempt,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), RetryLoop.getDefaultRetrySleeper())) {
                    continue;
                }
                throw ZkErrors.map(e, path);
            } catch (InterruptedException e) {
                throw ZkErrors.interrupted(path, e);
            }
        }
    }

    /**
     * A directory: a node without data that has, or once had, children. ZooKeeper does not
     * expose whether a node is a container, so the shape decides: every directory this store
     * creates gets its first child in the same transaction (so its cversion is at least 1), while
     * a file never has children. An empty directory ({@link #isEmptyDir}) is a leftover the
     * server reaps; it does not exist for callers.
     */
    static boolean isDir(Stat s) {
        return s.getDataLength() == 0 && (s.getNumChildren() > 0 || s.getCversion() > 0);
    }

    /** A directory whose last child is gone (cleanup pending). */
    static boolean isEmptyDir(Stat s) {
        return isDir(s) && s.getNumChildren() == 0;
    }

    static boolean isEphemeral(Stat s) {
        long owner = s.getEphemeralOwner();
        return owner != 0 && (owner >>> 56) != 0xFF;
    }

    private static TopoException unknownOutcome(String path, KeeperException e) {
        return new TopoException(TopoError.UNAVAILABLE, path,
                "ZooKeeper " + e.code() + " during a write; it may or may not have been applied", e);
    }

    private static boolean connectionTrouble(KeeperException e) {
        return e.code() == KeeperException.Code.CONNECTIONLOSS || e.code() == KeeperException.Code.OPERATIONTIMEOUT;
    }

    // ---- files ----------------------------------------------------------------------------

    @Override
    public Set<TopoCapability> capabilities() {
        return EnumSet.of(TopoCapability.RECURSIVE_WATCH);
    }

    /**
     * The directories between the root and {@code dirZnode} (inclusive) that do not exist yet,
     * outermost first.
     *
     * @throws TopoException NODE_EXISTS if one of them is a file
     */
    List<String> missingDirs(String dirZnode, String path) {
        List<String> missing = new ArrayList<>();
        for (String d = dirZnode; !d.equals(paths.root()); d = ZkPaths.parent(d)) {
            String dir = d;
            Stat s = read(path, zk -> zk.exists(dir, false));
            if (s == null) {
                missing.add(dir);
                continue;
            }
            if (!isDir(s)) {
                throw new TopoException(TopoError.NODE_EXISTS, path, "'" + paths.relative(dir) + "' is a file, not a directory");
            }
            break;
        }
        Collections.reverse(missing);
        return missing;
    }

    /**
     * Creates {@code znode} with its missing parent directories in one transaction.
     * Directory and file creations also bump the root's version (see the type's documentation);
     * lock and election nodes ({@code bumpRoot == false}) do not unless they create directories.
     *
     * @return the transaction's results; the created node's result is at index {@code size - 1}
     *         or {@code size - 2} when the root was bumped
     */
    private List<OpResult> createWithParents(String path, String znode, byte[] data, CreateMode mode, boolean bumpRoot,
                                             int[] nodeIndex) {
        for (int race = 0; ; race++) {
            List<String> missing = missingDirs(ZkPaths.parent(znode), path);
            List<Op> ops = new ArrayList<>();
            for (String dir : missing) {
                ops.add(Op.create(dir, EMPTY, ACL, CreateMode.CONTAINER));
            }
            nodeIndex[0] = ops.size();
            ops.add(Op.create(znode, data, ACL, mode));
            if (bumpRoot || !missing.isEmpty()) {
                ops.add(Op.setData(paths.root(), EMPTY, -1));
            }
            try {
                return zk(path).multi(ops);
            } catch (KeeperException e) {
                int failed = ZkErrors.failedOp(e);
                boolean raceOnDirs = e.code() == KeeperException.Code.NONODE
                        || (e.code() == KeeperException.Code.NODEEXISTS && failed >= 0 && failed < nodeIndex[0]);
                if (raceOnDirs && race < MAX_RACES) {
                    continue; // a directory appeared or was removed meanwhile: look again
                }
                if (e.code() == KeeperException.Code.NODEEXISTS) {
                    if (race < MAX_RACES && removeEmptyDir(path, znode)) {
                        continue; // an emptied directory lingered at this path: it does not exist
                    }
                    throw new TopoException(TopoError.NODE_EXISTS, path, "node already exists", e);
                }
                if (connectionTrouble(e)) {
                    throw unknownOutcome(path, e);
                }
                throw ZkErrors.map(e, path);
            } catch (InterruptedException e) {
                throw ZkErrors.interrupted(path, e);
            }
        }
    }

    /** Deletes {@code znode} if it is an empty directory; true if it was one (and is gone). */
    private boolean removeEmptyDir(String path, String znode) {
        Stat s = read(path, zk -> zk.exists(znode, false));
        if (s == null) {
            return true;
        }
        if (!isEmptyDir(s)) {
            return false;
        }
        try {
            zk(path).delete(znode, s.getVersion());
        } catch (KeeperException e) {
            // changed meanwhile: the caller looks again
        } catch (InterruptedException e) {
            throw ZkErrors.interrupted(path, e);
        }
        return true;
    }

    @Override
    public Version create(String path, byte[] contents) {
        Objects.requireNonNull(contents, "contents");
        String zp = paths.file(path);
        int[] idx = new int[1];
        List<OpResult> res = createWithParents(path, zp, contents, CreateMode.PERSISTENT, true, idx);
        // Every op of one transaction shares its zxid: the root's new mzxid is the file's.
        return new Version(((OpResult.SetDataResult) res.get(res.size() - 1)).getStat().getMzxid());
    }

    @Override
    public Version update(String path, byte[] contents, Optional<Version> expected) {
        Objects.requireNonNull(contents, "contents");
        Objects.requireNonNull(expected, "expected");
        String zp = paths.file(path);
        if (expected.isEmpty()) {
            for (int race = 0; ; race++) {
                Stat[] rf = null;
                try {
                    rf = readRootAndFile(path, zp);
                } catch (TopoException e) {
                    if (e.error() != TopoError.NO_NODE) {
                        throw e;
                    }
                }
                if (rf == null || isEmptyDir(rf[1])) {
                    try {
                        return create(path, contents);
                    } catch (TopoException e) {
                        if (e.error() != TopoError.NODE_EXISTS || race >= 3) {
                            throw e; // NODE_EXISTS again and again: a file above this path
                        }
                        continue;
                    }
                }
                if (isDir(rf[1])) {
                    throw new TopoException(TopoError.NODE_EXISTS, path, "a directory exists at this path");
                }
                try {
                    // Guarded like a compare-and-set, so a directory that replaced the file meanwhile
                    // is never written to; a concurrent writer only makes us go round again.
                    List<OpResult> res = zk(path).multi(List.of(
                            Op.check(paths.root(), rf[0].getVersion()),
                            Op.setData(zp, contents, rf[1].getVersion())));
                    return new Version(((OpResult.SetDataResult) res.get(1)).getStat().getMzxid());
                } catch (KeeperException e) {
                    boolean again = e.code() == KeeperException.Code.BADVERSION || e.code() == KeeperException.Code.NONODE;
                    if (!again || race >= MAX_RACES) {
                        throw connectionTrouble(e) ? unknownOutcome(path, e) : ZkErrors.map(e, path);
                    }
                } catch (InterruptedException e) {
                    throw ZkErrors.interrupted(path, e);
                }
            }
        }
        long want = expected.get().value();
        for (int race = 0; ; race++) {
            Stat[] rf = readRootAndFile(path, zp);
            checkExpected(path, rf[1], want);
            try {
                List<OpResult> res = zk(path).multi(List.of(
                        Op.check(paths.root(), rf[0].getVersion()),
                        Op.setData(zp, contents, rf[1].getVersion())));
                return new Version(((OpResult.SetDataResult) res.get(1)).getStat().getMzxid());
            } catch (KeeperException e) {
                if (ZkErrors.failedOp(e) == 0 && race < MAX_RACES) {
                    continue; // something was created meanwhile; re-read
                }
                throw casFailure(path, e);
            } catch (InterruptedException e) {
                throw ZkErrors.interrupted(path, e);
            }
        }
    }

    private TopoException casFailure(String path, KeeperException e) {
        if (e.code() == KeeperException.Code.BADVERSION) {
            return new TopoException(TopoError.BAD_VERSION, path, "the file changed since the expected version", e);
        }
        if (connectionTrouble(e)) {
            return unknownOutcome(path, e);
        }
        return ZkErrors.map(e, path);
    }

    /** Reads the root's stat, then the file's (in that order, in one request). */
    private Stat[] readRootAndFile(String path, String zp) {
        List<OpResult> r = read(path, zk -> zk.multi(List.of(Op.getData(paths.root()), Op.getData(zp))));
        if (!(r.get(0) instanceof OpResult.GetDataResult root)) {
            throw new TopoException(TopoError.UNAVAILABLE, path, "root znode " + paths.root() + " is missing");
        }
        if (r.get(1) instanceof OpResult.ErrorResult err) {
            KeeperException.Code code = KeeperException.Code.get(err.getErr());
            if (code == KeeperException.Code.NONODE) {
                throw new TopoException(TopoError.NO_NODE, path, "no such file");
            }
            throw ZkErrors.map(KeeperException.create(code, zp), path);
        }
        return new Stat[] {root.getStat(), ((OpResult.GetDataResult) r.get(1)).getStat()};
    }

    private static void checkExpected(String path, Stat file, long want) {
        if (isDir(file)) {
            throw new TopoException(TopoError.NO_NODE, path, "a directory, not a file");
        }
        if (file.getMzxid() != want) {
            throw new TopoException(TopoError.BAD_VERSION, path,
                    "expected version " + want + ", found " + file.getMzxid());
        }
    }

    @Override
    public Versioned get(String path) {
        String zp = paths.file(path);
        Stat s = new Stat();
        byte[] data = read(path, zk -> zk.getData(zp, false, s));
        if (isDir(s)) {
            throw new TopoException(TopoError.NO_NODE, path, "a directory, not a file");
        }
        return new Versioned(data == null ? EMPTY : data, new Version(s.getMzxid()));
    }

    @Override
    public void delete(String path, Optional<Version> expected) {
        Objects.requireNonNull(expected, "expected");
        String zp = paths.file(path);
        if (expected.isEmpty()) {
            Stat s = read(path, zk -> zk.exists(zp, false));
            if (s == null) {
                throw new TopoException(TopoError.NO_NODE, path, "no such file");
            }
            if (isDir(s)) {
                throw s.getNumChildren() > 0
                        ? new TopoException(TopoError.NOT_EMPTY, path, "directory is not empty")
                        : new TopoException(TopoError.NO_NODE, path, "no such file");
            }
            try {
                zk(path).delete(zp, -1);
            } catch (KeeperException e) {
                throw connectionTrouble(e) ? unknownOutcome(path, e) : ZkErrors.map(e, path);
            } catch (InterruptedException e) {
                throw ZkErrors.interrupted(path, e);
            }
        } else {
            long want = expected.get().value();
            for (int race = 0; ; race++) {
                Stat[] rf = readRootAndFile(path, zp);
                if (isDir(rf[1]) && rf[1].getNumChildren() > 0) {
                    throw new TopoException(TopoError.NOT_EMPTY, path, "directory is not empty");
                }
                checkExpected(path, rf[1], want);
                try {
                    zk(path).multi(List.of(Op.check(paths.root(), rf[0].getVersion()), Op.delete(zp, rf[1].getVersion())));
                    break;
                } catch (KeeperException e) {
                    if (ZkErrors.failedOp(e) == 0 && race < MAX_RACES) {
                        continue;
                    }
                    throw casFailure(path, e);
                } catch (InterruptedException e) {
                    throw ZkErrors.interrupted(path, e);
                }
            }
        }
        deleteEmptyDirs(zp);
    }

    /** Removes the directories above {@code znode} that are now empty, as zk2topo does. Best effort. */
    void deleteEmptyDirs(String znode) {
        for (String dir : ZkPaths.ancestorsBelow(znode, paths.root())) {
            try {
                ZooKeeper zk = zk(dir);
                Stat s = zk.exists(dir, false);
                if (s == null) {
                    continue;
                }
                if (s.getNumChildren() > 0 || s.getDataLength() > 0) {
                    return;
                }
                zk.delete(dir, s.getVersion());
            } catch (KeeperException.NoNodeException e) {
                // someone else removed it
            } catch (KeeperException | TopoException e) {
                return; // not empty any more, changed, or unreachable: ZooKeeper reaps empty containers itself
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public List<DirEntry> listDir(String dirPath) {
        String zp = paths.dir(dirPath);
        List<String> names = read(dirPath, zk -> zk.getChildren(zp, false));
        List<DirEntry> entries = new ArrayList<>();
        List<ChildStat> children = statChildren(dirPath, zp, names);
        for (ChildStat c : children) {
            if (isEmptyDir(c.stat)) {
                continue; // an empty directory does not exist
            }
            entries.add(new DirEntry(c.name, isDir(c.stat), isEphemeral(c.stat)));
        }
        if (entries.isEmpty()) {
            throw new TopoException(TopoError.NO_NODE, dirPath, "no such directory");
        }
        entries.sort(Comparator.comparing(DirEntry::name));
        return entries;
    }

    private record ChildStat(String name, String znode, byte[] data, Stat stat) {
    }

    /** Reads the children's data and stats in one request per batch; children gone meanwhile are skipped. */
    private List<ChildStat> statChildren(String path, String parent, List<String> names) {
        List<ChildStat> out = new ArrayList<>();
        final int batch = 500;
        for (int from = 0; from < names.size(); from += batch) {
            List<String> part = names.subList(from, Math.min(names.size(), from + batch));
            List<Op> ops = new ArrayList<>();
            for (String n : part) {
                ops.add(Op.getData(parent + "/" + n));
            }
            List<OpResult> res = read(path, zk -> zk.multi(ops));
            for (int i = 0; i < part.size(); i++) {
                if (res.get(i) instanceof OpResult.GetDataResult r) {
                    out.add(new ChildStat(part.get(i), parent + "/" + part.get(i),
                            r.getData() == null ? EMPTY : r.getData(), r.getStat()));
                }
            }
        }
        return out;
    }

    @Override
    public List<KeyValue> listByPrefix(String pathPrefix) {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        int slash = pathPrefix.lastIndexOf('/');
        String dir = slash < 0 ? "" : pathPrefix.substring(0, slash);
        List<KeyValue> out = new ArrayList<>();
        try {
            ZkPaths.check(dir);
        } catch (IllegalArgumentException e) {
            throw new TopoException(TopoError.NO_NODE, pathPrefix, "no file has this prefix");
        }
        collectFiles(pathPrefix, dir, paths.dir(dir), pathPrefix, out);
        if (out.isEmpty()) {
            throw new TopoException(TopoError.NO_NODE, pathPrefix, "no file has this prefix");
        }
        out.sort(Comparator.comparing(KeyValue::path));
        return out;
    }

    /** Adds every file below {@code znode} whose path starts with {@code prefix}. */
    void collectFiles(String path, String rel, String znode, String prefix, List<KeyValue> out) {
        List<String> names;
        try {
            names = read(path, zk -> zk.getChildren(znode, false));
        } catch (TopoException e) {
            if (e.error() == TopoError.NO_NODE) {
                return;
            }
            throw e;
        }
        List<String> wanted = new ArrayList<>();
        for (String n : names) {
            String childRel = rel.isEmpty() ? n : rel + "/" + n;
            if (childRel.startsWith(prefix) || prefix.startsWith(childRel + "/")) {
                wanted.add(n);
            }
        }
        for (ChildStat c : statChildren(path, znode, wanted)) {
            String childRel = rel.isEmpty() ? c.name : rel + "/" + c.name;
            if (!isDir(c.stat) && childRel.startsWith(prefix)) {
                out.add(new KeyValue(childRel, c.data, new Version(c.stat.getMzxid())));
            }
            if (c.stat.getNumChildren() > 0) {
                collectFiles(path, childRel, c.znode, prefix, out);
            }
        }
    }

    // ---- watches --------------------------------------------------------------------------

    @Override
    public Watch watch(String path, WatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        paths.file(path);
        return ZkFileWatch.start(this, path, listener);
    }

    @Override
    public RecursiveWatch watchRecursive(String dirPath, WatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        paths.dir(dirPath);
        return ZkRecursiveWatch.start(this, dirPath, listener);
    }

    /** Registers a persistent (optionally recursive) watch; returns the handle it lives on. */
    ZooKeeper addWatch(String path, String znode, Watcher w, AddWatchMode mode) {
        return read(path, zk -> {
            zk.addWatch(znode, w, mode);
            return zk;
        });
    }

    /** Removes a watch locally and, if reachable, on the server. Best effort: the watch has ended. */
    static void removeWatch(ZooKeeper zk, String znode, Watcher w, Watcher.WatcherType type) {
        try {
            zk.removeWatches(znode, w, type, true);
        } catch (KeeperException e) {
            // NoWatcher (already gone with its session) or unreachable: nothing left to remove
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- locks ----------------------------------------------------------------------------

    @Override
    public TopoLock lock(String dirPath, String contents, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return ZkLock.acquire(this, dirPath, paths.file(dirPath) + "/locks", contents, timeout, true);
    }

    @Override
    public Optional<TopoLock> tryLock(String dirPath, String contents) {
        return Optional.ofNullable(ZkLock.acquire(this, dirPath, paths.file(dirPath) + "/locks", contents,
                Duration.ZERO, false));
    }

    /** Not offered: ZooKeeper TTL nodes need {@code extendedTypesEnabled} on every server, and Mosaic does not rely on it. */
    @Override
    public TopoLock lockWithTtl(String dirPath, String contents, Duration ttl, Duration timeout) {
        throw new TopoException(TopoError.NO_IMPLEMENTATION, dirPath,
                "the zk topology store does not offer LOCK_TTL; locks last until unlock or session end");
    }

    @Override
    public TopoLock lockName(String name, String contents, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        paths.file(name);
        return ZkLock.acquire(this, name, paths.file("internal/named_locks/" + name) + "/locks", contents, timeout, true);
    }

    /**
     * Creates an ephemeral sequential node {@code <dir>/<prefix><seq>} with its missing directories.
     *
     * @return the created znode path
     */
    String createSequential(String path, String dirZnode, String prefix, byte[] data) {
        int[] idx = new int[1];
        List<OpResult> res = createWithParents(path, dirZnode + "/" + prefix, data, CreateMode.EPHEMERAL_SEQUENTIAL, false, idx);
        return ((OpResult.CreateResult) res.get(idx[0])).getPath();
    }

    /**
     * The sequential children of {@code dirZnode} (created by {@link #createSequential}), ordered
     * by sequence number; empty if the directory does not exist.
     */
    List<String> sequentialChildren(String path, String dirZnode) {
        List<String> names;
        try {
            names = read(path, zk -> zk.getChildren(dirZnode, false));
        } catch (TopoException e) {
            if (e.error() == TopoError.NO_NODE) {
                return List.of();
            }
            throw e;
        }
        List<String> seq = new ArrayList<>();
        for (String n : names) {
            if (sequence(n) >= 0) {
                seq.add(n);
            }
        }
        seq.sort(Comparator.comparingLong(ZkTopoStore::sequence));
        return seq;
    }

    /** The 10-digit sequence suffix ZooKeeper appended, or -1. */
    static long sequence(String name) {
        if (name.length() < 10) {
            return -1;
        }
        String tail = name.substring(name.length() - 10);
        for (int i = 0; i < tail.length(); i++) {
            if (!Character.isDigit(tail.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(tail);
    }

    // ---- elections ------------------------------------------------------------------------

    @Override
    public LeaderParticipation newLeaderParticipation(String electionName, String id) {
        Objects.requireNonNull(id, "id");
        return new ZkElection(this, electionName, paths.file("elections/" + electionName), id);
    }

    // ---- lifecycle ------------------------------------------------------------------------

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (SessionBound b : List.copyOf(bound)) {
            b.storeClosed();
        }
        bound.clear();
        client.close(); // ends the session: the server removes our ephemeral lock and election nodes
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: the session id and password, to expire the session from outside. */
    SessionCredentials sessionCredentials() {
        ZooKeeper zk = zk("");
        return new SessionCredentials(zk.getSessionId(), zk.getSessionPasswd());
    }

    record SessionCredentials(long id, byte[] password) {
    }

    @Override
    public String toString() {
        return "zk topology store '" + name + "' at " + config.connectString() + paths.root();
    }
}
