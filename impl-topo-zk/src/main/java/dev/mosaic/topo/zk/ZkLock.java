package dev.mosaic.topo.zk;

import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoLock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * An exclusive lock: an ephemeral sequential znode {@code <dir>/locks/lock-<uuid>-<seq>} holding
 * the holder's description. The lowest sequence holds the lock; each waiter watches only its
 * predecessor (no herd). The node is ephemeral, so the lock is released when the holder's session
 * ends, and only then. The random part makes every name unique even if the {@code locks}
 * container is reaped and re-created (sequence numbers restart), so an unlock never removes
 * someone else's node.
 */
final class ZkLock implements TopoLock, ZkTopoStore.SessionBound {
    private final ZkTopoStore store;
    private final String path;
    private final String node;
    private final long session;
    private volatile String lostReason;
    private volatile boolean released;

    private ZkLock(ZkTopoStore store, String path, String node, long session) {
        this.store = store;
        this.path = path;
        this.node = node;
        this.session = session;
    }

    /**
     * Takes the lock, or returns null when {@code blocking} is false and someone else holds it.
     */
    static ZkLock acquire(ZkTopoStore store, String path, String locksDir, String contents, Duration timeout,
                          boolean blocking) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        byte[] data = (contents == null ? "" : contents).getBytes(StandardCharsets.UTF_8);
        String node = store.createSequential(path, locksDir, "lock-" + UUID.randomUUID() + "-", data);
        long session;
        try {
            session = nodeSession(store, path, node);
            while (true) {
                List<String> queue = store.sequentialChildren(path, locksDir);
                String mine = ZkPaths.name(node);
                int at = queue.indexOf(mine);
                if (at < 0) {
                    throw new TopoException(TopoError.UNAVAILABLE, path, "our lock node vanished while waiting (session lost)");
                }
                if (at == 0) {
                    break;
                }
                if (!blocking) {
                    release(store, node);
                    return null;
                }
                String predecessor = locksDir + "/" + queue.get(at - 1);
                CountDownLatch gone = new CountDownLatch(1);
                Stat s = store.read(path, zk -> zk.exists(predecessor, e -> gone.countDown()));
                if (s == null) {
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !gone.await(left, TimeUnit.NANOSECONDS)) {
                    String holder = holder(store, path, locksDir + "/" + queue.get(0));
                    throw new TopoException(TopoError.TIMEOUT, path, "lock not acquired within " + timeout
                            + "; held by: " + holder);
                }
            }
        } catch (InterruptedException e) {
            release(store, node);
            throw ZkErrors.interrupted(path, e);
        } catch (RuntimeException e) {
            release(store, node);
            throw e;
        }
        ZkLock lock = new ZkLock(store, path, node, session);
        store.register(lock);
        return lock;
    }

    private static long nodeSession(ZkTopoStore store, String path, String node) {
        Stat s = store.read(path, zk -> zk.exists(node, false));
        if (s == null) {
            throw new TopoException(TopoError.UNAVAILABLE, path, "our lock node vanished right after creation (session lost)");
        }
        return s.getEphemeralOwner();
    }

    private static String holder(ZkTopoStore store, String path, String node) {
        try {
            return new String(store.read(path, zk -> zk.getData(node, false, null)), StandardCharsets.UTF_8);
        } catch (TopoException e) {
            return "(unknown: " + e.error() + ")";
        }
    }

    /** Best-effort removal of a node we created but do not keep. */
    private static void release(ZkTopoStore store, String node) {
        try {
            store.read("", zk -> {
                zk.delete(node, -1);
                return null;
            });
        } catch (TopoException e) {
            // NO_NODE: already gone; UNAVAILABLE: it goes with our session
        }
        store.deleteEmptyDirs(node);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void check() {
        if (released) {
            throw new TopoException(TopoError.NO_NODE, path, "lock was released");
        }
        if (lostReason != null) {
            throw new TopoException(TopoError.NO_NODE, path, "lock was lost: " + lostReason);
        }
        if (!store.connected()) {
            throw new TopoException(TopoError.UNAVAILABLE, path,
                    "not connected to ZooKeeper: cannot tell whether the session (and the lock) is still alive");
        }
        Stat s = store.read(path, zk -> zk.exists(node, false));
        if (s == null || s.getEphemeralOwner() != session) {
            lostReason = "lock node " + node + " is gone (session expired or node removed)";
            throw new TopoException(TopoError.NO_NODE, path, "lock was lost: " + lostReason);
        }
    }

    @Override
    public void unlock() {
        if (released) {
            throw new TopoException(TopoError.NO_NODE, path, "lock was already released");
        }
        if (lostReason != null) {
            released = true;
            store.unregister(this);
            throw new TopoException(TopoError.NO_NODE, path, "lock was lost before unlock: " + lostReason);
        }
        try {
            store.read(path, zk -> {
                Stat s = zk.exists(node, false);
                if (s == null || s.getEphemeralOwner() != session) {
                    throw KeeperException.create(KeeperException.Code.NONODE, node);
                }
                zk.delete(node, -1);
                return null;
            });
        } catch (TopoException e) {
            if (e.error() == TopoError.NO_NODE) {
                released = true;
                store.unregister(this);
                throw new TopoException(TopoError.NO_NODE, path,
                        "lock was lost before unlock (session expired or node removed)", e);
            }
            throw e; // UNAVAILABLE: still registered; the node goes with the session if it dies
        }
        released = true;
        store.unregister(this);
        store.deleteEmptyDirs(node);
    }

    @Override
    public void sessionLost() {
        lostReason = "ZooKeeper session lost";
    }

    @Override
    public void storeClosed() {
        lostReason = "topology store closed";
    }
}
