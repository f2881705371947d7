package dev.mosaic.server.gate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.BeginRequest;
import dev.mosaic.proto.query.BeginResponse;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.proto.query.CommitRequest;
import dev.mosaic.proto.query.CommitResponse;
import dev.mosaic.proto.query.ExecuteOptions;
import dev.mosaic.proto.query.ExecuteRequest;
import dev.mosaic.proto.query.ExecuteResponse;
import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.RealtimeStats;
import dev.mosaic.proto.query.StreamHealthRequest;
import dev.mosaic.proto.query.StreamHealthResponse;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.topo.ProtoConversions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway against fake tablets on in-process gRPC: retries, pinning, health timeouts, discovery. */
class TabletGatewayTest {
    private static final CallerID CALLER = CallerID.newBuilder().setPrincipal("app").build();
    private static final ExecuteOptions OPTS = ExecuteOptions.getDefaultInstance();

    private final String prefix = "gw-" + UUID.randomUUID();
    private final List<Server> servers = new ArrayList<>();
    private final Map<String, List<Tablet>> topo = new ConcurrentHashMap<>();
    private final List<ManagedChannel> opened = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TabletGateway gateway;
    private volatile boolean unreadable;

    /** A fake tablet: health as set by the test, Execute answering its uid or failing as told. */
    final class Fake extends QueryGrpc.QueryImplBase {
        final int uid;
        final AtomicInteger executes = new AtomicInteger();
        volatile Status failWith;
        volatile boolean silent;
        final List<StreamObserver<StreamHealthResponse>> streams = new CopyOnWriteArrayList<>();
        volatile StreamHealthResponse health;

        Fake(int uid, TabletType type, boolean serving) {
            this.uid = uid;
            setHealth(type, serving, 0, "");
        }

        void setHealth(TabletType type, boolean serving, int lag, String error) {
            health = StreamHealthResponse.newBuilder()
                    .setTarget(Target.newBuilder().setKeyspace("ks").setShard("0").setTabletType(type))
                    .setServing(serving)
                    .setPrimaryTermStartTimestamp(type == TabletType.PRIMARY ? 1000 + uid : 0)
                    .setRealtimeStats(RealtimeStats.newBuilder().setReplicationLagSeconds(lag).setHealthError(error))
                    .setTabletAlias(ProtoConversions.toProto(new TabletAlias("zone1", uid + healthAliasUid))).build();
            for (StreamObserver<StreamHealthResponse> s : streams) {
                try {
                    s.onNext(health);
                } catch (RuntimeException ignored) {
                    // cancelled
                }
            }
        }

        @Override
        public void streamHealth(StreamHealthRequest request, StreamObserver<StreamHealthResponse> out) {
            ServerCallStreamObserver<StreamHealthResponse> s = (ServerCallStreamObserver<StreamHealthResponse>) out;
            s.setOnCancelHandler(() -> streams.remove(out));
            streams.add(out);
            if (!silent) {
                out.onNext(health);
            }
        }

        @Override
        public void execute(ExecuteRequest request, StreamObserver<ExecuteResponse> out) {
            executes.incrementAndGet();
            Status f = failWith;
            if (f != null) {
                out.onError(f.asRuntimeException());
                return;
            }
            out.onNext(ExecuteResponse.newBuilder().setResult(QueryResult.newBuilder().setInfo("uid " + uid)
                    .setRowsAffected(request.getTransactionId())).build());
            out.onCompleted();
        }

        final java.util.concurrent.CountDownLatch streamCancelled = new java.util.concurrent.CountDownLatch(1);
        volatile int healthAliasUid;

        @Override
        public void streamExecute(dev.mosaic.proto.query.StreamExecuteRequest request,
                StreamObserver<dev.mosaic.proto.query.StreamExecuteResponse> out) {
            executes.incrementAndGet();
            Status f = failWith;
            if (f != null) {
                out.onError(f.asRuntimeException());
                return;
            }
            ServerCallStreamObserver<dev.mosaic.proto.query.StreamExecuteResponse> s =
                    (ServerCallStreamObserver<dev.mosaic.proto.query.StreamExecuteResponse>) out;
            s.setOnCancelHandler(streamCancelled::countDown);
            // An endless result: only the client's cancellation ends it (or 30 s).
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (int i = 0; !s.isCancelled() && System.nanoTime() < end; i++) {
                s.onNext(dev.mosaic.proto.query.StreamExecuteResponse.newBuilder()
                        .setResult(QueryResult.newBuilder().setInfo("uid " + uid + " chunk " + i)).build());
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void begin(BeginRequest request, StreamObserver<BeginResponse> out) {
            out.onNext(BeginResponse.newBuilder().setTransactionId(7000 + uid).build());
            out.onCompleted();
        }

        @Override
        public void commit(CommitRequest request, StreamObserver<CommitResponse> out) {
            out.onNext(CommitResponse.getDefaultInstance());
            out.onCompleted();
        }
    }

    private Fake tablet(int uid, TabletType type) throws IOException {
        Fake f = new Fake(uid, type, true);
        servers.add(InProcessServerBuilder.forName(prefix + ":" + uid).addService(f).build().start());
        topo.computeIfAbsent("zone1", c -> new CopyOnWriteArrayList<>()).add(Tablet.newBuilder()
                .setAlias(ProtoConversions.toProto(new TabletAlias("zone1", uid))).setHostname(prefix)
                .putPortMap("grpc", uid).setKeyspace("ks").setShard("0").setType(type).build());
        return f;
    }

    private TabletGateway start(GatewayConfig config) {
        gateway = TabletGateway.start(() -> {
            Map<String, List<Tablet>> m = new java.util.HashMap<>(topo);
            if (unreadable) {
                m.put("zone1", null);
            }
            return m;
        }, (host, port) -> {
            ManagedChannel c = InProcessChannelBuilder.forName(host + ":" + port).build();
            opened.add(c);
            return c;
        }, config, registry);
        return gateway;
    }

    private static GatewayConfig config() {
        return GatewayConfig.defaults(List.of("zone1")).withTabletRefreshInterval(Duration.ofHours(1))
                .withHealthRetry(Duration.ofMillis(10), Duration.ofMillis(100));
    }

    private static Target target(TabletType type) {
        return Target.newBuilder().setKeyspace("ks").setShard("0").setTabletType(type).build();
    }

    private static BoundQuery sql(String s) {
        return BoundQuery.newBuilder().setSql(s).build();
    }

    static void await(String what, BooleanSupplier c) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        servers.forEach(Server::shutdownNow);
    }

    private double retries() {
        return registry.find("mosaic.gate.tablet.retries").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aReadFailingUnavailableIsRetriedOnceOnAnotherTablet() throws IOException {
        Fake a = tablet(1, TabletType.REPLICA);
        Fake b = tablet(2, TabletType.REPLICA);
        start(config());
        await("both replicas healthy", () -> gateway.healthyTablets(target(TabletType.REPLICA)).size() == 2);
        a.failWith = Status.UNAVAILABLE.withDescription("gone");
        for (int i = 0; i < 20; i++) {
            assertEquals("uid 2", gateway.execute(target(TabletType.REPLICA), CALLER, sql("SELECT 1"), OPTS).getInfo());
        }
        assertTrue(a.executes.get() > 0, "some reads went to the failing tablet first");
        assertEquals(a.executes.get(), (int) retries(), "each failure on A was retried once");

        // Both failing: one retry, then the error, naming the target and the tablet.
        b.failWith = Status.UNAVAILABLE.withDescription("gone too");
        int before = a.executes.get() + b.executes.get();
        MosaicException e = assertThrows(MosaicException.class,
                () -> gateway.execute(target(TabletType.REPLICA), CALLER, sql("SELECT 1"), OPTS));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().startsWith("target: ks.0.replica, tablet zone1-"), e.getMessage());
        assertEquals(before + 2, a.executes.get() + b.executes.get(), "one try and one retry");
    }

    @Test
    void writesAndOtherErrorsAreNotRetried() throws IOException {
        Fake a = tablet(1, TabletType.REPLICA);
        Fake b = tablet(2, TabletType.REPLICA);
        start(config());
        await("both replicas healthy", () -> gateway.healthyTablets(target(TabletType.REPLICA)).size() == 2);
        a.failWith = Status.UNAVAILABLE;
        b.failWith = Status.UNAVAILABLE;
        assertThrows(MosaicException.class,
                () -> gateway.execute(target(TabletType.REPLICA), CALLER, sql("UPDATE t SET a = 1"), OPTS));
        assertEquals(1, a.executes.get() + b.executes.get(), "a write goes out once");
        a.failWith = Status.INVALID_ARGUMENT;
        b.failWith = Status.INVALID_ARGUMENT;
        MosaicException e = assertThrows(MosaicException.class,
                () -> gateway.execute(target(TabletType.REPLICA), CALLER, sql("SELECT 1"), OPTS));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals(2, a.executes.get() + b.executes.get(), "only UNAVAILABLE is retried");
        assertEquals(0, retries());
    }

    @Test
    void aSessionStaysOnItsTabletAndIsNeverRetried() throws IOException {
        Fake a = tablet(1, TabletType.REPLICA);
        Fake b = tablet(2, TabletType.REPLICA);
        start(config());
        await("both replicas healthy", () -> gateway.healthyTablets(target(TabletType.REPLICA)).size() == 2);
        ShardSession s = gateway.begin(target(TabletType.REPLICA), CALLER, OPTS);
        Fake mine = s.tablet().uid() == 1 ? a : b;
        assertEquals(7000 + mine.uid, s.transactionId());
        for (int i = 0; i < 10; i++) {
            QueryResult r = gateway.execute(s, CALLER, sql("SELECT 1"), OPTS);
            assertEquals("uid " + mine.uid, r.getInfo());
            assertEquals(s.transactionId(), r.getRowsAffected(), "the transaction id went along");
        }
        mine.failWith = Status.UNAVAILABLE;
        assertThrows(MosaicException.class, () -> gateway.execute(s, CALLER, sql("SELECT 1"), OPTS));
        assertEquals(11, mine.executes.get());
        assertEquals(0, (s.tablet().uid() == 1 ? b : a).executes.get(), "nothing went to the other tablet");
        mine.failWith = null;
        ShardSession done = gateway.commit(s, CALLER);
        assertEquals(0, done.transactionId());
        assertTrue(!done.isOpen());
    }

    @Test
    void noHealthyTabletNamesTheTarget() throws IOException {
        Fake a = tablet(1, TabletType.PRIMARY);
        start(config());
        await("primary healthy", () -> gateway.healthyTablets(target(TabletType.PRIMARY)).size() == 1);
        MosaicException e = assertThrows(MosaicException.class,
                () -> gateway.execute(target(TabletType.RDONLY), CALLER, sql("SELECT 1"), OPTS));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertEquals("no healthy tablet available for 'keyspace:\"ks\" shard:\"0\" tablet_type:RDONLY'",
                e.getMessage());
        a.setHealth(TabletType.PRIMARY, false, 0, "");
        await("primary not serving", () -> gateway.healthyTablets(target(TabletType.PRIMARY)).isEmpty());
        assertThrows(MosaicException.class,
                () -> gateway.execute(target(TabletType.PRIMARY), CALLER, sql("SELECT 1"), OPTS));
        assertEquals(0, a.executes.get());
    }

    @Test
    void healthDecidesTheTargetAndTheLagFilterApplies() throws IOException {
        Fake a = tablet(1, TabletType.REPLICA);
        Fake b = tablet(2, TabletType.REPLICA);
        Fake c = tablet(3, TabletType.REPLICA);
        start(config().withReplicationLag(Duration.ofSeconds(10), Duration.ofSeconds(100), 1));
        await("three replicas", () -> gateway.healthyTablets(target(TabletType.REPLICA)).size() == 3);
        b.setHealth(TabletType.REPLICA, true, 50, "");
        c.setHealth(TabletType.RDONLY, true, 0, "");
        await("b lagging out, c moved to RDONLY", () -> gateway.healthyTablets(target(TabletType.REPLICA)).size() == 1
                && gateway.healthyTablets(target(TabletType.RDONLY)).size() == 1);
        assertEquals(1, gateway.healthyTablets(target(TabletType.REPLICA)).get(0).alias().uid());
        a.setHealth(TabletType.REPLICA, true, 0, "replication is not running");
        await("b kept as the least lagging", () -> gateway.healthyTablets(target(TabletType.REPLICA)).size() == 1
                && gateway.healthyTablets(target(TabletType.REPLICA)).get(0).alias().uid() == 2);
        TabletStatus sa = gateway.tablets().get(0);
        assertEquals("replication is not running", sa.error());
        assertTrue(sa.lastHealthAt().isPresent());
    }

    @Test
    void aSilentStreamTimesOutAndIsReopened() throws IOException {
        Fake a = tablet(1, TabletType.REPLICA);
        start(config().withHealthCheckTimeout(Duration.ofMillis(300)));
        await("healthy", () -> gateway.healthyTablets(target(TabletType.REPLICA)).size() == 1);
        a.silent = true;
        a.streams.forEach(s -> s.onError(Status.UNAVAILABLE.asRuntimeException())); // the stream breaks ...
        await("unhealthy after the break", () -> gateway.healthyTablets(target(TabletType.REPLICA)).isEmpty());
        // ... is re-opened, but the tablet stays silent: unhealthy with a timeout, and re-opened again.
        await("the stream re-opened", () -> a.streams.size() == 1);
        await("the silent stream cancelled for its timeout", () -> a.streams.isEmpty()
                || gateway.tablets().get(0).error().contains("timed out"));
        await("the timeout reported", () -> gateway.tablets().get(0).error().contains("timed out"));
        a.silent = false;
        a.setHealth(TabletType.REPLICA, true, 0, "");
        await("healthy again", () -> gateway.healthyTablets(target(TabletType.REPLICA)).size() == 1);
    }

    @Test
    void aStreamStopsOnTheTabletWhenTheSinkFailsAndFailsOverOnlyBeforeTheFirstChunk() throws Exception {
        Fake a = tablet(1, TabletType.REPLICA);
        Fake b = tablet(2, TabletType.REPLICA);
        start(config());
        await("both replicas healthy", () -> gateway.healthyTablets(target(TabletType.REPLICA)).size() == 2);
        IllegalStateException boom = new IllegalStateException("client went away");
        List<QueryResult> got = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> gateway.streamExecute(target(TabletType.REPLICA), CALLER, sql("SELECT * FROM big"), OPTS, r -> {
                    got.add(r);
                    if (got.size() == 3) {
                        throw boom;
                    }
                }));
        assertTrue(e == boom, "the sink's own exception comes back");
        Fake used = got.get(0).getInfo().startsWith("uid 1") ? a : b;
        assertTrue(used.streamCancelled.await(10, java.util.concurrent.TimeUnit.SECONDS),
                "the tablet saw the stream cancelled");

        // Failing before the first chunk: retried on the other replica.
        a.failWith = Status.UNAVAILABLE;
        for (int i = 0; i < 200 && retries() == 0; i++) {
            List<QueryResult> more = new ArrayList<>();
            assertThrows(IllegalStateException.class, () -> gateway.streamExecute(target(TabletType.REPLICA), CALLER,
                    sql("SELECT * FROM big"), OPTS, r -> {
                        more.add(r);
                        if (more.size() == 2) {
                            throw boom;
                        }
                    }));
            assertTrue(more.get(0).getInfo().startsWith("uid 2 "), more.get(0).getInfo());
        }
        assertEquals(1, (int) retries(), "one stream hit the failing tablet and was retried");
    }

    @Test
    void aHealthStreamAnsweredByAnotherTabletIsUnhealthy() throws IOException {
        Fake a = tablet(1, TabletType.REPLICA);
        start(config());
        await("healthy", () -> gateway.healthyTablets(target(TabletType.REPLICA)).size() == 1);
        a.healthAliasUid = 40;
        a.setHealth(TabletType.REPLICA, true, 0, "");
        await("unhealthy: wrong tablet", () -> gateway.healthyTablets(target(TabletType.REPLICA)).isEmpty());
        assertTrue(gateway.tablets().get(0).error().contains("answered by tablet zone1-0000000041"),
                gateway.tablets().get(0).error());
    }

    @Test
    void discoveryAddsAndRemovesTabletsAndClosesTheirChannels() throws IOException {
        tablet(1, TabletType.REPLICA);
        start(config());
        assertEquals(1, gateway.tablets().size());
        tablet(2, TabletType.REPLICA);
        gateway.refresh();
        assertEquals(List.of(1L, 2L), gateway.tablets().stream().map(t -> t.alias().uid()).toList());
        await("both healthy", () -> gateway.healthyTablets(target(TabletType.REPLICA)).size() == 2);
        topo.get("zone1").remove(0);
        gateway.refresh();
        assertEquals(List.of(2L), gateway.tablets().stream().map(t -> t.alias().uid()).toList());
        assertTrue(opened.get(0).isShutdown(), "the removed tablet's channel is closed");
        assertEquals(1, gateway.healthyTablets(target(TabletType.REPLICA)).size());
        // A cell that cannot be read keeps its tablets.
        unreadable = true;
        gateway.refresh();
        assertEquals(List.of(2L), gateway.tablets().stream().map(t -> t.alias().uid()).toList());
        assertEquals(1, gateway.healthyTablets(target(TabletType.REPLICA)).size());
    }
}
