package dev.mosaic.server.gate.tx;

import static dev.mosaic.server.gate.server.GateTestCluster.SHARDS;
import static dev.mosaic.server.gate.testing.ShardedTestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mosaic.server.gate.server.GateTestCluster;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The failure drill of atomic commit: a TWOPC transaction writes {@value #ROWS} rows on each of two
 * shards; its COMMIT is paused by the coordinator's {@link CommitHook} once every participant is
 * prepared; one mysqld is killed with SIGKILL and the commit goes on; the mysqld is restarted (its
 * tablet notices, replays its redo log) and the gate's {@link TransactionResolver} finishes the
 * transaction. The rows, counted with direct JDBC on each MariaDB and through the gate, are then
 * on every shard or on none: never half.
 *
 * <p>The resolver is started once the commit has returned, so that it cannot decide while the
 * commit is paused (its abandon age is short to keep the test fast).
 */
class TwoPhaseCommitKillIT {
    private static final int ROWS = 5;
    private static final Duration HOOK_WAIT = Duration.ofSeconds(60);
    private static GateTestCluster gate;
    private static final AtomicLong nextId = new AtomicLong(9000);

    @BeforeAll
    static void start() throws Exception {
        gate = GateTestCluster.start(b -> b.txTimeout(Duration.ofSeconds(60)));
        try (Connection c = gate.connect(GateTestCluster.KS); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(20), n INT) ENGINE=InnoDB");
        }
    }

    @AfterAll
    static void stop() {
        if (gate != null) {
            gate.close();
        }
    }

    private static List<Long> idsOn(int shard, int n) {
        List<Long> out = new ArrayList<>();
        while (out.size() < n) {
            long id = nextId.incrementAndGet();
            if (gate.shardOf(id).equals(SHARDS.get(shard))) {
                out.add(id);
            }
        }
        return out;
    }

    private static String in(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Rows of {@code ids} on shard {@code shard}'s MariaDB, read directly (null if it does not answer). */
    private static Long rowsOn(int shard, List<Long> ids) {
        try {
            return Long.parseLong(gate.mysqld(shard).fetchValue("SELECT COUNT(*) FROM " + GateTestCluster.DB
                    + ".t WHERE id IN (" + in(ids) + ")").orElseThrow());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Rows of {@code ids} through the gate (null while a shard does not answer). */
    private static Long rowsThroughGate(List<Long> ids) {
        try (Connection c = gate.connect(GateTestCluster.KS); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM t WHERE id IN (" + in(ids) + ")")) {
            long n = 0;
            while (rs.next()) {
                n++;
            }
            return n;
        } catch (SQLException e) {
            return null;
        }
    }

    private static long sidecarRows(int shard, String table) {
        return Long.parseLong(gate.mysqld(shard).fetchValue("SELECT COUNT(*) FROM _vt." + table).orElseThrow());
    }

    /** kill -9 of the shard's mysqld; returns once the process is gone. */
    private static void killMysqld(int shard) throws Exception {
        Mysqld m = gate.mysqld(shard);
        ProcessHandle h = ProcessHandle.of(m.pid().orElseThrow()).orElseThrow();
        assertTrue(h.destroyForcibly(), "SIGKILL sent");
        h.onExit().get(30, TimeUnit.SECONDS);
    }

    /** Starts the shard's mysqld again and makes it writable, as the tablet process does for a primary. */
    private static void restartMysqld(int shard) {
        Mysqld m = gate.mysqld(shard);
        m.start(MysqldCluster.START_TIMEOUT);
        m.executeAll(List.of("SET GLOBAL read_only = 0"));
    }

    /**
     * Runs a TWOPC transaction writing {@code mm} (shard 0, the coordinator) and {@code rm} (shard 1)
     * on another thread; its COMMIT pauses after every participant is prepared and {@code atPause}
     * runs; then the commit goes on. Returns the COMMIT's outcome: null or its error.
     */
    private static SQLException commitWithKill(List<Long> mm, List<Long> rm, ThrowingRunnable atPause) throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        gate.executor().twoPhaseCommit().hook((point, dtid, coordinator, participants) -> {
            if (point == CommitHook.Point.PREPARED) {
                paused.countDown();
                try {
                    if (!resume.await(HOOK_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never resumed the commit");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try (Connection c = gate.connect(GateTestCluster.KS); Statement st = c.createStatement()) {
            st.execute("SET transaction_mode = 'TWOPC'");
            st.execute("BEGIN");
            for (long id : mm) {
                st.execute("INSERT INTO t (id, name) VALUES (" + id + ", 'mm')");
            }
            for (long id : rm) {
                st.execute("INSERT INTO t (id, name) VALUES (" + id + ", 'rm')");
            }
            CompletableFuture<SQLException> commit = CompletableFuture.supplyAsync(() -> {
                try {
                    st.execute("COMMIT");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            if (!paused.await(HOOK_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                fail("the commit never reached PREPARED: " + commit.getNow(null));
            }
            assertEquals(1, gate.tablet(1).twoPc().preparedDtids().size(), "the participant holds one prepared transaction");
            assertEquals(1, sidecarRows(1, "redo_state"), "and its redo log entry");
            atPause.run();
            resume.countDown();
            try {
                return commit.get(120, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("COMMIT threw", e.getCause());
            }
        } finally {
            gate.executor().twoPhaseCommit().hook(CommitHook.NONE);
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aParticipantsMysqldKilledAfterPrepareStillCommitsEverywhere() throws Exception {
        List<Long> mm = idsOn(0, ROWS);
        List<Long> rm = idsOn(1, ROWS);
        SQLException error = commitWithKill(mm, rm, () -> killMysqld(1));
        // The decision was taken (the coordinator committed); the participant was down.
        assertTrue(error != null && error.getMessage().contains("is committed but not yet on [customer/80-]")
                && error.getMessage().contains("the resolver will complete the commit"), String.valueOf(error));
        assertEquals(ROWS, rowsOn(0, mm), "the coordinator's rows committed with the decision");

        long restart = System.nanoTime();
        restartMysqld(1);
        assertEquals(0L, rowsOn(1, rm), "InnoDB rolled the prepared transaction back when mysqld died");
        try (TransactionResolver resolver = TransactionResolver.start(gate.gateway(),
                new TransactionResolver.Settings(Duration.ofSeconds(1), Duration.ofMillis(200)), new SimpleMeterRegistry())) {
            await("the participant's rows committed by the resolver", () -> Long.valueOf(ROWS).equals(rowsOn(1, rm)));
            long resolvedMs = (System.nanoTime() - restart) / 1_000_000;
            await("the coordinator's record concluded", () -> sidecarRows(0, "dt_state") == 0);
            System.out.println("twopc kill drill (participant killed after prepare): rows committed on the restarted "
                    + "shard " + resolvedMs + " ms after the restart began");
        }
        assertEquals(ROWS, rowsOn(0, mm));
        assertEquals(ROWS, rowsOn(1, rm));
        assertEquals(0, sidecarRows(1, "redo_state"), "the participant's redo log is empty");
        assertTrue(gate.tablet(1).twoPc().preparedDtids().isEmpty());
        List<Long> all = new ArrayList<>(mm);
        all.addAll(rm);
        await("every row visible through the gate", () -> Long.valueOf(2 * ROWS).equals(rowsThroughGate(all)));
        assertNeverHalf(mm, rm, ROWS);
    }

    @Test
    void theCoordinatorsMysqldKilledBeforeTheDecisionRollsBackEverywhere() throws Exception {
        List<Long> mm = idsOn(0, ROWS);
        List<Long> rm = idsOn(1, ROWS);
        SQLException error = commitWithKill(mm, rm, () -> killMysqld(0));
        assertTrue(error != null && error.getMessage().contains("failed while recording the decision"),
                String.valueOf(error));

        long restart = System.nanoTime();
        restartMysqld(0);
        assertEquals(1, gate.tablet(1).twoPc().preparedDtids().size(), "the participant still holds it prepared");
        try (TransactionResolver resolver = TransactionResolver.start(gate.gateway(),
                new TransactionResolver.Settings(Duration.ofSeconds(1), Duration.ofMillis(200)), new SimpleMeterRegistry())) {
            await("the resolver rolled the participant back",
                    () -> gate.tablet(1).twoPc().preparedDtids().isEmpty() && sidecarRows(1, "redo_state") == 0);
            await("the coordinator's record concluded", () -> sidecarRows(0, "dt_state") == 0);
            System.out.println("twopc kill drill (coordinator killed before the decision): rolled back everywhere "
                    + (System.nanoTime() - restart) / 1_000_000 + " ms after the restart began");
        }
        assertEquals(0L, rowsOn(0, mm));
        assertEquals(0L, rowsOn(1, rm));
        List<Long> all = new ArrayList<>(mm);
        all.addAll(rm);
        await("no row visible through the gate", () -> Long.valueOf(0).equals(rowsThroughGate(all)));
        assertNeverHalf(mm, rm, 0);
    }

    /** Both shards hold all of their rows, or both none; and it is the expected one of the two. */
    private static void assertNeverHalf(List<Long> mm, List<Long> rm, int expectedEach) {
        long a = rowsOn(0, mm);
        long b = rowsOn(1, rm);
        System.out.println("twopc kill drill: rows on -80 = " + a + "/" + mm.size() + ", on 80- = " + b + "/" + rm.size());
        assertTrue((a == 0 && b == 0) || (a == mm.size() && b == rm.size()), "half committed: " + a + " and " + b);
        assertEquals(expectedEach, a);
        assertEquals(expectedEach, b);
    }
}
