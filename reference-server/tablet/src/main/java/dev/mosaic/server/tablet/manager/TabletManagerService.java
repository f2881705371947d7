package dev.mosaic.server.tablet.manager;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.Errors;
import dev.mosaic.proto.query.Field;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Rows;
import dev.mosaic.proto.tabletmanager.ApplySchemaRequest;
import dev.mosaic.proto.tabletmanager.ApplySchemaResponse;
import dev.mosaic.proto.tabletmanager.BackupRequest;
import dev.mosaic.proto.tabletmanager.BackupResponse;
import dev.mosaic.proto.tabletmanager.ChangeTypeRequest;
import dev.mosaic.proto.tabletmanager.ChangeTypeResponse;
import dev.mosaic.proto.tabletmanager.DemotePrimaryRequest;
import dev.mosaic.proto.tabletmanager.DemotePrimaryResponse;
import dev.mosaic.proto.tabletmanager.ExecuteFetchAsDbaRequest;
import dev.mosaic.proto.tabletmanager.ExecuteFetchAsDbaResponse;
import dev.mosaic.proto.tabletmanager.GetSchemaRequest;
import dev.mosaic.proto.tabletmanager.GetSchemaResponse;
import dev.mosaic.proto.tabletmanager.InitPrimaryRequest;
import dev.mosaic.proto.tabletmanager.InitPrimaryResponse;
import dev.mosaic.proto.tabletmanager.PingRequest;
import dev.mosaic.proto.tabletmanager.PingResponse;
import dev.mosaic.proto.tabletmanager.PrimaryPositionRequest;
import dev.mosaic.proto.tabletmanager.PrimaryPositionResponse;
import dev.mosaic.proto.tabletmanager.PrimaryStatus;
import dev.mosaic.proto.tabletmanager.PromoteReplicaRequest;
import dev.mosaic.proto.tabletmanager.PromoteReplicaResponse;
import dev.mosaic.proto.tabletmanager.ReplicationState;
import dev.mosaic.proto.tabletmanager.ReplicationStatusRequest;
import dev.mosaic.proto.tabletmanager.ReplicationStatusResponse;
import dev.mosaic.proto.tabletmanager.RestoreFromBackupRequest;
import dev.mosaic.proto.tabletmanager.RestoreFromBackupResponse;
import dev.mosaic.proto.tabletmanager.SchemaDefinition;
import dev.mosaic.proto.tabletmanager.SetReadOnlyRequest;
import dev.mosaic.proto.tabletmanager.SetReadOnlyResponse;
import dev.mosaic.proto.tabletmanager.SetReadWriteRequest;
import dev.mosaic.proto.tabletmanager.SetReadWriteResponse;
import dev.mosaic.proto.tabletmanager.SetReplicationSourceRequest;
import dev.mosaic.proto.tabletmanager.SetReplicationSourceResponse;
import dev.mosaic.proto.tabletmanager.StartReplicationRequest;
import dev.mosaic.proto.tabletmanager.StartReplicationResponse;
import dev.mosaic.proto.tabletmanager.StopReplicationRequest;
import dev.mosaic.proto.tabletmanager.StopReplicationResponse;
import dev.mosaic.proto.tabletmanager.TableDefinition;
import dev.mosaic.proto.tabletmanager.TabletManagerGrpc;
import dev.mosaic.proto.tabletmanager.WaitForPositionRequest;
import dev.mosaic.proto.tabletmanager.WaitForPositionResponse;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.Replication;
import dev.mosaic.server.mysqlctl.replication.Position;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus.ThreadState;
import dev.mosaic.server.mysqlctl.replication.ReplicationStatus;
import dev.mosaic.server.tablet.backup.TabletBackups;
import dev.mosaic.server.tablet.query.MysqlErrors;
import dev.mosaic.server.tablet.schema.SchemaEngine;
import dev.mosaic.server.tablet.throttle.ThrottlerProtos;
import dev.mosaic.server.tablet.throttle.TabletThrottler;
import dev.mosaic.proto.tabletmanager.CheckThrottlerRequest;
import dev.mosaic.proto.tabletmanager.CheckThrottlerResponse;
import dev.mosaic.proto.tabletmanager.GetThrottlerStatusRequest;
import dev.mosaic.proto.tabletmanager.GetThrottlerStatusResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The TabletManager gRPC service over the tablet's {@link Mysqld} and its {@link Replication}.
 *
 * <p>Every method blocks (JDBC round trips, waits on the server), so the service must be bound to
 * a server with a bounded executor of its own (as {@code TabletGrpcServer} builds one), never run
 * on Netty's event loops; it starts no threads itself. Calls that reconfigure the server (read-only,
 * replication source, start/stop, promote, demote, init) are serialized by one lock, since
 * {@link Replication} leaves that to its caller; reads and {@code WaitForPosition} are not.
 *
 * <p>Waiting calls ({@code WaitForPosition}, {@code SetReplicationSource} with a wait position) are
 * bounded by the call's gRPC deadline, or by {@link #DEFAULT_WAIT} when the call has none. Every
 * failure is a {@link MosaicException} sent as {@link Errors#toStatusException}; MySQL errors keep
 * their errno and SQLSTATE.
 *
 * <p>{@code ChangeType} goes through the {@link TabletState} (read-only, topology record, health),
 * and answers UNIMPLEMENTED on a service built without one. With a {@link TabletState},
 * {@code InitPrimary} and {@code PromoteReplica} also record the tablet as PRIMARY, and
 * {@code SetReplicationSource} records a PRIMARY as REPLICA ({@code DemotePrimary} leaves the type:
 * the caller points the demoted primary at the new one next). {@code ApplySchema}, and
 * {@code ExecuteFetchAsDba} with {@code reload_schema}, reload the {@link SchemaEngine} afterwards
 * when there is one (a failed reload is recorded by the engine, not returned: the DDL did run).
 * {@code GetSchema} reads mysqld directly, since it answers with CREATE statements and sizes the
 * engine does not keep.
 */
public final class TabletManagerService extends TabletManagerGrpc.TabletManagerImplBase {
    /** How long a waiting call waits when the call carries no deadline. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    /** The row limit of {@code ExecuteFetchAsDba} when the request gives none (0). */
    public static final long DEFAULT_MAX_ROWS = 10_000;

    private static final Pattern STATEMENT_SPLIT = Pattern.compile(";\\s*(?=(?:[^']*'[^']*')*[^']*$)");

    private final Mysqld mysqld;
    private final Replication replication;
    private final String dbName;
    private final ReplicationSourceResolver resolver;
    private final TabletState state; // null: ChangeType is UNIMPLEMENTED
    private final Duration semiSyncTimeout; // null: leave the server's semi-sync timeout alone
    private final SchemaEngine schemaEngine; // null: nothing to reload
    private final TabletBackups backups; // null: Backup and RestoreFromBackup are UNIMPLEMENTED
    private final TabletThrottler throttler; // null: the throttler calls are UNIMPLEMENTED
    private final ReentrantLock actionLock = new ReentrantLock();
    /** time_created_ns of the last SetReplicationSource obeyed; guarded by actionLock. */
    private long lastReparentNs = Long.MIN_VALUE;

    /**
     * @param mysqld the tablet's mysqld, reached as its administrative (DBA) user
     * @param dbName the tablet's database: the default of {@code ExecuteFetchAsDba} and the schema
     *     {@code GetSchema} / {@code ApplySchema} work on
     * @param resolver where {@code SetReplicationSource} finds the parent tablet's mysqld
     */
    public TabletManagerService(Mysqld mysqld, String dbName, ReplicationSourceResolver resolver) {
        this(mysqld, dbName, resolver, null, null, null);
    }

    /**
     * A service that also changes the tablet's type and reloads its schema engine.
     *
     * @param state the tablet's type holder, for {@code ChangeType}; null answers UNIMPLEMENTED
     * @param schemaEngine reloaded after {@code ApplySchema} and {@code ExecuteFetchAsDba reload_schema}; may be null
     */
    public TabletManagerService(Mysqld mysqld, String dbName, ReplicationSourceResolver resolver, TabletState state,
            SchemaEngine schemaEngine) {
        this(mysqld, dbName, resolver, state, schemaEngine, null);
    }

    /**
     * A service that also sets the semi-sync timeout when it makes this tablet a semi-sync primary.
     *
     * @param semiSyncTimeout how long a commit waits for an ack ({@code semi-sync.timeout}); null
     *     leaves the server's setting alone
     */
    public TabletManagerService(Mysqld mysqld, String dbName, ReplicationSourceResolver resolver, TabletState state,
            SchemaEngine schemaEngine, Duration semiSyncTimeout) {
        this(mysqld, dbName, resolver, state, schemaEngine, semiSyncTimeout, null, null);
    }

    /**
     * A service that also takes and restores backups and answers the throttler calls.
     *
     * @param backups the tablet's backups, for {@code Backup} and {@code RestoreFromBackup}; null
     *     answers UNIMPLEMENTED (the tablet has no backup storage configured)
     * @param throttler answers {@code CheckThrottler} and {@code GetThrottlerStatus}; null answers UNIMPLEMENTED
     */
    public TabletManagerService(Mysqld mysqld, String dbName, ReplicationSourceResolver resolver, TabletState state,
            SchemaEngine schemaEngine, Duration semiSyncTimeout, TabletBackups backups, TabletThrottler throttler) {
        this.backups = backups;
        this.throttler = throttler;
        this.semiSyncTimeout = semiSyncTimeout;
        this.state = state;
        this.schemaEngine = schemaEngine;
        this.mysqld = Objects.requireNonNull(mysqld, "mysqld");
        this.replication = mysqld.replication();
        this.dbName = Objects.requireNonNull(dbName, "dbName");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    // ------------------------------------------------------------------ plumbing

    private static <T> void answer(StreamObserver<T> observer, Supplier<T> work) {
        T response;
        try {
            response = work.get();
        } catch (MosaicException e) {
            observer.onError(Errors.toStatusException(e));
            return;
        } catch (RuntimeException e) {
            observer.onError(Errors.toStatusException(new MosaicException(ErrorCode.INTERNAL,
                    "tablet manager: " + e, e)));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    private <T> T locked(Supplier<T> work) {
        try {
            if (!actionLock.tryLock(remaining().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new MosaicException(ErrorCode.DEADLINE_EXCEEDED,
                        "another tablet manager action is still running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MosaicException(ErrorCode.CANCELED, "interrupted waiting for the tablet manager lock", e);
        }
        try {
            return work.get();
        } finally {
            actionLock.unlock();
        }
    }

    /** What is left of the call's deadline, or {@link #DEFAULT_WAIT}. */
    private static Duration remaining() {
        Deadline d = Context.current().getDeadline();
        if (d == null) {
            return DEFAULT_WAIT;
        }
        long ms = d.timeRemaining(TimeUnit.MILLISECONDS);
        if (ms <= 0) {
            throw new MosaicException(ErrorCode.DEADLINE_EXCEEDED, "the call's deadline has passed");
        }
        return Duration.ofMillis(ms);
    }

    private static Position decode(String position) {
        try {
            return Position.decode(position);
        } catch (MosaicException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "bad position '" + position + "': " + e.getMessage(), e);
        }
    }

    /** A MySQL error with its errno and SQLSTATE intact, even when it is not a known {@code SqlError}. */
    static MosaicException mysqlError(SQLException e, String sql) {
        return MysqlErrors.toMosaic(e, sql);
    }

    static String quoteId(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String quoteString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    // ------------------------------------------------------------------ throttler (issue 9)

    private TabletThrottler throttler() {
        if (throttler == null) {
            throw new MosaicException(ErrorCode.UNIMPLEMENTED, "this tablet manager was built without a throttler");
        }
        return throttler;
    }

    /** A throttler check (answered from the latest readings; never blocks on I/O). */
    @Override
    public void checkThrottler(CheckThrottlerRequest request, StreamObserver<CheckThrottlerResponse> observer) {
        answer(observer, () -> {
            try {
                return ThrottlerProtos.check(throttler(), request);
            } catch (IllegalArgumentException e) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
            }
        });
    }

    /** The throttler's status. */
    @Override
    public void getThrottlerStatus(GetThrottlerStatusRequest request, StreamObserver<GetThrottlerStatusResponse> observer) {
        answer(observer, () -> ThrottlerProtos.toProto(throttler().status()));
    }

    // ------------------------------------------------------------------ simple calls

    @Override
    public void ping(PingRequest request, StreamObserver<PingResponse> observer) {
        answer(observer, () -> PingResponse.newBuilder().setPayload(request.getPayload()).build());
    }

    /**
     * Changes the tablet's type (see {@link TabletState#changeType} and {@link TypeChange}):
     * FAILED_PRECONDITION for a change to or from PRIMARY or a second drain; idempotent otherwise.
     */
    @Override
    public void changeType(ChangeTypeRequest request, StreamObserver<ChangeTypeResponse> observer) {
        answer(observer, () -> {
            if (state == null) {
                throw new MosaicException(ErrorCode.UNIMPLEMENTED, "ChangeType needs the tablet's topology "
                        + "registration and health, which this tablet manager was built without");
            }
            return locked(() -> {
                state.changeType(request.getTabletType(), request.getSemiSync());
                return ChangeTypeResponse.getDefaultInstance();
            });
        });
    }

    /** Reloads the schema engine if there is one; a failure is the engine's to record. */
    private void reloadSchema() {
        if (schemaEngine != null) {
            try {
                schemaEngine.reload();
            } catch (RuntimeException e) {
                // recorded in the engine (lastReloadError, error counter); the DDL itself ran
            }
        }
    }

    @Override
    public void setReadOnly(SetReadOnlyRequest request, StreamObserver<SetReadOnlyResponse> observer) {
        answer(observer, () -> locked(() -> {
            replication.setReadOnly(true);
            return SetReadOnlyResponse.getDefaultInstance();
        }));
    }

    @Override
    public void setReadWrite(SetReadWriteRequest request, StreamObserver<SetReadWriteResponse> observer) {
        answer(observer, () -> locked(() -> {
            replication.setReadOnly(false);
            return SetReadWriteResponse.getDefaultInstance();
        }));
    }

    // ------------------------------------------------------------------ replication

    @Override
    public void primaryPosition(PrimaryPositionRequest request, StreamObserver<PrimaryPositionResponse> observer) {
        answer(observer, () -> PrimaryPositionResponse.newBuilder()
                .setPosition(replication.primaryPosition().encode()).build());
    }

    @Override
    public void replicationStatus(ReplicationStatusRequest request, StreamObserver<ReplicationStatusResponse> observer) {
        answer(observer, () -> {
            ReplicationStatus s = replication.replicationStatus().orElseThrow(() -> new MosaicException(
                    ErrorCode.FAILED_PRECONDITION, "mysqld at " + mysqld.connectionParams() + " is not a replica"));
            var b = dev.mosaic.proto.tabletmanager.ReplicationStatus.newBuilder()
                    .setPosition(new Position(s.position()).encode())
                    .setRelayLogPosition(new Position(s.relayLogPosition()).encode())
                    .setSourceHost(s.sourceHost())
                    .setSourcePort(s.sourcePort())
                    .setIoState(state(s.ioThread()))
                    .setSqlState(state(s.sqlThread()))
                    .setLastIoError(s.lastIoError())
                    .setLastSqlError(s.lastSqlError())
                    .setSemiSyncReplicaEnabled(replication.semiSyncStatus().replicaEnabled());
            if (s.lagSeconds().isPresent()) {
                b.setReplicationLagSeconds((int) Math.min(Integer.MAX_VALUE, s.lagSeconds().getAsLong()));
            } else {
                b.setReplicationLagUnknown(true);
            }
            return ReplicationStatusResponse.newBuilder().setStatus(b).build();
        });
    }

    private static ReplicationState state(ThreadState t) {
        return switch (t) {
            case STOPPED -> ReplicationState.STOPPED;
            case CONNECTING -> ReplicationState.CONNECTING;
            case RUNNING -> ReplicationState.RUNNING;
        };
    }

    @Override
    public void stopReplication(StopReplicationRequest request, StreamObserver<StopReplicationResponse> observer) {
        answer(observer, () -> locked(() -> {
            replication.stopReplication();
            return StopReplicationResponse.getDefaultInstance();
        }));
    }

    @Override
    public void startReplication(StartReplicationRequest request, StreamObserver<StartReplicationResponse> observer) {
        answer(observer, () -> locked(() -> {
            if (request.getSemiSync()) {
                replication.setSemiSync(false, true);
            }
            replication.startReplication();
            return StartReplicationResponse.getDefaultInstance();
        }));
    }

    @Override
    public void waitForPosition(WaitForPositionRequest request, StreamObserver<WaitForPositionResponse> observer) {
        answer(observer, () -> {
            replication.waitForPosition(decode(request.getPosition()), remaining());
            return WaitForPositionResponse.getDefaultInstance();
        });
    }

    /**
     * Points replication at the parent (resolved by the {@link ReplicationSourceResolver}) with GTID
     * auto-positioning. A request older than the last one obeyed ({@code time_created_ns}) is
     * ignored. Replication that was stopped before the call stays stopped unless
     * {@code force_start_replication}; a wait position is then waited for within the deadline.
     */
    @Override
    public void setReplicationSource(SetReplicationSourceRequest request,
                                     StreamObserver<SetReplicationSourceResponse> observer) {
        answer(observer, () -> {
            if (!request.hasParent()) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "SetReplicationSource needs a parent");
            }
            boolean started = locked(() -> {
                if (request.getTimeCreatedNs() != 0 && request.getTimeCreatedNs() < lastReparentNs) {
                    return false;
                }
                ReplicationSource source = resolver.resolve(request.getParent());
                boolean wasStopped = replication.replicationStatus()
                        .map(s -> s.ioThread() == ThreadState.STOPPED && s.sqlThread() == ThreadState.STOPPED)
                        .orElse(false);
                replication.setReplicationSource(source, request.getSemiSync());
                if (state != null && state.type() == TabletType.PRIMARY) {
                    // a primary pointed at another primary is now its replica (as Vitess does)
                    state.reparented(TabletType.REPLICA);
                }
                boolean run = !wasStopped || request.getForceStartReplication();
                if (!run) {
                    replication.stopReplication();
                }
                if (request.getTimeCreatedNs() != 0) {
                    lastReparentNs = request.getTimeCreatedNs();
                }
                return run;
            });
            if (started && !request.getWaitPosition().isEmpty()) {
                replication.waitForPosition(decode(request.getWaitPosition()), remaining());
            }
            return SetReplicationSourceResponse.getDefaultInstance();
        });
    }

    // ------------------------------------------------------------------ reparenting

    /** Resets replication and the GTID history, makes the server a writable primary, sets semi-sync. */
    @Override
    public void initPrimary(InitPrimaryRequest request, StreamObserver<InitPrimaryResponse> observer) {
        answer(observer, () -> locked(() -> {
            mysqld.executeAll(mysqld.flavor().resetReplicationAndGtidCommands());
            applySourceSemiSync(request.getSemiSync(), request.getSemiSyncAckers());
            Position p = replication.makePrimary();
            if (state != null) {
                state.reparented(TabletType.PRIMARY);
            }
            return InitPrimaryResponse.newBuilder().setPosition(p.encode()).build();
        }));
    }

    /**
     * The primary side of the durability policy: with semi-sync, the ack count (MariaDB refuses
     * more than one: UNIMPLEMENTED) and the configured timeout first, then the switch; without,
     * the switch off. The replica side is off on a primary.
     */
    private void applySourceSemiSync(boolean semiSync, int ackers) {
        if (semiSync) {
            replication.setSemiSyncAckCount(Math.max(1, ackers));
            if (semiSyncTimeout != null) {
                replication.setSemiSyncTimeout(semiSyncTimeout);
            }
        }
        replication.setSemiSync(semiSync, false);
    }

    /** Makes the server read-only and reports where it stopped (GTID position, binlog file:offset, server id). */
    @Override
    public void demotePrimary(DemotePrimaryRequest request, StreamObserver<DemotePrimaryResponse> observer) {
        answer(observer, () -> locked(() -> {
            replication.setReadOnly(true);
            PrimaryStatus.Builder status = PrimaryStatus.newBuilder()
                    .setPosition(replication.primaryPosition().encode())
                    .setServerId((int) replication.serverId());
            List<Map<String, String>> rows = mysqld.fetch("SHOW MASTER STATUS");
            if (!rows.isEmpty()) {
                Map<String, String> r = rows.get(0);
                status.setFilePosition(r.get("File") + ":" + r.get("Position"));
            }
            return DemotePrimaryResponse.newBuilder().setPrimaryStatus(status).build();
        }));
    }

    /** Stops replication, forgets the source, sets semi-sync as asked, read-write; returns the position. */
    @Override
    public void promoteReplica(PromoteReplicaRequest request, StreamObserver<PromoteReplicaResponse> observer) {
        answer(observer, () -> locked(() -> {
            replication.stopReplication();
            applySourceSemiSync(request.getSemiSync(), request.getSemiSyncAckers());
            Position p = replication.makePrimary();
            if (state != null) {
                state.reparented(TabletType.PRIMARY);
            }
            return PromoteReplicaResponse.newBuilder().setPosition(p.encode()).build();
        }));
    }

    // ------------------------------------------------------------------ SQL as DBA

    /**
     * Runs one statement on a new DBA connection in {@code db_name} (default the tablet's). More rows
     * than {@code max_rows} (default {@link #DEFAULT_MAX_ROWS}) is RESOURCE_EXHAUSTED. Values are the
     * server's text bytes; fields carry names, tables, lengths, charset, flags and the column type
     * name (the proto {@code type} is left unset).
     */
    @Override
    public void executeFetchAsDba(ExecuteFetchAsDbaRequest request, StreamObserver<ExecuteFetchAsDbaResponse> observer) {
        answer(observer, () -> {
            String sql = request.getQuery().toString(StandardCharsets.UTF_8);
            if (sql.isBlank()) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "empty query");
            }
            long maxRows = request.getMaxRows() == 0 ? DEFAULT_MAX_ROWS : request.getMaxRows();
            String db = request.getDbName().isEmpty() ? dbName : request.getDbName();
            try (Connection c = mysqld.connect(); Statement s = c.createStatement()) {
                prepare(s, db, !request.getDisableBinlogs(), "");
                QueryResult r = run(s, sql, maxRows);
                return ExecuteFetchAsDbaResponse.newBuilder().setResult(r).build();
            } catch (SQLException e) {
                throw mysqlError(e, sql);
            } finally {
                if (request.getReloadSchema()) {
                    reloadSchema();
                }
            }
        });
    }

    private static void prepare(Statement s, String db, boolean binlog, String sqlMode) {
        String current = "";
        try {
            if (!db.isEmpty()) {
                current = "USE " + quoteId(db);
                s.execute(current);
            }
            if (!binlog) {
                current = "SET SESSION sql_log_bin = 0";
                s.execute(current);
            }
            if (!sqlMode.isEmpty()) {
                current = "SET SESSION sql_mode = " + quoteString(sqlMode);
                s.execute(current);
            }
        } catch (SQLException e) {
            throw mysqlError(e, current);
        }
    }

    private static QueryResult run(Statement s, String sql, long maxRows) throws SQLException {
        s.setMaxRows((int) Math.min(Integer.MAX_VALUE, maxRows + 1));
        QueryResult.Builder b = QueryResult.newBuilder();
        if (s.execute(sql)) {
            try (ResultSet rs = s.getResultSet()) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                for (int i = 1; i <= n; i++) {
                    b.addFields(field(md, i));
                }
                long count = 0;
                while (rs.next()) {
                    if (++count > maxRows) {
                        throw new MosaicException(ErrorCode.RESOURCE_EXHAUSTED,
                                "row count exceeded " + maxRows + " for query: " + MysqlErrorsView.shorten(sql));
                    }
                    List<byte[]> values = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        values.add(rs.getBytes(i));
                    }
                    b.addRows(Rows.encode(values));
                }
            }
        } else {
            b.setRowsAffected(Math.max(0, s.getLargeUpdateCount()));
        }
        return b.build();
    }

    private static Field field(ResultSetMetaData md, int i) throws SQLException {
        Field.Builder f = Field.newBuilder()
                .setName(md.getColumnLabel(i))
                .setOrgName(nz(md.getColumnName(i)))
                .setTable(nz(md.getTableName(i)))
                .setDatabase(nz(md.getCatalogName(i)))
                .setDecimals(Math.max(0, md.getScale(i)))
                .setColumnType(nz(md.getColumnTypeName(i)).toLowerCase(java.util.Locale.ROOT));
        try {
            com.mysql.cj.result.Field[] fs = md.unwrap(com.mysql.cj.jdbc.result.ResultSetMetaData.class).getFields();
            com.mysql.cj.result.Field raw = fs[i - 1];
            f.setOrgTable(nz(raw.getOriginalTableName()))
                    .setColumnLength((int) Math.min(Integer.MAX_VALUE, raw.getLength()))
                    .setCharset(raw.getCollationIndex())
                    .setFlags(raw.getFlags() & 0xffff);
        } catch (SQLException | RuntimeException ignored) {
            // not Connector/J: names and types only
        }
        return f.build();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Access to {@link MysqlErrors}' query shortening (package-private there). */
    private static final class MysqlErrorsView {
        static String shorten(String sql) {
            return sql.length() <= 256 ? sql : sql.substring(0, 256) + " [TRUNCATED]";
        }
    }

    // ------------------------------------------------------------------ schema

    /**
     * Runs the semicolon-separated DDL in the tablet's database (binlog off unless
     * {@code allow_replication}; {@code sql_mode} if given) and returns the schema before and
     * after. If {@code before_schema} is given and differs from the current tables' CREATE
     * statements, fails with FAILED_PRECONDITION unless {@code force}. Statements run one by one:
     * a failure leaves the earlier ones applied.
     */
    @Override
    public void applySchema(ApplySchemaRequest request, StreamObserver<ApplySchemaResponse> observer) {
        answer(observer, () -> locked(() -> {
            SchemaDefinition before = schema(GetSchemaRequest.newBuilder().setIncludeViews(true)
                    .setTableSchemaOnly(true).build());
            if (request.hasBeforeSchema() && !request.getForce()
                    && !sameTables(request.getBeforeSchema(), before)) {
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION,
                        "the schema of " + dbName + " is not the expected before_schema (use force to apply anyway)");
            }
            List<String> statements = new ArrayList<>();
            for (String part : STATEMENT_SPLIT.split(request.getSql())) {
                if (!part.isBlank()) {
                    statements.add(part.strip());
                }
            }
            if (statements.isEmpty()) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "no statement to apply");
            }
            try (Connection c = mysqld.connect(); Statement s = c.createStatement()) {
                prepare(s, dbName, request.getAllowReplication(), request.getSqlMode());
                for (String sql : statements) {
                    try {
                        s.execute(sql);
                    } catch (SQLException e) {
                        throw mysqlError(e, sql);
                    }
                }
            } catch (SQLException e) {
                throw mysqlError(e, "(closing connection)");
            } finally {
                reloadSchema(); // also after a failure: the statements before it were applied
            }
            SchemaDefinition after = schema(GetSchemaRequest.newBuilder().setIncludeViews(true)
                    .setTableSchemaOnly(true).build());
            return ApplySchemaResponse.newBuilder().setBeforeSchema(before).setAfterSchema(after).build();
        }));
    }

    private static boolean sameTables(SchemaDefinition a, SchemaDefinition b) {
        return createStatements(a).equals(createStatements(b));
    }

    private static Map<String, String> createStatements(SchemaDefinition d) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (TableDefinition t : d.getTableDefinitionsList()) {
            m.put(t.getName(), t.getSchema());
        }
        return m;
    }

    @Override
    public void getSchema(GetSchemaRequest request, StreamObserver<GetSchemaResponse> observer) {
        answer(observer, () -> GetSchemaResponse.newBuilder().setSchemaDefinition(schema(request)).build());
    }

    /** The tablet database's tables (and views if asked), filtered by name or {@code /regexp/}. */
    SchemaDefinition schema(GetSchemaRequest request) {
        List<Pattern> include = patterns(request.getTablesList());
        List<Pattern> exclude = patterns(request.getExcludeTablesList());
        SchemaDefinition.Builder out = SchemaDefinition.newBuilder();
        List<Map<String, String>> db = mysqld.fetch("SHOW CREATE DATABASE IF NOT EXISTS " + quoteId(dbName));
        if (!db.isEmpty()) {
            out.setDatabaseSchema(nz(db.get(0).get("Create Database")));
        }
        List<Map<String, String>> tables = mysqld.fetch("SELECT table_name AS n, table_type AS t, "
                + "COALESCE(data_length, 0) AS dl, COALESCE(table_rows, 0) AS tr FROM information_schema.tables "
                + "WHERE table_schema = " + quoteString(dbName) + " ORDER BY table_name");
        for (Map<String, String> t : tables) {
            String name = t.get("n");
            String type = t.get("t");
            boolean view = "VIEW".equals(type);
            if ((view && !request.getIncludeViews())
                    || (!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(name).matches()))
                    || exclude.stream().anyMatch(p -> p.matcher(name).matches())) {
                continue;
            }
            Map<String, String> create = mysqld.fetch("SHOW CREATE TABLE " + quoteId(dbName) + "." + quoteId(name)).get(0);
            TableDefinition.Builder td = TableDefinition.newBuilder()
                    .setName(name)
                    .setType(view ? "VIEW" : "BASE TABLE")
                    .setSchema(nz(create.getOrDefault("Create Table", create.get("Create View"))));
            if (!request.getTableSchemaOnly()) {
                td.setDataLength(Long.parseLong(t.get("dl"))).setRowCount(Long.parseLong(t.get("tr")));
                for (Map<String, String> col : mysqld.fetch("SELECT column_name AS c FROM information_schema.columns "
                        + "WHERE table_schema = " + quoteString(dbName) + " AND table_name = " + quoteString(name)
                        + " ORDER BY ordinal_position")) {
                    td.addColumns(col.get("c"));
                }
                for (Map<String, String> col : mysqld.fetch("SELECT column_name AS c FROM "
                        + "information_schema.key_column_usage WHERE table_schema = " + quoteString(dbName)
                        + " AND table_name = " + quoteString(name) + " AND constraint_name = 'PRIMARY'"
                        + " ORDER BY ordinal_position")) {
                    td.addPrimaryKeyColumns(col.get("c"));
                }
            }
            out.addTableDefinitions(td);
        }
        return out.build();
    }

    private static List<Pattern> patterns(List<String> names) {
        List<Pattern> out = new ArrayList<>(names.size());
        for (String n : names) {
            if (n.length() > 2 && n.startsWith("/") && n.endsWith("/")) {
                try {
                    out.add(Pattern.compile(n.substring(1, n.length() - 1)));
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "bad table pattern " + n + ": " + e.getMessage(), e);
                }
            } else {
                out.add(Pattern.compile(Pattern.quote(n)));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ backups (backup-serve)

    /**
     * Backs the tablet up, streaming its events; runs on the calling executor thread for as long
     * as the engine takes. See {@link TabletBackups#backup}.
     */
    @Override
    public void backup(BackupRequest request, StreamObserver<BackupResponse> observer) {
        streamed(observer, () -> backupsOrFail().backup(request.getConcurrency(), request.getAllowPrimary(),
                e -> observer.onNext(BackupResponse.newBuilder().setEvent(e).build())));
    }

    /**
     * Restores the tablet from a backup of its shard, streaming its events. See
     * {@link TabletBackups#restore}.
     */
    @Override
    public void restoreFromBackup(RestoreFromBackupRequest request,
            StreamObserver<RestoreFromBackupResponse> observer) {
        java.util.Optional<java.time.Instant> at = request.hasBackupTime()
                ? java.util.Optional.of(java.time.Instant.ofEpochSecond(request.getBackupTime().getSeconds(),
                        request.getBackupTime().getNanos()))
                : java.util.Optional.empty();
        streamed(observer, () -> backupsOrFail().restore(at,
                e -> observer.onNext(RestoreFromBackupResponse.newBuilder().setEvent(e).build())));
    }

    private TabletBackups backupsOrFail() {
        if (backups == null) {
            throw new MosaicException(ErrorCode.UNIMPLEMENTED, "this tablet has no backup storage configured "
                    + "(backup.storage.type and its keys)");
        }
        return backups;
    }

    /** Runs a streaming call whose events went out as it ran: completes it or fails it. */
    private static void streamed(StreamObserver<?> observer, Runnable work) {
        try {
            work.run();
        } catch (MosaicException e) {
            observer.onError(Errors.toStatusException(e));
            return;
        } catch (RuntimeException e) {
            observer.onError(Errors.toStatusException(new MosaicException(ErrorCode.INTERNAL,
                    "tablet manager: " + e, e)));
            return;
        }
        observer.onCompleted();
    }
}
