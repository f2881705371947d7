package dev.mosaic.server.tablet.query;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.tablet.pool.ConnectionPool;
import dev.mosaic.server.tablet.pool.PooledConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Enforces statement timeouts on the MySQL side: when a statement outlives its timeout, the
 * {@code tablet-query-killer} thread sends {@code KILL QUERY <id>} on a connection from the dba
 * pool, so MySQL stops working on it (a client-side wait alone would leave it running).
 *
 * <p>Watching costs the statement two map operations: the killer thread does not hear of each
 * statement (a timer task per statement woke it for nearly every one when few statements were in
 * flight), it sweeps the watched statements every {@link #SWEEP_INTERVAL} instead, so a statement
 * is killed at most that much after its timeout.
 *
 * <p>Metrics: {@code mosaic.tablet.query.killed} (statements killed on timeout),
 * {@code mosaic.tablet.kill.errors} (KILLs that failed).
 */
public final class QueryKiller implements AutoCloseable {
    /** How often the watched statements are checked: a statement dies at most this late. */
    static final Duration SWEEP_INTERVAL = Duration.ofMillis(50);

    private final ConnectionPool dba;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
    private final Counter killed;
    private final Counter killErrors;

    /** A killer that runs KILL on connections from {@code dba}. */
    public QueryKiller(ConnectionPool dba, MeterRegistry registry) {
        this.dba = dba;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tablet-query-killer");
            t.setDaemon(true);
            return t;
        });
        long every = SWEEP_INTERVAL.toNanos();
        this.timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.NANOSECONDS);
        this.killed = Counter.builder("mosaic.tablet.query.killed")
                .description("statements killed in MySQL because they passed their timeout").register(registry);
        this.killErrors = Counter.builder("mosaic.tablet.kill.errors")
                .description("KILL statements that failed").register(registry);
    }

    /**
     * Starts watching a statement about to run on {@code conn}; close the watch as soon as the
     * statement returns. A zero timeout watches nothing.
     */
    public Watch watch(PooledConnection conn, Duration timeout) {
        Watch w = new Watch(conn.mysqlThreadId(), timeout);
        if (!timeout.isZero()) {
            watched.add(w);
        }
        return w;
    }

    /** The killer thread's round: kills every watched statement past its deadline. */
    private void sweep() {
        long now = System.nanoTime();
        for (Watch w : watched) {
            if (now - w.deadlineNanos >= 0) {
                watched.remove(w);
                try {
                    w.fire();
                } catch (RuntimeException e) {
                    killErrors.increment(); // the next statements are still watched
                }
            }
        }
    }

    /** Sends {@code KILL QUERY id}; true if MySQL accepted it. */
    public boolean killQuery(long mysqlThreadId) {
        return kill("KILL QUERY " + mysqlThreadId);
    }

    /** Sends {@code KILL CONNECTION id} (MySQL rolls back its transaction); true if MySQL accepted it. */
    public boolean killConnection(long mysqlThreadId) {
        return kill("KILL CONNECTION " + mysqlThreadId);
    }

    private boolean kill(String sql) {
        try (PooledConnection c = dba.get(); Statement s = c.jdbc().createStatement()) {
            s.execute(sql);
            return true;
        } catch (SQLException e) {
            // 1094 (unknown thread id): the target is already gone, which is what we wanted.
            if (e.getErrorCode() == 1094) {
                return true;
            }
            killErrors.increment();
            return false;
        } catch (MosaicException e) {
            killErrors.increment();
            return false;
        }
    }

    /** Stops the timer thread; pending kills are dropped. */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One watched statement. */
    public final class Watch implements AutoCloseable {
        private final long mysqlThreadId;
        private final Duration timeout;
        private final long startNanos = System.nanoTime();
        private final long deadlineNanos;
        private boolean done;
        private boolean fired;

        Watch(long mysqlThreadId, Duration timeout) {
            this.mysqlThreadId = mysqlThreadId;
            this.timeout = timeout;
            this.deadlineNanos = startNanos + timeout.toNanos();
        }

        // Holding the monitor while KILL runs makes close() wait for it: the connection is never
        // handed to another caller while a KILL aimed at it is in flight.
        private synchronized void fire() {
            if (done) {
                return;
            }
            fired = true;
            killed.increment();
            killQuery(mysqlThreadId);
        }

        /** True if the timeout passed and KILL QUERY was sent. */
        public synchronized boolean fired() {
            return fired;
        }

        /** The timeout being enforced. */
        public Duration timeout() {
            return timeout;
        }

        /** Time since the watch started. */
        public Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }

        /** The statement returned: stop watching (waits for a KILL in flight). */
        @Override
        public void close() {
            watched.remove(this);
            synchronized (this) {
                done = true;
            }
        }
    }
}
