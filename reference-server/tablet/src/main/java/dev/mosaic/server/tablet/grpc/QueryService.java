package dev.mosaic.server.tablet.grpc;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.BeginExecuteRequest;
import dev.mosaic.proto.query.BeginExecuteResponse;
import dev.mosaic.proto.query.BeginRequest;
import dev.mosaic.proto.query.BeginResponse;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.CommitPreparedRequest;
import dev.mosaic.proto.query.CommitPreparedResponse;
import dev.mosaic.proto.query.CommitRequest;
import dev.mosaic.proto.query.CommitResponse;
import dev.mosaic.proto.query.ConcludeTransactionRequest;
import dev.mosaic.proto.query.ConcludeTransactionResponse;
import dev.mosaic.proto.query.CreateTransactionRequest;
import dev.mosaic.proto.query.CreateTransactionResponse;
import dev.mosaic.proto.query.Errors;
import dev.mosaic.proto.query.ExecuteRequest;
import dev.mosaic.proto.query.ExecuteResponse;
import dev.mosaic.proto.query.PrepareRequest;
import dev.mosaic.proto.query.PrepareResponse;
import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.query.ReadTransactionRequest;
import dev.mosaic.proto.query.ReadTransactionResponse;
import dev.mosaic.proto.query.ReleaseRequest;
import dev.mosaic.proto.query.ReleaseResponse;
import dev.mosaic.proto.query.ReserveBeginExecuteRequest;
import dev.mosaic.proto.query.ReserveBeginExecuteResponse;
import dev.mosaic.proto.query.ReserveExecuteRequest;
import dev.mosaic.proto.query.ReserveExecuteResponse;
import dev.mosaic.proto.query.RollbackPreparedRequest;
import dev.mosaic.proto.query.RollbackPreparedResponse;
import dev.mosaic.proto.query.RollbackRequest;
import dev.mosaic.proto.query.RollbackResponse;
import dev.mosaic.proto.query.SetRollbackRequest;
import dev.mosaic.proto.query.SetRollbackResponse;
import dev.mosaic.proto.query.StartCommitRequest;
import dev.mosaic.proto.query.StartCommitResponse;
import dev.mosaic.proto.query.StartCommitState;
import dev.mosaic.proto.query.TransactionMetadata;
import dev.mosaic.proto.query.TransactionState;
import dev.mosaic.proto.query.UnresolvedTransactionsRequest;
import dev.mosaic.proto.query.UnresolvedTransactionsResponse;
import dev.mosaic.server.tablet.twopc.DtExecutor;
import dev.mosaic.server.tablet.twopc.TransactionRecord;
import dev.mosaic.proto.query.StreamExecuteRequest;
import dev.mosaic.proto.query.StreamExecuteResponse;
import dev.mosaic.proto.query.StreamHealthRequest;
import dev.mosaic.proto.query.StreamHealthResponse;
import dev.mosaic.proto.query.RealtimeStats;
import dev.mosaic.proto.query.Target;
import dev.mosaic.server.tablet.health.HealthState;
import dev.mosaic.server.tablet.health.QpsCounter;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.query.ExecuteOptions;
import dev.mosaic.server.tablet.query.QueryEngine;
import dev.mosaic.server.tablet.query.QueryResult;
import dev.mosaic.server.tablet.tx.TxEngine;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The tablet's {@code Query} gRPC service on top of the {@link QueryEngine} and {@link TxEngine}.
 *
 * <p>Implemented: Execute and StreamExecute (on a pooled connection, or on the transaction or
 * reserved connection named by {@code transaction_id} / {@code reserved_id}; a stream sends one
 * response per engine batch, the fields in the first), Begin, Commit, Rollback (both answer with the
 * new reserved id when the transaction ran on a reserved connection, which stays reserved),
 * BeginExecute (on a new connection, or on the reserved connection {@code reserved_id}),
 * ReserveExecute (reserves a new connection, or the one of {@code transaction_id}, after running
 * {@code pre_queries}), ReserveBeginExecute and Release. Calls that answer with ids (BeginExecute,
 * ReserveExecute, ReserveBeginExecute) put the error in the body, next to the ids, when the
 * statement fails after the connection was set up, as queryservice.proto says; failures before that
 * fail the call and leave nothing open.
 *
 * <p>Two-phase commit (Prepare, CommitPrepared, RollbackPrepared, CreateTransaction, StartCommit,
 * SetRollback, ConcludeTransaction, ReadTransaction, UnresolvedTransactions) is served by a
 * {@link DtExecutor}; without one, and StreamHealth without a {@link TabletHealth}, they answer
 * {@code UNIMPLEMENTED}. Vitess's
 * ReserveStreamExecute and ReserveBeginStreamExecute are not in the protocol yet (reserve with
 * ReserveExecute, then StreamExecute with the reserved id).
 * Not yet checked: the request's {@code target} (the tablet does not know its own target yet) and
 * {@code transaction_isolation} (transactions use mysqld's default level).
 *
 * <p>Errors: every failure ends the call with {@link Errors#toStatusException}, so the client gets
 * the class as the status code and the MySQL errno/SQLSTATE in the {@code mosaic-error-bin}
 * trailer; an unexpected exception is reported as {@link ErrorCode#INTERNAL}, never raw.
 *
 * <p>Every method blocks on the engines; the server must run it on its own executor, not on the
 * transport's threads ({@link TabletGrpcServer} does).
 */
public final class QueryService extends QueryGrpc.QueryImplBase {
    /** How often a StreamExecute blocked by flow control checks whether it may send again. */
    private static final long READY_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final QueryEngine queries;
    private final TxEngine transactions;
    private final TabletHealth health; // null: StreamHealth is UNIMPLEMENTED
    private final QpsCounter qps; // null without health
    private final DtExecutor dt; // null: two-phase commit is UNIMPLEMENTED

    public QueryService(QueryEngine queries, TxEngine transactions) {
        this(queries, transactions, null);
    }

    /** A service whose StreamHealth streams {@code health} (null: UNIMPLEMENTED), and which counts its queries there. */
    public QueryService(QueryEngine queries, TxEngine transactions, TabletHealth health) {
        this(queries, transactions, health, null);
    }

    /** As {@link #QueryService(QueryEngine, TxEngine, TabletHealth)}, with two-phase commit served by {@code dt} (null: UNIMPLEMENTED). */
    public QueryService(QueryEngine queries, TxEngine transactions, TabletHealth health, DtExecutor dt) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.health = health;
        this.qps = health == null ? null : health.qpsCounter();
        this.dt = dt;
    }

    private void countQuery() {
        if (qps != null) {
            qps.increment();
        }
    }

    @Override
    public void execute(ExecuteRequest request, StreamObserver<ExecuteResponse> response) {
        unary(response, () -> {
            long connId = connectionId(request.getTransactionId(), request.getReservedId());
            countQuery();
            BoundQuery q = request.getQuery();
            ExecuteOptions options = ProtoConversions.options(request.getOptions(), request.getImmediateCallerId(),
                    request.getEffectiveCallerId());
            QueryResult r = connId != 0
                    ? transactions.execute(connId, q.getSql(),
                            ProtoConversions.bindVariables(q.getBindVariablesMap()), options)
                    : queries.execute(q.getSql(), ProtoConversions.bindVariables(q.getBindVariablesMap()), options);
            return ExecuteResponse.newBuilder().setResult(ProtoConversions.result(r, true)).build();
        });
    }

    @Override
    public void streamExecute(StreamExecuteRequest request, StreamObserver<StreamExecuteResponse> response) {
        try {
            long connId = connectionId(request.getTransactionId(), request.getReservedId());
            countQuery();
            BoundQuery q = request.getQuery();
            ExecuteOptions options = ProtoConversions.options(request.getOptions(), request.getImmediateCallerId(),
                    request.getEffectiveCallerId());
            boolean[] first = {true};
            Consumer<QueryResult> send = batch -> {
                awaitReady(response);
                response.onNext(StreamExecuteResponse.newBuilder()
                        .setResult(ProtoConversions.result(batch, first[0])).build());
                first[0] = false;
            };
            if (connId != 0) {
                transactions.streamExecute(connId, q.getSql(), ProtoConversions.bindVariables(q.getBindVariablesMap()),
                        options, send);
            } else {
                queries.streamExecute(q.getSql(), ProtoConversions.bindVariables(q.getBindVariablesMap()), options, send);
            }
            response.onCompleted();
        } catch (RuntimeException e) {
            fail(response, e);
        }
    }

    /**
     * Flow control: waits while the transport's outbound buffer is full, so a slow client holds
     * the MySQL stream back instead of the server buffering the whole result. The wait polls
     * {@code isReady()}: the on-ready callback cannot be used, since it would be queued behind this
     * very call on the call's serializing executor. Throwing here (client gone) makes
     * {@link QueryEngine#streamExecute} kill the MySQL query.
     */
    private static void awaitReady(StreamObserver<?> response) {
        if (!(response instanceof ServerCallStreamObserver<?> s)) {
            return;
        }
        while (!s.isReady() && !s.isCancelled()) {
            LockSupport.parkNanos(READY_POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new MosaicException(ErrorCode.CANCELED, "StreamExecute interrupted (server shutting down)");
            }
        }
        if (s.isCancelled()) {
            throw new MosaicException(ErrorCode.CANCELED, "StreamExecute cancelled by the client");
        }
    }

    @Override
    public void begin(BeginRequest request, StreamObserver<BeginResponse> response) {
        unary(response, () -> {
            long id = transactions.begin(ProtoConversions.options(request.getOptions(),
                    request.getImmediateCallerId(), request.getEffectiveCallerId()));
            return BeginResponse.newBuilder().setTransactionId(id).build();
        });
    }

    @Override
    public void commit(CommitRequest request, StreamObserver<CommitResponse> response) {
        unary(response, () -> CommitResponse.newBuilder()
                .setReservedId(transactions.commit(request.getTransactionId())).build());
    }

    @Override
    public void rollback(RollbackRequest request, StreamObserver<RollbackResponse> response) {
        unary(response, () -> RollbackResponse.newBuilder()
                .setReservedId(transactions.rollback(request.getTransactionId())).build());
    }

    /**
     * Begin (on reserved connection {@code reserved_id} if set), then the {@code pre_queries}, then
     * the statement. If Begin fails the call fails; if a statement fails afterwards the response
     * carries the open transaction's id and the error in its {@code error} field, and the caller is
     * to roll the transaction back.
     */
    @Override
    public void beginExecute(BeginExecuteRequest request, StreamObserver<BeginExecuteResponse> response) {
        unary(response, () -> {
            countQuery();
            ExecuteOptions options = ProtoConversions.options(request.getOptions(), request.getImmediateCallerId(),
                    request.getEffectiveCallerId());
            long id = request.getReservedId() != 0
                    ? transactions.begin(request.getReservedId(), options)
                    : transactions.begin(options);
            BeginExecuteResponse.Builder b = BeginExecuteResponse.newBuilder().setTransactionId(id);
            try {
                b.setResult(executeAfter(id, request.getPreQueriesList(), request.getQuery(), options));
            } catch (RuntimeException e) {
                b.setError(Errors.toRpcError(mosaic(e)));
            }
            return b.build();
        });
    }

    /**
     * Reserves a connection (the one transaction {@code transaction_id} holds, if set) after
     * running the {@code pre_queries} on it, then runs the statement there. If reserving or a
     * pre-query fails the call fails and nothing stays reserved; if the statement fails the
     * response carries the reserved id and the error in its {@code error} field.
     */
    @Override
    public void reserveExecute(ReserveExecuteRequest request, StreamObserver<ReserveExecuteResponse> response) {
        unary(response, () -> {
            countQuery();
            ExecuteOptions options = ProtoConversions.options(request.getOptions(), request.getImmediateCallerId(),
                    request.getEffectiveCallerId());
            long id = request.getTransactionId() != 0
                    ? transactions.reserve(request.getTransactionId(), request.getPreQueriesList(), options)
                    : transactions.reserve(request.getPreQueriesList(), options);
            ReserveExecuteResponse.Builder b = ReserveExecuteResponse.newBuilder().setReservedId(id);
            try {
                b.setResult(executeAfter(id, List.of(), request.getQuery(), options));
            } catch (RuntimeException e) {
                b.setError(Errors.toRpcError(mosaic(e)));
            }
            return b.build();
        });
    }

    /**
     * Reserves a connection, runs the {@code pre_queries}, begins a transaction, runs the
     * {@code post_begin_queries} and the statement. The reserved id and the transaction id are the
     * same. If anything up to BEGIN fails the call fails and nothing stays open; if a later
     * statement fails the response carries both ids and the error in its {@code error} field.
     */
    @Override
    public void reserveBeginExecute(ReserveBeginExecuteRequest request,
            StreamObserver<ReserveBeginExecuteResponse> response) {
        unary(response, () -> {
            countQuery();
            ExecuteOptions options = ProtoConversions.options(request.getOptions(), request.getImmediateCallerId(),
                    request.getEffectiveCallerId());
            long id = transactions.reserveBegin(request.getPreQueriesList(), options);
            ReserveBeginExecuteResponse.Builder b = ReserveBeginExecuteResponse.newBuilder()
                    .setReservedId(id).setTransactionId(id);
            try {
                b.setResult(executeAfter(id, request.getPostBeginQueriesList(), request.getQuery(), options));
            } catch (RuntimeException e) {
                b.setError(Errors.toRpcError(mosaic(e)));
            }
            return b.build();
        });
    }

    /**
     * Ends {@code reserved_id} (closing the reserved connection, with any transaction in it) or,
     * when only {@code transaction_id} is set, rolls that transaction back.
     */
    @Override
    public void release(ReleaseRequest request, StreamObserver<ReleaseResponse> response) {
        unary(response, () -> {
            long reservedId = request.getReservedId();
            long txId = request.getTransactionId();
            if (reservedId == 0 && txId == 0) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                        "Release: connection ID and transaction ID do not exist (both are 0)");
            }
            if (reservedId != 0 && txId != 0 && reservedId != txId) {
                throw mismatch(txId, reservedId);
            }
            transactions.release(reservedId != 0 ? reservedId : txId);
            return ReleaseResponse.getDefaultInstance();
        });
    }

    /** Runs {@code before} (no bind variables) and then {@code query} on connection {@code id}. */
    private dev.mosaic.proto.query.QueryResult executeAfter(long id, List<String> before, BoundQuery query,
            ExecuteOptions options) {
        for (String sql : before) {
            transactions.execute(id, sql, dev.mosaic.api.sql.BindVariables.EMPTY, options);
        }
        QueryResult r = transactions.execute(id, query.getSql(),
                ProtoConversions.bindVariables(query.getBindVariablesMap()), options);
        return ProtoConversions.result(r, true);
    }

    // ---- two-phase commit (DtExecutor; UNIMPLEMENTED without one) ----

    @Override
    public void prepare(PrepareRequest request, StreamObserver<PrepareResponse> response) {
        unary(response, () -> {
            twoPc("Prepare").prepare(request.getTransactionId(), request.getDtid());
            return PrepareResponse.getDefaultInstance();
        });
    }

    @Override
    public void commitPrepared(CommitPreparedRequest request, StreamObserver<CommitPreparedResponse> response) {
        unary(response, () -> {
            twoPc("CommitPrepared").commitPrepared(request.getDtid());
            return CommitPreparedResponse.getDefaultInstance();
        });
    }

    @Override
    public void rollbackPrepared(RollbackPreparedRequest request, StreamObserver<RollbackPreparedResponse> response) {
        unary(response, () -> {
            twoPc("RollbackPrepared").rollbackPrepared(request.getDtid(), request.getTransactionId());
            return RollbackPreparedResponse.getDefaultInstance();
        });
    }

    @Override
    public void createTransaction(CreateTransactionRequest request,
            StreamObserver<CreateTransactionResponse> response) {
        unary(response, () -> {
            twoPc("CreateTransaction").createTransaction(request.getDtid(), request.getParticipantsList().stream()
                    .map(t -> new TransactionRecord.Participant(t.getKeyspace(), t.getShard())).toList());
            return CreateTransactionResponse.getDefaultInstance();
        });
    }

    /** Answers SUCCESS once the decision and the coordinator's rows committed; any failure is the call's error. */
    @Override
    public void startCommit(StartCommitRequest request, StreamObserver<StartCommitResponse> response) {
        unary(response, () -> {
            twoPc("StartCommit").startCommit(request.getTransactionId(), request.getDtid());
            return StartCommitResponse.newBuilder().setState(StartCommitState.SUCCESS).build();
        });
    }

    @Override
    public void setRollback(SetRollbackRequest request, StreamObserver<SetRollbackResponse> response) {
        unary(response, () -> {
            twoPc("SetRollback").setRollback(request.getDtid(), request.getTransactionId());
            return SetRollbackResponse.getDefaultInstance();
        });
    }

    @Override
    public void concludeTransaction(ConcludeTransactionRequest request,
            StreamObserver<ConcludeTransactionResponse> response) {
        unary(response, () -> {
            twoPc("ConcludeTransaction").concludeTransaction(request.getDtid());
            return ConcludeTransactionResponse.getDefaultInstance();
        });
    }

    @Override
    public void readTransaction(ReadTransactionRequest request, StreamObserver<ReadTransactionResponse> response) {
        unary(response, () -> {
            TransactionRecord r = twoPc("ReadTransaction").readTransaction(request.getDtid());
            ReadTransactionResponse.Builder b = ReadTransactionResponse.newBuilder();
            if (r != null) {
                b.setMetadata(metadata(r, request.getTarget()));
            }
            return b.build();
        });
    }

    @Override
    public void unresolvedTransactions(UnresolvedTransactionsRequest request,
            StreamObserver<UnresolvedTransactionsResponse> response) {
        unary(response, () -> {
            if (request.getAbandonAge() < 0) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "abandon_age must not be negative");
            }
            UnresolvedTransactionsResponse.Builder b = UnresolvedTransactionsResponse.newBuilder();
            for (TransactionRecord r : twoPc("UnresolvedTransactions")
                    .unresolvedTransactions(java.time.Duration.ofSeconds(request.getAbandonAge()))) {
                b.addTransactions(metadata(r, request.getTarget()));
            }
            return b.build();
        });
    }

    private DtExecutor twoPc(String call) {
        if (dt == null) {
            throw unimplemented(call + " (two-phase commit)");
        }
        return dt;
    }

    /** A record as the protocol's metadata; participants are PRIMARY targets (the cell of the call's target). */
    private static TransactionMetadata metadata(TransactionRecord r, Target asked) {
        TransactionMetadata.Builder b = TransactionMetadata.newBuilder().setDtid(r.dtid())
                .setTimeCreated(r.timeCreatedNanos())
                .setState(switch (r.state()) {
                    case PREPARE -> TransactionState.PREPARE;
                    case COMMIT -> TransactionState.COMMIT;
                    case ROLLBACK -> TransactionState.ROLLBACK;
                    case FAILED -> TransactionState.TRANSACTION_STATE_UNKNOWN;
                });
        for (TransactionRecord.Participant p : r.participants()) {
            b.addParticipants(Target.newBuilder().setKeyspace(p.keyspace()).setShard(p.shard())
                    .setTabletType(dev.mosaic.proto.topo.TabletType.PRIMARY).setCell(asked.getCell()));
        }
        return b.build();
    }

    /**
     * The current health at once, then every change and heartbeat of the {@link TabletHealth},
     * until the client cancels (or the checker closes: the stream completes). Never blocks a
     * thread: snapshots are sent when the transport is ready; while it is not, only the latest
     * waits (a slow client skips intermediate states).
     */
    @Override
    public void streamHealth(StreamHealthRequest request, StreamObserver<StreamHealthResponse> response) {
        if (health == null) {
            fail(response, unimplemented("StreamHealth"));
            return;
        }
        if (!(response instanceof ServerCallStreamObserver<StreamHealthResponse> call)) {
            fail(response, new MosaicException(ErrorCode.INTERNAL, "StreamHealth needs a server call"));
            return;
        }
        HealthStream stream = new HealthStream(call);
        call.setOnCancelHandler(stream::cancel);
        call.setOnReadyHandler(stream::drain);
        stream.subscribe(health);
    }

    /** One StreamHealth call: drains its subscription into the call when the transport is ready. */
    private static final class HealthStream {
        private final ServerCallStreamObserver<StreamHealthResponse> call;
        private volatile TabletHealth.Subscription subscription;
        private boolean done; // guarded by this

        HealthStream(ServerCallStreamObserver<StreamHealthResponse> call) {
            this.call = call;
        }

        void subscribe(TabletHealth health) {
            subscription = health.subscribe(this::drain);
            drain();
        }

        synchronized void drain() {
            TabletHealth.Subscription s = subscription;
            if (done || s == null) {
                return;
            }
            try {
                if (call.isCancelled()) {
                    cancel();
                    return;
                }
                if (call.isReady()) {
                    HealthState state = s.poll();
                    if (state != null) {
                        call.onNext(toProto(state));
                    }
                }
                if (s.isEnded()) {
                    done = true;
                    s.close();
                    call.onCompleted();
                }
            } catch (RuntimeException e) {
                // the call ended under us (cancelled); stop listening
                done = true;
                s.close();
            }
        }

        synchronized void cancel() {
            done = true;
            TabletHealth.Subscription s = subscription;
            if (s != null) {
                s.close();
            }
        }
    }

    /** A health snapshot as a StreamHealthResponse. */
    static StreamHealthResponse toProto(HealthState s) {
        return StreamHealthResponse.newBuilder()
                .setTarget(Target.newBuilder().setKeyspace(s.keyspace()).setShard(s.shard())
                        .setTabletType(s.type()).setCell(s.cell()))
                .setServing(s.serving())
                .setPrimaryTermStartTimestamp(s.primaryTermStartSeconds())
                .setTabletAlias(dev.mosaic.proto.topo.TabletAlias.newBuilder().setCell(s.alias().cell())
                        .setUid((int) s.alias().uid()))
                .setRealtimeStats(RealtimeStats.newBuilder()
                        .setHealthError(s.healthError())
                        .setReplicationLagSeconds((int) Math.min(s.replicationLagSeconds(), 0xFFFFFFFFL))
                        .setQps(s.qps())
                        .addAllTableSchemaChanged(s.tableSchemaChanged()))
                .build();
    }

    private static <T> void unary(StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            fail(response, e);
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    /**
     * The stateful connection a call names: its transaction, else its reserved connection (the two
     * ids are the same connection's when both are set), or 0 for a pooled one.
     */
    private static long connectionId(long transactionId, long reservedId) {
        if (transactionId != 0 && reservedId != 0 && transactionId != reservedId) {
            throw mismatch(transactionId, reservedId);
        }
        return transactionId != 0 ? transactionId : reservedId;
    }

    private static MosaicException mismatch(long transactionId, long reservedId) {
        return new MosaicException(ErrorCode.INVALID_ARGUMENT, "transaction_id (" + transactionId
                + ") and reserved_id (" + reservedId + ") must be the same when both are set");
    }

    private static MosaicException unimplemented(String what) {
        return new MosaicException(ErrorCode.UNIMPLEMENTED, what + " is not implemented by this tablet yet");
    }

    private static MosaicException mosaic(RuntimeException e) {
        if (e instanceof MosaicException m) {
            return m;
        }
        if (e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.CANCELLED) {
            return new MosaicException(ErrorCode.CANCELED, "call cancelled by the client", e);
        }
        return new MosaicException(ErrorCode.INTERNAL, "internal error: " + e, e);
    }

    private static void fail(StreamObserver<?> response, RuntimeException e) {
        if (response instanceof ServerCallStreamObserver<?> s && s.isCancelled()) {
            return; // nobody to tell
        }
        try {
            response.onError(Errors.toStatusException(mosaic(e)));
        } catch (RuntimeException ignored) {
            // The call ended meanwhile (e.g. cancelled); nothing more to send.
        }
    }
}
