package dev.mosaic.topo.zk;

import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.Versioned;
import dev.mosaic.spi.topo.Watch;
import dev.mosaic.spi.topo.WatchEvent;
import dev.mosaic.spi.topo.WatchListener;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * A watch of one file: a persistent ZooKeeper watch (3.6+), so it never needs re-arming and no
 * change falls between a trigger and a re-registration. Each trigger re-reads the file and
 * delivers its value if the version moved, so the last event converges on the current value.
 * The ZooKeeper client re-registers the watch itself after a reconnect within the session; after
 * a reconnect we re-read in case a change was missed. A lost session ends the watch with
 * {@link WatchEvent.Failed}.
 */
final class ZkFileWatch implements Watch, Watcher, ZkTopoStore.SessionBound {
    private final ZkTopoStore store;
    private final String path;
    private final String znode;
    private final WatchListener listener;
    private final SerialExecutor serial;
    /** Set once a final event is decided; later triggers are ignored. */
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile ZooKeeper handle;
    private Versioned initial;
    /** Only touched on the serial executor (after start). */
    private long lastVersion;

    private ZkFileWatch(ZkTopoStore store, String path, WatchListener listener) {
        this.store = store;
        this.path = path;
        this.znode = store.paths.file(path);
        this.listener = listener;
        this.serial = new SerialExecutor(store.pool(), true, () -> finish(new WatchEvent.Failed(path,
                new TopoException(TopoError.UNAVAILABLE, path, "watch listener fell too far behind; watch ended"))));
    }

    static ZkFileWatch start(ZkTopoStore store, String path, WatchListener listener) {
        ZkFileWatch w = new ZkFileWatch(store, path, listener);
        store.register(w);
        try {
            // Watch first, then read: a change between the two is seen by the watch.
            w.handle = store.addWatch(path, w.znode, w, AddWatchMode.PERSISTENT);
            w.initial = store.get(path);
        } catch (RuntimeException e) {
            w.ended.set(true);
            w.removeWatch();
            store.unregister(w);
            throw e;
        }
        w.lastVersion = w.initial.version().value();
        w.serial.resume();
        return w;
    }

    @Override
    public Versioned initial() {
        return initial;
    }

    @Override
    public void process(WatchedEvent e) {
        if (ended.get()) {
            return;
        }
        switch (e.getType()) {
            case NodeDeleted -> serial.execute(() -> end(new WatchEvent.Deleted(path, true)));
            case NodeCreated, NodeDataChanged -> serial.execute(this::refresh);
            case None -> {
                switch (e.getState()) {
                    case Expired, Closed, AuthFailed -> serial.execute(() -> end(failed("ZooKeeper session " + e.getState())));
                    case SyncConnected -> serial.execute(this::refresh);
                    default -> {
                    }
                }
            }
            default -> {
            }
        }
    }

    /** Runs on the serial executor. */
    private void refresh() {
        if (ended.get()) {
            return;
        }
        Versioned v;
        try {
            v = store.get(path);
        } catch (TopoException ex) {
            if (ex.error() == TopoError.NO_NODE) {
                end(new WatchEvent.Deleted(path, true));
            }
            // UNAVAILABLE: the client reconnects and re-arms the watch (we re-read on SyncConnected),
            // or the session is lost and the watch ends with Failed.
            return;
        }
        if (v.version().value() != lastVersion) {
            lastVersion = v.version().value();
            listener.onEvent(new WatchEvent.Changed(path, v));
        }
    }

    private WatchEvent.Failed failed(String why) {
        return new WatchEvent.Failed(path, new TopoException(TopoError.UNAVAILABLE, path, why + "; watch ended"));
    }

    /** Runs on the serial executor: delivers the final event once. */
    private void end(WatchEvent last) {
        if (ended.compareAndSet(false, true)) {
            removeWatch();
            store.unregister(this);
            listener.onEvent(last);
        }
    }

    /** Decides the final event now (from any thread) and delivers it after queued events. */
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
            ZkTopoStore.removeWatch(zk, znode, this, WatcherType.Persistent);
        }
    }

    @Override
    public void cancel() {
        finish(new WatchEvent.Cancelled(path));
    }

    @Override
    public void reconnected() {
        serial.execute(this::refresh);
    }

    @Override
    public void sessionLost() {
        finish(failed("ZooKeeper session lost"));
    }

    @Override
    public void storeClosed() {
        finish(new WatchEvent.Cancelled(path));
    }
}
