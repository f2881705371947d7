package dev.mosaic.topo.etcd;

import static dev.mosaic.topo.etcd.Keys.bytes;

import dev.mosaic.spi.topo.KeyValue;
import dev.mosaic.spi.topo.RecursiveWatch;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.Versioned;
import dev.mosaic.spi.topo.Watch;
import dev.mosaic.spi.topo.WatchEvent;
import dev.mosaic.spi.topo.WatchListener;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A watch of one file or of a directory's subtree, as Vitess's etcd2topo: read the current state
 * and its revision, then stream events from the next revision. jetcd's own resume is not used:
 * on a stream error this class closes the stream and re-opens it from the revision after the last
 * event it delivered, so no event is lost or repeated across an etcd restart. If etcd compacted
 * that revision away, it re-reads the current state, delivers the difference (intermediate
 * versions are skipped, which the SPI allows) and goes on from there. If etcd stays unreachable
 * for longer than {@link #giveUpAfter}, the watch ends with {@link WatchEvent.Failed}
 * ({@link TopoError#UNAVAILABLE}) rather than waiting silently.
 *
 * <p>Concurrency: all state is guarded by {@code this}; events are handed to a
 * {@link SerialDelivery} under that monitor, so the listener sees them in revision order.
 */
final class EtcdWatch {
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 1000;

    private final EtcdTopoStore store;
    private final String path;
    private final boolean recursive;
    private final String key;
    private final WatchListener listener;
    private final SerialDelivery delivery;
    private final Duration giveUpAfter;

    private Versioned initialValue;
    private List<KeyValue> initialList;
    /** Revision to (re)start the stream from. */
    private long nextRevision;
    /** Single watch: mod revision last delivered. Recursive: path -> mod revision known. */
    private long lastModRevision;
    private final Map<String, Long> known = new HashMap<>();
    private io.etcd.jetcd.Watch.Watcher stream;
    private int generation;
    private boolean ended;
    /** System.nanoTime() of the first failure since the stream last worked; 0 when healthy. */
    private long failingSince;
    private long backoffMs = MIN_BACKOFF_MS;

    EtcdWatch(EtcdTopoStore store, String path, boolean recursive, WatchListener listener) {
        this.store = store;
        this.path = path;
        this.recursive = recursive;
        this.key = recursive ? store.keys.dirPrefix(path) : store.keys.file(path);
        this.listener = listener;
        this.delivery = new SerialDelivery(store.delivery, () -> listener.onEvent(new WatchEvent.Failed(path,
                new TopoException(TopoError.UNAVAILABLE, path, "watch listener fell " + SerialDelivery.LIMIT
                        + " events behind; watch ended"))));
        Duration ttl = store.config.leaseTtl();
        Duration req = store.config.requestTimeout();
        this.giveUpAfter = (ttl.compareTo(req) > 0 ? ttl : req).multipliedBy(2);
    }

    /** Reads the initial state and opens the stream; throws NO_NODE for a missing file. */
    void start() {
        GetResponse r = read();
        synchronized (this) {
            if (recursive) {
                List<KeyValue> list = new ArrayList<>();
                for (io.etcd.jetcd.KeyValue kv : r.getKvs()) {
                    String p = store.keys.path(Keys.string(kv.getKey()));
                    list.add(new KeyValue(p, kv.getValue().getBytes(), new Version(kv.getModRevision())));
                    known.put(p, kv.getModRevision());
                }
                list.sort((a, b) -> a.path().compareTo(b.path()));
                initialList = List.copyOf(list);
            } else {
                if (r.getKvs().isEmpty()) {
                    throw new TopoException(TopoError.NO_NODE, path, "no such file");
                }
                io.etcd.jetcd.KeyValue kv = r.getKvs().get(0);
                initialValue = new Versioned(kv.getValue().getBytes(), new Version(kv.getModRevision()));
                lastModRevision = kv.getModRevision();
            }
            nextRevision = r.getHeader().getRevision() + 1;
            subscribe();
        }
    }

    private GetResponse read() {
        GetOption opt = recursive ? GetOption.builder().isPrefix(true).build() : GetOption.DEFAULT;
        return store.await(store.kv.get(bytes(key), opt), path);
    }

    /** The handle for a single-file watch. */
    Watch asWatch() {
        return new Watch() {
            @Override
            public Versioned initial() {
                return initialValue;
            }

            @Override
            public void cancel() {
                EtcdWatch.this.cancel();
            }
        };
    }

    /** The handle for a recursive watch. */
    RecursiveWatch asRecursiveWatch() {
        return new RecursiveWatch() {
            @Override
            public List<KeyValue> initial() {
                return initialList;
            }

            @Override
            public void cancel() {
                EtcdWatch.this.cancel();
            }
        };
    }

    // ---- stream ------------------------------------------------------------------------------

    private void subscribe() {
        int gen = ++generation;
        WatchOption.Builder opt = WatchOption.builder().withRevision(nextRevision).withCreateNotify(true);
        if (recursive) {
            opt.isPrefix(true);
        }
        stream = store.client.getWatchClient().watch(bytes(key), opt.build(),
                io.etcd.jetcd.Watch.listener(resp -> onResponse(gen, resp), err -> onError(gen, err)));
    }

    private synchronized void onResponse(int gen, WatchResponse resp) {
        if (ended || gen != generation) {
            return;
        }
        if (resp.isCreatedNotify() || resp.isProgressNotify()) {
            failingSince = 0;
            backoffMs = MIN_BACKOFF_MS;
        }
        for (io.etcd.jetcd.watch.WatchEvent e : resp.getEvents()) {
            io.etcd.jetcd.KeyValue kv = e.getKeyValue();
            nextRevision = Math.max(nextRevision, kv.getModRevision() + 1);
            String p = recursive ? store.keys.path(Keys.string(kv.getKey())) : path;
            switch (e.getEventType()) {
                case PUT -> {
                    if (recursive) {
                        known.put(p, kv.getModRevision());
                    } else {
                        lastModRevision = kv.getModRevision();
                    }
                    emit(new WatchEvent.Changed(p, new Versioned(kv.getValue().getBytes(), new Version(kv.getModRevision()))));
                }
                case DELETE -> {
                    if (recursive) {
                        known.remove(p);
                        emit(new WatchEvent.Deleted(p, false));
                    } else {
                        end(new WatchEvent.Deleted(p, true));
                        return;
                    }
                }
                default -> {
                    // UNRECOGNIZED: nothing to report.
                }
            }
        }
    }

    private synchronized void onError(int gen, Throwable err) {
        if (ended || gen != generation) {
            return;
        }
        generation++;
        closeStream();
        failed(err, EtcdErrors.isCompaction(err));
    }

    /** Retries (resume, or resync after a compaction) with backoff, or ends the watch if it has failed too long. */
    private synchronized void failed(Throwable err, boolean compacted) {
        if (failingSince == 0) {
            failingSince = System.nanoTime();
        } else if (System.nanoTime() - failingSince > giveUpAfter.toNanos()) {
            end(new WatchEvent.Failed(path, new TopoException(TopoError.UNAVAILABLE, path,
                    "watch could not be re-established for " + giveUpAfter + ": " + err.getMessage(), err)));
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        schedule(compacted ? this::resync : this::resume, delay);
    }

    private void schedule(Runnable r, long delayMs) {
        try {
            store.timer.schedule(r, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The store is closing; it cancels this watch.
        }
    }

    /** Re-opens the stream from the revision after the last delivered event. */
    private synchronized void resume() {
        if (!ended) {
            subscribe();
        }
    }

    /** After a compaction: re-read the state, deliver the difference, stream from the read revision. */
    private void resync() {
        GetResponse r;
        try {
            r = read();
        } catch (TopoException e) {
            synchronized (this) {
                if (!ended) {
                    failed(e, true);
                }
            }
            return;
        }
        synchronized (this) {
            if (ended) {
                return;
            }
            if (recursive) {
                Map<String, Long> now = new HashMap<>();
                List<io.etcd.jetcd.KeyValue> kvs = new ArrayList<>(r.getKvs());
                kvs.sort((a, b) -> Long.compare(a.getModRevision(), b.getModRevision()));
                for (io.etcd.jetcd.KeyValue kv : kvs) {
                    String p = store.keys.path(Keys.string(kv.getKey()));
                    now.put(p, kv.getModRevision());
                    Long before = known.get(p);
                    if (before == null || before != kv.getModRevision()) {
                        emit(new WatchEvent.Changed(p, new Versioned(kv.getValue().getBytes(), new Version(kv.getModRevision()))));
                    }
                }
                for (String p : List.copyOf(known.keySet())) {
                    if (!now.containsKey(p)) {
                        emit(new WatchEvent.Deleted(p, false));
                    }
                }
                known.clear();
                known.putAll(now);
            } else {
                if (r.getKvs().isEmpty()) {
                    end(new WatchEvent.Deleted(path, true));
                    return;
                }
                io.etcd.jetcd.KeyValue kv = r.getKvs().get(0);
                if (kv.getModRevision() != lastModRevision) {
                    lastModRevision = kv.getModRevision();
                    emit(new WatchEvent.Changed(path, new Versioned(kv.getValue().getBytes(), new Version(kv.getModRevision()))));
                }
            }
            nextRevision = r.getHeader().getRevision() + 1;
            subscribe();
        }
    }

    private void closeStream() {
        io.etcd.jetcd.Watch.Watcher s = stream;
        stream = null;
        if (s != null) {
            s.close();
        }
    }

    private void emit(WatchEvent event) {
        delivery.submit(() -> listener.onEvent(event));
    }

    private void end(WatchEvent event) {
        ended = true;
        generation++;
        closeStream();
        emit(event);
        store.forget(this);
    }

    synchronized void cancel() {
        if (!ended) {
            end(new WatchEvent.Cancelled(path));
        }
    }
}
