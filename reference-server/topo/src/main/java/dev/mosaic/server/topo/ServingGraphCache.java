package dev.mosaic.server.topo;

import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.proto.topo.SrvKeyspace;
import dev.mosaic.proto.topo.SrvVSchema;
import dev.mosaic.proto.topo.VSchema;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.Version;
import dev.mosaic.spi.topo.Watch;
import dev.mosaic.spi.topo.WatchEvent;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The serving graph of one cell, kept in memory for the gate: the cell's {@link SrvVSchema}
 * (with every keyspace's vschema parsed) and the {@link SrvKeyspace} of each keyspace it names,
 * plus keyspaces asked for with {@link #watchKeyspace}.
 *
 * <p><b>Reads never block.</b> {@link #snapshot()} returns the current immutable
 * {@link Snapshot} from a volatile field; the store is only touched by the cache's own thread.
 *
 * <p><b>Changes arrive by watch.</b> Each record is watched; a change is decoded, published as
 * a new snapshot and handed to listeners on the cache's thread, typically within a millisecond of
 * the store delivering it. Listeners must be quick; they are called one at a time, in order.
 *
 * <p><b>Failures keep the last good state.</b> When a watch fails or ends without being asked to
 * (backend unreachable, connection closed, watch compacted), the cache keeps serving what it had,
 * marks the snapshot {@linkplain Snapshot#connected() disconnected}, and re-establishes the watch
 * with exponential backoff (with jitter) from {@link Options#retryMin()} to
 * {@link Options#retryMax()}, asking the store supplier for a connection each time. A record that
 * does not decode is reported in {@link Snapshot#lastError()} and the previous value is kept.
 *
 * <p><b>Missing records.</b> A record that does not exist (yet) is not an error: it is absent
 * from the snapshot and polled for every {@link Options#absentPoll()} until it appears. A deleted
 * record is removed from the snapshot: deletion is a decision, not a failure.
 */
public final class ServingGraphCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ServingGraphCache.class.getName());

    /**
     * Timing.
     *
     * @param retryMin   first delay before re-establishing a failed watch
     * @param retryMax   largest such delay
     * @param absentPoll how often to look for a record that does not exist
     */
    public record Options(Duration retryMin, Duration retryMax, Duration absentPoll) {
        /** Rejects non-positive durations and {@code retryMax < retryMin}. */
        public Options {
            for (Duration d : List.of(retryMin, retryMax, absentPoll)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("serving graph cache durations must be positive: " + d);
                }
            }
            if (retryMax.compareTo(retryMin) < 0) {
                throw new IllegalArgumentException("retryMax " + retryMax + " is below retryMin " + retryMin);
            }
        }

        /** 50 ms to 5 s backoff; absent records polled every 500 ms. */
        public static Options defaults() {
            return new Options(Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofMillis(500));
        }
    }

    /**
     * One consistent view of the cell's serving graph.
     *
     * @param generation   increases with every published snapshot
     * @param srvVSchema   the cell's SrvVSchema, if it exists
     * @param vschemas     each keyspace's parsed vschema from the SrvVSchema, by keyspace
     * @param srvKeyspaces each watched keyspace's SrvKeyspace that exists, by keyspace
     * @param connected    true when every watch is established (false while serving the last good
     *                     state through a failure)
     * @param lastError    the most recent failure (a lost watch, an undecodable record), cleared
     *                     when the cache goes from disconnected to connected
     */
    public record Snapshot(long generation, Optional<SrvVSchema> srvVSchema, Map<String, KeyspaceVSchema> vschemas,
                           Map<String, SrvKeyspace> srvKeyspaces, boolean connected, Optional<String> lastError) {
        /** Copies the maps. */
        public Snapshot {
            vschemas = Collections.unmodifiableMap(new TreeMap<>(vschemas));
            srvKeyspaces = Collections.unmodifiableMap(new TreeMap<>(srvKeyspaces));
        }

        /** The SrvKeyspace of {@code keyspace}, if present. */
        public Optional<SrvKeyspace> srvKeyspace(String keyspace) {
            return Optional.ofNullable(srvKeyspaces.get(keyspace));
        }

        /** The vschema of {@code keyspace}, if present. */
        public Optional<KeyspaceVSchema> vschema(String keyspace) {
            return Optional.ofNullable(vschemas.get(keyspace));
        }
    }

    private final String cell;
    private final Supplier<TopoStore> store;
    private final Options options;
    private final ScheduledExecutorService executor;
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();

    // State below is touched only on the executor thread.
    private final NodeWatch srvVSchemaWatch;
    private final Map<String, NodeWatch> keyspaceWatches = new LinkedHashMap<>();
    private final Set<String> explicitKeyspaces = new HashSet<>();
    private Optional<SrvVSchema> srvVSchema = Optional.empty();
    private Map<String, KeyspaceVSchema> vschemas = Map.of();
    private final Map<String, SrvKeyspace> srvKeyspaces = new TreeMap<>();
    private Optional<String> lastError = Optional.empty();
    private boolean closed;

    private volatile Snapshot snapshot =
            new Snapshot(0, Optional.empty(), Map.of(), Map.of(), false, Optional.empty());

    /**
     * A cache of {@code cell}'s serving graph, reading through {@code store} (asked again after
     * each failure, so it may reconnect). Nothing happens until {@link #start()}.
     */
    public ServingGraphCache(String cell, Supplier<TopoStore> store, Options options) {
        this.cell = Objects.requireNonNull(cell, "cell");
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mosaic-serving-graph-" + cell);
            t.setDaemon(true);
            return t;
        });
        this.srvVSchemaWatch = new NodeWatch(TopoPaths.srvVSchema(), this::onSrvVSchema);
    }

    /** A started cache of {@code cell} reading through {@code server}'s connection to the cell. */
    public static ServingGraphCache start(TopoServer server, String cell, Options options) {
        ServingGraphCache cache = new ServingGraphCache(cell, server.cellStoreSupplier(cell), options);
        cache.start();
        return cache;
    }

    /** Starts watching. Returns at once; use {@link #await} to wait for a first view. */
    public void start() {
        executor.execute(srvVSchemaWatch::establish);
    }

    /** The cell this cache serves. */
    public String cell() {
        return cell;
    }

    /** The current snapshot. Never blocks. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Calls {@code listener} with every snapshot published from now on, on the cache's thread.
     *
     * @return a handle whose {@code close()} removes the listener
     */
    public AutoCloseable addListener(Consumer<Snapshot> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Also watches {@code keyspace}'s SrvKeyspace, whether or not the SrvVSchema names it. */
    public void watchKeyspace(String keyspace) {
        TopoPaths.srvKeyspace(keyspace); // validates the name
        executor.execute(() -> {
            explicitKeyspaces.add(keyspace);
            reconcileKeyspaces();
        });
    }

    /**
     * Waits until a snapshot satisfies {@code condition} or {@code timeout} passes.
     *
     * @return the satisfying snapshot, or empty on timeout
     */
    public Optional<Snapshot> await(Predicate<Snapshot> condition, Duration timeout) throws InterruptedException {
        Object signal = new Object();
        AutoCloseable handle = addListener(s -> {
            synchronized (signal) {
                signal.notifyAll();
            }
        });
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (signal) {
                while (true) {
                    Snapshot s = snapshot;
                    if (condition.test(s)) {
                        return Optional.of(s);
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Optional.empty();
                    }
                    TimeUnit.NANOSECONDS.timedWait(signal, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                }
            }
        } finally {
            try {
                handle.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ---- record handling (executor thread) ----------------------------------------------------

    private void onSrvVSchema(Optional<Decoded> value) {
        if (value.isEmpty()) {
            srvVSchema = Optional.empty();
            vschemas = Map.of();
        } else {
            SrvVSchema srv = value.get().srvVSchema();
            Map<String, KeyspaceVSchema> parsed = new TreeMap<>();
            try {
                for (Map.Entry<String, VSchema> e : srv.getKeyspacesMap().entrySet()) {
                    parsed.put(e.getKey(), KeyspaceVSchema.fromJson(e.getValue().getJson()));
                }
            } catch (RuntimeException e) {
                fail("SrvVSchema of cell " + cell + " version " + value.get().version()
                        + " has an unreadable vschema; keeping the previous one: " + e.getMessage());
                return;
            }
            srvVSchema = Optional.of(srv);
            vschemas = parsed;
        }
        reconcileKeyspaces();
        publish();
    }

    private void reconcileKeyspaces() {
        if (closed) {
            return;
        }
        Set<String> wanted = new HashSet<>(explicitKeyspaces);
        srvVSchema.ifPresent(s -> wanted.addAll(s.getKeyspacesMap().keySet()));
        for (var it = keyspaceWatches.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!wanted.contains(e.getKey())) {
                e.getValue().stop();
                srvKeyspaces.remove(e.getKey());
                it.remove();
            }
        }
        for (String ks : wanted) {
            if (!keyspaceWatches.containsKey(ks)) {
                NodeWatch w = new NodeWatch(TopoPaths.srvKeyspace(ks), v -> onSrvKeyspace(ks, v));
                keyspaceWatches.put(ks, w);
                w.establish();
            }
        }
    }

    private void onSrvKeyspace(String keyspace, Optional<Decoded> value) {
        if (value.isEmpty()) {
            srvKeyspaces.remove(keyspace);
        } else {
            srvKeyspaces.put(keyspace, value.get().srvKeyspace());
        }
        publish();
    }

    private void fail(String message) {
        LOG.log(System.Logger.Level.WARNING, message);
        lastError = Optional.of(message);
        publish();
    }

    private void publish() {
        boolean connected = srvVSchemaWatch.healthy
                && keyspaceWatches.values().stream().allMatch(w -> w.healthy);
        if (connected && !snapshot.connected()) {
            lastError = Optional.empty();
        }
        Snapshot next = new Snapshot(snapshot.generation() + 1, srvVSchema, vschemas, srvKeyspaces, connected,
                lastError);
        snapshot = next;
        for (Consumer<Snapshot> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "serving graph listener " + l + " failed", e);
            }
        }
    }

    /** Hands work to the cache's thread; after {@link #close()} there is nothing left to do with it. */
    private void runOnCacheThread(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            if (!executor.isShutdown()) {
                throw e;
            }
        }
    }

    /** A decoded record: exactly one of the two fields is set, by the path watched. */
    private record Decoded(Version version, SrvVSchema srvVSchema, SrvKeyspace srvKeyspace) {
    }

    /** The watch of one record, re-established until stopped. Executor thread only. */
    private final class NodeWatch {
        private final String path;
        private final Consumer<Optional<Decoded>> onValue;
        private Watch watch;
        private long epoch;
        private int failures;
        private boolean stopped;
        /** Whether the record's state (value or absence) has been seen. */
        private boolean known;
        private boolean present;
        boolean healthy;

        NodeWatch(String path, Consumer<Optional<Decoded>> onValue) {
            this.path = path;
            this.onValue = onValue;
        }

        void establish() {
            if (stopped || closed) {
                return;
            }
            long myEpoch = ++epoch;
            Watch w;
            try {
                w = store.get().watch(path, event -> runOnCacheThread(() -> onEvent(myEpoch, event)));
            } catch (TopoException e) {
                if (e.error() == TopoError.NO_NODE) {
                    boolean changed = !known || present || !healthy;
                    failures = 0;
                    healthy = true;
                    known = true;
                    present = false;
                    if (changed) {
                        onValue.accept(Optional.empty());
                    }
                    schedule(options.absentPoll());
                    return;
                }
                retryAfterFailure("cannot watch " + where() + ": " + e.getMessage());
                return;
            } catch (RuntimeException e) {
                retryAfterFailure("cannot watch " + where() + ": " + e);
                return;
            }
            watch = w;
            failures = 0;
            healthy = true;
            known = true;
            accept(w.initial().contents(), w.initial().version());
        }

        private void onEvent(long eventEpoch, WatchEvent event) {
            if (eventEpoch != epoch || stopped || closed) {
                return; // an event of a watch we already replaced or stopped
            }
            if (event instanceof WatchEvent.Changed c) {
                accept(c.value().contents(), c.value().version());
                return;
            }
            watch = null;
            if (event instanceof WatchEvent.Deleted) {
                present = false;
                onValue.accept(Optional.empty());
                schedule(options.absentPoll());
            } else if (event instanceof WatchEvent.Failed f) {
                retryAfterFailure("watch of " + where() + " failed: " + f.error().getMessage());
            } else {
                retryAfterFailure("watch of " + where() + " was cancelled by the store (connection closed?)");
            }
        }

        private void accept(byte[] bytes, Version version) {
            Decoded d;
            try {
                d = path.equals(TopoPaths.srvVSchema())
                        ? new Decoded(version, RecordType.decode(SrvVSchema.parser(), path, bytes), null)
                        : new Decoded(version, null, RecordType.decode(SrvKeyspace.parser(), path, bytes));
            } catch (RuntimeException e) {
                fail("cannot decode " + where() + " version " + version + "; keeping the previous value: "
                        + e.getMessage());
                return;
            }
            present = true;
            onValue.accept(Optional.of(d));
        }

        private void retryAfterFailure(String message) {
            healthy = false;
            long min = options.retryMin().toMillis();
            long delay = Math.min(options.retryMax().toMillis(), min << Math.min(failures, 20));
            failures++;
            delay = delay - delay / 5 + ThreadLocalRandom.current().nextLong(delay / 5 * 2 + 1);
            fail(message + "; serving the last good state, retrying in " + delay + " ms");
            schedule(Duration.ofMillis(delay));
        }

        private void schedule(Duration delay) {
            if (!stopped && !closed && !executor.isShutdown()) {
                executor.schedule(this::establish, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        void stop() {
            stopped = true;
            epoch++;
            cancel();
        }

        void cancel() {
            Watch w = watch;
            watch = null;
            if (w != null) {
                try {
                    w.cancel();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "cancelling watch of " + where() + " failed", e);
                }
            }
        }

        private String where() {
            return "cell " + cell + " " + path;
        }
    }

    /** Stops every watch and the cache's thread. Idempotent; the last snapshot stays readable. */
    @Override
    public void close() {
        if (executor.isShutdown()) {
            return;
        }
        try {
            executor.submit(() -> {
                closed = true;
                srvVSchemaWatch.stop();
                keyspaceWatches.values().forEach(NodeWatch::stop);
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "serving graph cache of cell " + cell + " did not stop cleanly", e);
        } finally {
            executor.shutdownNow();
        }
    }
}
