package dev.mosaic.server.tablet.health;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tablet's health checker: a named scheduled thread ({@code tablet-health-<alias>}) that every
 * {@link Settings#interval} computes a {@link HealthState} (serving, type, replication lag, QPS,
 * health error), keeps the latest snapshot ({@link #current}), and hands it to the
 * {@link Subscription subscribers} when it changes, and at least every {@link Settings#heartbeat}.
 *
 * <p>Health rules, as in Vitess: a PRIMARY serves while its mysqld answers; a REPLICA or RDONLY serves only while its
 * replication runs and lags less than {@link Settings#unhealthyThreshold} (replication stopped,
 * broken, unconfigured, of unknown lag, or its status unreadable → not serving, with a
 * {@code health_error}); any other type (SPARE, DRAINED, BACKUP, ...) does not serve, without
 * error.
 *
 * <p>Buffering is bounded: a subscription holds only the latest undelivered snapshot, so a slow
 * listener skips intermediate states instead of queueing them (schema changes of a skipped
 * snapshot are carried into the one that replaces it, so none is lost).
 *
 * <p>The replication lag is whatever the {@link ReplicationProbe} reports: the server's
 * {@code Seconds_Behind_Master}, or the heartbeat lag when the probe is wrapped by
 * {@code repltracker.Heartbeat#replicationProbe}. A replica whose replication is not running does
 * not serve; its snapshot still carries the probe's lag when the probe knows one (the heartbeat lag
 * keeps growing while replication is stopped).
 *
 * <p>{@link #schemaChanged} queues table names from the schema engine; the next snapshot carries
 * them in {@link HealthState#tableSchemaChanged} and goes out at once, and later snapshots do not
 * repeat them.
 */
public final class TabletHealth implements AutoCloseable {

    /**
     * @param interval how often to check
     * @param heartbeat the longest a subscriber goes without a snapshot when nothing changes
     * @param unhealthyThreshold replication lag from which a replica stops serving
     */
    public record Settings(Duration interval, Duration heartbeat, Duration unhealthyThreshold) {
        public Settings {
            requirePositive(interval, "interval");
            requirePositive(heartbeat, "heartbeat");
            requirePositive(unhealthyThreshold, "unhealthyThreshold");
        }

        /** Check every second, heartbeat every 10 s, unhealthy from 2 h of lag (Vitess's default). */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofHours(2));
        }

        public Settings withInterval(Duration d) {
            return new Settings(d, heartbeat, unhealthyThreshold);
        }

        public Settings withHeartbeat(Duration d) {
            return new Settings(interval, d, unhealthyThreshold);
        }

        public Settings withUnhealthyThreshold(Duration d) {
            return new Settings(interval, heartbeat, d);
        }

        private static void requirePositive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
        }
    }

    /** Where the replica's replication status comes from ({@code Replication::replicationStatus}). */
    @FunctionalInterface
    public interface ReplicationProbe {
        /** The replication status, empty if the server is not a replica. */
        Optional<ReplicationStatus> status();
    }

    /**
     * Whether mysqld answers ({@code SELECT 1} on a fresh connection); throws with the reason when
     * it does not. A primary whose mysqld does not answer does not serve.
     */
    @FunctionalInterface
    public interface MysqlProbe extends AutoCloseable {
        /** A probe that never fails, for tests without a mysqld. */
        MysqlProbe NONE = () -> { };

        /** Returns if mysqld answers; throws (with the reason) if it does not. */
        void check();

        /** Releases what the probe holds (a connection); called once the checker has stopped. */
        @Override
        default void close() {
        }
    }

    private final TabletAlias alias;
    private final String keyspace;
    private final String shard;
    private final ReplicationProbe replication;
    private final MysqlProbe mysql;
    private final Settings settings;
    private final Clock clock;
    private final QpsCounter qps = new QpsCounter();
    private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();
    private final AtomicReference<HealthState> current = new AtomicReference<>();
    private final Set<String> pendingSchemaChanges = new java.util.LinkedHashSet<>(); // guarded by itself
    private final ScheduledExecutorService scheduler;
    private volatile TabletType type;
    private volatile long primaryTermStartSeconds;
    private long lastBroadcastNanos;
    private volatile boolean closed;

    /** A checker whose primary always counts its mysqld as answering ({@link MysqlProbe#NONE}). */
    public TabletHealth(TabletAlias alias, String keyspace, String shard, TabletType initialType,
            ReplicationProbe replication, Settings settings) {
        this(alias, keyspace, shard, initialType, replication, MysqlProbe.NONE, settings, Clock.systemUTC());
    }

    /** A checker asking {@code mysql} whether mysqld answers while the tablet is a PRIMARY. */
    public TabletHealth(TabletAlias alias, String keyspace, String shard, TabletType initialType,
            ReplicationProbe replication, MysqlProbe mysql, Settings settings) {
        this(alias, keyspace, shard, initialType, replication, mysql, settings, Clock.systemUTC());
    }

    TabletHealth(TabletAlias alias, String keyspace, String shard, TabletType initialType,
            ReplicationProbe replication, Settings settings, Clock clock) {
        this(alias, keyspace, shard, initialType, replication, MysqlProbe.NONE, settings, clock);
    }

    TabletHealth(TabletAlias alias, String keyspace, String shard, TabletType initialType,
            ReplicationProbe replication, MysqlProbe mysql, Settings settings, Clock clock) {
        this.alias = Objects.requireNonNull(alias, "alias");
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.shard = Objects.requireNonNull(shard, "shard");
        this.replication = Objects.requireNonNull(replication, "replication");
        this.mysql = Objects.requireNonNull(mysql, "mysql");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.type = Objects.requireNonNull(initialType, "initialType");
        if (initialType == TabletType.PRIMARY) {
            primaryTermStartSeconds = clock.instant().getEpochSecond();
        }
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tablet-health-" + alias);
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
        current.set(compute(List.of())); // a first snapshot before start(), so current() is never null
    }

    /** Starts the periodic checks. */
    public TabletHealth start() {
        scheduler.scheduleWithFixedDelay(this::check, 0, settings.interval().toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    /** The counter the query path bumps once per query. */
    public QpsCounter qpsCounter() {
        return qps;
    }

    /** The latest snapshot. */
    public HealthState current() {
        return current.get();
    }

    /** The current type. */
    public TabletType type() {
        return type;
    }

    /**
     * Changes the tablet's type (a new primary term starts when it becomes PRIMARY) and checks at
     * once, on the calling thread: when this returns, {@link #current()} has the new type (a
     * ChangeType that has answered is seen in the tablet's status, not a moment later).
     */
    public void setType(TabletType newType) {
        Objects.requireNonNull(newType, "newType");
        TabletType old = type;
        if (newType == TabletType.PRIMARY && old != TabletType.PRIMARY) {
            primaryTermStartSeconds = clock.instant().getEpochSecond();
        } else if (newType != TabletType.PRIMARY) {
            primaryTermStartSeconds = 0;
        }
        type = newType;
        if (!closed) {
            check();
        }
    }

    /**
     * Queues tables whose schema changed (created, altered or dropped) for the next snapshot, and
     * checks at once. Called by the schema engine's listener.
     */
    public void schemaChanged(Collection<String> tables) {
        if (tables.isEmpty()) {
            return;
        }
        synchronized (pendingSchemaChanges) {
            pendingSchemaChanges.addAll(tables);
        }
        if (!closed) {
            try {
                scheduler.execute(this::check);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // closing
            }
        }
    }

    /**
     * Subscribes: {@code wakeup} is called (on the health thread, or on the caller's for the first
     * snapshot) whenever a new snapshot is waiting in the subscription; the subscriber takes it with
     * {@link Subscription#poll}. The current snapshot is waiting at once.
     */
    public Subscription subscribe(Runnable wakeup) {
        Subscription s = new Subscription(this, Objects.requireNonNull(wakeup, "wakeup"));
        subscriptions.add(s);
        s.offer(current.get());
        if (closed) {
            s.end();
        }
        return s;
    }

    /** Open subscriptions. */
    public int subscriberCount() {
        return subscriptions.size();
    }

    void unsubscribe(Subscription s) {
        subscriptions.remove(s);
    }

    /**
     * Runs one check now: the scheduled thread's work, and {@link #setType}'s (tests call it
     * directly on an unstarted checker). One at a time, so the probes need not be thread-safe.
     */
    synchronized void check() {
        try {
            List<String> changed;
            synchronized (pendingSchemaChanges) {
                changed = List.copyOf(pendingSchemaChanges);
                pendingSchemaChanges.clear();
            }
            HealthState next = compute(changed);
            HealthState prev = current.getAndSet(next);
            long now = System.nanoTime();
            if (next.differsFrom(prev) || now - lastBroadcastNanos >= settings.heartbeat().toNanos()) {
                lastBroadcastNanos = now;
                for (Subscription s : subscriptions) {
                    s.offer(next);
                }
            }
        } catch (RuntimeException | Error e) {
            // never let the scheduled task die; the next run tries again
        }
    }

    private HealthState compute(List<String> schemaChanged) {
        TabletType t = type;
        boolean serving;
        long lag = 0;
        String error = "";
        switch (t) {
            case PRIMARY -> {
                // A replica's replication probe already fails when its mysqld is gone; a primary asks.
                try {
                    mysql.check();
                    serving = true;
                } catch (RuntimeException e) {
                    serving = false;
                    error = "mysqld is unreachable: " + e.getMessage();
                }
            }
            case REPLICA, RDONLY -> {
                Optional<ReplicationStatus> status;
                try {
                    status = replication.status();
                } catch (RuntimeException e) {
                    status = null;
                    error = "cannot read the replication status: " + e.getMessage();
                }
                if (status == null) {
                    serving = false;
                } else if (status.isEmpty()) {
                    serving = false;
                    error = "replication is not configured on this " + t;
                } else {
                    ReplicationStatus s = status.get();
                    if (!s.isRunning()) {
                        serving = false;
                        lag = s.lagSeconds().orElse(0);
                        error = "replication is not running (io thread " + s.ioThread() + ", sql thread "
                                + s.sqlThread() + ")" + s.lastError().map(x -> ": " + x).orElse("");
                    } else if (s.lagSeconds().isEmpty()) {
                        serving = false;
                        error = "replication lag unknown";
                    } else {
                        lag = s.lagSeconds().getAsLong();
                        serving = lag < settings.unhealthyThreshold().toSeconds();
                        if (!serving) {
                            error = "replication lag " + lag + "s is over the unhealthy threshold of "
                                    + settings.unhealthyThreshold().toSeconds() + "s";
                        }
                    }
                }
            }
            default -> serving = false;
        }
        return new HealthState(alias, alias.cell(), keyspace, shard, t, serving, lag, error,
                qps.sample(System.nanoTime()), t == TabletType.PRIMARY ? primaryTermStartSeconds : 0,
                clock.instant(), schemaChanged);
    }

    /** Stops checking and ends every subscription (their wakeup is called; {@link Subscription#isEnded} is true). */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            mysql.close();
        } catch (RuntimeException ignored) {
            // nothing more to do for a probe that fails to let go
        }
        for (Subscription s : subscriptions) {
            s.end();
        }
        subscriptions.clear();
    }

    /** One listener's mailbox: the latest undelivered snapshot only. */
    public static final class Subscription implements AutoCloseable {
        private final TabletHealth owner;
        private final Runnable wakeup;
        private final AtomicReference<HealthState> pending = new AtomicReference<>();
        private volatile boolean ended;

        Subscription(TabletHealth owner, Runnable wakeup) {
            this.owner = owner;
            this.wakeup = wakeup;
        }

        void offer(HealthState s) {
            // Replaces an undelivered older state (bounded to one), keeping its schema changes.
            pending.getAndUpdate(prev -> prev == null ? s : s.withEarlierSchemaChanges(prev.tableSchemaChanged()));
            wake();
        }

        void end() {
            ended = true;
            wake();
        }

        private void wake() {
            try {
                wakeup.run();
            } catch (RuntimeException ignored) {
                // a listener's failure is its own business
            }
        }

        /** Takes the waiting snapshot, if any. */
        public HealthState poll() {
            return pending.getAndSet(null);
        }

        /** True once the checker closed: no more snapshots will come. */
        public boolean isEnded() {
            return ended;
        }

        /** Unsubscribes. */
        @Override
        public void close() {
            owner.unsubscribe(this);
        }
    }
}
