package dev.mosaic.server.topo.memory;

import dev.mosaic.spi.topo.DirEntry;
import dev.mosaic.spi.topo.KeyValue;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoPaths;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.Versioned;
import dev.mosaic.spi.topo.WatchEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared state behind every {@link MemoryTopoStore} of one cluster name: files, locks,
 * watches and elections. Every method runs under the backend's monitor, which lock and election
 * waiters wait on.
 */
final class MemoryBackend {
    private static final ConcurrentHashMap<String, MemoryBackend> BACKENDS = new ConcurrentHashMap<>();

    /** A stored file; {@code session} is non-zero for ephemeral files. */
    record Node(byte[] contents, long version, long session) {
    }

    /** A held lock; {@code deadline} is a System.nanoTime() value or Long.MAX_VALUE. */
    record LockState(long session, long token, String contents, long deadline) {
        boolean expired(long now) {
            return deadline != Long.MAX_VALUE && now - deadline >= 0;
        }
    }

    /** A registered watch of one file (prefix == null) or of a directory's subtree. */
    static final class Watcher {
        final long session;
        final String path;
        final boolean recursive;
        final SerialDelivery delivery;
        final dev.mosaic.spi.topo.WatchListener listener;
        boolean ended;

        Watcher(long session, String path, boolean recursive, dev.mosaic.spi.topo.WatchListener listener) {
            this.session = session;
            this.path = path;
            this.recursive = recursive;
            this.listener = listener;
            this.delivery = new SerialDelivery(() -> listener.onEvent(new WatchEvent.Failed(path,
                    new TopoException(TopoError.UNAVAILABLE, path, "watch listener fell " + SerialDelivery.LIMIT
                            + " events behind; watch ended"))));
        }

        boolean covers(String file) {
            return recursive ? file.startsWith(TopoPaths.childPrefix(path)) : file.equals(path);
        }
    }

    final TreeMap<String, Node> files = new TreeMap<>();
    final Map<String, LockState> locks = new HashMap<>();
    final List<Watcher> watchers = new ArrayList<>();
    final Map<String, MemoryElection> elections = new HashMap<>();
    private long revision;
    private long nextToken;

    static MemoryBackend named(String name) {
        return BACKENDS.computeIfAbsent(name, n -> new MemoryBackend());
    }

    /** Forgets the backend of {@code name} (tests that need a fresh tree). */
    static void reset(String name) {
        BACKENDS.remove(name);
    }

    synchronized long newToken() {
        return ++nextToken;
    }

    // ---- files ----------------------------------------------------------------------------

    boolean isDir(String path) {
        String prefix = TopoPaths.childPrefix(path);
        String next = files.ceilingKey(prefix);
        return next != null && next.startsWith(prefix);
    }

    private void checkNoFileAbove(String path) {
        int slash = path.lastIndexOf('/');
        while (slash > 0) {
            String parent = path.substring(0, slash);
            if (files.containsKey(parent)) {
                throw new TopoException(TopoError.NODE_EXISTS, path, "'" + parent + "' is a file, not a directory");
            }
            slash = parent.lastIndexOf('/');
        }
    }

    synchronized Version create(String path, byte[] contents, long ephemeralSession) {
        if (files.containsKey(path) || isDir(path)) {
            throw new TopoException(TopoError.NODE_EXISTS, path, "node already exists");
        }
        checkNoFileAbove(path);
        Node n = new Node(contents.clone(), ++revision, ephemeralSession);
        files.put(path, n);
        fireChanged(path, n);
        return new Version(n.version());
    }

    synchronized Version update(String path, byte[] contents, Optional<Version> expected) {
        Node old = files.get(path);
        if (expected.isPresent()) {
            if (old == null) {
                throw new TopoException(TopoError.NO_NODE, path, "no file to update at version " + expected.get());
            }
            if (old.version() != expected.get().value()) {
                throw new TopoException(TopoError.BAD_VERSION, path,
                        "expected version " + expected.get() + ", found " + old.version());
            }
        } else if (old == null) {
            if (isDir(path)) {
                throw new TopoException(TopoError.NODE_EXISTS, path, "a directory exists at this path");
            }
            checkNoFileAbove(path);
        }
        Node n = new Node(contents.clone(), ++revision, old == null ? 0 : old.session());
        files.put(path, n);
        fireChanged(path, n);
        return new Version(n.version());
    }

    synchronized Versioned get(String path) {
        Node n = files.get(path);
        if (n == null) {
            throw new TopoException(TopoError.NO_NODE, path, "no such file");
        }
        return new Versioned(n.contents().clone(), new Version(n.version()));
    }

    synchronized void delete(String path, Optional<Version> expected) {
        Node n = files.get(path);
        if (n == null) {
            if (isDir(path)) {
                throw new TopoException(TopoError.NOT_EMPTY, path, "directory is not empty");
            }
            throw new TopoException(TopoError.NO_NODE, path, "no such file");
        }
        if (expected.isPresent() && expected.get().value() != n.version()) {
            throw new TopoException(TopoError.BAD_VERSION, path,
                    "expected version " + expected.get() + ", found " + n.version());
        }
        files.remove(path);
        fireDeleted(path);
    }

    synchronized List<DirEntry> listDir(String dir) {
        String prefix = TopoPaths.childPrefix(dir);
        TreeMap<String, DirEntry> entries = new TreeMap<>();
        for (Map.Entry<String, Node> e : files.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            String rest = e.getKey().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                entries.put(rest, new DirEntry(rest, false, e.getValue().session() != 0));
            } else {
                entries.putIfAbsent(rest.substring(0, slash), new DirEntry(rest.substring(0, slash), true, false));
            }
        }
        if (entries.isEmpty()) {
            throw new TopoException(TopoError.NO_NODE, dir, "no such directory");
        }
        return List.copyOf(entries.values());
    }

    synchronized List<KeyValue> listByPrefix(String prefix) {
        List<KeyValue> out = new ArrayList<>();
        for (Map.Entry<String, Node> e : files.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            out.add(new KeyValue(e.getKey(), e.getValue().contents().clone(), new Version(e.getValue().version())));
        }
        if (out.isEmpty()) {
            throw new TopoException(TopoError.NO_NODE, prefix, "no file has this prefix");
        }
        return out;
    }

    // ---- watches --------------------------------------------------------------------------

    private void fireChanged(String path, Node n) {
        for (Watcher w : watchers) {
            if (!w.ended && w.covers(path)) {
                Versioned v = new Versioned(n.contents().clone(), new Version(n.version()));
                w.delivery.submit(() -> w.listener.onEvent(new WatchEvent.Changed(path, v)));
            }
        }
    }

    private void fireDeleted(String path) {
        for (Iterator<Watcher> it = watchers.iterator(); it.hasNext(); ) {
            Watcher w = it.next();
            if (!w.ended && w.covers(path)) {
                boolean ends = !w.recursive;
                w.delivery.submit(() -> w.listener.onEvent(new WatchEvent.Deleted(path, ends)));
                if (ends) {
                    w.ended = true;
                    it.remove();
                }
            }
        }
    }

    synchronized void addWatcher(Watcher w) {
        watchers.add(w);
    }

    synchronized void cancel(Watcher w) {
        if (!w.ended) {
            w.ended = true;
            watchers.remove(w);
            w.delivery.submit(() -> w.listener.onEvent(new WatchEvent.Cancelled(w.path)));
        }
    }

    // ---- sessions -------------------------------------------------------------------------

    /** Ends a session: its locks, ephemeral files, watches and election participations go. */
    synchronized void endSession(long session) {
        locks.values().removeIf(l -> l.session() == session);
        List<String> ephemeral = new ArrayList<>();
        files.forEach((p, n) -> {
            if (n.session() == session) {
                ephemeral.add(p);
            }
        });
        for (String p : ephemeral) {
            files.remove(p);
            fireDeleted(p);
        }
        for (Watcher w : List.copyOf(watchers)) {
            if (w.session == session) {
                cancel(w);
            }
        }
        for (MemoryElection e : elections.values()) {
            e.removeSession(session);
        }
        notifyAll();
    }
}
