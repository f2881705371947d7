package dev.mosaic.server.gate.gateway;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.BeginExecuteRequest;
import dev.mosaic.proto.query.BeginExecuteResponse;
import dev.mosaic.proto.query.BeginRequest;
import dev.mosaic.proto.query.BeginResponse;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.proto.query.CommitPreparedRequest;
import dev.mosaic.proto.query.CommitRequest;
import dev.mosaic.proto.query.ConcludeTransactionRequest;
import dev.mosaic.proto.query.CreateTransactionRequest;
import dev.mosaic.proto.query.PrepareRequest;
import dev.mosaic.proto.query.ReadTransactionRequest;
import dev.mosaic.proto.query.RollbackPreparedRequest;
import dev.mosaic.proto.query.SetRollbackRequest;
import dev.mosaic.proto.query.StartCommitRequest;
import dev.mosaic.proto.query.StartCommitState;
import dev.mosaic.proto.query.TransactionMetadata;
import dev.mosaic.proto.query.UnresolvedTransactionsRequest;
import dev.mosaic.proto.query.Errors;
import dev.mosaic.proto.query.ExecuteOptions;
import dev.mosaic.proto.query.ExecuteRequest;
import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.ReleaseRequest;
import dev.mosaic.proto.query.ReserveBeginExecuteRequest;
import dev.mosaic.proto.query.ReserveBeginExecuteResponse;
import dev.mosaic.proto.query.ReserveExecuteRequest;
import dev.mosaic.proto.query.ReserveExecuteResponse;
import dev.mosaic.proto.query.RollbackRequest;
import dev.mosaic.proto.query.StreamExecuteRequest;
import dev.mosaic.proto.query.StreamExecuteResponse;
import dev.mosaic.proto.query.StreamHealthRequest;
import dev.mosaic.proto.query.StreamHealthResponse;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.topo.TopoException;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The gate's tablet gateway (Vitess's {@code TabletGateway} with its {@code HealthCheck}): finds
 * the tablets of the configured cells in the topology, follows each one's health over a
 * {@code StreamHealth} stream, and sends per-shard calls for a {@link Target} to a healthy tablet
 * of that target over one shared gRPC channel per tablet.
 *
 * <p><b>Discovery.</b> Every {@link GatewayConfig#tabletRefreshInterval} (and on {@link #refresh})
 * the tablet records of each cell are read; new tablets get a channel and a health stream, gone
 * ones (or ones whose address, keyspace or shard changed) lose theirs. If a cell cannot be read,
 * its tablets are kept as they were.
 *
 * <p><b>Health.</b> A tablet is routable once its stream says it serves; a broken stream, a
 * message with a health error or not serving, or silence longer than
 * {@link GatewayConfig#healthCheckTimeout} makes it unroutable at once. Broken streams are
 * re-opened with exponential backoff ({@link GatewayConfig#healthRetryMin} doubling up to
 * {@link GatewayConfig#healthRetryMax}, reset by a message). The tablet's own type in its health
 * message decides which target it serves. See {@link TabletSelection#healthy} for the choice of
 * the primary and the replication-lag filter.
 *
 * <p><b>Routing.</b> Calls outside a transaction pick a random healthy tablet, preferring the
 * local cell. A read (see {@link TabletSelection#isRead}) that fails with {@code UNAVAILABLE} is
 * retried once on another healthy tablet; writes, {@code begin} and anything on a
 * {@link ShardSession} are never retried. Calls on a session go to the session's tablet whatever
 * its health. No healthy tablet is an {@link ErrorCode#UNAVAILABLE} error naming the target.
 *
 * <p><b>Metrics</b> (Micrometer, tagged keyspace, shard, tablet_type, call):
 * {@code mosaic.gate.tablet.calls} (timer), {@code mosaic.gate.tablet.errors} (counter, also
 * tagged code), {@code mosaic.gate.tablet.retries} (counter).
 *
 * <p>Thread-safe. One daemon thread ({@code gate-gateway}) runs discovery, timeouts and
 * reconnects; calls run on the caller's thread.
 */
public final class TabletGateway implements AutoCloseable {
    /** Opens the channel to a tablet; the gateway owns and closes it. */
    @FunctionalInterface
    interface ChannelFactory {
        ManagedChannel open(String host, int port);
    }

    private static final String GRPC_PORT = "grpc";

    private final GatewayConfig config;
    private final Supplier<Map<String, List<Tablet>>> source;
    private final ChannelFactory channels;
    private final MeterRegistry registry;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Map<TabletAlias, TabletConn> tablets = new ConcurrentHashMap<>();
    /** Routable tablets per target key, replaced as a whole (copy on write) under {@code this}. */
    private volatile Map<Target, List<TabletStatus>> healthy = Map.of();
    /** The last tablet list read per cell, kept when a cell cannot be read. */
    private final Map<String, List<Tablet>> lastSeen = new HashMap<>();
    private volatile boolean closed;

    private TabletGateway(GatewayConfig config, Supplier<Map<String, List<Tablet>>> source, ChannelFactory channels,
            MeterRegistry registry, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.source = Objects.requireNonNull(source, "source");
        this.channels = Objects.requireNonNull(channels, "channels");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        AtomicInteger n = new AtomicInteger();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gate-gateway-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a gateway over {@code topo}: reads the tablets of {@code config.cells()} once before
     * returning (health follows asynchronously), then keeps them current.
     */
    public static TabletGateway start(TopoServer topo, GatewayConfig config, MeterRegistry registry) {
        Objects.requireNonNull(topo, "topo");
        return start(() -> readTopology(topo, config.cells()),
                (host, port) -> NettyChannelBuilder.forAddress(host, port).usePlaintext().build(), config, registry);
    }

    /** A gateway on another tablet source and channel factory (tests: in-process fakes). */
    static TabletGateway start(Supplier<Map<String, List<Tablet>>> source, ChannelFactory channels,
            GatewayConfig config, MeterRegistry registry) {
        TabletGateway g = new TabletGateway(config, source, channels, registry, Clock.systemUTC());
        g.refresh();
        long refresh = config.tabletRefreshInterval().toNanos();
        g.scheduler.scheduleWithFixedDelay(g::refreshQuietly, refresh, refresh, TimeUnit.NANOSECONDS);
        long check = Math.max(Duration.ofMillis(10).toNanos(), config.healthCheckTimeout().toNanos() / 4);
        g.scheduler.scheduleWithFixedDelay(g::checkTimeouts, check, check, TimeUnit.NANOSECONDS);
        return g;
    }

    /** The tablet records of each cell; a cell that cannot be read maps to null. */
    private static Map<String, List<Tablet>> readTopology(TopoServer topo, List<String> cells) {
        Map<String, List<Tablet>> out = new HashMap<>();
        for (String cell : cells) {
            try {
                List<Tablet> list = new ArrayList<>();
                for (TabletAlias alias : topo.getTabletAliasesByCell(cell)) {
                    try {
                        list.add(topo.getTablet(alias).value());
                    } catch (TopoException e) {
                        if (e.error() != dev.mosaic.spi.topo.TopoError.NO_NODE) {
                            throw e;
                        }
                        // deleted between the listing and the read
                    }
                }
                out.put(cell, list);
            } catch (MosaicException e) {
                out.put(cell, null);
            }
        }
        return out;
    }

    // ---- discovery ------------------------------------------------------------------------------

    /** Re-reads the tablet records now and adds/removes tablets accordingly. */
    public void refresh() {
        if (closed) {
            return;
        }
        // Read outside the lock: a slow topology must not hold up health updates.
        Map<String, List<Tablet>> read = source.get();
        apply(read);
    }

    private synchronized void apply(Map<String, List<Tablet>> read) {
        if (closed) {
            return;
        }
        for (Map.Entry<String, List<Tablet>> e : read.entrySet()) {
            if (e.getValue() != null) {
                lastSeen.put(e.getKey(), e.getValue());
            }
        }
        Map<TabletAlias, Tablet> wanted = new HashMap<>();
        for (List<Tablet> list : lastSeen.values()) {
            for (Tablet t : list) {
                if (t.getPortMapMap().containsKey(GRPC_PORT) && !t.getHostname().isEmpty()) {
                    wanted.put(ProtoConversions.fromProto(t.getAlias()), t);
                }
            }
        }
        for (TabletConn c : List.copyOf(tablets.values())) {
            Tablet now = wanted.get(c.alias);
            if (now == null || !sameEndpoint(now, c.record)) {
                tablets.remove(c.alias);
                c.close();
            }
        }
        for (Map.Entry<TabletAlias, Tablet> e : wanted.entrySet()) {
            if (!tablets.containsKey(e.getKey())) {
                TabletConn c = new TabletConn(e.getKey(), e.getValue());
                tablets.put(e.getKey(), c);
                c.openStream();
            }
        }
        recompute();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // keep the tablets we know; the next refresh tries again
        }
    }

    private static boolean sameEndpoint(Tablet a, Tablet b) {
        return a.getHostname().equals(b.getHostname()) && a.getPortMapMap().get(GRPC_PORT).equals(b.getPortMapMap()
                .get(GRPC_PORT)) && a.getKeyspace().equals(b.getKeyspace()) && a.getShard().equals(b.getShard());
    }

    // ---- health ---------------------------------------------------------------------------------

    /** Rebuilds the routable lists from every tablet's status. */
    private synchronized void recompute() {
        Map<Target, List<TabletStatus>> byTarget = new HashMap<>();
        for (TabletConn c : tablets.values()) {
            TabletStatus s = c.status;
            byTarget.computeIfAbsent(TabletSelection.key(s.target()), k -> new ArrayList<>()).add(s);
        }
        Map<Target, List<TabletStatus>> next = new HashMap<>();
        for (Map.Entry<Target, List<TabletStatus>> e : byTarget.entrySet()) {
            List<TabletStatus> h = TabletSelection.healthy(e.getKey().getTabletType(), e.getValue(),
                    config.lowReplicationLag(), config.highReplicationLag(), config.minServingTablets());
            if (!h.isEmpty()) {
                next.put(e.getKey(), h);
            }
        }
        healthy = Map.copyOf(next);
    }

    private void checkTimeouts() {
        long now = System.nanoTime();
        for (TabletConn c : tablets.values()) {
            try {
                c.checkTimeout(now);
            } catch (RuntimeException e) {
                // one tablet's trouble must not stop the others' checks
            }
        }
    }

    /** Every tablet the gateway knows, sorted by alias (for status pages and SHOW VITESS_TABLETS). */
    public List<TabletStatus> tablets() {
        List<TabletStatus> out = new ArrayList<>();
        for (TabletConn c : tablets.values()) {
            out.add(c.status);
        }
        out.sort(Comparator.comparing(TabletStatus::alias));
        return out;
    }

    /** The tablets a call for {@code target} may go to now (the target's cell is ignored). */
    public List<TabletStatus> healthyTablets(Target target) {
        return healthy.getOrDefault(TabletSelection.key(target), List.of());
    }

    // ---- calls outside a transaction ------------------------------------------------------------

    /** Runs {@code query} on a healthy tablet of {@code target}, outside any transaction. */
    public QueryResult execute(Target target, CallerID caller, BoundQuery query, ExecuteOptions options) {
        boolean read = TabletSelection.isRead(query.getSql());
        return withRetry(target, "execute", read, (conn, unused) -> conn.blocking()
                .execute(ExecuteRequest.newBuilder().setEffectiveCallerId(caller).setTarget(target).setQuery(query)
                        .setOptions(options).build())
                .getResult());
    }

    /**
     * Runs {@code query} on a healthy tablet of {@code target} and hands each streamed result
     * (fields first, then rows in batches) to {@code sink} on the caller's thread, as it arrives.
     * A read is retried on another tablet only if the first one failed before anything reached
     * {@code sink}.
     */
    public void streamExecute(Target target, CallerID caller, BoundQuery query, ExecuteOptions options,
            Consumer<QueryResult> sink) {
        boolean read = TabletSelection.isRead(query.getSql());
        StreamExecuteRequest request = StreamExecuteRequest.newBuilder().setEffectiveCallerId(caller)
                .setTarget(target).setQuery(query).setOptions(options).build();
        RuntimeException[] sinkFailure = {null};
        withRetry(target, "stream_execute", read, (conn, canRetry) -> {
            stream(conn, request, sink, canRetry, sinkFailure);
            return null;
        });
        if (sinkFailure[0] != null) {
            throw sinkFailure[0];
        }
    }

    /**
     * Streams {@code request} from {@code conn} into {@code sink}. The call runs in a cancellable
     * context that is cancelled on the way out, so a sink that throws (or a caller that stops
     * early) does not leave the stream open on the tablet; the sink's exception is handed back in
     * {@code sinkFailure} unwrapped.
     */
    private static void stream(TabletConn conn, StreamExecuteRequest request, Consumer<QueryResult> sink,
            boolean[] canRetry, RuntimeException[] sinkFailure) {
        Context.CancellableContext ctx = Context.current().withCancellation();
        Context previous = ctx.attach();
        try {
            Iterator<StreamExecuteResponse> it = QueryGrpc.newBlockingStub(conn.channel).streamExecute(request);
            while (it.hasNext()) {
                QueryResult next = it.next().getResult();
                canRetry[0] = false;
                try {
                    sink.accept(next);
                } catch (RuntimeException e) {
                    sinkFailure[0] = e;
                    return;
                }
            }
        } finally {
            ctx.detach(previous);
            ctx.cancel(null);
        }
    }

    /** Begins a transaction on a healthy tablet of {@code target} (not retried). */
    public ShardSession begin(Target target, CallerID caller, ExecuteOptions options) {
        return withRetry(target, "begin", false, (conn, unused) -> {
            BeginResponse r = conn.blocking().begin(BeginRequest.newBuilder().setEffectiveCallerId(caller)
                    .setTarget(target).setOptions(options).build());
            return new ShardSession(target, conn.alias, r.getTransactionId(), 0);
        });
    }

    /** Begins a transaction and runs {@code query} in it on a healthy tablet of {@code target} (not retried). */
    public Opened beginExecute(Target target, CallerID caller, BoundQuery query, ExecuteOptions options) {
        return beginExecute(target, caller, query, options, List.of());
    }

    /**
     * Begins a transaction on a healthy tablet of {@code target}, runs {@code preQueries} in it
     * (e.g. the session's savepoints), then {@code query} (not retried).
     */
    public Opened beginExecute(Target target, CallerID caller, BoundQuery query, ExecuteOptions options,
            List<String> preQueries) {
        return withRetry(target, "begin_execute", false, (conn, unused) -> {
            BeginExecuteResponse r = conn.blocking().beginExecute(BeginExecuteRequest.newBuilder()
                    .setEffectiveCallerId(caller).setTarget(target).setQuery(query).setOptions(options)
                    .addAllPreQueries(preQueries).build());
            return new Opened(new ShardSession(target, conn.alias, r.getTransactionId(), 0), r.getResult(),
                    r.hasError() ? Optional.of(Errors.fromRpcError(r.getError())) : Optional.empty());
        });
    }

    /**
     * Reserves a connection on a healthy tablet of {@code target}, runs {@code preQueries} (session
     * settings) on it, then {@code query} (not retried).
     */
    public Opened reserveExecute(Target target, CallerID caller, BoundQuery query, ExecuteOptions options,
            List<String> preQueries) {
        return withRetry(target, "reserve_execute", false, (conn, unused) -> {
            ReserveExecuteResponse r = conn.blocking().reserveExecute(ReserveExecuteRequest.newBuilder()
                    .setEffectiveCallerId(caller).setTarget(target).setQuery(query).setOptions(options)
                    .addAllPreQueries(preQueries).build());
            return new Opened(new ShardSession(target, conn.alias, 0, r.getReservedId()), r.getResult(),
                    r.hasError() ? Optional.of(Errors.fromRpcError(r.getError())) : Optional.empty());
        });
    }

    /**
     * Reserves a connection on a healthy tablet of {@code target}, runs {@code preQueries} on it,
     * begins a transaction, runs {@code postBeginQueries}, then {@code query} (not retried).
     */
    public Opened reserveBeginExecute(Target target, CallerID caller, BoundQuery query, ExecuteOptions options,
            List<String> preQueries, List<String> postBeginQueries) {
        return withRetry(target, "reserve_begin_execute", false, (conn, unused) -> {
            ReserveBeginExecuteResponse r = conn.blocking().reserveBeginExecute(ReserveBeginExecuteRequest.newBuilder()
                    .setEffectiveCallerId(caller).setTarget(target).setQuery(query).setOptions(options)
                    .addAllPreQueries(preQueries).addAllPostBeginQueries(postBeginQueries).build());
            return new Opened(new ShardSession(target, conn.alias, r.getTransactionId(), r.getReservedId()),
                    r.getResult(), r.hasError() ? Optional.of(Errors.fromRpcError(r.getError())) : Optional.empty());
        });
    }

    // ---- calls on a session (pinned to its tablet, never retried) -------------------------------

    /** Runs {@code query} in the session's transaction and/or on its reserved connection. */
    public QueryResult execute(ShardSession session, CallerID caller, BoundQuery query, ExecuteOptions options) {
        return pinned(session, "execute", conn -> conn.blocking().execute(ExecuteRequest.newBuilder()
                .setEffectiveCallerId(caller).setTarget(session.target()).setQuery(query).setOptions(options)
                .setTransactionId(session.transactionId()).setReservedId(session.reservedId()).build()).getResult());
    }

    /**
     * Begins a transaction on the session's reserved connection, runs {@code preQueries} in it,
     * then {@code query}; the returned session holds both ids.
     */
    public Opened beginExecute(ShardSession session, CallerID caller, BoundQuery query, ExecuteOptions options,
            List<String> preQueries) {
        return pinned(session, "begin_execute", conn -> {
            BeginExecuteResponse r = conn.blocking().beginExecute(BeginExecuteRequest.newBuilder()
                    .setEffectiveCallerId(caller).setTarget(session.target()).setQuery(query).setOptions(options)
                    .setReservedId(session.reservedId()).addAllPreQueries(preQueries).build());
            return new Opened(new ShardSession(session.target(), session.tablet(), r.getTransactionId(),
                    session.reservedId()), r.getResult(),
                    r.hasError() ? Optional.of(Errors.fromRpcError(r.getError())) : Optional.empty());
        });
    }

    /**
     * Reserves the connection that holds the session's transaction, runs {@code preQueries} on
     * it, then {@code query}; the returned session holds both ids (the reserved id is the
     * transaction's). The connection stays reserved after the transaction ends.
     */
    public Opened reserveExecute(ShardSession session, CallerID caller, BoundQuery query, ExecuteOptions options,
            List<String> preQueries) {
        return pinned(session, "reserve_execute", conn -> {
            ReserveExecuteResponse r = conn.blocking().reserveExecute(ReserveExecuteRequest.newBuilder()
                    .setEffectiveCallerId(caller).setTarget(session.target()).setQuery(query).setOptions(options)
                    .setTransactionId(session.transactionId()).addAllPreQueries(preQueries).build());
            return new Opened(new ShardSession(session.target(), session.tablet(), session.transactionId(),
                    r.getReservedId()), r.getResult(),
                    r.hasError() ? Optional.of(Errors.fromRpcError(r.getError())) : Optional.empty());
        });
    }

    /** Streams {@code query} in the session's transaction and/or on its reserved connection. */
    public void streamExecute(ShardSession session, CallerID caller, BoundQuery query, ExecuteOptions options,
            Consumer<QueryResult> sink) {
        StreamExecuteRequest request = StreamExecuteRequest.newBuilder().setEffectiveCallerId(caller)
                .setTarget(session.target()).setQuery(query).setOptions(options)
                .setTransactionId(session.transactionId()).setReservedId(session.reservedId()).build();
        RuntimeException[] sinkFailure = {null};
        pinned(session, "stream_execute", conn -> {
            stream(conn, request, sink, new boolean[1], sinkFailure);
            return null;
        });
        if (sinkFailure[0] != null) {
            throw sinkFailure[0];
        }
    }

    /** Commits the session's transaction; the returned session keeps a reserved connection, if any. */
    public ShardSession commit(ShardSession session, CallerID caller) {
        long reserved = pinned(session, "commit", conn -> conn.blocking().commit(CommitRequest.newBuilder()
                .setEffectiveCallerId(caller).setTarget(session.target()).setTransactionId(session.transactionId())
                .build()).getReservedId());
        return new ShardSession(session.target(), session.tablet(), 0, reserved);
    }

    /** Rolls back the session's transaction; the returned session keeps a reserved connection, if any. */
    public ShardSession rollback(ShardSession session, CallerID caller) {
        long reserved = pinned(session, "rollback", conn -> conn.blocking().rollback(RollbackRequest.newBuilder()
                .setEffectiveCallerId(caller).setTarget(session.target()).setTransactionId(session.transactionId())
                .build()).getReservedId());
        return new ShardSession(session.target(), session.tablet(), 0, reserved);
    }

    /** Ends the session's reserved connection (rolling back its transaction) or transaction. */
    public void release(ShardSession session, CallerID caller) {
        pinned(session, "release", conn -> conn.blocking().release(ReleaseRequest.newBuilder()
                .setEffectiveCallerId(caller).setTarget(session.target()).setTransactionId(session.transactionId())
                .setReservedId(session.reservedId()).build()));
    }

    // ---- two-phase commit (feature: twopc) -------------------------------------------------------
    // Calls bound to the transaction (Prepare, StartCommit, SetRollback with the coordinator's
    // transaction) go to the tablet holding it; the others go to the target's current primary, as in
    // Vitess, so that a resolver finishes a transaction after a reparent too. None is retried here:
    // the callers (the commit coordinator, the resolver) decide.

    /** Creates the coordinator's record of {@code dtid} on the tablet of {@code mm} (the first shard). */
    public void createTransaction(ShardSession mm, CallerID caller, String dtid, List<Target> participants) {
        pinned(mm, "createTransaction", conn -> conn.blocking().createTransaction(CreateTransactionRequest.newBuilder()
                .setEffectiveCallerId(caller).setTarget(mm.target()).setDtid(dtid).addAllParticipants(participants)
                .build()));
    }

    /** Prepares the session's transaction as {@code dtid}. */
    public void prepare(ShardSession rm, CallerID caller, String dtid) {
        pinned(rm, "prepare", conn -> conn.blocking().prepare(PrepareRequest.newBuilder().setEffectiveCallerId(caller)
                .setTarget(rm.target()).setTransactionId(rm.transactionId()).setDtid(dtid).build()));
    }

    /** Records the commit decision with the coordinator's own transaction, in one MySQL commit. */
    public StartCommitState startCommit(ShardSession mm, CallerID caller, String dtid) {
        return pinned(mm, "startCommit", conn -> conn.blocking().startCommit(StartCommitRequest.newBuilder()
                .setEffectiveCallerId(caller).setTarget(mm.target()).setTransactionId(mm.transactionId()).setDtid(dtid)
                .build()).getState());
    }

    /** Records the rollback decision, rolling back the coordinator's transaction of {@code mm} first. */
    public void setRollback(ShardSession mm, CallerID caller, String dtid) {
        pinned(mm, "setRollback", conn -> conn.blocking().setRollback(SetRollbackRequest.newBuilder()
                .setEffectiveCallerId(caller).setTarget(mm.target()).setTransactionId(mm.transactionId()).setDtid(dtid)
                .build()));
    }

    /** Records the rollback decision on the primary of {@code target} (a resolver; {@code txId} may be 0). */
    public void setRollback(Target target, CallerID caller, String dtid, long txId) {
        withRetry(target, "setRollback", false, (conn, r) -> conn.blocking().setRollback(SetRollbackRequest.newBuilder()
                .setEffectiveCallerId(caller).setTarget(target).setTransactionId(txId).setDtid(dtid).build()));
    }

    /** Commits prepared transaction {@code dtid} on the primary of {@code target}. */
    public void commitPrepared(Target target, CallerID caller, String dtid) {
        withRetry(target, "commitPrepared", false, (conn, r) -> conn.blocking().commitPrepared(
                CommitPreparedRequest.newBuilder().setEffectiveCallerId(caller).setTarget(target).setDtid(dtid).build()));
    }

    /** Rolls back prepared transaction {@code dtid} (or unprepared transaction {@code txId}) on the primary of {@code target}. */
    public void rollbackPrepared(Target target, CallerID caller, String dtid, long txId) {
        withRetry(target, "rollbackPrepared", false, (conn, r) -> conn.blocking().rollbackPrepared(
                RollbackPreparedRequest.newBuilder().setEffectiveCallerId(caller).setTarget(target).setDtid(dtid)
                        .setTransactionId(txId).build()));
    }

    /** Deletes the coordinator's record of {@code dtid} on the primary of {@code target}. */
    public void concludeTransaction(Target target, CallerID caller, String dtid) {
        withRetry(target, "concludeTransaction", false, (conn, r) -> conn.blocking().concludeTransaction(
                ConcludeTransactionRequest.newBuilder().setEffectiveCallerId(caller).setTarget(target).setDtid(dtid)
                        .build()));
    }

    /** The coordinator's record of {@code dtid} on the primary of {@code target}; empty dtid if none. */
    public TransactionMetadata readTransaction(Target target, CallerID caller, String dtid) {
        return withRetry(target, "readTransaction", true, (conn, r) -> conn.blocking().readTransaction(
                ReadTransactionRequest.newBuilder().setEffectiveCallerId(caller).setTarget(target).setDtid(dtid).build())
                .getMetadata());
    }

    /** The coordinator records on the primary of {@code target} at least {@code abandonAge} old. */
    public List<TransactionMetadata> unresolvedTransactions(Target target, CallerID caller, Duration abandonAge) {
        return withRetry(target, "unresolvedTransactions", true, (conn, r) -> conn.blocking().unresolvedTransactions(
                UnresolvedTransactionsRequest.newBuilder().setEffectiveCallerId(caller).setTarget(target)
                        .setAbandonAge(abandonAge.toSeconds()).build()).getTransactionsList());
    }

    // ---- end two-phase commit -------------------------------------------------------------------

    // ---- routing --------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Call<T> {
        /** {@code canRetry[0]} may be cleared by the call once a retry is no longer safe. */
        T run(TabletConn conn, boolean[] canRetry);
    }

    private <T> T withRetry(Target target, String call, boolean read, Call<T> body) {
        Set<TabletAlias> failed = new HashSet<>();
        MosaicException last = null;
        for (int attempt = 0; ; attempt++) {
            Optional<TabletStatus> chosen = TabletSelection.pick(healthyTablets(target), config.localCell(), failed,
                    ThreadLocalRandom.current());
            TabletConn conn = chosen.map(s -> tablets.get(s.alias())).orElse(null);
            if (conn == null && chosen.isPresent()) {
                failed.add(chosen.get().alias()); // removed by discovery since the pick: choose again
                attempt--;
                continue;
            }
            if (conn == null) {
                if (last != null) {
                    throw last;
                }
                MosaicException e = new MosaicException(ErrorCode.UNAVAILABLE,
                        "no healthy tablet available for '" + TabletSelection.describe(target) + "'");
                errorCounter(target, call, e.code()).increment();
                throw e;
            }
            boolean[] canRetry = {read};
            long start = System.nanoTime();
            try {
                T out = body.run(conn, canRetry);
                timer(target, call).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                return out;
            } catch (RuntimeException e) {
                timer(target, call).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                MosaicException m = wrap(target, conn.alias, e);
                errorCounter(target, call, m.code()).increment();
                if (canRetry[0] && attempt == 0 && Status.fromThrowable(e).getCode() == Status.Code.UNAVAILABLE
                        && !(e instanceof MosaicException)) {
                    failed.add(conn.alias);
                    last = m;
                    counter("mosaic.gate.tablet.retries", target, call).increment();
                    continue;
                }
                throw m;
            }
        }
    }

    private <T> T pinned(ShardSession session, String call, Function<TabletConn, T> body) {
        Target target = session.target();
        TabletConn conn = tablets.get(session.tablet());
        if (conn == null) {
            MosaicException e = new MosaicException(ErrorCode.UNAVAILABLE, "tablet " + session.tablet()
                    + " holding the session for '" + TabletSelection.describe(target)
                    + "' is no longer known to the gateway");
            errorCounter(target, call, e.code()).increment();
            throw e;
        }
        long start = System.nanoTime();
        try {
            return body.apply(conn);
        } catch (RuntimeException e) {
            MosaicException m = wrap(target, conn.alias, e);
            errorCounter(target, call, m.code()).increment();
            throw m;
        } finally {
            timer(target, call).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** The tablet's error with the target and tablet in front of its message; errno and SQLSTATE kept. */
    private static MosaicException wrap(Target target, TabletAlias alias, RuntimeException e) {
        MosaicException m = Errors.fromThrowable(e);
        return Errors.mysqlError(m.code(), m.mysqlErrno(), m.sqlState(), "target: " + target.getKeyspace() + "."
                + target.getShard() + "." + target.getTabletType().name().toLowerCase(java.util.Locale.ROOT)
                + ", tablet " + alias + ": " + m.getMessage(), e);
    }

    /** Meters are looked up once per (meter, target, call, code) and cached: the hot path allocates no tags. */
    private record MeterKey(String name, Target target, String call, ErrorCode code) {
    }

    private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();
    private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();

    private Timer timer(Target target, String call) {
        return timers.computeIfAbsent(new MeterKey("mosaic.gate.tablet.calls", target, call, null), k -> Timer
                .builder(k.name()).description("Calls from the gate to tablets, per target")
                .tag("keyspace", target.getKeyspace()).tag("shard", target.getShard())
                .tag("tablet_type", target.getTabletType().name()).tag("call", call).register(registry));
    }

    private Counter counter(String name, Target target, String call) {
        return counters.computeIfAbsent(new MeterKey(name, target, call, null), k -> Counter.builder(name)
                .tag("keyspace", target.getKeyspace()).tag("shard", target.getShard())
                .tag("tablet_type", target.getTabletType().name()).tag("call", call).register(registry));
    }

    private Counter errorCounter(Target target, String call, ErrorCode code) {
        return counters.computeIfAbsent(new MeterKey("mosaic.gate.tablet.errors", target, call, code), k -> Counter
                .builder(k.name()).tag("keyspace", target.getKeyspace()).tag("shard", target.getShard())
                .tag("tablet_type", target.getTabletType().name()).tag("call", call).tag("code", code.name())
                .register(registry));
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    /** Stops discovery and health streams and closes every channel. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        scheduler.shutdownNow();
        for (TabletConn c : tablets.values()) {
            c.close();
        }
        tablets.clear();
        healthy = Map.of();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One tablet: its record, its channel, and its health stream. */
    private final class TabletConn {
        final TabletAlias alias;
        final Tablet record;
        final ManagedChannel channel;
        volatile TabletStatus status;
        /** Guarded by this. */
        private ClientCallStreamObserver<StreamHealthRequest> call;
        private int generation;
        private long backoffNanos = config.healthRetryMin().toNanos();
        private volatile long lastMessageNanos;
        private boolean gone;

        TabletConn(TabletAlias alias, Tablet record) {
            this.alias = alias;
            this.record = record;
            this.channel = channels.open(record.getHostname(), record.getPortMapMap().get(GRPC_PORT));
            Target t = Target.newBuilder().setKeyspace(record.getKeyspace()).setShard(record.getShard())
                    .setTabletType(record.getType()).setCell(alias.cell()).build();
            this.status = new TabletStatus(alias, record.getHostname(), record.getPortMapMap().get(GRPC_PORT), t,
                    false, 0, "no health response yet", 0, Optional.empty());
        }

        QueryGrpc.QueryBlockingStub blocking() {
            return QueryGrpc.newBlockingStub(channel).withDeadlineAfter(config.callTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        }

        synchronized void openStream() {
            if (gone) {
                return;
            }
            int gen = ++generation;
            lastMessageNanos = System.nanoTime();
            QueryGrpc.newStub(channel).streamHealth(StreamHealthRequest.getDefaultInstance(),
                    new ClientResponseObserver<StreamHealthRequest, StreamHealthResponse>() {
                        @Override
                        public void beforeStart(ClientCallStreamObserver<StreamHealthRequest> requestStream) {
                            synchronized (TabletConn.this) {
                                call = requestStream;
                            }
                        }

                        @Override
                        public void onNext(StreamHealthResponse r) {
                            onHealth(gen, r);
                        }

                        @Override
                        public void onError(Throwable t) {
                            onStreamEnd(gen, "health stream failed: " + Status.fromThrowable(t));
                        }

                        @Override
                        public void onCompleted() {
                            onStreamEnd(gen, "health stream ended by the tablet");
                        }
                    });
        }

        private void onHealth(int gen, StreamHealthResponse r) {
            synchronized (this) {
                if (gen != generation || gone) {
                    return;
                }
                lastMessageNanos = System.nanoTime();
                backoffNanos = config.healthRetryMin().toNanos();
                Target t = r.getTarget().toBuilder().setCell(alias.cell()).build();
                String error = r.getRealtimeStats().getHealthError();
                if (r.hasTabletAlias() && !ProtoConversions.fromProto(r.getTabletAlias()).equals(alias)) {
                    // Another tablet now listens at this record's address: not the tablet we route to.
                    error = "health stream answered by tablet " + ProtoConversions.fromProto(r.getTabletAlias())
                            + ", not " + alias;
                }
                status = new TabletStatus(alias, record.getHostname(), record.getPortMapMap().get(GRPC_PORT), t,
                        r.getServing(), r.getRealtimeStats().getReplicationLagSeconds(), error,
                        r.getPrimaryTermStartTimestamp(), Optional.of(clock.instant()));
            }
            recompute();
        }

        private void onStreamEnd(int gen, String why) {
            long delay;
            synchronized (this) {
                if (gen != generation || gone) {
                    return;
                }
                generation++; // ignore anything more from this stream
                call = null;
                status = status.unhealthy(why);
                delay = backoffNanos;
                backoffNanos = Math.min(backoffNanos * 2, config.healthRetryMax().toNanos());
            }
            recompute();
            try {
                scheduler.schedule(this::reopenStream, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }

        /**
         * Re-opens the stream after a failure. gRPC's own reconnect backoff (up to two minutes) is
         * reset first, so the gateway's shorter backoff decides how soon a restarted tablet is seen.
         */
        private void reopenStream() {
            channel.resetConnectBackoff();
            openStream();
        }

        void checkTimeout(long now) {
            ClientCallStreamObserver<StreamHealthRequest> c;
            synchronized (this) {
                if (gone || call == null || now - lastMessageNanos < config.healthCheckTimeout().toNanos()) {
                    return;
                }
                c = call;
            }
            // Marks the tablet unhealthy and re-opens the stream (through onError -> onStreamEnd).
            c.cancel("health check timed out after " + config.healthCheckTimeout().toMillis() + " ms", null);
        }

        void close() {
            ClientCallStreamObserver<StreamHealthRequest> c;
            synchronized (this) {
                gone = true;
                c = call;
                call = null;
            }
            if (c != null) {
                c.cancel("tablet removed from the gateway", null);
            }
            channel.shutdownNow();
        }
    }
}
