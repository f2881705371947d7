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
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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

    /** A client stream collecting responses. */
    static final class Collector implements ClientResponseObserver<StreamHealthRequest, StreamHealthResponse> {
        final LinkedBlockingQueue<StreamHealthResponse> responses = new LinkedBlockingQueue<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final CountDownLatch ended = new CountDownLatch(1);
        volatile ClientCallStreamObserver<StreamHealthRequest> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<StreamHealthRequest> requestStream) {
            call = requestStream;
        }

        @Override
        public void onNext(StreamHealthResponse value) {
            responses.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
            ended.countDown();
        }

        @Override
        public void onCompleted() {
            ended.countDown();
        }

        StreamHealthResponse awaitMatching(String what, java.util.function.Predicate<StreamHealthResponse> p)
                throws InterruptedException {
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (true) {
                long left = end - System.nanoTime();
                StreamHealthResponse r = responses.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (r == null) {
                    throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what);
                }
                if (p.test(r)) {
                    return r;
                }
            }
        }
    }

    @Test
    void replicaHealthFollowsReplication() throws InterruptedException {
        Collector c = new Collector();
        QueryGrpc.newStub(channel).streamHealth(StreamHealthRequest.getDefaultInstance(), c);

        StreamHealthResponse first = c.responses.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(first, "the current state comes at once");
        StreamHealthResponse ok = c.awaitMatching("serving", StreamHealthResponse::getServing);
        assertEquals(0, ok.getRealtimeStats().getReplicationLagSeconds());
        assertEquals("", ok.getRealtimeStats().getHealthError());
        assertEquals(TabletType.REPLICA, ok.getTarget().getTabletType());
        assertEquals("commerce", ok.getTarget().getKeyspace());
        assertEquals("0", ok.getTarget().getShard());
        assertEquals("zone1", ok.getTabletAlias().getCell());
        assertEquals(101, ok.getTabletAlias().getUid());
        assertEquals(0, ok.getPrimaryTermStartTimestamp());

        replica.replication().stopReplication();
        StreamHealthResponse down = c.awaitMatching("not serving", r -> !r.getServing());
        assertFalse(down.getRealtimeStats().getHealthError().isEmpty());
        assertTrue(down.getRealtimeStats().getHealthError().contains("replication"),
                down.getRealtimeStats().getHealthError());

        replica.replication().startReplication();
        StreamHealthResponse up = c.awaitMatching("serving again", StreamHealthResponse::getServing);
        assertEquals("", up.getRealtimeStats().getHealthError());

        // heartbeats keep coming while nothing changes
        c.responses.clear();
        c.awaitMatching("a heartbeat", r -> true);

        c.call.cancel("test done", null);
        assertTrue(c.ended.await(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(Status.Code.CANCELLED, Status.fromThrowable(c.error.get()).getCode());
        TabletTestSupport.await("the server-side subscription to go", DEADLINE, () -> health.subscriberCount() == 0);
    }

    @Test
    void twoStreamsAndQps() throws InterruptedException {
        Collector a = new Collector();
        Collector b = new Collector();
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
