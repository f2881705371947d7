package dev.mosaic.server.tablet.schema;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.tablet.query.DdlListener;
import dev.mosaic.server.tablet.query.MysqlErrors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The tablet's schema engine (Vitess's {@code schema.Engine}): knows the tables and views of the
 * tablet's database (kind, columns with their MySQL types, primary key, create time) from
 * {@code information_schema}, in an immutable {@link SchemaSnapshot} swapped atomically on each
 * reload. Only the tablet's own database is read, so the sidecar database never appears.
 *
 * <p>Reloads happen on demand ({@link #reload}; after each DDL run through the query or
 * transaction engine via {@link #ddlListener}; after the tablet manager's ApplySchema) and every
 * {@code schema.reload-interval} (Vitess's {@code queryserver-config-schema-reload-time}, 30 min;
 * zero turns the periodic reload off). Reloads are serialized. Each reload diffs the new snapshot
 * against the previous one and, if anything changed, tells every {@link Listener} (on the
 * reloading thread) which tables were created, altered and dropped.
 *
 * <p>Metrics: {@code mosaic.tablet.schema.reloads} (counter, tag {@code result=ok|error}),
 * {@code mosaic.tablet.schema.tables} (gauge).
 */
public final class SchemaEngine implements AutoCloseable {
    /** Vitess's default periodic reload interval. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofMinutes(30);

    /** Told about each non-empty change, on the thread that reloaded; must not block long. */
    @FunctionalInterface
    public interface Listener {
        void schemaChanged(SchemaChange change, SchemaSnapshot snapshot);
    }

    private final String database;
    private final Supplier<SchemaSnapshot> loader;
    private final AtomicReference<SchemaSnapshot> current = new AtomicReference<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock reloadLock = new ReentrantLock();
    private final ScheduledExecutorService scheduler; // null without periodic reload
    private final Counter reloadsOk;
    private final Counter reloadsFailed;
    private volatile String lastReloadError = "";

    SchemaEngine(String database, Supplier<SchemaSnapshot> loader, Duration reloadInterval, MeterRegistry registry) {
        this.database = Objects.requireNonNull(database, "database");
        this.loader = Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        if (reloadInterval.isNegative()) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                    "tablet config schema.reload-interval: must not be negative, got " + reloadInterval);
        }
        this.reloadsOk = Counter.builder("mosaic.tablet.schema.reloads").tag("result", "ok")
                .description("schema engine reloads").register(registry);
        this.reloadsFailed = Counter.builder("mosaic.tablet.schema.reloads").tag("result", "error")
                .description("schema engine reloads").register(registry);
        current.set(loader.get());
        Gauge.builder("mosaic.tablet.schema.tables", current, c -> c.get().tables().size())
                .description("tables and views the schema engine knows").register(registry);
        if (reloadInterval.isZero()) {
            scheduler = null;
        } else {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "tablet-schema-reload-" + database);
                t.setDaemon(true);
                return t;
            });
            s.setRemoveOnCancelPolicy(true);
            s.scheduleWithFixedDelay(this::reloadQuietly, reloadInterval.toNanos(), reloadInterval.toNanos(),
                    TimeUnit.NANOSECONDS);
            scheduler = s;
        }
    }

    /**
     * Loads the schema of {@code dbName} on {@code mysqld} and starts the periodic reload.
     *
     * @param sidecarDb the sidecar database, which must not be the tablet's database
     * @param reloadInterval how often to reload; zero for never
     * @throws MosaicException INVALID_ARGUMENT for an empty {@code db.name} or one equal to the
     *     sidecar; the mapped MySQL error if the first load fails
     */
    public static SchemaEngine open(Mysqld mysqld, String dbName, String sidecarDb, Duration reloadInterval,
            MeterRegistry registry) {
        Objects.requireNonNull(mysqld, "mysqld");
        if (dbName == null || dbName.isEmpty()) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                    "tablet config db.name: the schema engine needs the tablet's database name");
        }
        if (dbName.equals(sidecarDb)) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "tablet config db.name: '" + dbName
                    + "' is the sidecar database (sidecar.db-name); the tablet's tables must live elsewhere");
        }
        Clock clock = Clock.systemUTC();
        return new SchemaEngine(dbName, () -> load(mysqld, dbName, clock), reloadInterval, registry);
    }

    /** The database this engine describes. */
    public String database() {
        return database;
    }

    /** The latest snapshot. */
    public SchemaSnapshot current() {
        return current.get();
    }

    /** Adds a listener for later changes. */
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener. */
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Why the last reload failed; empty if it succeeded. */
    public String lastReloadError() {
        return lastReloadError;
    }

    /**
     * Reloads now, swaps the snapshot, and tells the listeners what changed.
     *
     * @return what changed ({@link SchemaChange#NONE} if nothing)
     * @throws MosaicException the mapped MySQL error if the load fails (the old snapshot stays)
     */
    public SchemaChange reload() {
        reloadLock.lock();
        try {
            SchemaSnapshot next;
            try {
                next = loader.get();
            } catch (RuntimeException e) {
                reloadsFailed.increment();
                lastReloadError = String.valueOf(e.getMessage());
                throw e;
            }
            reloadsOk.increment();
            lastReloadError = "";
            SchemaSnapshot prev = current.getAndSet(next);
            SchemaChange change = SchemaChange.between(prev, next);
            if (!change.isEmpty()) {
                for (Listener l : listeners) {
                    try {
                        l.schemaChanged(change, next);
                    } catch (RuntimeException e) {
                        // one listener's failure does not keep the others from hearing
                    }
                }
            }
            return change;
        } finally {
            reloadLock.unlock();
        }
    }

    /**
     * The hook for the query and transaction engines ({@code TabletQueryServer.addDdlListener}):
     * reloads after each DDL on the caller's thread. A failed reload is recorded
     * ({@link #lastReloadError}, the error counter), not thrown at the DDL's caller; the next
     * reload repairs the snapshot.
     */
    public DdlListener ddlListener() {
        return sql -> reloadQuietly();
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            // recorded by reload(); the next reload tries again
        }
    }

    /** Stops the periodic reload. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ loading

    private static final String TABLES = "SELECT TABLE_NAME, TABLE_TYPE, COALESCE(UNIX_TIMESTAMP(CREATE_TIME), 0) "
            + "FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?";
    private static final String COLUMNS = "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS "
            + "WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION";
    private static final String PRIMARY_KEYS = "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
            + "WHERE TABLE_SCHEMA = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY TABLE_NAME, ORDINAL_POSITION";

    /** Three queries whatever the number of tables. */
    static SchemaSnapshot load(Mysqld mysqld, String db, Clock clock) {
        String current = TABLES;
        try (Connection c = mysqld.connect()) {
            Map<String, String[]> tables = new LinkedHashMap<>(); // name -> {type, createTime}
            try (PreparedStatement p = c.prepareStatement(TABLES)) {
                p.setString(1, db);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        tables.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                    }
                }
            }
            current = COLUMNS;
            Map<String, List<Column>> columns = new HashMap<>();
            try (PreparedStatement p = c.prepareStatement(COLUMNS)) {
                p.setString(1, db);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(new Column(rs.getString(2), rs.getString(3)));
                    }
                }
            }
            current = PRIMARY_KEYS;
            Map<String, List<String>> keys = new HashMap<>();
            try (PreparedStatement p = c.prepareStatement(PRIMARY_KEYS)) {
                p.setString(1, db);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                    }
                }
            }
            Map<String, Table> out = new HashMap<>();
            for (Map.Entry<String, String[]> e : tables.entrySet()) {
                String name = e.getKey();
                out.put(name, new Table(name, Table.Kind.of(e.getValue()[0]), columns.getOrDefault(name, List.of()),
                        keys.getOrDefault(name, List.of()), parseLong(e.getValue()[1])));
            }
            return SchemaSnapshot.of(db, out, clock.instant());
        } catch (SQLException e) {
            throw MysqlErrors.toMosaic(e, current);
        }
    }

    private static long parseLong(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return (long) Double.parseDouble(s); // UNIX_TIMESTAMP of a DATETIME may carry decimals
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
