package dev.mosaic.server.tablet.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.proto.tabletmanager.InitPrimaryRequest;
import dev.mosaic.proto.tabletmanager.SetReplicationSourceRequest;
import dev.mosaic.proto.tabletmanager.TabletManagerGrpc;
import dev.mosaic.proto.tabletmanager.TabletManagerGrpc.TabletManagerBlockingStub;
import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.replication.SemiSyncStatus;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A tablet applies the primary side of a semi_sync policy on real MariaDB: InitPrimary with one
 * ack sets the configured timeout; with no acking replica a commit waits it out and then commits
 * unacknowledged; once a replica is told to ack (SetReplicationSource semi_sync), commits are
 * acknowledged quickly. A policy needing two acks is refused on MariaDB.
 */
class SemiSyncPrimaryIT {
    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DB = "vt_ks";

    @Test
    void primaryWaitsForTheAckThePolicyAsksFor() throws IOException, InterruptedException {
        List<Server> servers = new ArrayList<>();
        List<ManagedChannel> channels = new ArrayList<>();
        try (MysqldCluster cluster = MysqldCluster.start(2)) {
            ReplicationSourceResolver resolver = a -> new ReplicationSource("127.0.0.1",
                    cluster.get((int) a.getUid() - 1).connectionParams().port(), "root", "",
                    Duration.ofSeconds(1), Duration.ofMillis(500));
            List<TabletManagerBlockingStub> tm = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                        .addService(new TabletManagerService(cluster.get(i), DB, resolver, null, null, TIMEOUT))
                        .build().start();
                servers.add(server);
                ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
                channels.add(channel);
                tm.add(TabletManagerGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.MINUTES));
            }
            Mysqld primary = cluster.get(0);

            StatusRuntimeException two = assertThrows(StatusRuntimeException.class, () -> tm.get(1).initPrimary(
                    InitPrimaryRequest.newBuilder().setSemiSync(true).setSemiSyncAckers(2).build()));
            assertEquals(Status.Code.UNIMPLEMENTED, two.getStatus().getCode(), two.toString());
            assertTrue(two.getStatus().getDescription().contains("MariaDB waits for exactly one"), two.toString());

            tm.get(0).initPrimary(InitPrimaryRequest.newBuilder().setSemiSync(true).setSemiSyncAckers(1).build());
            SemiSyncStatus before = primary.replication().semiSyncStatus();
            assertTrue(before.sourceEnabled() && !before.replicaEnabled(), before.toString());
            assertEquals(TIMEOUT.toMillis(), before.sourceTimeoutMillis());

            // An asynchronous replica does not help: the commit waits out the timeout, then
            // commits without an ack (no_tx) - the write a failover at that moment would lose.
            tm.get(1).setReplicationSource(SetReplicationSourceRequest.newBuilder().setParent(alias(1))
                    .setTimeCreatedNs(1).setSemiSync(false).build());
            long blocked = millis(() -> primary.executeAll(List.of("CREATE DATABASE app")));
            assertTrue(blocked >= TIMEOUT.toMillis() - 100, "commit returned after " + blocked + " ms");
            SemiSyncStatus fellBack = primary.replication().semiSyncStatus();
            assertEquals(before.sourceNoTx() + 1, fellBack.sourceNoTx(), fellBack.toString());
            assertFalse(fellBack.sourceActive(), fellBack.toString());

            // The replica the policy says acks: commits are acknowledged, quickly.
            tm.get(1).setReplicationSource(SetReplicationSourceRequest.newBuilder().setParent(alias(1))
                    .setTimeCreatedNs(2).setSemiSync(true).build());
            await("a semi-sync replica connected", () -> primary.replication().semiSyncStatus().sourceClients() == 1);
            primary.executeAll(List.of("CREATE TABLE app.t (id INT PRIMARY KEY)")); // brings the source back to semi-sync
            await("the source back in semi-sync mode", () -> primary.replication().semiSyncStatus().sourceActive());
            long yes = primary.replication().semiSyncStatus().sourceYesTx();
            long acked = millis(() -> primary.executeAll(List.of("INSERT INTO app.t VALUES (1)")));
            assertTrue(acked < 1000, "commit took " + acked + " ms");
            assertEquals(yes + 1, primary.replication().semiSyncStatus().sourceYesTx());
        } finally {
            for (ManagedChannel c : channels) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            for (Server s : servers) {
                s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static TabletAlias alias(int uid) {
        return TabletAlias.newBuilder().setCell("zone1").setUid(uid).build();
    }

    private static long millis(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
