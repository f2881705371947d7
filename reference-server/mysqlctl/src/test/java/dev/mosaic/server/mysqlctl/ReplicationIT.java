package dev.mosaic.server.mysqlctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.flavor.MariaDbFlavor;
import dev.mosaic.server.mysqlctl.replication.MariaDbGtid;
import dev.mosaic.server.mysqlctl.replication.MariaDbGtidSet;
import dev.mosaic.server.mysqlctl.replication.Position;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus.ThreadState;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A real primary and replica pair: positions, replication, lag, waiting, promotion. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static MysqldCluster cluster;
    private static Mysqld primary;
    private static Mysqld replica;

    @BeforeAll
    static void startPair() {
        cluster = MysqldCluster.start(2);
        primary = cluster.get(0);
        replica = cluster.get(1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ReplicationSource sourceOf(Mysqld m) {
        return new ReplicationSource("127.0.0.1", m.connectionParams().port(), "root", "",
                Duration.ofSeconds(1), Duration.ofMillis(500));
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    @Order(1)
    void writeOnPrimaryAppearsOnReplica() {
        Position start = primary.replication().makePrimary();
        assertTrue(start.isZero());
        assertFalse(primary.replication().isReadOnly());
        assertTrue(primary.replication().replicationStatus().isEmpty(), "a primary is not a replica");

        replica.replication().setReplicationSource(sourceOf(primary), false);
        assertTrue(replica.replication().isReadOnly());

        primary.executeAll(List.of("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO app.t VALUES (1, 'one'), (2, 'two')"));
        Position pos = primary.replication().primaryPosition();
        replica.replication().waitForPosition(pos, WAIT);
        assertEquals("two", replica.fetchValue("SELECT v FROM app.t WHERE id = 2").orElseThrow());

        ReplicationStatus s = replica.replication().replicationStatus().orElseThrow();
        assertEquals(ThreadState.RUNNING, s.ioThread());
        assertEquals(ThreadState.RUNNING, s.sqlThread());
        assertEquals(0, s.lagSeconds().orElseThrow());
        assertEquals(pos.gtidSet(), s.position());
        assertEquals("127.0.0.1", s.sourceHost());
        assertEquals(primary.connectionParams().port(), s.sourcePort());
        assertTrue(s.lastError().isEmpty());
    }

    @Test
    @Order(2)
    void gtidPositionsFromTheLiveServer() {
        primary.executeAll(List.of("INSERT INTO app.t VALUES (3, 'three')"));
        Position pos = primary.replication().primaryPosition();
        MariaDbGtidSet set = assertInstanceOf(MariaDbGtidSet.class, pos.gtidSet());
        MariaDbGtid gtid = set.byDomain().get(0L);
        assertEquals(1, set.byDomain().size());
        assertEquals(primary.replication().serverId(), gtid.serverId(), "server id is the tablet uid");
        assertEquals(1, gtid.serverId());
        assertEquals(4, gtid.sequence(), "CREATE DATABASE, CREATE TABLE, INSERT, INSERT");
        assertEquals(pos, Position.decode(pos.encode()));
        assertEquals("MariaDB/0-1-4", pos.encode());

        replica.replication().waitForPosition(pos, WAIT);
        // log_slave_updates: the replica's own binlog has the primary's transactions, same GTIDs
        assertEquals(pos, replica.replication().primaryPosition());
        assertEquals(2, replica.replication().serverId());
    }

    @Test
    @Order(3)
    void lagIsReportedWhileTheApplierIsBlocked() throws Exception {
        // Hold a row lock on the replica so the applier blocks on the primary's update of that row.
        try (Connection blocker = replica.connect(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.executeQuery("SELECT * FROM app.t WHERE id = 1 FOR UPDATE").close();
            primary.executeAll(List.of("UPDATE app.t SET v = 'uno' WHERE id = 1"));
            Position pos = primary.replication().primaryPosition();

            await("lag >= 2s", WAIT, () -> replica.replication().replicationStatus().orElseThrow()
                    .lagSeconds().orElse(0) >= 2);
            MosaicException e = assertThrows(MosaicException.class,
                    () -> replica.replication().waitForPosition(pos, Duration.ofMillis(300)));
            assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
            assertTrue(e.getMessage().contains(pos.toString()), e.getMessage());

            blocker.rollback();
            replica.replication().waitForPosition(pos, WAIT);
        }
        assertEquals("uno", replica.fetchValue("SELECT v FROM app.t WHERE id = 1").orElseThrow());
        await("lag back to 0", WAIT, () -> replica.replication().replicationStatus().orElseThrow().lagSeconds().orElse(-1) == 0);
    }

    @Test
    @Order(4)
    void attachedMysqldSeesTheSameState() {
        Mysqld attached = Mysqld.attach(replica.connectionParams());
        assertInstanceOf(MariaDbFlavor.class, attached.flavor());
        assertTrue(attached.isRunning());
        assertEquals(replica.replication().primaryPosition(), attached.replication().primaryPosition());
        assertTrue(attached.replication().replicationStatus().orElseThrow().isRunning());
        assertEquals(ErrorCode.FAILED_PRECONDITION, assertThrows(MosaicException.class, () -> attached.shutdown(WAIT)).code());
        assertFalse(Mysqld.attach(new ConnectionParams("127.0.0.1", MysqldCluster.freePort(), "root", "")).isRunning());
    }

    @Test
    @Order(5)
    void stopAndStartReplication() {
        replica.replication().stopReplication();
        ReplicationStatus stopped = replica.replication().replicationStatus().orElseThrow();
        assertEquals(ThreadState.STOPPED, stopped.ioThread());
        assertEquals(ThreadState.STOPPED, stopped.sqlThread());
        assertTrue(stopped.lagSeconds().isEmpty(), "no lag estimate while stopped");
        primary.executeAll(List.of("INSERT INTO app.t VALUES (4, 'four')"));
        replica.replication().startReplication();
        replica.replication().waitForPosition(primary.replication().primaryPosition(), WAIT);
        assertEquals("four", replica.fetchValue("SELECT v FROM app.t WHERE id = 4").orElseThrow());
    }

    @Test
    @Order(6)
    void promoteTheReplicaAndDemoteThePrimary() {
        // Planned reparent, by hand: old primary read-only, replica caught up, swap roles.
        primary.replication().setReadOnly(true);
        Position last = primary.replication().primaryPosition();
        replica.replication().waitForPosition(last, WAIT);
        Position promoted = replica.replication().makePrimary();
        assertTrue(promoted.atLeast(last));
        assertTrue(replica.replication().replicationStatus().isEmpty());

        // The old primary's own writes are in its binlog, not in gtid_slave_pos; it must not ask for them again.
        primary.replication().setReplicationSource(sourceOf(replica), false);
        replica.executeAll(List.of("INSERT INTO app.t VALUES (5, 'five')"));
        Position pos = replica.replication().primaryPosition();
        MariaDbGtid newest = ((MariaDbGtidSet) pos.gtidSet()).byDomain().get(0L);
        assertEquals(2, newest.serverId(), "written by the new primary");
        assertEquals(((MariaDbGtidSet) last.gtidSet()).byDomain().get(0L).sequence() + 1, newest.sequence());
        primary.replication().waitForPosition(pos, WAIT);
        assertEquals("five", primary.fetchValue("SELECT v FROM app.t WHERE id = 5").orElseThrow());
        ReplicationStatus s = primary.replication().replicationStatus().orElseThrow();
        assertTrue(s.isRunning(), s.toString());
        assertTrue(s.lastError().isEmpty(), s.toString());
    }
}
