package dev.mosaic.server.tablet.pool;

import com.mysql.cj.jdbc.JdbcConnection;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.server.mysqlctl.ConnectionParams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed-capacity pool of MySQL connections with a bounded wait.
 *
 * <p>Admission is a fair semaphore of {@code size} permits in front of HikariCP: a caller waits at
 * most {@code waitTimeout} for a permit and at most {@code waiterCap} callers wait at once, so
 * there is never an unbounded queue. Exhaustion is {@link SqlError#TOO_MANY_USER_CONNECTIONS}
 * (class {@link ErrorCode#RESOURCE_EXHAUSTED}). HikariCP does the connection work: opening lazily,
 * validating idle connections, evicting broken ones, closing on shutdown.
 *
 * <p>Metrics, tagged {@code pool=<name>}: {@code mosaic.tablet.pool.capacity},
 * {@code mosaic.tablet.pool.in_use}, {@code mosaic.tablet.pool.waiting} (gauges),
 * {@code mosaic.tablet.pool.wait} (timer of successful waits),
 * {@code mosaic.tablet.pool.exhausted} (counter of callers turned away).
 *
 * <p>Thread-safe.
 */
public final class ConnectionPool implements AutoCloseable {
    private final String name;
    private final int size;
    private final Duration waitTimeout;
    private final int waiterCap;
    private final Semaphore permits;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger inUse = new AtomicInteger();
    private final HikariDataSource dataSource;
    private final Timer waitTimer;
    private final Counter exhausted;
    private final Counter connectionsLost;
    private volatile boolean closed;

    /**
     * Creates the pool; connections are opened on first use.
     *
     * @param name short name used in thread names, errors and the {@code pool} metric tag
     * @param params where mysqld is and who to log in as
     * @param dbName default database, or empty
     * @param size most connections open (and handed out) at once
     * @param waitTimeout longest wait for a free connection; zero fails at once
     * @param waiterCap most callers waiting at once
     * @param idleTimeout idle connections are closed after this
     * @param connectTimeout longest time to open one MySQL connection
     * @param initSql statements run on every new connection (session settings), may be empty
     */
    public ConnectionPool(String name, ConnectionParams params, String dbName, int size, Duration waitTimeout,
            int waiterCap, Duration idleTimeout, Duration connectTimeout, List<String> initSql, MeterRegistry registry) {
        this.name = name;
        this.size = size;
        this.waitTimeout = waitTimeout;
        this.waiterCap = waiterCap;
        this.permits = new Semaphore(size, true);

        HikariConfig hc = new HikariConfig();
        hc.setPoolName("tablet-" + name);
        hc.setJdbcUrl("jdbc:mysql://" + params.host() + ":" + params.port() + "/" + dbName);
        hc.setUsername(params.user());
        hc.setPassword(params.password());
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(0);
        hc.setIdleTimeout(Math.max(10_000, idleTimeout.toMillis()));
        // The semaphore already bounded the wait; Hikari only waits for a connection being opened.
        hc.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        hc.setInitializationFailTimeout(-1);
        hc.setAutoCommit(true);
        if (!initSql.isEmpty()) {
            hc.setConnectionInitSql(String.join("; ", initSql));
        }
        hc.addDataSourceProperty("sslMode", "DISABLED");
        hc.addDataSourceProperty("allowPublicKeyRetrieval", "true");
        hc.addDataSourceProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        hc.addDataSourceProperty("useUnicode", "true");
        hc.addDataSourceProperty("characterEncoding", "UTF-8");
        hc.addDataSourceProperty("useLocalSessionState", "true");
        hc.addDataSourceProperty("allowMultiQueries", initSql.size() > 1 ? "true" : "false");
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        this.dataSource = new HikariDataSource(hc);

        String tag = name;
        Gauge.builder("mosaic.tablet.pool.capacity", this, p -> p.size).tag("pool", tag)
                .description("connections the pool may open").register(registry);
        Gauge.builder("mosaic.tablet.pool.in_use", inUse, AtomicInteger::get).tag("pool", tag)
                .description("connections handed out").register(registry);
        Gauge.builder("mosaic.tablet.pool.waiting", waiting, AtomicInteger::get).tag("pool", tag)
                .description("callers waiting for a connection").register(registry);
        this.waitTimer = Timer.builder("mosaic.tablet.pool.wait").tag("pool", tag)
                .description("time spent waiting for a connection").register(registry);
        this.exhausted = Counter.builder("mosaic.tablet.pool.exhausted").tag("pool", tag)
                .description("callers turned away: wait timeout or waiter cap").register(registry);
        this.connectionsLost = Counter.builder("mosaic.tablet.pool.connections_lost").tag("pool", tag)
                .description("statements that found their MySQL connection lost (each drops the pool's connections)")
                .register(registry);
    }

    /** The pool's name. */
    public String name() {
        return name;
    }

    /** Its capacity. */
    public int size() {
        return size;
    }

    /** Connections currently handed out. */
    public int inUse() {
        return inUse.get();
    }

    /** Callers currently waiting. */
    public int waiting() {
        return waiting.get();
    }

    /**
     * A connection, waiting at most the pool's wait timeout.
     *
     * @throws MosaicException TOO_MANY_USER_CONNECTIONS (RESOURCE_EXHAUSTED) if none frees up in
     *     time or too many callers already wait; UNAVAILABLE if mysqld cannot be reached or the
     *     pool is closed; CANCELED if the calling thread is interrupted
     */
    public PooledConnection get() {
        if (closed) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "pool " + name + " is closed");
        }
        long t0 = System.nanoTime();
        // tryAcquire(0, ...) honours fairness, unlike tryAcquire(): no barging past waiters.
        if (!tryAcquireNow()) {
            if (waiting.incrementAndGet() > waiterCap) {
                waiting.decrementAndGet();
                exhausted.increment();
                throw new MosaicException(SqlError.TOO_MANY_USER_CONNECTIONS, "resource exhausted: pool " + name
                        + " waiter count exceeded (" + waiterCap + " callers already waiting)");
            }
            boolean acquired;
            try {
                acquired = permits.tryAcquire(waitTimeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MosaicException(ErrorCode.CANCELED, "interrupted waiting for a connection from pool " + name, e);
            } finally {
                waiting.decrementAndGet();
            }
            if (!acquired) {
                exhausted.increment();
                throw new MosaicException(SqlError.TOO_MANY_USER_CONNECTIONS, "resource exhausted: pool " + name
                        + " has no free connection after " + waitTimeout.toMillis() + "ms (size " + size + ")");
            }
        }
        try {
            Connection c = dataSource.getConnection();
            long threadId = c.unwrap(JdbcConnection.class).getId();
            waitTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            inUse.incrementAndGet();
            return new PooledConnection(this, c, threadId);
        } catch (SQLException | RuntimeException e) {
            permits.release();
            if (e instanceof MosaicException me) {
                throw me;
            }
            throw new MosaicException(ErrorCode.UNAVAILABLE, "pool " + name + ": cannot get a MySQL connection: " + e.getMessage(), e);
        }
    }

    private boolean tryAcquireNow() {
        try {
            return permits.tryAcquire(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MosaicException(ErrorCode.CANCELED, "interrupted waiting for a connection from pool " + name, e);
        }
    }

    /** Returns a connection; called by {@link PooledConnection} exactly once. */
    void release(Connection c, boolean discard) {
        try {
            if (discard) {
                dataSource.evictConnection(c);
            } else {
                c.close();
            }
        } catch (SQLException e) {
            // A connection that fails to close is broken; Hikari has already dropped it.
            dataSource.evictConnection(c);
        } finally {
            inUse.decrementAndGet();
            permits.release();
        }
    }

    /**
     * Called when a connection of this pool was found lost (mysqld went away or restarted): every
     * idle connection is closed at once and every one handed out is closed when it comes back, so
     * later callers get connections opened after the loss. A connection lost only by itself (a
     * killed MySQL thread) costs the others a reconnect, no more.
     */
    public void connectionLost() {
        connectionsLost.increment();
        var mx = dataSource.getHikariPoolMXBean();
        if (mx != null) {
            mx.softEvictConnections();
        }
    }

    /** Closes every connection, aborting those still handed out. Idempotent. */
    @Override
    public void close() {
        closed = true;
        dataSource.close();
    }

    @Override
    public String toString() {
        return "pool " + name + " (" + inUse.get() + "/" + size + " in use, " + waiting.get() + " waiting)";
    }
}
