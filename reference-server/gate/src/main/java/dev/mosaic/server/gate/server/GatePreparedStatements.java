package dev.mosaic.server.gate.server;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.server.gate.executor.Executor;
import dev.mosaic.server.gate.executor.LikePattern;
import dev.mosaic.server.gate.executor.GateSession;
import dev.mosaic.server.mysql.protocol.command.PreparedInfo;
import dev.mosaic.server.mysql.protocol.command.PreparedStatement;
import dev.mosaic.server.mysql.protocol.command.ResultSink;
import dev.mosaic.server.mysql.protocol.result.Column;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.normalize.Normalizer;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.planner.Planner;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import dev.mosaic.server.sql.prepare.FieldQueries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Server-side prepared statements (COM_STMT_PREPARE / COM_STMT_EXECUTE) and COM_FIELD_LIST at the
 * gate.
 *
 * <p>A statement is parsed, normalized and planned once, at prepare: each {@code ?} becomes the
 * bind variable {@code :vN} (N its place in the text) and the plan comes from, and goes to, the
 * plan cache like any statement's. The plan is kept with the statement; an execution binds the
 * client's values to {@code :v1 .. :vN} next to the statement's literals and runs the kept plan,
 * without parsing. The plan is made again (once) when the vschema or the session's keyspace or
 * tablet type changed since it was made.
 *
 * <p>The result columns announced at prepare come from running the statement's field query
 * ({@link FieldQueries}) on one shard, through the same gate-side operators as an execution;
 * statements answered by the gate ({@code SELECT @@version}, {@code SELECT ?}) are run with NULL
 * parameters. Statements without a result set, and those whose columns the gate cannot learn
 * without executing them (SHOW sent to a shard, information_schema queries), announce none, which
 * MySQL clients accept: every execution's result carries its column definitions.
 *
 * <p>Metrics: {@code mosaic.gate.prepared.requests} tagged {@code op=prepare|execute|replan|field_query}.
 * Thread-safe; a statement's state is confined to its session's calls.
 */
final class GatePreparedStatements {
    private final Executor executor;
    private final CachingPlanner planner;
    private final Counter prepares;
    private final Counter executions;
    private final Counter replans;
    private final Counter fieldQueries;

    /** What the gate keeps for one prepared statement: its plan and what the plan depends on. */
    private static final class Prepared {
        final String sql;
        Planner.Session session;
        VSchemaSnapshot vschema;
        CachingPlanner.PlannedQuery planned;

        Prepared(String sql, Planner.Session session, VSchemaSnapshot vschema, CachingPlanner.PlannedQuery planned) {
            this.sql = sql;
            this.session = session;
            this.vschema = vschema;
            this.planned = planned;
        }
    }

    GatePreparedStatements(Executor executor, CachingPlanner planner, MeterRegistry registry) {
        this.executor = executor;
        this.planner = planner;
        this.prepares = counter(registry, "prepare", "statements prepared (COM_STMT_PREPARE)");
        this.executions = counter(registry, "execute", "prepared statement executions (COM_STMT_EXECUTE)");
        this.replans = counter(registry, "replan", "executions that planned again after a vschema or session change");
        this.fieldQueries = counter(registry, "field_query", "field queries sent for prepare metadata and COM_FIELD_LIST");
    }

    private static Counter counter(MeterRegistry registry, String op, String description) {
        return Counter.builder("mosaic.gate.prepared.requests").tag("op", op).description(description).register(registry);
    }

    /** COM_STMT_PREPARE: plans {@code sql} and describes its parameters and result columns. */
    PreparedInfo prepare(GateSession session, CallerID caller, String sql) {
        Planner.Session target = target(session);
        // Read before planning: if the vschema changes meanwhile, the kept snapshot is the older one
        // and the first execution plans again, never the other way round.
        VSchemaSnapshot vschema = planner.vschema();
        CachingPlanner.PlannedQuery planned = planner.plan(sql, target);
        List<Column> columns = columns(session, caller, sql, target, vschema, planned);
        prepares.increment();
        return PreparedInfo.of(planned.paramCount(), columns).withState(new Prepared(sql, target, vschema, planned));
    }

    /** COM_STMT_EXECUTE: runs the kept plan with {@code params} bound to {@code :v1 .. :vN}. */
    void execute(GateSession session, CallerID caller, PreparedStatement statement, List<Value> params, ResultSink sink) {
        if (!(statement.info().state() instanceof Prepared p)) {
            throw new MosaicException(ErrorCode.INTERNAL, "prepared statement " + statement.id() + " has no gate state");
        }
        Planner.Session target = target(session);
        VSchemaSnapshot vschema = planner.vschema();
        if (vschema != p.vschema || !target.equals(p.session)) {
            CachingPlanner.PlannedQuery planned = planner.plan(p.sql, target);
            if (planned.paramCount() != p.planned.paramCount()) {
                throw new MosaicException(ErrorCode.INTERNAL, "statement planned again with " + planned.paramCount()
                        + " parameters instead of " + p.planned.paramCount());
            }
            p.planned = planned;
            p.vschema = vschema;
            p.session = target;
            replans.increment();
        }
        if (params.size() != p.planned.paramCount()) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "statement has " + p.planned.paramCount()
                    + " parameters, got " + params.size() + " values");
        }
        executions.increment();
        List<Column> announced = statement.info().columns();
        executor.execute(session, caller, p.planned.withBindVars(bind(p.planned.bindVars(), params)),
                announced.isEmpty() ? sink : new AnnouncedColumns(sink, announced));
    }

    /** COM_FIELD_LIST: the columns of {@code table} (resolved as a query naming it would be) matching the LIKE {@code wildcard}. */
    List<Column> fieldList(GateSession session, CallerID caller, String table, String wildcard) {
        Planner.Session target = target(session);
        CachingPlanner.PlannedQuery fields = FieldQueries.forTable(table, target, planner.vschema());
        List<Column> columns = run(session, caller, fields);
        Pattern like = wildcard == null || wildcard.isEmpty() ? null : like(wildcard);
        String schema = session.keyspace() == null ? "" : session.keyspace();
        List<Column> out = new ArrayList<>(columns.size());
        for (Column c : columns) {
            if (like == null || like.matcher(c.name()).matches()) {
                // The tablet's definition (schema as the keyspace, real table and column names) when it sent one.
                out.add(new Column(c.schema().isEmpty() ? schema : c.schema(), table,
                        c.orgTable().isEmpty() ? table : c.orgTable(), c.name(), c.orgName().isEmpty() ? c.name() : c.orgName(),
                        c.charset(), c.length(), c.type(), c.flags(), c.decimals()));
            }
        }
        return out;
    }

    private List<Column> columns(GateSession session, CallerID caller, String sql, Planner.Session target,
            VSchemaSnapshot vschema, CachingPlanner.PlannedQuery planned) {
        Primitive root = planned.plan().root();
        if (root instanceof Primitive.GateProjection) {
            // Answered by the gate without side effects: run it, parameters NULL.
            return run(session, caller, planned.withBindVars(bind(planned.bindVars(), nulls(planned.paramCount()))));
        }
        if (root instanceof Primitive.Route || root instanceof Primitive.Limit || root instanceof Primitive.Aggregate
                || root instanceof Primitive.MemorySort || root instanceof Primitive.Distinct
                || root instanceof Primitive.Join || root instanceof Primitive.PulloutSubquery
                || root instanceof Primitive.Concatenate || root instanceof Primitive.Filter) {
            return FieldQueries.forSelect(sql, target, vschema).map(q -> run(session, caller, q)).orElse(List.of());
        }
        return List.of();
    }

    private List<Column> run(GateSession session, CallerID caller, CachingPlanner.PlannedQuery query) {
        fieldQueries.increment();
        ColumnCapture capture = new ColumnCapture();
        executor.execute(session, caller, query, capture);
        return capture.columns;
    }

    private static BindVariables bind(BindVariables literals, List<Value> params) {
        if (params.isEmpty()) {
            return literals;
        }
        Map<String, Value> values = new HashMap<>(literals.asMap());
        for (int i = 0; i < params.size(); i++) {
            values.put(Normalizer.parameterName(i + 1), parameter(params.get(i)));
        }
        return BindVariables.of(values);
    }

    /**
     * A parameter as the tablet should receive it. A string parameter is raw bytes to MySQL (a BLOB
     * column stores them as sent); Connector/J sends {@code setBytes} values as strings, and
     * bytes that are not UTF-8 would not survive as text on their way to the tablet's SQL, so they
     * travel as a binary value, which MySQL reads as the same bytes.
     */
    static Value parameter(Value v) {
        if (v instanceof Value.Text t && t.type() == SqlType.VARCHAR) {
            byte[] bytes = t.utf8();
            if (!isUtf8(bytes)) {
                return new Value.Binary(SqlType.VARBINARY, bytes);
            }
        }
        return v;
    }

    /** True if {@code b} is well-formed UTF-8 (no overlong forms, surrogates or values above U+10FFFF). */
    static boolean isUtf8(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + n >= b.length) {
                return false;
            }
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) {
                    return false;
                }
                cp = cp << 6 | cc & 0x3F;
            }
            if (cp < min || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
                return false;
            }
            i += n + 1;
        }
        return true;
    }

    private static List<Value> nulls(int n) {
        List<Value> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Value.NULL);
        }
        return out;
    }

    private static Planner.Session target(GateSession session) {
        return new Planner.Session(session.keyspace(), session.tabletType());
    }

    /** A LIKE pattern as a case-insensitive regex: {@code %} any run, {@code _} one character, {@code \} escapes. */
    static Pattern like(String pattern) {
        return LikePattern.compile(pattern, true);
    }

    /**
     * Passes a result on, giving a result set without columns the ones announced at prepare. A
     * route that reaches no shard ({@code WHERE id = ?} bound to NULL) produces no fields, but a
     * SELECT always has columns, and clients reject a result set without any.
     */
    private static final class AnnouncedColumns implements ResultSink {
        private final ResultSink sink;
        private final List<Column> announced;

        AnnouncedColumns(ResultSink sink, List<Column> announced) {
            this.sink = sink;
            this.announced = announced;
        }

        @Override
        public void ok(long affectedRows, long lastInsertId, int warnings, String info) {
            sink.ok(affectedRows, lastInsertId, warnings, info);
        }

        @Override
        public void columns(List<Column> columns) {
            sink.columns(columns.isEmpty() ? announced : columns);
        }

        @Override
        public void row(byte[][] values) {
            sink.row(values);
        }

        @Override
        public void row(long[] lengths, ByteBuf values) {
            sink.row(lengths, values);
        }

        @Override
        public void endRows(int warnings) {
            sink.endRows(warnings);
        }
    }

    /** Keeps the columns of a result, drops its rows. */
    private static final class ColumnCapture implements ResultSink {
        List<Column> columns = List.of();

        @Override
        public void ok(long affectedRows, long lastInsertId, int warnings, String info) {
        }

        @Override
        public void columns(List<Column> cols) {
            this.columns = List.copyOf(cols);
        }

        @Override
        public void row(byte[][] values) {
        }

        @Override
        public void row(long[] lengths, ByteBuf values) {
        }

        @Override
        public void endRows(int warnings) {
        }
    }
}
