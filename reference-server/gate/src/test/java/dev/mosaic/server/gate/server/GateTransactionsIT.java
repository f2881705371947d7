package dev.mosaic.server.gate.server;

import static dev.mosaic.server.gate.server.GateTestCluster.SHARDS;
import static dev.mosaic.server.gate.testing.QueryResults.column;
import static dev.mosaic.server.gate.testing.ShardedTestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.mysql.cj.jdbc.ConnectionImpl;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.protocol.ServerSession;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transactions, autocommit, savepoints and session settings through the gate, with
 * mysql-connector-j against two real tablets ({@link GateTestCluster}). Each test uses its own
 * ids; after each, no transaction or reserved connection may be left on a tablet.
 */
class GateTransactionsIT {
    /** Short, so the killed-transaction test does not wait long; every other transaction is shorter. */
    /** Long enough that no other test's transaction meets the killer on a slow, shared machine. */
    private static final Duration TX_TIMEOUT = Duration.ofSeconds(8);
    private static GateTestCluster gate;
    /** Ids handed out so far; each test takes fresh ones. */
    private static final AtomicLong nextId = new AtomicLong(1000);

    @BeforeAll
    static void start() throws Exception {
        gate = GateTestCluster.start(b -> b.txPoolSize(8).maxOpenTransactions(8).txTimeout(TX_TIMEOUT));
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
    void nothingLeftOpen() throws InterruptedException {
        for (int i = 0; i < SHARDS.size(); i++) {
            int shard = i;
            await("no transaction or reserved connection left on " + SHARDS.get(i), () ->
                    gate.tablet(shard).transactions().openTransactions() == 0
                            && gate.tablet(shard).transactions().openReservedConnections() == 0);
        }
        await("the gate counts no open transaction", () -> gate.executor().stats().openTransactions() == 0
                && gate.executor().stats().openShardTransactions() == 0
                && gate.executor().stats().reservedConnections() == 0);
    }

    /** A fresh id whose row lives on shard {@code SHARDS.get(shard)}. */
    private static long idOn(int shard) {
        while (true) {
            long id = nextId.incrementAndGet();
            if (gate.shardOf(id).equals(SHARDS.get(shard))) {
                return id;
            }
        }
    }

    private static Connection connect() throws SQLException {
        return gate.connect(GateTestCluster.KS);
    }

    /** The status flags of the gate's last reply, as Connector/J keeps them. */
    private static ServerSession serverSays(Connection c) throws SQLException {
        return c.unwrap(ConnectionImpl.class).getSession().getServerSession();
    }

    /** What a test does with two sessions of its own: {@code s1} and {@code s2}, each on its own connection. */
    @FunctionalInterface
    private interface TwoSessions {
        void run(Statement s1, Statement s2) throws Exception;
    }

    /** Runs {@code test} with two new sessions, closed after it. */
    private static void inTwoSessions(TwoSessions test) throws Exception {
        try (Connection c1 = connect(); Statement s1 = c1.createStatement();
                Connection c2 = connect(); Statement s2 = c2.createStatement()) {
            test.run(s1, s2);
        }
    }

    private static long count(Statement st, long... ids) throws SQLException {
        StringBuilder in = new StringBuilder();
        for (long id : ids) {
            in.append(in.length() == 0 ? "" : ", ").append(id);
        }
        return Long.parseLong(column(st, "SELECT COUNT(*) FROM t WHERE id IN (" + in + ")").get(0));
    }

    private static void insert(Statement st, long... ids) throws SQLException {
        StringBuilder values = new StringBuilder();
        for (long id : ids) {
            values.append(values.length() == 0 ? "" : ", ").append("(").append(id).append(", 'r").append(id).append("', 0)");
        }
        st.executeUpdate("INSERT INTO t (id, name, n) VALUES " + values);
    }

    @Test
    void commitMakesRowsOnBothShardsVisibleToOtherSessions() throws Exception {
        long a = idOn(0);
        long b = idOn(1);
        inTwoSessions((s1, s2) -> {
            Connection c1 = s1.getConnection();
            s1.execute("BEGIN");
            insert(s1, a, b);
            assertTrue(serverSays(c1).inTransactionOnServer(), "SERVER_STATUS_IN_TRANS");
            assertEquals(2, count(s1, a, b), "the transaction reads its own rows");
            assertEquals(0, count(s2, a, b), "another session does not see uncommitted rows");
            assertEquals(1, gate.executor().stats().openTransactions());
            assertEquals(2, gate.executor().stats().openShardTransactions(), "both shards joined");
            assertEquals(1, gate.tablet(0).transactions().openTransactions());
            assertEquals(1, gate.tablet(1).transactions().openTransactions());
            s1.execute("COMMIT");
            assertTrue(!serverSays(c1).inTransactionOnServer());
            assertEquals(2, count(s2, a, b));
            assertEquals(0, gate.executor().stats().openTransactions());
        });
    }

    @Test
    void rollbackHidesEverythingTheTransactionDid() throws Exception {
        long a = idOn(0);
        long b = idOn(1);
        long kept = idOn(0);
        inTwoSessions((s1, s2) -> {
            insert(s2, kept);
            s1.execute("START TRANSACTION");
            insert(s1, a, b);
            assertEquals(1, s1.executeUpdate("UPDATE t SET n = 7 WHERE id = " + kept));
            s1.execute("ROLLBACK");
            assertEquals(0, count(s2, a, b));
            assertEquals(List.of("0"), column(s2, "SELECT n FROM t WHERE id = " + kept));
            assertEquals(0, count(s1, a, b), "after ROLLBACK the session runs in autocommit again");
        });
    }

    @Test
    void autocommitOffWithConnectorJ() throws Exception {
        long a = idOn(0);
        long b = idOn(1);
        long c = idOn(1);
        long d = idOn(0);
        inTwoSessions((s1, s2) -> {
            Connection c1 = s1.getConnection();
            c1.setAutoCommit(false);
            assertTrue(!serverSays(c1).isAutocommit(), "SERVER_STATUS_AUTOCOMMIT cleared");
            assertEquals(List.of("0"), column(s1, "SELECT @@autocommit"));
            insert(s1, a, b);
            assertEquals(0, count(s2, a, b));
            c1.commit();
            assertEquals(2, count(s2, a, b));
            insert(s1, c);
            c1.rollback();
            assertEquals(0, count(s2, c));
            insert(s1, d);
            c1.setAutoCommit(true); // SET autocommit = 1 commits the open transaction
            assertEquals(1, count(s2, d));
            assertEquals(List.of("1"), column(s1, "SELECT @@session.autocommit"));
        });
    }

    @Test
    void closingAConnectionWithAnOpenTransactionReleasesItsRowLocks() throws Exception {
        long id = idOn(1);
        try (Connection c2 = connect(); Statement s2 = c2.createStatement()) {
            insert(s2, id);
            s2.execute("SET innodb_lock_wait_timeout = 1");
            Connection c1 = connect();
            Statement s1 = c1.createStatement();
            s1.execute("BEGIN");
            assertEquals(1, s1.executeUpdate("UPDATE t SET n = 1 WHERE id = " + id));
            SQLException blocked = assertThrows(SQLException.class,
                    () -> s2.executeUpdate("UPDATE t SET n = 2 WHERE id = " + id));
            assertEquals(1205, blocked.getErrorCode(), blocked.getMessage());

            c1.close(); // with the transaction open
            await("the closed session's transaction ended", () -> gate.tablet(1).transactions().openTransactions() == 0);
            assertEquals(1, s2.executeUpdate("UPDATE t SET n = n + 5 WHERE id = " + id));
            assertEquals(List.of("5"), column(s2, "SELECT n FROM t WHERE id = " + id), "the closed session's update was rolled back");
            assertTrue(gate.executor().stats().reservedConnections() > 0, "SET holds reserved connections");
        }
    }

    @Test
    void savepointsAndRollbackToThem() throws Exception {
        long a = idOn(0);
        long b = idOn(0);
        long later = idOn(1);
        inTwoSessions((s1, s2) -> {
            s1.execute("SAVEPOINT outside"); // accepted and forgotten outside a transaction, as in MySQL
            s1.execute("BEGIN");
            insert(s1, a);
            s1.execute("SAVEPOINT s1");
            insert(s1, b);
            s1.execute("ROLLBACK TO SAVEPOINT s1");
            assertEquals(1, count(s1, a, b));
            // A shard that joins after the savepoint gets it replayed, so rolling back to it works there too.
            s1.execute("SAVEPOINT s2");
            insert(s1, later);
            assertEquals(2, count(s1, a, later));
            s1.execute("ROLLBACK TO s2");
            assertEquals(1, count(s1, a, later));
            s1.execute("RELEASE SAVEPOINT s2");
            SQLException gone = assertThrows(SQLException.class, () -> s1.execute("ROLLBACK TO s2"));
            assertEquals(1305, gone.getErrorCode(), gone.getMessage());
            s1.execute("COMMIT");
            assertEquals(1, count(s2, a));
            assertEquals(0, count(s2, b, later));
        });
    }

    @Test
    void sessionSettingsTakeEffectOnEveryShard() throws Exception {
        long a = idOn(0);
        long b = idOn(1);
        try (Connection c1 = connect(); Statement s1 = c1.createStatement()) {
            insert(s1, a, b);
            s1.execute("SET time_zone = '+05:00'");
            assertEquals(List.of("+05:00"), column(s1, "SELECT @@session.time_zone"));
            s1.execute("SET @@session.sql_mode = 'ANSI_QUOTES'");
            String both = "SELECT @@session.time_zone, @@session.sql_mode FROM t WHERE id IN (" + a + ", " + b + ")";
            try (ResultSet rs = s1.executeQuery(both)) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    assertEquals("+05:00", rs.getString(1));
                    assertEquals("ANSI_QUOTES", rs.getString(2));
                }
                assertEquals(2, rows, "one row per shard");
            }
            assertEquals(2, gate.tablet(0).transactions().openReservedConnections()
                    + gate.tablet(1).transactions().openReservedConnections());
            // A reserved connection the tablet ended (as its idle timeout does) is set up again with the settings.
            List<Long> reserved = gate.tablet(0).transactions().reservedConnectionIds();
            assertEquals(1, reserved.size());
            gate.tablet(0).transactions().release(reserved.get(0));
            assertEquals(List.of("+05:00"), column(s1, "SELECT @@session.time_zone FROM t WHERE id = " + a));
            assertEquals(1, gate.tablet(0).transactions().openReservedConnections());

            SQLException bad = assertThrows(SQLException.class, () -> s1.execute("SET time_zone = 'no/such/zone'"));
            // MySQL's own errno and SQLSTATE reach the client, though Mosaic has no SqlError constant for 1298.
            assertEquals(1298, bad.getErrorCode(), bad.getMessage());
            assertEquals("HY000", bad.getSQLState(), bad.getMessage());
            assertTrue(bad.getMessage().contains("Unknown or incorrect time zone"), bad.getMessage());
            assertEquals(List.of("+05:00"), column(s1, "SELECT @@session.time_zone"), "a rejected SET changes nothing");
            SQLException global = assertThrows(SQLException.class, () -> s1.execute("SET GLOBAL sql_mode = ''"));
            assertEquals(1235, global.getErrorCode(), global.getMessage());
            SQLException unknown = assertThrows(SQLException.class, () -> s1.execute("SET no_such_variable = 1"));
            assertEquals(1193, unknown.getErrorCode(), unknown.getMessage());

            // Settings apply inside transactions as well, on the same reserved connections, and on a
            // new one when the tablet ended the reserved connection before the transaction reached it.
            gate.tablet(0).transactions().release(gate.tablet(0).transactions().reservedConnectionIds().get(0));
            s1.execute("BEGIN");
            assertEquals(List.of("+05:00"), column(s1, "SELECT @@session.time_zone FROM t WHERE id = " + a));
            assertEquals(List.of("+05:00"), column(s1, "SELECT @@session.time_zone"));
            s1.execute("SET time_zone = '+01:00'");
            assertEquals(List.of("+01:00"), column(s1, "SELECT @@session.time_zone"));
            s1.execute("COMMIT");
        }
        // Closing the connection released the reserved connections (checked after each test).
    }

    @Test
    void transactionIsolationLevels() throws Exception {
        long a = idOn(0);
        long b = idOn(1);
        try (Connection c1 = connect(); Statement s1 = c1.createStatement()) {
            insert(s1, a, b);
            c1.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            assertEquals(List.of("READ-COMMITTED", "READ-COMMITTED"), column(s1,
                    "SELECT @@session.tx_isolation FROM t WHERE id IN (" + a + ", " + b + ")"));
            s1.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
            s1.execute("BEGIN");
            assertEquals(1, count(s1, a));
            SQLException inTx = assertThrows(SQLException.class,
                    () -> s1.execute("SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED"));
            assertEquals(1568, inTx.getErrorCode(), inTx.getMessage());
            s1.execute("COMMIT");
            assertEquals(List.of("READ-COMMITTED"), column(s1, "SELECT @@session.tx_isolation FROM t WHERE id = " + a),
                    "the next-transaction level does not change the session's");
        }
    }

    @Test
    void beginInsideATransactionCommitsIt() throws Exception {
        long a = idOn(0);
        long b = idOn(1);
        inTwoSessions((s1, s2) -> {
            s1.execute("BEGIN");
            insert(s1, a);
            s1.execute("BEGIN");
            assertEquals(1, count(s2, a), "the second BEGIN committed the first transaction");
            insert(s1, b);
            s1.execute("ROLLBACK");
            assertEquals(1, count(s2, a, b));
        });
    }

    @Test
    void ddlInsideATransactionCommitsIt() throws Exception {
        long a = idOn(1);
        inTwoSessions((s1, s2) -> {
            s1.execute("BEGIN");
            insert(s1, a);
            s1.execute("CREATE TABLE ddl_in_tx (id BIGINT PRIMARY KEY)");
            assertEquals(1, count(s2, a), "the DDL committed the transaction");
            s1.execute("ROLLBACK"); // nothing open any more
            assertEquals(1, count(s2, a));
            s1.execute("DROP TABLE ddl_in_tx");
        });
    }

    @Test
    void aFailedStatementLeavesTheTransactionOpen() throws Exception {
        long a = idOn(0);
        long b = idOn(1);
        inTwoSessions((s1, s2) -> {
            s1.execute("BEGIN");
            insert(s1, a);
            SQLException dup = assertThrows(SQLException.class, () -> insert(s1, a));
            assertEquals(1062, dup.getErrorCode(), dup.getMessage());
            SQLException col = assertThrows(SQLException.class, () -> s1.executeQuery("SELECT nosuch FROM t WHERE id = " + b));
            assertEquals(1054, col.getErrorCode(), col.getMessage());
            insert(s1, b);
            assertEquals(0, count(s2, a, b));
            s1.execute("COMMIT");
            assertEquals(2, count(s2, a, b));
        });
    }

    @Test
    void resetConnectionRollsBackAndReleases() throws Exception {
        long a = idOn(0);
        inTwoSessions((s1, s2) -> {
            Connection c1 = s1.getConnection();
            s1.execute("SET time_zone = '+03:00'");
            c1.setAutoCommit(false);
            insert(s1, a);
            assertTrue(gate.tablet(0).transactions().openTransactions() > 0);
            ((JdbcConnection) c1).resetServerState(); // COM_RESET_CONNECTION
            assertEquals(0, gate.tablet(0).transactions().openTransactions());
            assertEquals(0, gate.tablet(0).transactions().openReservedConnections()
                    + gate.tablet(1).transactions().openReservedConnections());
            assertEquals(0, count(s2, a), "the open transaction was rolled back");
            // The gate's session is back to autocommit, without the settings.
            c1.setAutoCommit(true);
            assertTrue(!"+03:00".equals(column(s1, "SELECT @@session.time_zone").get(0)));
            insert(s1, a);
            assertEquals(1, count(s2, a));
        });
    }

    @Test
    void aCommitThatFailsOnAShardRollsBackTheShardsNotYetCommittedAndNamesIt() throws Exception {
        long a = idOn(0);
        long b = idOn(1);
        inTwoSessions((s1, s2) -> {
            s1.execute("BEGIN");
            insert(s1, a); // -80 joins first, so it is committed first
            insert(s1, b);
            List<Long> open = gate.tablet(0).transactions().openTransactionIds();
            assertEquals(1, open.size());
            gate.tablet(0).transactions().release(open.get(0)); // the tablet ends -80's transaction
            SQLException failed = assertThrows(SQLException.class, () -> s1.execute("COMMIT"));
            assertTrue(failed.getMessage().contains("COMMIT failed on shard customer/-80"), failed.getMessage());
            assertEquals(0, count(s2, a, b), "80- was rolled back");
            insert(s1, a); // the session is out of the transaction
            assertEquals(1, count(s2, a));
        });
    }

    @Test
    void aDeadlockRollsBackTheVictimsWholeTransaction() throws Exception {
        long x = idOn(0);
        long y = idOn(0);
        long other = idOn(1);
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (Connection c1 = connect(); Statement s1 = c1.createStatement();
                Connection c2 = connect(); Statement s2 = c2.createStatement()) {
            insert(s1, x, y);
            s1.execute("BEGIN");
            s2.execute("BEGIN");
            insert(s2, other); // the victim's transaction reaches the other shard too
            s1.executeUpdate("UPDATE t SET n = 1 WHERE id = " + x);
            s2.executeUpdate("UPDATE t SET n = 2 WHERE id = " + y);
            Future<Integer> first = background.submit(() -> s1.executeUpdate("UPDATE t SET n = 1 WHERE id = " + y));
            // Session 1's UPDATE of y is running on shard -80's mysqld: it can only be waiting for y's lock.
            await("session 1 waits for session 2's lock (or its UPDATE ended)", () -> first.isDone() || !gate.mysqld(0)
                    .fetch("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%update%' AND INFO LIKE '%"
                            + y + "%' AND INFO NOT LIKE '%PROCESSLIST%'").isEmpty());
            if (first.isDone()) {
                // Not a deadlock scenario any more (e.g. the tablet's transaction killer ended a transaction
                // on a slow machine): say what happened instead of timing out.
                try {
                    fail("session 1's UPDATE did not wait for session 2's lock: it returned " + first.get());
                } catch (ExecutionException e) {
                    throw new AssertionError("session 1's UPDATE did not wait for session 2's lock: " + e.getCause(), e);
                }
            }
            List<SQLException> deadlocks = new ArrayList<>();
            try {
                s2.executeUpdate("UPDATE t SET n = 2 WHERE id = " + x);
            } catch (SQLException e) {
                deadlocks.add(e);
            }
            try {
                first.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                deadlocks.add((SQLException) e.getCause());
            }
            assertEquals(1, deadlocks.size(), "exactly one session is the deadlock's victim: " + deadlocks);
            SQLException d = deadlocks.get(0);
            assertEquals(1213, d.getErrorCode(), d.getMessage());
            assertTrue(d.getMessage().contains("no longer in a transaction"), d.getMessage());
            s1.execute("COMMIT");
            s2.execute("COMMIT");
            List<String> n = column(s1, "SELECT n FROM t WHERE id IN (" + x + ", " + y + ") ORDER BY n");
            assertEquals(1, n.stream().distinct().count(), "only the survivor's updates stayed: " + n);
            boolean victimWasTwo = n.get(0).equals("1");
            assertEquals(victimWasTwo ? 0 : 1, count(s1, other), "the victim's row on the other shard follows its transaction");
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    void aTransactionTheTabletKilledIsForgottenAndTheClientTold() throws Exception {
        long a = idOn(0);
        long b = idOn(0);
        inTwoSessions((s1, s2) -> {
            s1.execute("BEGIN");
            insert(s1, a);
            await("the tablet's transaction timeout (" + TX_TIMEOUT + ") ended it",
                    () -> gate.tablet(0).transactions().openTransactions() == 0);
            SQLException killed = assertThrows(SQLException.class, () -> insert(s1, b));
            assertTrue(killed.getMessage().contains("exceeded timeout"), killed.getMessage());
            assertTrue(killed.getMessage().contains("no longer in a transaction"), killed.getMessage());
            assertEquals(0, count(s2, a, b));
            insert(s1, b); // autocommit again
            assertEquals(1, count(s2, b));
        });
    }
}
