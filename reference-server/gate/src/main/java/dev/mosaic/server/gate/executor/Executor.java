package dev.mosaic.server.gate.executor;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.proto.query.ExecuteOptions;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.gate.gateway.TabletGateway;
import dev.mosaic.server.mysql.protocol.command.ResultSink;
import dev.mosaic.server.mysql.protocol.result.Column;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.exec.Field;
import dev.mosaic.server.sql.exec.ResultMerger;
import dev.mosaic.server.sql.exec.Row;
import dev.mosaic.server.sql.exec.RowStream;
import dev.mosaic.server.sql.exec.ShardResolver;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.planner.Planner;
import dev.mosaic.spi.vindex.VindexCursor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs client statements: plans them with the SQL layer's plan cache, sends each route's query to
 * the shards it reaches through the {@link TabletGateway} (in parallel when there are several),
 * and feeds the shard results through the plan's gate-side operators (merge, aggregate, sort,
 * distinct, limit) to a {@link ResultSink}, as raw text rows.
 * <p>First cut: autocommit only. {@code BEGIN}/{@code START TRANSACTION} and {@code SET autocommit = 0}
 * are rejected ({@code UNIMPLEMENTED}); {@code COMMIT}/{@code ROLLBACK} outside a transaction are
 * no-ops as in MySQL. Sequences (auto-increment from a sequence table), DBA and NEXT routes and
 * gate-answered SHOW are rejected. Thread-safe: one executor serves every session.
 */
public final class Executor {
    private static final ExecuteOptions OPTIONS = ExecuteOptions.getDefaultInstance();

    private final CachingPlanner planner;
    private final TabletGateway gateway;
    private final ShardMap shardMap;
    private final ExecutorService shardCalls;
    private final String serverVersion;

    /**
     * An executor.
     *
     * @param planner       the plan cache over the current vschema
     * @param gateway       the calls to tablets
     * @param shardMap      each keyspace's shards
     * @param shardCalls    the pool running per-shard calls of multi-shard statements (owned by the caller)
     * @param serverVersion what {@code @@version} answers
     */
    public Executor(CachingPlanner planner, TabletGateway gateway, ShardMap shardMap, ExecutorService shardCalls,
            String serverVersion) {
        this.planner = planner;
        this.gateway = gateway;
        this.shardMap = shardMap;
        this.shardCalls = shardCalls;
        this.serverVersion = serverVersion;
    }

    /**
     * Runs one statement for {@code session} and writes its result to {@code sink}.
     *
     * @throws MosaicException for what the planner rejects, what this cut does not execute, and
     *                         errors from tablets
     */
    public void execute(GateSession session, CallerID caller, String sql, ResultSink sink) {
        CachingPlanner.PlannedQuery planned = planner.plan(sql, new Planner.Session(session.keyspace(), session.tabletType()));
        if (planned.paramCount() > 0) {
            // ? belongs to prepared statements (COM_STMT_PREPARE); in a query it is a syntax error, as in MySQL.
            throw new MosaicException(SqlError.PARSE_ERROR, "You have an error in your SQL syntax: '?' parameters "
                    + "are only allowed in prepared statements");
        }
        execute(session, caller, planned, sink);
    }

    /**
     * Runs an already planned statement for {@code session} with the plan's bind variables (for a
     * prepared statement: its literals and its {@code ?} parameters' values) and writes its result
     * to {@code sink}. The plan must come from the current vschema and the session's keyspace and
     * tablet type (the caller re-plans when they changed).
     *
     * @throws MosaicException for what this cut does not execute, and errors from tablets
     */
    public void execute(GateSession session, CallerID caller, CachingPlanner.PlannedQuery planned, ResultSink sink) {
        BindVariables bindVars = planned.bindVars();
        Primitive root = planned.plan().root();
        if (root instanceof Primitive.Route || root instanceof Primitive.Limit || root instanceof Primitive.Aggregate
                || root instanceof Primitive.MemorySort || root instanceof Primitive.Distinct) {
            select(session, caller, root, bindVars, sink);
        } else if (root instanceof Primitive.Insert insert) {
            insert(session, caller, insert, bindVars, sink);
        } else if (root instanceof Primitive.Dml dml) {
            dml(session, caller, dml, bindVars, sink);
        } else if (root instanceof Primitive.Send send) {
            send(session, caller, send, sink);
        } else if (root instanceof Primitive.UseKeyspace use) {
            session.target(use.keyspace(), use.tabletType().map(t -> t.toLowerCase(Locale.ROOT)).orElse("primary"));
            sink.ok();
        } else if (root instanceof Primitive.GateProjection p) {
            projection(session, p, bindVars, sink);
        } else if (root instanceof Primitive.TransactionControl tx) {
            transaction(tx, sink);
        } else if (root instanceof Primitive.SessionSet set) {
            set(session, set, bindVars, sink);
        } else if (root instanceof Primitive.GateShow show) {
            throw unimplemented("SHOW " + show.kind() + " is not executed by the gate yet");
        } else {
            throw unimplemented("plan " + root.getClass().getSimpleName() + " is not executed by the gate yet");
        }
    }

    // ---- reads ----------------------------------------------------------------------------------

    private void select(GateSession session, CallerID caller, Primitive root, BindVariables bindVars, ResultSink sink) {
        try (RowStream rows = ResultMerger.open(root, bindVars, (route, bv) -> routeStreams(session, caller, route, bv))) {
            writeRows(rows, sink);
        }
    }

    private List<RowStream> routeStreams(GateSession session, CallerID caller, Primitive.Route route, BindVariables bindVars) {
        RouteOpcode op = route.routing().opcode();
        if (op == RouteOpcode.DBA || op == RouteOpcode.NEXT) {
            throw unimplemented(op.name() + " routes are not executed by the gate yet");
        }
        String keyspace = route.routing().keyspace();
        List<ShardTarget> all = shardMap.shards(keyspace);
        List<Supplier<QueryResult>> calls = new ArrayList<>();
        if (op == RouteOpcode.IN) {
            for (ShardResolver.ShardValues sv : ShardResolver.resolveIn(route.routing(), bindVars, all, VindexCursor.NONE)) {
                BindVariables own = bindVars.with(ShardResolver.SHARD_VALUES, sv.values());
                calls.add(() -> gateway.execute(target(keyspace, sv.shard(), session), caller,
                        ProtoValues.boundQuery(route.query(), own), OPTIONS));
            }
        } else {
            for (ShardTarget shard : ShardResolver.resolve(route.routing(), bindVars, all, VindexCursor.NONE)) {
                calls.add(() -> gateway.execute(target(keyspace, shard, session), caller,
                        ProtoValues.boundQuery(route.query(), bindVars), OPTIONS));
            }
        }
        if (calls.isEmpty()) {
            return List.of(RowStream.of(List.of(), List.of()));
        }
        return runAll(calls).stream().map(ProtoValues::rows).toList();
    }

    private static void writeRows(RowStream rows, ResultSink sink) {
        List<Column> columns = new ArrayList<>();
        for (Field f : rows.fields()) {
            columns.add(Column.of(f.name(), f.type()));
        }
        sink.columns(columns);
        for (Row row = rows.next(); row != null; row = rows.next()) {
            int n = row.size();
            long[] lengths = new long[n];
            int total = 0;
            for (int i = 0; i < n; i++) {
                lengths[i] = row.length(i);
                total += Math.max(0, row.length(i));
            }
            ByteBuf values = Unpooled.wrappedBuffer(row.buffer(), n == 0 ? 0 : row.offset(0), total);
            sink.row(lengths, values);
        }
        sink.endRows();
    }

    // ---- writes ---------------------------------------------------------------------------------

    private void insert(GateSession session, CallerID caller, Primitive.Insert insert, BindVariables bindVars, ResultSink sink) {
        if (insert.autoIncrement().isPresent()) {
            throw unimplemented("inserts filling " + insert.autoIncrement().get().column()
                    + " from a sequence are not executed by the gate yet");
        }
        String keyspace = insert.routing().keyspace();
        List<Supplier<QueryResult>> calls = new ArrayList<>();
        for (ShardResolver.ShardInsert si : ShardResolver.splitInsert(insert, bindVars, shardMap.shards(keyspace),
                VindexCursor.NONE)) {
            calls.add(() -> gateway.execute(target(keyspace, si.shard(), session), caller,
                    ProtoValues.boundQuery(si.query(), bindVars), OPTIONS));
        }
        okSum(session, runAll(calls), sink);
    }

    private void dml(GateSession session, CallerID caller, Primitive.Dml dml, BindVariables bindVars, ResultSink sink) {
        String keyspace = dml.routing().keyspace();
        List<Supplier<QueryResult>> calls = new ArrayList<>();
        for (ShardTarget shard : ShardResolver.resolve(dml.routing(), bindVars, shardMap.shards(keyspace), VindexCursor.NONE)) {
            calls.add(() -> gateway.execute(target(keyspace, shard, session), caller,
                    ProtoValues.boundQuery(dml.query(), bindVars), OPTIONS));
        }
        okSum(session, runAll(calls), sink);
    }

    private void send(GateSession session, CallerID caller, Primitive.Send send, ResultSink sink) {
        List<ShardTarget> shards = shardMap.shards(send.keyspace());
        if (send.target() == Primitive.SendTarget.ANY_SHARD) {
            shards = List.of(shards.get(0));
        }
        List<Supplier<QueryResult>> calls = new ArrayList<>();
        for (ShardTarget shard : shards) {
            calls.add(() -> gateway.execute(target(send.keyspace(), shard, session), caller,
                    ProtoValues.boundQuery(send.query(), BindVariables.EMPTY), OPTIONS));
        }
        List<QueryResult> results = runAll(calls);
        if (!send.isDdl() && results.size() == 1 && results.get(0).getFieldsCount() > 0) {
            try (RowStream rows = ProtoValues.rows(results.get(0))) {
                writeRows(rows, sink);
            }
            return;
        }
        okSum(session, results, sink);
    }

    private static void okSum(GateSession session, List<QueryResult> results, ResultSink sink) {
        long affected = 0;
        long insertId = 0;
        for (QueryResult r : results) {
            affected += r.getRowsAffected();
            if (r.getInsertId() != 0) {
                insertId = r.getInsertId();
            }
        }
        if (insertId != 0) {
            session.setLastInsertId(insertId);
        }
        sink.ok(affected, insertId, 0, "");
    }

    // ---- answered by the gate -------------------------------------------------------------------

    private void projection(GateSession session, Primitive.GateProjection p, BindVariables bindVars, ResultSink sink) {
        List<Column> columns = new ArrayList<>();
        byte[][] values = new byte[p.columns().size()][];
        int i = 0;
        for (Primitive.GateColumn c : p.columns()) {
            String text = switch (c.function()) {
                case VERSION -> serverVersion;
                case VERSION_COMMENT -> "Mosaic";
                case DATABASE -> session.keyspace();
                case LAST_INSERT_ID -> Long.toUnsignedString(session.lastInsertId());
                case CONNECTION_ID -> Integer.toString(session.connectionId());
                case CONSTANT -> {
                    Value v = c.constant().orElseThrow().evaluate(bindVars);
                    yield v.isNull() ? null : new String(v.toBytes(), StandardCharsets.UTF_8);
                }
            };
            SqlType type = switch (c.function()) {
                case LAST_INSERT_ID, CONNECTION_ID -> SqlType.UINT64;
                case CONSTANT -> c.constant().orElseThrow().evaluate(bindVars).type();
                default -> SqlType.VARCHAR;
            };
            columns.add(Column.of(c.name(), type));
            values[i++] = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
        }
        sink.columns(columns);
        sink.row(values);
        sink.endRows();
    }

    private static void transaction(Primitive.TransactionControl tx, ResultSink sink) {
        switch (tx.op()) {
            case COMMIT, ROLLBACK -> sink.ok(); // nothing is open in autocommit mode
            default -> throw unimplemented("transactions (" + tx.op() + ") are not supported by the gate yet; "
                    + "every statement runs in autocommit mode");
        }
    }

    private static void set(GateSession session, Primitive.SessionSet set, BindVariables bindVars, ResultSink sink) {
        for (Primitive.SetAssignment a : set.assignments()) {
            Value v = a.value().evaluate(bindVars);
            String text = v.isNull() ? null : new String(v.toBytes(), StandardCharsets.UTF_8);
            if (a.scope() == Primitive.SetScope.SESSION && a.name().equals("autocommit")
                    && !("1".equals(text) || "on".equalsIgnoreCase(text) || "true".equalsIgnoreCase(text))) {
                throw unimplemented("autocommit = 0 is not supported by the gate yet");
            }
        }
        for (Primitive.SetAssignment a : set.assignments()) {
            Value v = a.value().evaluate(bindVars);
            session.variables().put(a.scope() + ":" + a.name(),
                    v.isNull() ? null : new String(v.toBytes(), StandardCharsets.UTF_8));
        }
        sink.ok();
    }

    // ---- plumbing -------------------------------------------------------------------------------

    private static Target target(String keyspace, ShardTarget shard, GateSession session) {
        return Target.newBuilder().setKeyspace(keyspace).setShard(shard.name())
                .setTabletType(TabletType.valueOf(session.tabletType().toUpperCase(Locale.ROOT))).build();
    }

    /** Runs the calls, the first on this thread and the others on the pool; the first failure is rethrown. */
    private List<QueryResult> runAll(List<Supplier<QueryResult>> calls) {
        if (calls.size() == 1) {
            return List.of(calls.get(0).get());
        }
        List<CompletableFuture<QueryResult>> futures = new ArrayList<>(calls.size());
        for (int i = 1; i < calls.size(); i++) {
            try {
                futures.add(CompletableFuture.supplyAsync(calls.get(i), shardCalls));
            } catch (RejectedExecutionException e) {
                futures.forEach(f -> f.cancel(false));
                throw new MosaicException(ErrorCode.RESOURCE_EXHAUSTED, "gate shard-call pool is full", e);
            }
        }
        List<QueryResult> out = new ArrayList<>(calls.size());
        RuntimeException failure = null;
        try {
            out.add(calls.get(0).get());
        } catch (RuntimeException e) {
            failure = e;
        }
        for (CompletableFuture<QueryResult> f : futures) {
            try {
                out.add(f.join());
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re
                            : new MosaicException(ErrorCode.INTERNAL, String.valueOf(e.getCause()), e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    private static MosaicException unimplemented(String what) {
        return new MosaicException(ErrorCode.UNIMPLEMENTED, "VT12001: unsupported: " + what);
    }
}
