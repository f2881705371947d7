package dev.mosaic.server.tablet.repltracker;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.sidecar.Sidecar;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeat-based replication tracking, as Vitess's {@code repltracker} in heartbeat mode. On a
 * PRIMARY the writer upserts, every {@link Settings#interval}, the current time (nanoseconds since
 * the epoch) into {@code <sidecar>.heartbeat} under the key {@code keyspace:shard}, with the binary
 * log on so the row replicates. On any other type the reader reads that row every interval and
 * takes {@code now - ts} as the replication lag: unlike {@code Seconds_Behind_Master}, this
 * measures the whole way from the primary's commit to this server's apply, including a stopped or
 * slow receiver and intermediate replicas. It assumes the hosts' clocks agree (NTP), as Vitess does.
 *
 * <p>One named scheduled thread ({@code tablet-heartbeat-<alias>}) and one MySQL connection
 * (re-opened after an error). {@link #setType} switches between writing and reading.
 *
 * <p>Metrics: {@code mosaic.tablet.heartbeat.writes}, {@code .write_errors}, {@code .reads},
 * {@code .read_errors} (counters) and {@code mosaic.tablet.heartbeat.lag_seconds} (gauge, the
 * reader's latest lag; 0 while writing).
 */
public final class Heartbeat implements AutoCloseable {

    /** @param interval how often the primary writes and a replica reads (Vitess's {@code heartbeat_interval}, 1 s) */
    public record Settings(Duration interval) {
        public Settings {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("heartbeat interval must be positive: " + interval);
            }
        }

        /** Every second, as Vitess. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(1));
        }
    }

    /**
     * What the reader knows.
     *
     * @param lag the latest measured lag, empty if unknown (not read yet, or the last read failed)
     * @param error why the last read failed; empty when it succeeded
     * @param readAt when the last read ran; null before the first
     */
    public record Status(Optional<Duration> lag, String error, Instant readAt) {
    }

    private final Mysqld mysqld;
    private final String sidecar;
    private final TabletAlias alias;
    private final String keyspaceShard;
    private final Settings settings;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Counter writes;
    private final Counter writeErrors;
    private final Counter reads;
    private final Counter readErrors;
    private volatile boolean writing;
    private volatile Status status = new Status(Optional.empty(), "no heartbeat read yet", null);
    private volatile String lastWriteError = "";
    private Connection conn; // only the scheduler thread touches it

    private Heartbeat(Mysqld mysqld, String sidecar, TabletAlias alias, String keyspace, String shard,
            TabletType type, Settings settings, MeterRegistry registry, Clock clock) {
        this.mysqld = Objects.requireNonNull(mysqld, "mysqld");
        this.sidecar = Sidecar.validateName("sidecar.db-name", sidecar);
        this.alias = Objects.requireNonNull(alias, "alias");
        this.keyspaceShard = Objects.requireNonNull(keyspace, "keyspace") + ":" + Objects.requireNonNull(shard, "shard");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.writing = Objects.requireNonNull(type, "type") == TabletType.PRIMARY;
        this.writes = Counter.builder("mosaic.tablet.heartbeat.writes").description("heartbeats written (primary)")
                .register(registry);
        this.writeErrors = Counter.builder("mosaic.tablet.heartbeat.write_errors")
                .description("heartbeat writes that failed").register(registry);
        this.reads = Counter.builder("mosaic.tablet.heartbeat.reads").description("heartbeats read (replica)")
                .register(registry);
        this.readErrors = Counter.builder("mosaic.tablet.heartbeat.read_errors")
                .description("heartbeat reads that failed").register(registry);
        Gauge.builder("mosaic.tablet.heartbeat.lag_seconds", this,
                h -> h.writing ? 0 : h.status.lag().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN))
                .description("replication lag measured from the heartbeat").register(registry);
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tablet-heartbeat-" + alias);
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
    }

    /**
     * Starts writing (PRIMARY) or reading (any other type) every interval. The sidecar database
     * should exist ({@link Sidecar#ensure}); until it does, writes and reads fail and are counted.
     */
    public static Heartbeat start(Mysqld mysqld, String sidecarDb, TabletAlias alias, String keyspace, String shard,
            TabletType type, Settings settings, MeterRegistry registry) {
        return start(mysqld, sidecarDb, alias, keyspace, shard, type, settings, registry, Clock.systemUTC());
    }

    static Heartbeat start(Mysqld mysqld, String sidecarDb, TabletAlias alias, String keyspace, String shard,
            TabletType type, Settings settings, MeterRegistry registry, Clock clock) {
        Heartbeat h = new Heartbeat(mysqld, sidecarDb, alias, keyspace, shard, type, settings, registry, clock);
        h.scheduler.scheduleWithFixedDelay(h::tick, 0, settings.interval().toNanos(), TimeUnit.NANOSECONDS);
        return h;
    }

    /** Writes when {@code type} is PRIMARY, reads otherwise (Vitess's MakePrimary / MakeNonPrimary). */
    public void setType(TabletType type) {
        boolean w = type == TabletType.PRIMARY;
        if (w != writing) {
            writing = w;
            status = new Status(Optional.empty(), w ? "" : "no heartbeat read yet", null);
        }
    }

    /** True while this tablet writes heartbeats (it is the primary). */
    public boolean isWriting() {
        return writing;
    }

    /** The reader's latest result (meaningless while writing). */
    public Status status() {
        return status;
    }

    /** The writer's last error, empty if the last write succeeded. */
    public String lastWriteError() {
        return lastWriteError;
    }

    /**
     * {@code base} with its lag replaced by the heartbeat lag (empty when the heartbeat lag is
     * unknown), for {@link TabletHealth}: replication must still be running for a replica to
     * serve, but how far behind it is comes from the heartbeat.
     */
    public TabletHealth.ReplicationProbe replicationProbe(TabletHealth.ReplicationProbe base) {
        Objects.requireNonNull(base, "base");
        return () -> base.status().map(s -> withLag(s, status.lag()));
    }

    static ReplicationStatus withLag(ReplicationStatus s, Optional<Duration> lag) {
        OptionalLong seconds = lag.map(d -> OptionalLong.of(Math.max(0, d.getSeconds()))).orElse(OptionalLong.empty());
        return new ReplicationStatus(s.ioThread(), s.sqlThread(), seconds, s.position(), s.relayLogPosition(),
                s.sourceHost(), s.sourcePort(), s.lastIoErrno(), s.lastIoError(), s.lastSqlErrno(), s.lastSqlError());
    }

    /** Lag from a heartbeat timestamp; a timestamp from the future (clock skew) counts as no lag. */
    static Duration lag(Instant now, long tsNanos) {
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return Duration.ofNanos(Math.max(0, nowNanos - tsNanos));
    }

    private void tick() {
        try {
            if (writing) {
                write();
            } else {
                read();
            }
        } catch (RuntimeException | Error e) {
            // never let the scheduled task die; the next tick tries again
            closeConnection();
        }
    }

    private Connection connection() {
        if (conn == null) {
            conn = mysqld.connect();
        }
        return conn;
    }

    private void closeConnection() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // it failed already; a new one is opened on the next tick
            }
            conn = null;
        }
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, (settings.interval().toMillis() + 999) / 1000);
    }

    private void write() {
        Instant now = clock.instant();
        long ts = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        String sql = "INSERT INTO " + Sidecar.quoteId(sidecar) + ".heartbeat (ts, tabletUid, keyspaceShard) "
                + "VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE ts = VALUES(ts), tabletUid = VALUES(tabletUid)";
        try {
            try (PreparedStatement p = connection().prepareStatement(sql)) {
                p.setQueryTimeout(timeoutSeconds());
                p.setLong(1, ts);
                p.setLong(2, alias.uid());
                p.setString(3, keyspaceShard);
                p.executeUpdate();
            }
            writes.increment();
            lastWriteError = "";
        } catch (SQLException | RuntimeException e) {
            writeErrors.increment();
            lastWriteError = "failed to write heartbeat: " + e.getMessage();
            closeConnection();
        }
    }

    private void read() {
        String sql = "SELECT ts FROM " + Sidecar.quoteId(sidecar) + ".heartbeat WHERE keyspaceShard = ?";
        Instant at = clock.instant();
        try {
            long ts;
            try (PreparedStatement p = connection().prepareStatement(sql)) {
                p.setQueryTimeout(timeoutSeconds());
                p.setString(1, keyspaceShard);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no heartbeat row for " + keyspaceShard + " yet");
                    }
                    ts = rs.getLong(1);
                }
            }
            Instant now = clock.instant();
            status = new Status(Optional.of(lag(now, ts)), "", now);
            reads.increment();
        } catch (SQLException | RuntimeException e) {
            readErrors.increment();
            status = new Status(Optional.empty(), "failed to read the heartbeat: " + e.getMessage(), at);
            if (e instanceof SQLException) {
                closeConnection();
            }
        }
    }

    /** Stops the thread and closes the connection. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }
}
