package dev.mosaic.server.tablet.twopc;

import static dev.mosaic.server.tablet.TabletTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.query.ExecuteOptions;
import dev.mosaic.server.tablet.sidecar.Sidecar;
import dev.mosaic.server.tablet.tx.TxEngine;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tablet's two-phase commit state machine against a real MariaDB: participant, coordinator, redo replay. */
class DtExecutorIT {
    private static final ExecuteOptions OPTS = ExecuteOptions.DEFAULT;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static MysqldCluster cluster;
    private static Mysqld mysqld;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(1);
        mysqld = cluster.get(0);
        TabletTestSupport.prepare(mysqld);
        Sidecar.ensure(mysqld, Sidecar.DEFAULT_NAME, TabletType.PRIMARY);
        mysqld.executeAll(List.of("CREATE TABLE vt_test.acct (id INT PRIMARY KEY, v VARCHAR(20))"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void reset() {
        mysqld.executeAll(List.of("DELETE FROM vt_test.acct", "DELETE FROM _vt.redo_state",
                "DELETE FROM _vt.redo_statement", "DELETE FROM _vt.dt_state", "DELETE FROM _vt.dt_participant"));
    }

    private static TabletQueryServer open(TabletConfig config) {
        TabletQueryServer s = TabletTestSupport.open(mysqld, config, TabletTestSupport.registry());
        s.twoPc().setPrimary(true);
        return s;
    }

    private static long count(String where) {
        return Long.parseLong(mysqld.fetchValue("SELECT COUNT(*) FROM vt_test.acct WHERE " + where).orElseThrow());
    }

    private static long redoEntries() {
        return Long.parseLong(mysqld.fetchValue("SELECT COUNT(*) FROM _vt.redo_state").orElseThrow());
    }

    private static long insertTwo(TxEngine tx, int a, int b) {
        long id = tx.begin(OPTS);
        tx.execute(id, "INSERT INTO acct (id, v) VALUES (" + a + ", 'x')", BindVariables.EMPTY, OPTS);
        tx.execute(id, "SELECT * FROM acct", BindVariables.EMPTY, OPTS);
        tx.execute(id, "INSERT INTO acct (id, v) VALUES (" + b + ", 'y')", BindVariables.EMPTY, OPTS);
        return id;
    }

    @Test
    void preparedTransactionSurvivesTheKillerThenCommits() {
        try (TabletQueryServer s = open(TabletConfig.defaults().toBuilder().txTimeout(Duration.ofMillis(300)).build())) {
            long id = insertTwo(s.transactions(), 1, 2);
            s.twoPc().prepare(id, "ks:-80:" + id);
            assertEquals(List.of("ks:-80:" + id), s.twoPc().preparedDtids());
            assertEquals(1, redoEntries());
            assertEquals("2", mysqld.fetchValue("SELECT COUNT(*) FROM _vt.redo_statement").orElseThrow(),
                    "two writes in the redo log, the read left out");
            assertEquals(0, count("id IN (1, 2)"), "not committed yet");
            // A transaction begun after it is killed on timeout: the killer passed the prepared one by.
            long other = s.transactions().begin(OPTS);
            await("the killer ends the unprepared transaction", DEADLINE,
                    () -> !s.transactions().openTransactionIds().contains(other));
            assertEquals(List.of("ks:-80:" + id), s.twoPc().preparedDtids(), "prepared: exempt from tx.timeout");
            MosaicException gone = assertThrows(MosaicException.class,
                    () -> s.transactions().execute(id, "SELECT 1", BindVariables.EMPTY, OPTS));
            assertTrue(gone.getMessage().contains("prepared as ks:-80:" + id), gone.getMessage());

            s.twoPc().commitPrepared("ks:-80:" + id);
            assertEquals(2, count("id IN (1, 2)"));
            assertEquals(0, redoEntries(), "the redo entry went with the commit");
            assertEquals(List.of(), s.twoPc().preparedDtids());
            s.twoPc().commitPrepared("ks:-80:" + id); // a retry is a no-op
            assertEquals(2, count("id IN (1, 2)"));
        }
    }

    @Test
    void rollbackPreparedUndoesAndForgets() {
        try (TabletQueryServer s = open(TabletConfig.defaults())) {
            long id = insertTwo(s.transactions(), 3, 4);
            s.twoPc().prepare(id, "d1");
            s.twoPc().rollbackPrepared("d1", id);
            assertEquals(0, count("id IN (3, 4)"));
            assertEquals(0, redoEntries());
            s.twoPc().rollbackPrepared("d1", 0); // retry
            // Never prepared: RollbackPrepared with the original id rolls it back.
            long unprepared = insertTwo(s.transactions(), 5, 6);
            s.twoPc().rollbackPrepared("d2", unprepared);
            assertTrue(s.transactions().openTransactionIds().isEmpty());
            assertEquals(0, count("id IN (5, 6)"));
        }
    }

    @Test
    void prepareRefusesWhatCannotBeReplayed() {
        try (TabletQueryServer s = open(TabletConfig.defaults())) {
            TxEngine tx = s.transactions();
            long reserved = tx.reserveBegin(List.of("SET SESSION sql_mode = ''"), OPTS);
            tx.execute(reserved, "INSERT INTO acct VALUES (7, 'r')", BindVariables.EMPTY, OPTS);
            MosaicException e = assertThrows(MosaicException.class, () -> s.twoPc().prepare(reserved, "r1"));
            assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
            assertTrue(e.getMessage().contains("cannot prepare the transaction on a reserved connection"), e.getMessage());

            long odd = tx.begin(OPTS);
            tx.execute(odd, "INSERT INTO acct VALUES (8, 'o')", BindVariables.EMPTY, OPTS);
            tx.execute(odd, "SET @x = 1", BindVariables.EMPTY, OPTS);
            e = assertThrows(MosaicException.class, () -> s.twoPc().prepare(odd, "r2"));
            assertTrue(e.getMessage().contains("cannot be replayed from the redo log: SET @x = 1"), e.getMessage());

            long empty = tx.begin(OPTS);
            tx.execute(empty, "SELECT 1", BindVariables.EMPTY, OPTS);
            s.twoPc().prepare(empty, "r3"); // nothing written: rolled back, nothing prepared
            assertEquals(List.of(), s.twoPc().preparedDtids());
            s.twoPc().commitPrepared("r3");
            assertTrue(tx.openTransactionIds().isEmpty(), "every refused transaction was rolled back");
            assertEquals(0, count("id IN (7, 8)"));
            assertEquals(0, redoEntries());
        }
    }

    @Test
    void coordinatorRecordsTheDecisionWithItsOwnRows() {
        try (TabletQueryServer s = open(TabletConfig.defaults())) {
            DtExecutor dt = s.twoPc();
            List<TransactionRecord.Participant> ps = List.of(new TransactionRecord.Participant("ks", "80-"));
            long mm = s.transactions().begin(OPTS);
            s.transactions().execute(mm, "INSERT INTO acct VALUES (10, 'mm')", BindVariables.EMPTY, OPTS);
            dt.createTransaction("c1", ps);
            TransactionRecord r = dt.readTransaction("c1");
            assertEquals(DtState.PREPARE, r.state());
            assertEquals(ps, r.participants());
            assertEquals(List.of(), dt.unresolvedTransactions(Duration.ofHours(1)), "too young to be abandoned");
            assertEquals(1, dt.unresolvedTransactions(Duration.ZERO).size());
            dt.startCommit(mm, "c1");
            assertEquals(1, count("id = 10"), "the coordinator's rows committed with the decision");
            assertEquals(DtState.COMMIT, dt.readTransaction("c1").state());
            MosaicException e = assertThrows(MosaicException.class, () -> dt.setRollback("c1", 0));
            assertEquals(ErrorCode.NOT_FOUND, e.code());
            assertTrue(e.getMessage().startsWith("could not transition to ROLLBACK: c1"), e.getMessage());
            dt.concludeTransaction("c1");
            assertNull(dt.readTransaction("c1"));

            // A resolver decided ROLLBACK first: StartCommit fails and the coordinator's rows are rolled back.
            long mm2 = s.transactions().begin(OPTS);
            s.transactions().execute(mm2, "INSERT INTO acct VALUES (11, 'mm')", BindVariables.EMPTY, OPTS);
            dt.createTransaction("c2", ps);
            dt.setRollback("c2", 0);
            dt.setRollback("c2", 0); // a retry
            e = assertThrows(MosaicException.class, () -> dt.startCommit(mm2, "c2"));
            assertTrue(e.getMessage().startsWith("could not transition to COMMIT: c2"), e.getMessage());
            assertEquals(0, count("id = 11"));
            assertTrue(s.transactions().openTransactionIds().isEmpty());
            assertEquals(DtState.ROLLBACK, dt.readTransaction("c2").state());
        }
    }

    @Test
    void aNewPrimaryReplaysTheRedoLog() {
        long id;
        try (TabletQueryServer first = open(TabletConfig.defaults())) {
            id = insertTwo(first.transactions(), 20, 21);
            first.twoPc().prepare(id, "p1");
        } // shutdown: the prepared connection is closed, MySQL rolls it back; the redo entry stays
        assertEquals(0, count("id IN (20, 21)"));
        assertEquals(1, redoEntries());
        try (TabletQueryServer second = open(TabletConfig.defaults())) {
            await("the redo log replayed", DEADLINE, () -> second.twoPc().preparedDtids().contains("p1"));
            // The replayed transaction holds its row locks again: a competing write waits and times out.
            MosaicException blocked = assertThrows(MosaicException.class, () -> second.queries().execute(
                    "UPDATE acct SET v = 'z' WHERE id = 20", BindVariables.EMPTY,
                    new ExecuteOptions(Duration.ofMillis(500), "")));
            assertEquals(ErrorCode.DEADLINE_EXCEEDED, blocked.code(), blocked.getMessage());
            second.twoPc().commitPrepared("p1");
            assertEquals(2, count("id IN (20, 21)"));
            assertEquals(0, redoEntries());
        }
    }

    @Test
    void aReplayThatFailsIsMarkedFailedAndSurfaced() {
        try (TabletQueryServer first = open(TabletConfig.defaults())) {
            long id = insertTwo(first.transactions(), 30, 31);
            first.twoPc().prepare(id, "f1");
        }
        mysqld.executeAll(List.of("INSERT INTO vt_test.acct VALUES (30, 'conflict')"));
        try (TabletQueryServer second = open(TabletConfig.defaults())) {
            await("the replay failed", DEADLINE, () -> second.twoPc().failedDtids().contains("f1"));
            assertEquals("0", mysqld.fetchValue("SELECT state FROM _vt.redo_state WHERE dtid = 'f1'").orElseThrow());
            assertTrue(mysqld.fetchValue("SELECT message FROM _vt.redo_state WHERE dtid = 'f1'").orElseThrow()
                    .contains("Duplicate entry"));
            MosaicException e = assertThrows(MosaicException.class, () -> second.twoPc().commitPrepared("f1"));
            assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
            assertTrue(e.getMessage().contains("FAILED"), e.getMessage());
            assertEquals(0, count("id = 31"));
            second.twoPc().rollbackPrepared("f1", 0);
            assertEquals(0, redoEntries());
            assertTrue(second.twoPc().failedDtids().isEmpty());
        }
    }

    @Test
    void aMysqldRestartIsNoticedAndReplayedBeforeCommitPrepared() throws Exception {
        try (TabletQueryServer s = open(TabletConfig.defaults())) {
            long id = insertTwo(s.transactions(), 40, 41);
            s.twoPc().prepare(id, "k1");
            long pid = mysqld.pid().orElseThrow();
            ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
            h.destroyForcibly();
            h.onExit().get();
            mysqld.start(MysqldCluster.START_TIMEOUT);
            mysqld.executeAll(List.of("SET GLOBAL read_only = 0"));
            assertEquals(0, count("id IN (40, 41)"), "InnoDB rolled the prepared transaction back");
            // No wait for the watcher: CommitPrepared finds the connection dead and replays first.
            s.twoPc().commitPrepared("k1");
            assertEquals(2, count("id IN (40, 41)"));
            assertEquals(0, redoEntries());
            assertTrue(s.twoPc().preparedDtids().isEmpty());
        }
    }
}
