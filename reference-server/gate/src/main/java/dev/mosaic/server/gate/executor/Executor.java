package dev.mosaic.server.gate.executor;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.json.Json;
import dev.mosaic.api.json.JsonArray;
import dev.mosaic.api.json.JsonObject;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.proto.query.Errors;
import dev.mosaic.proto.query.ExecuteOptions;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.gate.gateway.Opened;
import dev.mosaic.server.gate.gateway.ShardSession;
import dev.mosaic.server.gate.gateway.TabletGateway;
import dev.mosaic.server.gate.tx.TransactionMode;
import dev.mosaic.server.gate.tx.TwoPhaseCommit;
import dev.mosaic.server.mysql.protocol.command.ResultSink;
import dev.mosaic.server.mysql.protocol.result.Column;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.exec.Field;
import dev.mosaic.server.sql.exec.ResultMerger;
import dev.mosaic.server.sql.exec.Row;
import dev.mosaic.server.sql.exec.RowStream;
import dev.mosaic.server.sql.exec.ShardResolver;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.sql.parse.ParsedStatement;
import dev.mosaic.server.sql.plan.Plan;
import dev.mosaic.server.sql.plan.PlanDescription;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.planner.Planner;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.LookupVindex;
import dev.mosaic.spi.vindex.MultiColumnVindex;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexCursor.CommitOrder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p><b>Transactions</b> (Vitess's {@code MULTI} mode, best effort): {@code BEGIN} only marks the
 * session; each shard joins the transaction with its first statement ({@code BeginExecute}, with
 * the session's savepoints replayed first), later statements run in that shard's transaction.
 * {@code COMMIT} commits the shards one after another; if one fails, those not yet committed are
 * rolled back and the error names the shard. With {@code autocommit = 0} the first statement that
 * reaches a shard opens a transaction. {@code BEGIN}, {@code SET autocommit = 1} and DDL commit an
 * open transaction first, as in MySQL. A failed statement leaves the transaction open, unless a
 * shard says it cannot go on (deadlock, transaction killed or timed out, pool exhausted): then the
 * whole transaction is rolled back and the error says so.
 *
 * <p><b>Settings</b>: system variables that change what MySQL does ({@code sql_mode},
 * {@code time_zone}, isolation level, ...) are kept in the session and applied with Vitess's
 * reserved connections: the session's statements go to one reserved connection per shard, set up
 * with the settings as pre-queries (see {@code SessionVariables}).
 *
 * <p>Sequences ({@link Sequences}), information_schema ({@link DbaRoutes}), the gate's own SHOW
 * answers ({@link MetadataAnswers}) and {@code USE keyspace/shard} ({@link ShardTargeting}) live in
 * their own classes. Every per-shard call of a planned statement goes through {@code shardCall}. Thread-safe: one executor
 * serves every session.
 */
public final class Executor {
    private static final ExecuteOptions OPTIONS = ExecuteOptions.getDefaultInstance();

    private final CachingPlanner planner;
    private final TabletGateway gateway;
    private final ShardMap shardMap;
    private final ExecutorService shardCalls;
    private final String serverVersion;
    private final SessionStats stats = new SessionStats();
    private final Sequences sequences;
    private final DbaRoutes dbaRoutes;
    private final ShardTargeting shardTargeting;
    private final DatabaseNames databases;
    private final CommitOrderSessions orderedSessions;
    private final TwoPhaseCommit twoPhaseCommit;

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
        this(planner, gateway, shardMap, shardCalls, serverVersion, DatabaseNames.VITESS);
    }

    /**
     * An executor whose tablets name their databases as {@code databases} says (information_schema
     * queries are translated with it).
     */
    public Executor(CachingPlanner planner, TabletGateway gateway, ShardMap shardMap, ExecutorService shardCalls,
            String serverVersion, DatabaseNames databases) {
        this.planner = planner;
        this.gateway = gateway;
        this.shardMap = shardMap;
        this.shardCalls = shardCalls;
        this.serverVersion = serverVersion;
        this.sequences = new Sequences(gateway, shardMap);
        this.dbaRoutes = new DbaRoutes(gateway, shardMap, databases);
        this.shardTargeting = new ShardTargeting(planner, shardMap, databases, this::targetedShardCall);
        this.databases = databases;
        this.orderedSessions = new CommitOrderSessions(gateway);
        this.twoPhaseCommit = new TwoPhaseCommit(gateway);
    }

    /** The atomic commit coordinator of {@code transaction_mode = TWOPC} sessions (its hook, its counts). */
    public TwoPhaseCommit twoPhaseCommit() {
        return twoPhaseCommit;
    }

    /**
     * Runs one statement for {@code session} and writes its result to {@code sink}.
     *
     * @throws MosaicException for what the planner rejects, a plan the executor does not run, and
     *                         errors from tablets
     */
    public void execute(GateSession session, CallerID caller, String sql, ResultSink sink) {
        try {
            if (shardTargeting.tryExecute(session, caller, sql, sink)) {
                return;
            }
        } catch (MosaicException e) {
            throw afterFailure(session, caller, e);
        }
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
     * @throws MosaicException for a plan the executor does not run, and errors from tablets
     */
    public void execute(GateSession session, CallerID caller, CachingPlanner.PlannedQuery planned, ResultSink sink) {
        BindVariables bindVars = planned.bindVars();
        Primitive root = planned.plan().root();
        try {
            if (root instanceof Primitive.Route || root instanceof Primitive.Limit || root instanceof Primitive.Aggregate
                    || root instanceof Primitive.MemorySort || root instanceof Primitive.Distinct
                    || root instanceof Primitive.Join || root instanceof Primitive.PulloutSubquery
                || root instanceof Primitive.Concatenate || root instanceof Primitive.Filter) {
                select(session, caller, root, bindVars, sink);
            } else if (root instanceof Primitive.Insert insert) {
                insert(session, caller, insert, bindVars, sink);
            } else if (root instanceof Primitive.Dml dml) {
                dml(session, caller, dml, bindVars, sink);
            } else if (root instanceof Primitive.Send send) {
                send(session, caller, send, sink);
            } else if (root instanceof Primitive.UseKeyspace use) {
                use(session, use, sink);
            } else if (root instanceof Primitive.GateProjection p) {
                projection(session, p, bindVars, sink);
            } else if (root instanceof Primitive.TransactionControl tx) {
                transaction(session, caller, tx, sink);
            } else if (root instanceof Primitive.SessionSet set) {
                set(session, caller, set, bindVars, sink);
            } else if (root instanceof Primitive.GateShow show) {
                MetadataAnswers.answer(show, shardMap, () -> gateway.tablets()).write(sink);
            } else if (root instanceof Primitive.VExplain v) {
                vexplain(session, caller, planned, v, sink);
            } else {
                throw unimplemented("plan " + root.getClass().getSimpleName() + " is not executed by the gate yet");
            }
        } catch (MosaicException e) {
            throw afterFailure(session, caller, e);
        }
    }

    /** Counters over every session of this executor (open transactions, reserved connections). */
    public SessionStats stats() {
        return stats;
    }

    /**
     * The client connection closed: rolls back the session's transaction and releases its reserved
     * connections on every shard. Every shard is tried.
     *
     * @throws MosaicException the first failure (the shard sessions are forgotten anyway; the
     *                         tablets end them on their own timeouts)
     */
    public void closeSession(GateSession session, CallerID caller) {
        MosaicException first = null;
        for (ShardSession s : session.shardSessions()) {
            try {
                gateway.release(s, caller);
            } catch (MosaicException e) {
                if (!isGone(e, s) && first == null) {
                    first = withPrefix(e, "releasing the session on " + describe(s.target()) + " failed: ");
                }
            }
            track(session, s.target(), null);
        }
        for (CommitOrder order : List.of(CommitOrder.PRE, CommitOrder.POST)) {
            MosaicException e = orderedSessions.rollback(session, caller, order);
            if (first == null) {
                first = e;
            }
        }
        if (session.inTransaction()) {
            finishTransaction(session);
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * COM_RESET_CONNECTION: {@link #closeSession}, then forgets the session's variables and
     * settings and turns autocommit back on (the keyspace stays, as MySQL keeps the database).
     */
    public void resetSession(GateSession session, CallerID caller) {
        try {
            closeSession(session, caller);
        } finally {
            session.resetVariables();
        }
    }

    // ---- reads ----------------------------------------------------------------------------------

    private void select(GateSession session, CallerID caller, Primitive root, BindVariables bindVars, ResultSink sink) {
        implicitBegin(session);
        try (RowStream rows = ResultMerger.open(root, bindVars, (route, bv) -> routeStreams(session, caller, route, bv))) {
            writeRows(rows, sink);
        }
    }

    private List<RowStream> routeStreams(GateSession session, CallerID caller, Primitive.Route route, BindVariables bindVars) {
        RouteOpcode op = route.routing().opcode();
        if (op == RouteOpcode.NEXT) {
            return sequences.next(session, caller, route, bindVars);
        }
        if (op == RouteOpcode.DBA) {
            return dbaRoutes.execute(session, caller, route, bindVars);
        }
        String keyspace = route.routing().keyspace();
        List<ShardTarget> all = shardMap.shards(keyspace);
        List<Supplier<QueryResult>> calls = new ArrayList<>();
        if (op == RouteOpcode.IN) {
            for (ShardResolver.ShardValues sv : ShardResolver.resolveIn(route.routing(), bindVars, all,
                    cursor(session, caller, false))) {
                BindVariables own = bindVars.with(ShardResolver.SHARD_VALUES, sv.values());
                calls.add(() -> shardCall(session, caller, target(keyspace, sv.shard(), session),
                        ProtoValues.boundQuery(route.query(), own)));
            }
        } else {
            List<ShardTarget> shards = ShardResolver.resolve(route.routing(), bindVars, all, cursor(session, caller, false));
            if (shards.isEmpty() && byLookup(route.routing()) && !all.isEmpty()) {
                // The lookup table knows no row for the value: one shard answers (no rows, the
                // columns, COUNT(*) = 0), as for a NONE route.
                shards = List.of(all.get(0));
            }
            for (ShardTarget shard : shards) {
                calls.add(() -> shardCall(session, caller, target(keyspace, shard, session),
                        ProtoValues.boundQuery(route.query(), bindVars)));
            }
        }
        if (calls.isEmpty()) {
            return List.of(RowStream.of(List.of(), List.of()));
        }
        QueryLog.newBatch(session);
        return runAll(calls).stream().map(r -> ProtoValues.rows(r, shardMap, databases)).toList();
    }

    static void writeRows(RowStream rows, ResultSink sink) {
        List<Column> columns = new ArrayList<>();
        for (Field f : rows.fields()) {
            columns.add(column(f));
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

    /**
     * The protocol's column for {@code f}: its full definition when it has one (the tablet's MySQL
     * described it), else MySQL's defaults for a computed column of its type, with the decimals of
     * a {@link Field.Definition#computed computed definition}.
     */
    static Column column(Field f) {
        Field.Definition d = f.definition();
        Column c = Column.of(f.name(), f.type());
        if (d == null) {
            return c;
        }
        if (d.isComputed()) {
            return new Column(c.schema(), c.table(), c.orgTable(), c.name(), c.orgName(), c.charset(), c.length(),
                    c.type(), c.flags(), d.decimals());
        }
        return new Column(d.schema(), d.table(), d.orgTable(), f.name(), d.orgName(), d.charset(), d.columnLength(),
                c.type(), d.flags(), d.decimals());
    }

    // ---- VEXPLAIN -------------------------------------------------------------------------------

    /**
     * {@code VEXPLAIN}: PLAN answers the input's plan as JSON (column {@code JSON}) without running
     * it. QUERIES runs the input like any statement (a write is done, in the session's transaction
     * as usual) with its result discarded and every shard query recorded, and answers them as rows
     * {@code #}, {@code keyspace}, {@code shard}, {@code query}. ALL runs it too and answers one
     * JSON document (column {@code VExplain}) with the queries and the plan.
     */
    private void vexplain(GateSession session, CallerID caller, CachingPlanner.PlannedQuery planned, Primitive.VExplain v,
            ResultSink sink) {
        JsonObject plan = PlanDescription.vexplain(v.input(), ks -> planner.vschema().keyspace(ks)
                .map(VSchemaSnapshot.Keyspace::sharded).orElse(false));
        if (v.kind() == ParsedStatement.VExplainKind.PLAN) {
            GateRows.varchars(List.of("JSON"), List.of(List.of(plan.toPrettyJson()))).write(sink);
            return;
        }
        QueryLog log = new QueryLog();
        session.queryLog(log);
        try {
            execute(session, caller, new CachingPlanner.PlannedQuery(new Plan(planned.plan().query(), v.input()),
                    planned.bindVars(), planned.cacheHit(), planned.paramCount()), DiscardingSink.INSTANCE);
        } finally {
            session.queryLog(null);
        }
        List<QueryLog.Entry> entries = log.entries();
        if (v.kind() == ParsedStatement.VExplainKind.QUERIES) {
            List<List<String>> rows = new ArrayList<>();
            for (QueryLog.Entry e : entries) {
                rows.add(List.of(Integer.toString(e.batch()), e.keyspace(), e.shard(), e.query()));
            }
            new GateRows(List.of("#", "keyspace", "shard", "query"),
                    List.of(SqlType.INT64, SqlType.VARCHAR, SqlType.VARCHAR, SqlType.VARCHAR), rows).write(sink);
            return;
        }
        List<Json> queries = new ArrayList<>();
        for (QueryLog.Entry e : entries) {
            queries.add(JsonObject.builder().put("#", e.batch()).put("Keyspace", e.keyspace()).put("Shard", e.shard())
                    .put("Query", e.query()).build());
        }
        JsonObject all = JsonObject.builder().put("Queries", new JsonArray(queries)).put("Plan", plan).build();
        GateRows.varchars(List.of("VExplain"), List.of(List.of(all.toPrettyJson()))).write(sink);
    }

    // ---- writes ---------------------------------------------------------------------------------

    private void insert(GateSession session, CallerID caller, Primitive.Insert insert, BindVariables bindVars, ResultSink sink) {
        Sequences.Filled filled = insert.autoIncrement().isPresent()
                ? sequences.fill(session, caller, insert, bindVars) : new Sequences.Filled(bindVars, 0, 0);
        BindVariables bound = filled.bindVars();
        if (!insert.owned().isEmpty()) {
            okSum(session, filled.withInsertId(inLookupTransaction(session, caller,
                    () -> insertWithLookups(session, caller, insert, bound))), sink);
            return;
        }
        implicitBegin(session);
        String keyspace = insert.routing().keyspace();
        List<Supplier<QueryResult>> calls = new ArrayList<>();
        for (ShardResolver.ShardInsert si : ShardResolver.splitInsert(insert, bound, shardMap.shards(keyspace),
                VindexCursor.NONE)) {
            calls.add(() -> shardCall(session, caller, target(keyspace, si.shard(), session),
                    ProtoValues.boundQuery(si.query(), bound)));
        }
        QueryLog.newBatch(session);
        okSum(session, filled.withInsertId(runAll(calls)), sink);
    }

    /**
     * Vitess's insert with owned vindexes: each row's keyspace id from the primary vindex, then for
     * each owned lookup vindex its entries are created (before the rows are inserted). With INSERT
     * IGNORE the entries are created ignoring duplicates and then verified: a row whose entry points
     * elsewhere is left out of the insert (and of the later vindexes' entries).
     */
    private List<QueryResult> insertWithLookups(GateSession session, CallerID caller, Primitive.Insert insert,
            BindVariables bound) {
        VindexCursor cursor = cursor(session, caller, true, CommitOrder.PRE);
        String keyspace = insert.routing().keyspace();
        List<KeyspaceId> ksids = ShardResolver.insertKeyspaceIds(insert, bound, cursor);
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < ksids.size(); i++) {
            keep.add(i);
        }
        for (Primitive.OwnedInsert owned : insert.owned()) {
            List<List<Value>> all = ShardResolver.evaluate(owned.rows(), bound);
            List<List<Value>> rows = new ArrayList<>();
            List<KeyspaceId> rowKsids = new ArrayList<>();
            for (int i : keep) {
                rows.add(all.get(i));
                rowKsids.add(ksids.get(i));
            }
            if (rows.isEmpty()) {
                break;
            }
            LookupVindex lookup = (LookupVindex) owned.vindex().vindex();
            lookup.create(cursor, rows, rowKsids, insert.ignore());
            if (insert.ignore()) {
                boolean[] verified = verify(owned.vindex().vindex(), cursor, rows, rowKsids);
                List<Integer> still = new ArrayList<>();
                for (int i = 0; i < verified.length; i++) {
                    if (verified[i]) {
                        still.add(keep.get(i));
                    }
                }
                keep = still;
            }
        }
        List<Supplier<QueryResult>> calls = new ArrayList<>();
        for (ShardResolver.ShardInsert si : ShardResolver.splitInsert(insert, shardMap.shards(keyspace), ksids, keep)) {
            calls.add(() -> shardCall(session, caller, target(keyspace, si.shard(), session),
                    ProtoValues.boundQuery(si.query(), bound)));
        }
        if (calls.isEmpty()) {
            return List.of();
        }
        QueryLog.newBatch(session);
        return runAll(calls);
    }

    private static boolean[] verify(Vindex vindex, VindexCursor cursor, List<List<Value>> rows, List<KeyspaceId> ksids) {
        if (vindex instanceof SingleColumnVindex sv) {
            return sv.verify(cursor, rows.stream().map(r -> r.get(0)).toList(), ksids);
        }
        return ((MultiColumnVindex) vindex).verify(cursor, rows, ksids);
    }

    /** One shard a DML statement goes to, with the bind variables of its query there (an IN route's own values). */
    private record DmlShard(ShardTarget shard, BindVariables bindVars) {
    }

    private List<DmlShard> dmlShards(Primitive.Dml dml, BindVariables bindVars, VindexCursor cursor) {
        List<ShardTarget> all = shardMap.shards(dml.routing().keyspace());
        List<DmlShard> out = new ArrayList<>();
        if (dml.routing().opcode() == RouteOpcode.IN) {
            for (ShardResolver.ShardValues sv : ShardResolver.resolveIn(dml.routing(), bindVars, all, cursor)) {
                out.add(new DmlShard(sv.shard(), bindVars.with(ShardResolver.SHARD_VALUES, sv.values())));
            }
            return out;
        }
        for (ShardTarget shard : ShardResolver.resolve(dml.routing(), bindVars, all, cursor)) {
            out.add(new DmlShard(shard, bindVars));
        }
        return out;
    }

    private List<QueryResult> runOn(GateSession session, CallerID caller, String keyspace, List<DmlShard> shards, String query) {
        List<Supplier<QueryResult>> calls = new ArrayList<>();
        for (DmlShard s : shards) {
            calls.add(() -> shardCall(session, caller, target(keyspace, s.shard(), session),
                    ProtoValues.boundQuery(query, s.bindVars())));
        }
        if (calls.isEmpty()) {
            return List.of();
        }
        QueryLog.newBatch(session);
        return runAll(calls);
    }

    private void dml(GateSession session, CallerID caller, Primitive.Dml dml, BindVariables bindVars, ResultSink sink) {
        if (dml.lookups().isPresent()) {
            okSum(session, inLookupTransaction(session, caller, () -> dmlWithLookups(session, caller, dml, bindVars)), sink);
            return;
        }
        implicitBegin(session);
        List<DmlShard> shards = dmlShards(dml, bindVars, cursor(session, caller, true));
        okSum(session, runOn(session, caller, dml.routing().keyspace(), shards, dml.query()), sink);
    }

    /**
     * Vitess's update/delete with owned vindexes: the affected rows' vindex columns are read FOR
     * UPDATE in the transaction (the owned-vindex query, on the statement's shards), each row's
     * keyspace id is computed from its primary vindex columns, the lookup entries are deleted
     * (DELETE) or moved to the new values (UPDATE), and then the statement runs on the same shards.
     */
    private List<QueryResult> dmlWithLookups(GateSession session, CallerID caller, Primitive.Dml dml, BindVariables bindVars) {
        VindexCursor cursor = cursor(session, caller, true, CommitOrder.POST);
        String keyspace = dml.routing().keyspace();
        Primitive.OwnedLookups lookups = dml.lookups().orElseThrow();
        List<DmlShard> shards = dmlShards(dml, bindVars, cursor);
        List<List<Value>> rows = new ArrayList<>();
        for (QueryResult r : runOn(session, caller, keyspace, shards, lookups.selectQuery())) {
            rows.addAll(GateVindexCursor.rows(r));
        }
        int primaryWidth = lookups.primary().columns().size();
        for (List<Value> row : rows) {
            KeyspaceId ksid = keyspaceId(lookups.primary(), cursor, row.subList(0, primaryWidth));
            int at = primaryWidth;
            for (int v = 0; v < lookups.owned().size(); v++) {
                dev.mosaic.server.sql.plan.Routing.PlannedVindex owned = lookups.owned().get(v);
                int width = owned.columns().size();
                List<Value> old = row.subList(at, at + width);
                at += width;
                LookupVindex lookup = (LookupVindex) owned.vindex();
                if (dml.kind() == Primitive.DmlKind.DELETE) {
                    lookup.delete(cursor, List.of(List.copyOf(old)), ksid);
                    continue;
                }
                List<Value> now = new ArrayList<>(width);
                for (int c = 0; c < width; c++) {
                    Optional<dev.mosaic.server.sql.plan.ValueExpr> set = lookups.newValues().get(v).get(c);
                    now.add(set.isPresent() ? set.get().evaluate(bindVars) : old.get(c));
                }
                lookup.update(cursor, List.copyOf(old), ksid, now);
            }
        }
        return runOn(session, caller, keyspace, shards, dml.query());
    }

    private static KeyspaceId keyspaceId(dev.mosaic.server.sql.plan.Routing.PlannedVindex primary, VindexCursor cursor,
            List<Value> values) {
        Destination d = primary.vindex() instanceof SingleColumnVindex sv ? sv.map(cursor, List.of(values.get(0))).get(0)
                : ((MultiColumnVindex) primary.vindex()).map(cursor, List.of(values)).get(0);
        if (d instanceof Destination.One one) {
            return one.id();
        }
        throw new MosaicException(ErrorCode.INTERNAL, "primary vindex " + primary.name() + " maps " + values
                + " to no single keyspace id");
    }

    /** The savepoint that undoes a failed lookup-maintaining statement inside a transaction. */
    private static final String LOOKUP_DML_SAVEPOINT = "_mosaic_lookup_dml";

    /**
     * Runs a statement that maintains lookup vindexes in a transaction: the session's open one, or
     * (autocommit) one begun for it and committed after it (rolled back if it fails), as Vitess does
     * for DML with owned vindexes, so the lookup writes and the statement commit together. Inside an
     * open transaction the statement runs after a savepoint and a failure rolls back to it (Vitess's
     * rollback of a partially executed DML), so a failed insert leaves no lookup rows behind.
     */
    private List<QueryResult> inLookupTransaction(GateSession session, CallerID caller, Supplier<List<QueryResult>> body) {
        implicitBegin(session);
        if (session.inTransaction()) {
            savepoint(session, caller, new Primitive.TransactionControl(ParsedStatement.TxOp.SAVEPOINT, LOOKUP_DML_SAVEPOINT));
            List<QueryResult> out;
            try {
                out = body.get();
            } catch (RuntimeException e) {
                try {
                    savepoint(session, caller, new Primitive.TransactionControl(ParsedStatement.TxOp.ROLLBACK_TO_SAVEPOINT,
                            LOOKUP_DML_SAVEPOINT));
                } catch (RuntimeException f) {
                    e.addSuppressed(f); // the transaction is gone (deadlock, timeout): the caller rolls it back
                }
                throw e;
            }
            savepoint(session, caller, new Primitive.TransactionControl(ParsedStatement.TxOp.RELEASE_SAVEPOINT,
                    LOOKUP_DML_SAVEPOINT));
            return out;
        }
        begin(session);
        List<QueryResult> out;
        try {
            out = body.get();
        } catch (RuntimeException e) {
            MosaicException failure = rollbackEverything(session, caller);
            finishTransaction(session);
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        commit(session, caller);
        return out;
    }

    private void send(GateSession session, CallerID caller, Primitive.Send send, ResultSink sink) {
        if (send.isDdl() && session.inTransaction()) {
            commit(session, caller); // DDL commits the open transaction first (MySQL's implicit commit)
        }
        List<ShardTarget> shards = shardMap.shards(send.keyspace());
        if (send.target() == Primitive.SendTarget.ANY_SHARD) {
            shards = List.of(shards.get(0));
        }
        List<Supplier<QueryResult>> calls = new ArrayList<>();
        for (ShardTarget shard : shards) {
            calls.add(() -> shardCall(session, caller, target(send.keyspace(), shard, session),
                    ProtoValues.boundQuery(send.query(), BindVariables.EMPTY)));
        }
        QueryLog.newBatch(session);
        List<QueryResult> results = runAll(calls);
        if (!send.isDdl() && results.size() == 1 && results.get(0).getFieldsCount() > 0) {
            try (RowStream rows = ProtoValues.rows(results.get(0), shardMap, databases)) {
                writeRows(rows, sink);
            }
            return;
        }
        okSum(session, results, sink);
    }

    static void okSum(GateSession session, List<QueryResult> results, ResultSink sink) {
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
                case AUTOCOMMIT -> session.autocommit() ? "1" : "0";
                case TRANSACTION_MODE -> session.transactionMode().text();
                case CONSTANT -> {
                    Value v = c.constant().orElseThrow().evaluate(bindVars);
                    yield v.isNull() ? null : new String(v.toBytes(), StandardCharsets.UTF_8);
                }
            };
            SqlType type = switch (c.function()) {
                case LAST_INSERT_ID, CONNECTION_ID -> SqlType.UINT64;
                case AUTOCOMMIT -> SqlType.INT64;
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

    private void use(GateSession session, Primitive.UseKeyspace use, ResultSink sink) {
        String type = use.tabletType().map(t -> t.toLowerCase(Locale.ROOT)).orElse("primary");
        if (session.inTransaction() && !type.equals(session.tabletType())) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION,
                    "cannot change the tablet type from " + session.tabletType() + " to " + type + " inside a transaction");
        }
        session.target(use.keyspace(), type);
        sink.ok();
    }

    // ---- transactions ---------------------------------------------------------------------------

    private void transaction(GateSession session, CallerID caller, Primitive.TransactionControl tx, ResultSink sink) {
        switch (tx.op()) {
            case BEGIN -> {
                if (session.inTransaction()) {
                    commit(session, caller); // BEGIN commits the open transaction first, as in MySQL
                }
                begin(session);
            }
            case COMMIT -> commit(session, caller);
            case ROLLBACK -> rollback(session, caller);
            case SAVEPOINT, ROLLBACK_TO_SAVEPOINT, RELEASE_SAVEPOINT -> savepoint(session, caller, tx);
            default -> throw new IllegalStateException(tx.op().name());
        }
        sink.ok();
    }

    private void begin(GateSession session) {
        session.beginTransaction();
        stats.transactionBegun();
    }

    /** With autocommit off, a statement that reaches shards opens a transaction (MySQL's implicit begin). */
    private void implicitBegin(GateSession session) {
        if (!session.autocommit() && !session.inTransaction()) {
            begin(session);
        }
    }

    private void finishTransaction(GateSession session) {
        session.endTransaction();
        stats.transactionEnded();
    }

    /**
     * Commits the shards' transactions one after another, in the order they joined. If one fails,
     * the shards not yet committed are rolled back and the error names the shard that failed.
     */
    private void commit(GateSession session, CallerID caller) {
        if (!session.inTransaction()) {
            return;
        }
        List<ShardSession> shards = session.shardSessions();
        try {
            orderedSessions.commitPre(session, caller);
        } catch (MosaicException e) {
            MosaicException main = rollbackAll(session, caller, shards);
            MosaicException post = orderedSessions.rollback(session, caller, CommitOrder.POST);
            finishTransaction(session);
            for (MosaicException f : new MosaicException[] {main, post}) {
                if (f != null) {
                    e.addSuppressed(f);
                }
            }
            throw e;
        }
        List<ShardSession> inTx = shards.stream().filter(s -> s.transactionId() != 0).toList();
        if (session.transactionMode() == TransactionMode.TWOPC && inTx.size() > 1) {
            try {
                twoPhaseCommit.commit(inTx, caller); // ends every shard's transaction, whatever happens
                orderedSessions.commitPost(session, caller); // never throws: failures are logged, as in MULTI
            } catch (MosaicException e) {
                // The main transaction failed or is left to the resolver: the post sessions (lookup
                // deletions) roll back, so a consistent lookup keeps extra rows rather than missing one.
                MosaicException post = orderedSessions.rollback(session, caller, CommitOrder.POST);
                if (post != null) {
                    e.addSuppressed(post);
                }
                throw e;
            } finally {
                for (ShardSession s : inTx) {
                    track(session, s.target(), null);
                }
                finishTransaction(session);
            }
            return;
        }
        List<String> committed = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            ShardSession s = shards.get(i);
            if (s.transactionId() == 0) {
                continue; // a reserved connection this transaction did not reach
            }
            try {
                track(session, s.target(), gateway.commit(s, caller));
                committed.add(describe(s.target()));
            } catch (MosaicException e) {
                track(session, s.target(), null); // the tablet ended it (a reserved connection is closed)
                MosaicException rollbackFailure = rollbackAll(session, caller, shards.subList(i + 1, shards.size()));
                MosaicException postFailure = orderedSessions.rollback(session, caller, CommitOrder.POST);
                if (rollbackFailure == null) {
                    rollbackFailure = postFailure;
                }
                finishTransaction(session);
                String done = committed.isEmpty() ? "no shard had committed" : "already committed on " + committed;
                MosaicException out = withPrefix(e, "COMMIT failed on shard " + describe(s.target()) + " (" + done
                        + "; the shards after it were rolled back): ");
                if (rollbackFailure != null) {
                    out.addSuppressed(rollbackFailure);
                }
                throw out;
            }
        }
        orderedSessions.commitPost(session, caller);
        finishTransaction(session);
    }

    private void rollback(GateSession session, CallerID caller) {
        if (!session.inTransaction()) {
            return;
        }
        MosaicException failure = rollbackEverything(session, caller);
        finishTransaction(session);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Rolls back the transaction's pre sessions, its shards, then its post sessions (Vitess's order);
     * every one is tried, the first failure returned.
     */
    private MosaicException rollbackEverything(GateSession session, CallerID caller) {
        MosaicException pre = orderedSessions.rollback(session, caller, CommitOrder.PRE);
        MosaicException main = rollbackAll(session, caller, session.shardSessions());
        MosaicException post = orderedSessions.rollback(session, caller, CommitOrder.POST);
        return pre != null ? pre : main != null ? main : post;
    }

    /** Rolls back the transactions of {@code shards}; every shard is tried, the first failure returned. */
    private MosaicException rollbackAll(GateSession session, CallerID caller, List<ShardSession> shards) {
        MosaicException first = null;
        for (ShardSession s : shards) {
            if (s.transactionId() == 0) {
                continue;
            }
            try {
                track(session, s.target(), gateway.rollback(s, caller));
            } catch (MosaicException e) {
                track(session, s.target(), null);
                if (!isGone(e, s) && first == null) { // a transaction the tablet already ended is rolled back
                    first = withPrefix(e, "ROLLBACK failed on shard " + describe(s.target()) + ": ");
                }
            }
        }
        return first;
    }

    /**
     * SAVEPOINT, ROLLBACK TO, RELEASE: run on every shard already in the transaction and kept, so a
     * shard that joins later replays them before its first statement.
     */
    private void savepoint(GateSession session, CallerID caller, Primitive.TransactionControl tx) {
        implicitBegin(session);
        String name = tx.savepoint();
        if (!session.inTransaction()) {
            if (tx.op() == ParsedStatement.TxOp.SAVEPOINT) {
                return; // MySQL accepts a savepoint outside a transaction and forgets it at once
            }
            throw noSuchSavepoint(name);
        }
        List<String> names = session.savepointNames();
        if (tx.op() != ParsedStatement.TxOp.SAVEPOINT && !names.contains(name)) {
            throw noSuchSavepoint(name);
        }
        String quoted = "`" + name.replace("`", "``") + "`";
        String sql = switch (tx.op()) {
            case SAVEPOINT -> "savepoint " + quoted;
            case ROLLBACK_TO_SAVEPOINT -> "rollback to " + quoted;
            default -> "release savepoint " + quoted;
        };
        BoundQuery q = BoundQuery.newBuilder().setSql(sql).build();
        List<Supplier<QueryResult>> calls = new ArrayList<>();
        for (ShardSession s : session.shardSessions()) {
            if (s.transactionId() != 0) {
                calls.add(() -> pinnedCall(session, caller, s, q));
            }
        }
        for (ShardSession s : orderedSessions.all(session)) {
            calls.add(() -> {
                orderedSessions.executeIn(session, caller, s, q);
                return QueryResult.getDefaultInstance();
            });
        }
        if (!calls.isEmpty()) {
            runAll(calls);
        }
        session.addSavepointStatement(tx.op(), name, sql);
    }

    private static MosaicException noSuchSavepoint(String name) {
        return Errors.mysqlError(ErrorCode.NOT_FOUND, 1305, "42000", "SAVEPOINT " + name + " does not exist", null);
    }

    // ---- session variables ----------------------------------------------------------------------

    private void set(GateSession session, CallerID caller, Primitive.SessionSet set, BindVariables bindVars,
            ResultSink sink) {
        // Check every assignment before changing anything, so a rejected SET changes nothing.
        Boolean autocommit = null;
        TransactionMode mode = null;
        Map<String, String> shardSettings = new LinkedHashMap<>();
        Map<String, String> nextTx = new LinkedHashMap<>();
        Map<String, String> gateVariables = new LinkedHashMap<>();
        for (Primitive.SetAssignment a : set.assignments()) {
            Value v = a.value().evaluate(bindVars);
            String name = a.name();
            switch (a.scope()) {
                case USER_DEFINED -> gateVariables.put(a.scope() + ":" + name, SessionVariables.text(v));
                case GLOBAL -> throw unimplemented("SET GLOBAL " + name
                        + " (global variables are set on each mysqld, not through the gate)");
                case NEXT_TRANSACTION -> {
                    if (session.inTransaction()) {
                        throw Errors.mysqlError(ErrorCode.FAILED_PRECONDITION, 1568, "25001",
                                "Transaction characteristics can't be changed while a transaction is in progress", null);
                    }
                    nextTx.put(canonical(name), SessionVariables.statement(name, v, true));
                }
                case SESSION -> {
                    switch (SessionVariables.kind(name)) {
                        case AUTOCOMMIT -> autocommit = SessionVariables.bool(name, v);
                        case TRANSACTION_MODE -> mode = TransactionMode.parse(SessionVariables.text(v));
                        case CHARSET -> {
                            SessionVariables.checkCharset(name, v);
                            gateVariables.put(a.scope() + ":" + name, SessionVariables.text(v));
                        }
                        case IGNORED -> gateVariables.put(a.scope() + ":" + name, SessionVariables.text(v));
                        case SHARD -> shardSettings.put(canonical(name), SessionVariables.statement(name, v, false));
                        default -> throw new IllegalStateException(name);
                    }
                }
                default -> throw new IllegalStateException(a.scope().name());
            }
        }
        if (!shardSettings.isEmpty()) {
            applySettings(session, caller, shardSettings);
        }
        session.variables().putAll(gateVariables);
        session.nextTransaction().putAll(nextTx);
        if (mode != null) {
            session.setTransactionMode(mode);
        }
        if (autocommit != null) {
            if (autocommit && session.inTransaction()) {
                commit(session, caller); // SET autocommit = 1 commits the open transaction, as in MySQL
            }
            session.setAutocommit(autocommit);
            session.variables().put("SESSION:autocommit", autocommit ? "1" : "0");
        }
        sink.ok();
    }

    private static String canonical(String name) {
        return switch (name) {
            case "tx_isolation" -> "transaction_isolation";
            case "tx_read_only" -> "transaction_read_only";
            default -> name;
        };
    }

    /**
     * Makes {@code changed} part of the session's settings and applies it where the session holds
     * shard connections: on reserved connections as is, and a transaction's plain connection is
     * reserved first (it must not go back to the tablet's pool with the session's settings). With
     * no shard connection yet, one is reserved on the session's first shard now, so a value MySQL
     * rejects fails this SET rather than every later statement. If applying fails the session's
     * settings stay as they were.
     */
    private void applySettings(GateSession session, CallerID caller, Map<String, String> changed) {
        Map<String, String> before = new LinkedHashMap<>(session.settings());
        session.settings().putAll(changed);
        try {
            List<ShardSession> open = session.shardSessions();
            if (open.isEmpty()) {
                String keyspace = session.keyspace() != null ? session.keyspace() : shardMap.keyspaces().keySet().iterator().next();
                Target t = target(keyspace, shardMap.shards(keyspace).get(0), session);
                shardCall(session, caller, t, BoundQuery.newBuilder().setSql("select 1 from dual").build());
                return;
            }
            List<Supplier<QueryResult>> calls = new ArrayList<>();
            for (ShardSession s : open) {
                if (s.reservedId() == 0) {
                    // A plain transaction connection: reserve it with the new settings as pre-queries.
                    calls.add(() -> {
                        try {
                            return opened(session, s.target(), gateway.reserveExecute(s, caller,
                                    BoundQuery.newBuilder().setSql("select 1 from dual").build(), OPTIONS,
                                    List.copyOf(changed.values())));
                        } catch (MosaicException e) {
                            // A failed pre-query ends the tablet's transaction and connection.
                            track(session, s.target(), null);
                            session.mustRollback(e.getMessage());
                            throw e;
                        }
                    });
                    continue;
                }
                calls.add(() -> {
                    QueryResult last = null;
                    for (String sql : changed.values()) {
                        last = pinnedCall(session, caller, session.shard(s.target()),
                                BoundQuery.newBuilder().setSql(sql).build());
                    }
                    return last;
                });
            }
            runAll(calls);
        } catch (RuntimeException e) {
            session.settings().clear();
            session.settings().putAll(before);
            throw e;
        }
    }

    // ---- per-shard calls ------------------------------------------------------------------------

    /**
     * Runs {@code query} on {@code target} for {@code session}: outside a transaction and without
     * settings on any healthy tablet (autocommit); otherwise in the shard's transaction and/or on
     * its reserved connection, opening them on first use: {@code BeginExecute} (savepoints replayed
     * first), {@code ReserveExecute} / {@code ReserveBeginExecute} (settings as pre-queries), or
     * {@code BeginExecute} on the shard's reserved connection. Safe to call for different targets
     * of one session at once.
     */
    /**
     * A statement sent as-is to the shard a session targets ({@code USE ks/shard}): like any other
     * statement it opens the implicit transaction of {@code autocommit = 0} and runs in the session's
     * transaction and on its reserved connections.
     */
    private QueryResult targetedShardCall(GateSession session, CallerID caller, Target target, BoundQuery query) {
        implicitBegin(session);
        return shardCall(session, caller, target, query);
    }

    private QueryResult shardCall(GateSession session, CallerID caller, Target target, BoundQuery query) {
        QueryLog.record(session, target, query);
        boolean inTx = session.inTransaction();
        ShardSession open = session.shard(target);
        if (!inTx && open == null && !session.needsReservedConnections()) {
            return gateway.execute(target, caller, query, OPTIONS);
        }
        try {
            if (open != null && inTx && open.transactionId() == 0) {
                try {
                    for (String sql : session.nextTransaction().values()) {
                        gateway.execute(open, caller, BoundQuery.newBuilder().setSql(sql).build(), OPTIONS);
                    }
                    return opened(session, target, gateway.beginExecute(open, caller, query, OPTIONS,
                            session.savepoints()));
                } catch (MosaicException e) {
                    if (!isGone(e, open) && e.code() != ErrorCode.UNAVAILABLE) {
                        throw e;
                    }
                    // The reserved connection ended before the transaction reached it: set up a new one.
                    track(session, target, null);
                    open = null;
                }
            }
            if (open == null) {
                Opened o;
                if (inTx) {
                    List<String> pre = new ArrayList<>(session.preQueries());
                    pre.addAll(session.nextTransaction().values());
                    o = pre.isEmpty() ? gateway.beginExecute(target, caller, query, OPTIONS, session.savepoints())
                            : gateway.reserveBeginExecute(target, caller, query, OPTIONS, pre, session.savepoints());
                } else {
                    o = gateway.reserveExecute(target, caller, query, OPTIONS, session.preQueries());
                }
                return opened(session, target, o);
            }
        } catch (MosaicException e) {
            if (inTx && (e.code() == ErrorCode.RESOURCE_EXHAUSTED || e.code() == ErrorCode.ABORTED)) {
                session.mustRollback(e.getMessage());
            }
            throw e;
        }
        return pinnedCall(session, caller, open, query);
    }

    /** Keeps the shard session an open call set up (even when its statement failed), then answers as the call did. */
    private QueryResult opened(GateSession session, Target target, Opened o) {
        track(session, target, o.session());
        if (session.inTransaction() && session.transactionMode() == TransactionMode.SINGLE
                && session.shardSessions().stream().filter(s -> s.transactionId() != 0).count() > 1) {
            // Vitess's rule and words: the statement ran, but the whole transaction is rolled back.
            String msg = "multi-db transaction attempted: " + session.shardSessions().stream()
                    .filter(s -> s.transactionId() != 0).map(s -> describe(s.target())).toList();
            session.mustRollback(msg);
            throw new MosaicException(ErrorCode.ABORTED, msg);
        }
        if (o.error().isPresent()) {
            MosaicException e = withPrefix(o.error().get(), "target: " + describe(target) + ": ");
            noteFailure(session, o.session(), e);
            throw e;
        }
        return o.result();
    }

    /**
     * Runs {@code query} on an open shard session. A reserved connection (outside a transaction)
     * that the tablet ended meanwhile (idle timeout, tablet gone) is set up again once with the
     * session's settings; in a transaction, an error that ends it marks the session for rollback.
     */
    private QueryResult pinnedCall(GateSession session, CallerID caller, ShardSession s, BoundQuery query) {
        try {
            return gateway.execute(s, caller, query, OPTIONS);
        } catch (MosaicException e) {
            if (s.transactionId() == 0 && (isGone(e, s) || e.code() == ErrorCode.UNAVAILABLE)) {
                track(session, s.target(), null);
                return opened(session, s.target(),
                        gateway.reserveExecute(s.target(), caller, query, OPTIONS, session.preQueries()));
            }
            noteFailure(session, s, e);
            throw e;
        }
    }

    /** Vitess's rule: in a transaction, a shard error of class ABORTED or RESOURCE_EXHAUSTED (deadlock,
     * transaction killed or timed out, pool full) or a transaction the tablet no longer knows ends the
     * whole transaction. */
    private static void noteFailure(GateSession session, ShardSession s, MosaicException e) {
        if (session.inTransaction() && s.transactionId() != 0 && (e.code() == ErrorCode.ABORTED
                || e.code() == ErrorCode.RESOURCE_EXHAUSTED || isGone(e, s))) {
            session.mustRollback(e.getMessage());
        }
    }

    /** True if the tablet says the shard session's transaction or reserved connection no longer exists. */
    private static boolean isGone(MosaicException e, ShardSession s) {
        String m = String.valueOf(e.getMessage());
        long id = s.transactionId() != 0 ? s.transactionId() : s.reservedId();
        return (e.code() == ErrorCode.ABORTED || e.code() == ErrorCode.NOT_FOUND)
                && (m.contains("transaction " + id + ": ended at") || m.contains("transaction " + id + ": not found"));
    }

    /** After a failed statement: if a shard said the transaction cannot go on, roll it back everywhere and say so. */
    private MosaicException afterFailure(GateSession session, CallerID caller, MosaicException e) {
        String why = session.takeMustRollback();
        if (why == null || !session.inTransaction()) {
            return e;
        }
        MosaicException rollbackFailure = rollbackEverything(session, caller);
        finishTransaction(session);
        MosaicException out = Errors.mysqlError(e.code(), e.mysqlErrno(), e.sqlState(), e.getMessage()
                + " (the transaction was rolled back on every shard; the session is no longer in a transaction)", e);
        if (rollbackFailure != null) {
            out.addSuppressed(rollbackFailure);
        }
        return out;
    }

    /** Records the shard's session (null or not open: forgets it) and counts the change. */
    private void track(GateSession session, Target target, ShardSession now) {
        ShardSession open = now != null && now.isOpen() ? now : null;
        stats.shardChanged(session.putShard(target, open), open);
    }

    private static MosaicException withPrefix(MosaicException e, String prefix) {
        return Errors.mysqlError(e.code(), e.mysqlErrno(), e.sqlState(), prefix + e.getMessage(), e);
    }

    private static String describe(Target t) {
        return t.getKeyspace() + "/" + t.getShard();
    }

    // ---- plumbing -------------------------------------------------------------------------------

    /**
     * The cursor lookup vindexes of one statement read their tables through: in the session for
     * reads that belong to its transaction, standalone otherwise.
     */
    private VindexCursor cursor(GateSession session, CallerID caller, boolean dml) {
        return cursor(session, caller, dml, CommitOrder.PRE);
    }

    private VindexCursor cursor(GateSession session, CallerID caller, boolean dml, CommitOrder lookupRowLockShardSession) {
        GateVindexCursor.ShardCalls lookupCalls = new GateVindexCursor.ShardCalls() {
            @Override
            public QueryResult inSession(String keyspace, ShardTarget shard, BoundQuery query) {
                return shardCall(session, caller, target(keyspace, shard, session), query);
            }

            @Override
            public QueryResult standalone(String keyspace, ShardTarget shard, BoundQuery query) {
                Target t = target(keyspace, shard, session);
                QueryLog.record(session, t, query); // VEXPLAIN QUERIES lists the lookup reads too
                return gateway.execute(t, caller, query, OPTIONS);
            }

            @Override
            public QueryResult inOrder(CommitOrder order, String keyspace, ShardTarget shard, BoundQuery query) {
                return orderedSessions.execute(session, caller, order, target(keyspace, shard, session), query);
            }

            @Override
            public boolean holdsOrdered(CommitOrder order, String keyspace, ShardTarget shard) {
                return orderedSessions.holds(session, order, target(keyspace, shard, session));
            }
        };
        return new GateVindexCursor(planner::vschema, shardMap, lookupCalls, session.keyspace(), session.tabletType(),
                dml && session.inTransaction(), lookupRowLockShardSession);
    }

    /** True if the routing's vindex reads a lookup table. */
    private static boolean byLookup(dev.mosaic.server.sql.plan.Routing routing) {
        return routing.vindex().map(v -> v.vindex().needsCursor()).orElse(false);
    }

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
