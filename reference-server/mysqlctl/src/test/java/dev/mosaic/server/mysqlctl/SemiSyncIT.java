package dev.mosaic.server.mysqlctl;

import static dev.mosaic.server.mysqlctl.ReplicationIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.replication.SemiSyncStatus;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Semi-sync on a real pair: without an acking replica a commit waits out the timeout; with one it does not. */
class SemiSyncIT {
    private static final Duration SEMI_SYNC_TIMEOUT = Duration.ofMillis(2000);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static long commitMillis(Mysqld m, String sql) {
        long t0 = System.nanoTime();
        m.executeAll(List.of(sql));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void commitBlocksUntilTimeoutWithoutASemiSyncReplicaAndNotWithOne() {
        try (MysqldCluster cluster = MysqldCluster.start(2)) {
            Mysqld primary = cluster.get(0);
            Mysqld replica = cluster.get(1);
            Replication p = primary.replication();
            p.makePrimary();
            primary.executeAll(List.of("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)"));
            // An asynchronous replica: connected, but does not ack.
            ReplicationSource source = new ReplicationSource("127.0.0.1", primary.connectionParams().port(), "root", "",
                    Duration.ofSeconds(1), Duration.ofMillis(500));
            replica.replication().setReplicationSource(source, false);
            replica.replication().waitForPosition(p.primaryPosition(), WAIT);

            p.setSemiSyncTimeout(SEMI_SYNC_TIMEOUT);
            p.setSemiSyncAckCount(1); // what semi_sync asks for; MariaDB always waits for one
            p.setSemiSync(true, false);
            SemiSyncStatus before = p.semiSyncStatus();
            assertTrue(before.sourceEnabled() && before.sourceActive() && before.sourceTimeoutMillis() == 2000, before.toString());
            long blocked = commitMillis(primary, "INSERT INTO app.t VALUES (1)");
            System.out.printf("semi-sync commit without an acking replica: %d ms (timeout %d ms)%n", blocked, SEMI_SYNC_TIMEOUT.toMillis());
            assertTrue(blocked >= SEMI_SYNC_TIMEOUT.toMillis() - 100, "commit returned after " + blocked + " ms");
            SemiSyncStatus fellBack = p.semiSyncStatus();
            assertFalse(fellBack.sourceActive(), "the source fell back to asynchronous after the timeout");
            // The commit returned to the client without any replica having it: counted as no_tx,
            // the write an application saw succeed and a failover right now would lose.
            assertEquals(before.sourceNoTx() + 1, fellBack.sourceNoTx(), fellBack.toString());
            assertEquals(before.sourceYesTx(), fellBack.sourceYesTx(), fellBack.toString());

            // Now the replica acks. The source switches back to semi-sync when the replica acks a
            // transaction written after the fallback, so one more commit (not measured) brings it back.
            replica.replication().setSemiSync(false, true);
            await("a semi-sync replica connected", WAIT, () -> p.semiSyncStatus().sourceClients() == 1);
            assertTrue(replica.replication().semiSyncStatus().replicaActive());
            primary.executeAll(List.of("INSERT INTO app.t VALUES (2)"));
            await("the source back in semi-sync mode", WAIT, () -> p.semiSyncStatus().sourceActive());
            long yesBefore = p.semiSyncStatus().sourceYesTx();
            long acked = commitMillis(primary, "INSERT INTO app.t VALUES (3)");
            System.out.printf("semi-sync commit with an acking replica: %d ms%n", acked);
            assertTrue(acked < 1000, "commit took " + acked + " ms");
            SemiSyncStatus after = p.semiSyncStatus();
            assertTrue(after.sourceActive());
            assertEquals(yesBefore + 1, after.sourceYesTx(), "the commit was acknowledged: " + after);
        }
    }

    @Test
    void setReplicationSourceCanStartAsSemiSyncReplica() {
        try (MysqldCluster cluster = MysqldCluster.start(2)) {
            Mysqld primary = cluster.get(0);
            Replication p = primary.replication();
            p.makePrimary();
            p.setSemiSyncTimeout(Duration.ofSeconds(30));
            p.setSemiSync(true, false);
            cluster.get(1).replication().setReplicationSource("127.0.0.1", primary.connectionParams().port(), "root", "", true);
            await("semi-sync replica connected", WAIT, () -> p.semiSyncStatus().sourceClients() == 1);
            long t = commitMillis(primary, "CREATE DATABASE app");
            assertTrue(t < 1000, "commit took " + t + " ms");
        }
    }
}
