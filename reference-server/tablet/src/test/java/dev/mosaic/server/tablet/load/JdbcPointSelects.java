package dev.mosaic.server.tablet.load;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The same point selects sent straight to mysqld over JDBC, by one thread per client (plain
 * blocking JDBC has no other way to keep N queries in flight). Two shapes:
 * {@link #pooled} (every thread borrows a connection from a shared pool for each query, as an
 * application on a connection pool does) and {@link #dedicated} (each thread keeps one connection
 * and one prepared statement: the ceiling for that many connections).
 */
final class JdbcPointSelects {
    /** Stack of the client threads: they only run JDBC, and there may be thousands. */
    private static final long STACK_BYTES = 256 * 1024;

    private JdbcPointSelects() {
    }

    /** A source of connections for one client thread. */
    private interface Session extends AutoCloseable {
        /** Runs one point select for {@code id}; returns the {@code c} it got, or null if no row. */
        byte[] select(int id) throws SQLException;

        @Override
        void close() throws SQLException;
    }

    /** {@code threads} threads, each borrowing a connection from {@code pool} for every query. */
    static LoadResult pooled(String name, DataSource pool, int threads, int queries, int rows, Duration caseTimeout,
            CpuClock cpu) throws InterruptedException {
        return run(name, threads, queries, rows, caseTimeout, cpu, () -> new Session() {
            @Override
            public byte[] select(int id) throws SQLException {
                try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(SbTable.POINT_SELECT_JDBC)) {
                    return selectC(ps, id);
                }
            }

            @Override
            public void close() {
            }
        });
    }

    /** A connection factory for {@link #dedicated}. */
    interface Connector {
        Connection open() throws SQLException;
    }

    /** {@code threads} threads, each with its own connection and prepared statement. */
    static LoadResult dedicated(String name, Connector connector, int threads, int queries, int rows,
            Duration caseTimeout, CpuClock cpu) throws InterruptedException {
        return run(name, threads, queries, rows, caseTimeout, cpu, () -> {
            Connection c = connector.open();
            PreparedStatement ps = c.prepareStatement(SbTable.POINT_SELECT_JDBC);
            return new Session() {
                @Override
                public byte[] select(int id) throws SQLException {
                    return selectC(ps, id);
                }

                @Override
                public void close() throws SQLException {
                    try (c; ps) {
                        // closes both
                    }
                }
            };
        });
    }

    private interface SessionFactory {
        Session open() throws SQLException;
    }

    private static byte[] selectC(PreparedStatement ps, int id) throws SQLException {
        ps.setInt(1, id);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            byte[] c = rs.getBytes(1);
            if (rs.next()) {
                throw new SQLException("more than one row for id " + id, "HY000", 0);
            }
            return c;
        }
    }

    private static LoadResult run(String name, int threads, int queries, int rows, Duration caseTimeout, CpuClock cpu,
            SessionFactory sessions) throws InterruptedException {
        CaseMeter meter = new CaseMeter(name, queries, cpu);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> all = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(null, () -> client(meter, sessions, rows, ready, go, done), "load-jdbc-" + i, STACK_BYTES);
            t.setDaemon(true);
            all.add(t);
            t.start();
        }
        try {
            if (!ready.await(caseTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + ": client threads not ready within " + caseTimeout.toSeconds() + "s");
            }
            meter.start();
            go.countDown();
            if (!done.await(caseTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw meter.timedOut(caseTimeout);
            }
            meter.end();
            return meter.result();
        } finally {
            go.countDown();
            for (Thread t : all) {
                t.interrupt();
            }
        }
    }

    private static void client(CaseMeter meter, SessionFactory sessions, int rows, CountDownLatch ready,
            CountDownLatch go, CountDownLatch done) {
        boolean isReady = false;
        try (Session session = sessions.open()) {
            ready.countDown();
            isReady = true;
            go.await();
            while (meter.take()) {
                int id = 1 + ThreadLocalRandom.current().nextInt(rows);
                long t0 = meter.sent();
                try {
                    byte[] c = session.select(id);
                    long t1 = System.nanoTime();
                    if (c != null && Arrays.equals(c, SbTable.cBytes(id))) {
                        meter.succeeded(t0, t1);
                    } else {
                        meter.errors().add("wrong answer", c == null ? "no row for id " + id
                                : "wrong c for id " + id + ": " + new String(c, StandardCharsets.US_ASCII));
                        meter.failed();
                    }
                } catch (SQLException e) {
                    meter.errors().jdbc(e);
                    meter.failed();
                }
            }
        } catch (SQLException e) {
            meter.errors().add("jdbc session", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!isReady) {
                ready.countDown(); // a client that failed to open must not hold the others back
            }
            done.countDown();
        }
    }
}
