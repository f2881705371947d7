package dev.mosaic.topo.zk;

import dev.mosaic.spi.topo.KeyValue;
import dev.mosaic.spi.topo.RecursiveWatch;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.Versioned;
import dev.mosaic.spi.topo.WatchEvent;
import dev.mosaic.spi.topo.WatchListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * A watch of every file below a directory, on a ZooKeeper 3.6+ persistent recursive watch. The
 * watch is registered before the subtree is read, and events wait until the initial listing is
 * done, so nothing between the two is missed (some may repeat). Each create/change trigger
 * re-reads the node; deletions are reported for files we knew. Directories and the root's own
 * version bumps are not files and are skipped.
 */
final class ZkRecursiveWatch implements RecursiveWatch, Watcher, ZkTopoStore.SessionBound {
    private final ZkTopoStore store;
    private final String dirPath;
    private final String znode;
    private final WatchListener listener;
    private final SerialExecutor serial;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile ZooKeeper handle;
    private List<KeyValue> initial;
    /** Files known to exist, path to last delivered version; only touched on the serial executor. */
    private final Map<String, Long> known = new HashMap<>();

    private ZkRecursiveWatch(ZkTopoStore store, String dirPath, WatchListener listener) {
        this.store = store;
        this.dirPath = dirPath;
        this.znode = store.paths.dir(dirPath);
        this.listener = listener;
        this.serial = new SerialExecutor(store.pool(), true, () -> finish(failed("watch listener fell too far behind")));
    }

    static ZkRecursiveWatch start(ZkTopoStore store, String dirPath, WatchListener listener) {
        ZkRecursiveWatch w = new ZkRecursiveWatch(store, dirPath, listener);
        store.register(w);
        try {
            w.handle = store.addWatch(dirPath, w.znode, w, AddWatchMode.PERSISTENT_RECURSIVE);
            List<KeyValue> files = new ArrayList<>();
            store.collectFiles(dirPath, dirPath, w.znode, dirPath.isEmpty() ? "" : dirPath + "/", files);
            files.sort(Comparator.comparing(KeyValue::path));
            w.initial = List.copyOf(files);
        } catch (RuntimeException e) {
            w.ended.set(true);
            w.removeWatch();
            store.unregister(w);
            throw e;
        }
        for (KeyValue kv : w.initial) {
            w.known.put(kv.path(), kv.version().value());
        }
        w.serial.resume();
        return w;
    }

    @Override
    public List<KeyValue> initial() {
        return initial;
    }

    @Override
    public void process(WatchedEvent e) {
        if (ended.get()) {
            return;
        }
        String p = e.getPath();
        switch (e.getType()) {
            case NodeCreated, NodeDataChanged -> {
                if (p != null && !p.equals(znode)) {
                    serial.execute(() -> refresh(store.paths.relative(p)));
                }
            }
            case NodeDeleted -> {
                if (p != null && !p.equals(znode)) {
                    serial.execute(() -> deleted(store.paths.relative(p)));
                }
            }
            case None -> {
                switch (e.getState()) {
                    case Expired, Closed, AuthFailed -> finish(failed("ZooKeeper session " + e.getState()));
                    case SyncConnected -> serial.execute(this::resync);
                    default -> {
                    }
                }
            }
            default -> {
            }
        }
    }

    /** Runs on the serial executor. */
    private void refresh(String rel) {
        if (ended.get()) {
            return;
        }
        Stat s = new Stat();
        byte[] data;
        try {
            String zp = store.paths.file(rel);
            data = store.read(rel, zk -> zk.getData(zp, false, s));
        } catch (TopoException ex) {
            if (ex.error() == TopoError.NO_NODE) {
                deleted(rel);
            }
            return; // UNAVAILABLE: we resync on reconnect, or fail when the session is lost
        }
        if (ZkTopoStore.isDir(s)) {
            return;
        }
        Long last = known.put(rel, s.getMzxid());
        if (last == null || last != s.getMzxid()) {
            listener.onEvent(new WatchEvent.Changed(rel,
                    new Versioned(data == null ? ZkTopoStore.EMPTY : data, new Version(s.getMzxid()))));
        }
    }

    private void deleted(String rel) {
        if (!ended.get() && known.remove(rel) != null) {
            listener.onEvent(new WatchEvent.Deleted(rel, false));
        }
    }

    /** After a reconnect: re-list and report what changed, so a missed trigger cannot leave us stale. */
    private void resync() {
        if (ended.get()) {
            return;
        }
        List<KeyValue> now = new ArrayList<>();
        try {
            store.collectFiles(dirPath, dirPath, znode, dirPath.isEmpty() ? "" : dirPath + "/", now);
        } catch (TopoException ex) {
            return;
        }
        Map<String, KeyValue> seen = new HashMap<>();
        for (KeyValue kv : now) {
            seen.put(kv.path(), kv);
        }
        for (String gone : List.copyOf(known.keySet())) {
            if (!seen.containsKey(gone)) {
                deleted(gone);
            }
        }
        now.sort(Comparator.comparing(KeyValue::path));
        for (KeyValue kv : now) {
            Long last = known.put(kv.path(), kv.version().value());
            if (last == null || last != kv.version().value()) {
                listener.onEvent(new WatchEvent.Changed(kv.path(), new Versioned(kv.contents(), kv.version())));
            }
        }
    }

    private WatchEvent.Failed failed(String why) {
        return new WatchEvent.Failed(dirPath, new TopoException(TopoError.UNAVAILABLE, dirPath, why + "; watch ended"));
    }

    private void finish(WatchEvent last) {
        if (ended.compareAndSet(false, true)) {
            removeWatch();
            store.unregister(this);
            serial.execute(() -> listener.onEvent(last));
        }
    }

    private void removeWatch() {
        ZooKeeper zk = handle;
        if (zk != null) {
            ZkTopoStore.removeWatch(zk, znode, this, WatcherType.PersistentRecursive);
        }
    }

    @Override
    public void cancel() {
        finish(new WatchEvent.Cancelled(dirPath));
    }

    @Override
    public void sessionLost() {
        finish(failed("ZooKeeper session lost"));
    }

    @Override
    public void storeClosed() {
        finish(new WatchEvent.Cancelled(dirPath));
    }
}
