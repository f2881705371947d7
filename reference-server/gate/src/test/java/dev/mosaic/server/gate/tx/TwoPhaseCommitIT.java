package dev.mosaic.server.gate.tx;

import static dev.mosaic.server.gate.server.GateTestCluster.SHARDS;
import static dev.mosaic.server.gate.testing.ShardedTestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.gate.server.GateTestCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code transaction_mode} through the gate against two real tablets ({@link GateTestCluster}):
 * TWOPC commits atomically, a refused Prepare rolls back every shard, MULTI stays the default and
 * SINGLE refuses a second shard. Rows are counted with direct JDBC on each shard's MariaDB.
 */
class TwoPhaseCommitIT {
    private static GateTestCluster gate;
    private static final AtomicLong nextId = new AtomicLong(5000);

    @BeforeAll
    static void start() throws Exception {
        gate = GateTestCluster.start(b -> b.txTimeout(Duration.ofSeconds(30)));
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

    @AfterEach
    void nothingLeft() throws InterruptedException {
        gate.executor().twoPhaseCommit().hook(CommitHook.NONE);
        for (int i = 0; i < SHARDS.size(); i++) {
            int shard = i;
            await("no transaction, prepared transaction or 2PC record left on " + SHARDS.get(i), () ->
                    gate.tablet(shard).transactions().openTransactions() == 0
                            && gate.tablet(shard).twoPc().preparedDtids().isEmpty()
                            && sidecarRows(shard, "dt_state") == 0 && sidecarRows(shard, "redo_state") == 0);
        }
    }

    private static long sidecarRows(int shard, String table) {
        return Long.parseLong(gate.mysqld(shard).fetchValue("SELECT COUNT(*) FROM _vt." + table).orElseThrow());
    }

    private static long idOn(int shard) {
        while (true) {
            long id = nextId.incrementAndGet();
            if (gate.shardOf(id).equals(SHARDS.get(shard))) {
                return id;
            }
        }
    }

    /** Rows of {@code ids} on shard {@code shard}'s MariaDB, read directly. */
    private static long rowsOn(int shard, long... ids) {
        StringBuilder in = new StringBuilder();
        for (long id : ids) {
            in.append(in.length() == 0 ? "" : ",").append(id);
        }
        return Long.parseLong(gate.mysqld(shard).fetchValue("SELECT COUNT(*) FROM " + GateTestCluster.DB
                + ".t WHERE id IN (" + in + ")").orElseThrow());
    }

    private static String mode(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT @@transaction_mode")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void twopcCommitsOnBothShards() throws Exception {
        long a = idOn(0);
        long b = idOn(1);
        long before = gate.executor().twoPhaseCommit().committed();
        try (Connection c = gate.connect(GateTestCluster.KS); Statement st = c.createStatement()) {
            st.execute("SET transaction_mode = 'twopc'");
            assertEquals("TWOPC", mode(st));
            st.execute("BEGIN");
            st.execute("INSERT INTO t (id, name) VALUES (" + a + ", 'a')");
            st.execute("INSERT INTO t (id, name) VALUES (" + b + ", 'b')");
            assertEquals(0, rowsOn(0, a) + rowsOn(1, b), "nothing visible before COMMIT");
            st.execute("COMMIT");
        }
        assertEquals(1, rowsOn(0, a));
        assertEquals(1, rowsOn(1, b));
        assertEquals(before + 1, gate.executor().twoPhaseCommit().committed(), "the commit went through 2PC");
    }

    @Test
    void aSingleShardTwopcTransactionIsAPlainCommit() throws Exception {
        long a = idOn(0);
        long before = gate.executor().twoPhaseCommit().committed();
        try (Connection c = gate.connect(GateTestCluster.KS); Statement st = c.createStatement()) {
            st.execute("SET @@transaction_mode = 'TWOPC'");
            st.execute("BEGIN");
            st.execute("INSERT INTO t (id, name) VALUES (" + a + ", 'a')");
            st.execute("COMMIT");
        }
        assertEquals(1, rowsOn(0, a));
        assertEquals(before, gate.executor().twoPhaseCommit().committed());
    }

    @Test
    void aRefusedPrepareRollsBackEveryShard() throws Exception {
        long a = idOn(0);
        long b = idOn(1);
        // The participant loses its transaction after the record exists and before Prepare (as if
        // its transaction had been killed): its Prepare is refused.
        gate.executor().twoPhaseCommit().hook((point, dtid, coordinator, participants) -> {
            if (point == CommitHook.Point.CREATED) {
                for (long id : gate.tablet(1).transactions().openTransactionIds()) {
                    gate.tablet(1).transactions().rollback(id);
                }
            }
        });
        try (Connection c = gate.connect(GateTestCluster.KS); Statement st = c.createStatement()) {
            st.execute("SET transaction_mode = 'TWOPC'");
            st.execute("BEGIN");
            st.execute("INSERT INTO t (id, name) VALUES (" + a + ", 'a')");
            st.execute("INSERT INTO t (id, name) VALUES (" + b + ", 'b')");
            SQLException e = assertThrows(SQLException.class, () -> st.execute("COMMIT"));
            assertTrue(e.getMessage().contains("failed to prepare on customer/80-")
                    && e.getMessage().contains("rolled back on every shard"), e.getMessage());
            st.execute("INSERT INTO t (id, name) VALUES (" + a + ", 'again')"); // the session is usable: no tx open
        }
        assertEquals(1, rowsOn(0, a), "only the autocommitted retry");
        assertEquals(0, rowsOn(1, b));
        assertEquals("again", gate.mysqld(0).fetchValue("SELECT name FROM " + GateTestCluster.DB + ".t WHERE id = " + a)
                .orElseThrow(), "the coordinator's row of the failed transaction was rolled back");
    }

    @Test
    void sessionSettingsCannotBePrepared() throws Exception {
        long a = idOn(0);
        long b = idOn(1);
        try (Connection c = gate.connect(GateTestCluster.KS); Statement st = c.createStatement()) {
            st.execute("SET transaction_mode = 'TWOPC'");
            st.execute("SET SESSION sql_safe_updates = 0"); // a setting: the session's shard connections are reserved
            st.execute("BEGIN");
            st.execute("INSERT INTO t (id, name) VALUES (" + a + ", 'a')");
            st.execute("INSERT INTO t (id, name) VALUES (" + b + ", 'b')");
            SQLException e = assertThrows(SQLException.class, () -> st.execute("COMMIT"));
            assertTrue(e.getMessage().contains("cannot prepare the transaction on a reserved connection"), e.getMessage());
        }
        assertEquals(0, rowsOn(0, a) + rowsOn(1, b));
        for (int i = 0; i < SHARDS.size(); i++) {
            int shard = i;
            await("reserved connections released", () -> gate.tablet(shard).transactions().openReservedConnections() == 0);
        }
    }

    @Test
    void multiIsTheDefaultAndUnchanged() throws Exception {
        long a = idOn(0);
        long b = idOn(1);
        long before = gate.executor().twoPhaseCommit().committed();
        try (Connection c = gate.connect(GateTestCluster.KS); Statement st = c.createStatement()) {
            assertEquals("MULTI", mode(st));
            st.execute("BEGIN");
            st.execute("INSERT INTO t (id, name) VALUES (" + a + ", 'a')");
            st.execute("INSERT INTO t (id, name) VALUES (" + b + ", 'b')");
            st.execute("COMMIT");
            SQLException e = assertThrows(SQLException.class, () -> st.execute("SET transaction_mode = 'ATOMIC'"));
            assertEquals(1231, e.getErrorCode());
        }
        assertEquals(2, rowsOn(0, a) + rowsOn(1, b));
        assertEquals(before, gate.executor().twoPhaseCommit().committed(), "MULTI does not use 2PC");
    }

    @Test
    void singleRefusesASecondShard() throws Exception {
        long a = idOn(0);
        long b = idOn(1);
        try (Connection c = gate.connect(GateTestCluster.KS); Statement st = c.createStatement()) {
            st.execute("SET transaction_mode = 'SINGLE'");
            assertEquals("SINGLE", mode(st));
            st.execute("BEGIN");
            st.execute("INSERT INTO t (id, name) VALUES (" + a + ", 'a')");
            SQLException e = assertThrows(SQLException.class,
                    () -> st.execute("INSERT INTO t (id, name) VALUES (" + b + ", 'b')"));
            assertTrue(e.getMessage().contains("multi-db transaction attempted"), e.getMessage());
            assertTrue(e.getMessage().contains("rolled back on every shard"), e.getMessage());
            st.execute("COMMIT"); // nothing open any more
            // One shard is fine.
            st.execute("BEGIN");
            st.execute("INSERT INTO t (id, name) VALUES (" + b + ", 'b')");
            st.execute("COMMIT");
        }
        assertEquals(0, rowsOn(0, a));
        assertEquals(1, rowsOn(1, b));
        assertEquals(List.of(), gate.tablet(0).transactions().openTransactionIds());
    }
}
