package dev.mosaic.server.tablet.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.query.StreamHealthRequest;
import dev.mosaic.proto.query.StreamHealthResponse;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.grpc.TabletGrpcServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** StreamHealth of a real replica over grpc-netty: serving, replication stopped, started again, cancelled. */
class HealthStreamIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static MysqldCluster cluster;
    private static Mysqld primary;
    private static Mysqld replica;
    private static TabletQueryServer engines;
    private static TabletHealth health;
    private static TabletGrpcServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(2);
        primary = cluster.get(0);
        replica = cluster.get(1);
        primary.replication().makePrimary();
        TabletTestSupport.prepare(primary);
        replica.replication().setReplicationSource(new ReplicationSource("127.0.0.1",
                primary.connectionParams().port(), "root", "", Duration.ofSeconds(1), Duration.ofMillis(500)), false);
        primary.executeAll(List.of("CREATE TABLE vt_test.t (id INT PRIMARY KEY)", "INSERT INTO vt_test.t VALUES (1)"));
        replica.replication().waitForPosition(primary.replication().primaryPosition(), DEADLINE);

        TabletConfig config = TabletConfig.defaults();
        engines = TabletTestSupport.open(replica, config, TabletTestSupport.registry());
        health = new TabletHealth(TabletAlias.parse("zone1-101"), "commerce", "0", TabletType.REPLICA,
                replica.replication()::replicationStatus,
                TabletHealth.Settings.defaults().withInterval(Duration.ofMillis(100))
                        .withHeartbeat(Duration.ofMillis(500))).start();
        server = TabletGrpcServer.start(engines, health, new InetSocketAddress(0), 4);
        channel = NettyChannelBuilder.forAddress("localhost", server.port()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (health != null) {
            health.close();
        }
        if (server != null) {
            server.close();
        }
        if (engines != null) {
            engines.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void twoStreamsAndQps() throws InterruptedException {
        HealthStreamCollector a = new HealthStreamCollector(DEADLINE);
        HealthStreamCollector b = new HealthStreamCollector(DEADLINE);
        QueryGrpc.newStub(channel).streamHealth(StreamHealthRequest.getDefaultInstance(), a);
        QueryGrpc.newStub(channel).streamHealth(StreamHealthRequest.getDefaultInstance(), b);
        assertNotNull(a.responses.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertNotNull(b.responses.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        QueryGrpc.QueryBlockingStub blocking = QueryGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.MINUTES);
        for (int i = 0; i < 20; i++) {
            blocking.execute(dev.mosaic.proto.query.ExecuteRequest.newBuilder()
                    .setQuery(dev.mosaic.proto.query.BoundQuery.newBuilder().setSql("SELECT 1")).build());
        }
        assertTrue(health.qpsCounter().total() >= 20);
        a.awaitMatching("a positive qps", r -> r.getRealtimeStats().getQps() > 0);
        a.call.cancel("done", null);
        b.call.cancel("done", null);
        TabletTestSupport.await("both subscriptions to go", DEADLINE, () -> health.subscriberCount() == 0);
    }
}
