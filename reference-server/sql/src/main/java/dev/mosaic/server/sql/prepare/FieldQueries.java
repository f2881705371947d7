package dev.mosaic.server.sql.prepare;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.normalize.NormalizedStatement;
import dev.mosaic.server.sql.normalize.Normalizer;
import dev.mosaic.server.sql.parse.ParsedStatement;
import dev.mosaic.server.sql.parse.SqlParser;
import dev.mosaic.server.sql.plan.Plan;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.plan.Routing;
import dev.mosaic.server.sql.planner.Planner;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;

/**
 * Plans the queries that describe a result set without producing it, for COM_STMT_PREPARE (the
 * columns of a prepared SELECT) and COM_FIELD_LIST (the columns of a table): Vitess's "field
 * query". The statement is rewritten to match no row ({@code WHERE 1 != 1}, no HAVING, ORDER BY
 * or LIMIT), planned like any statement, and every route of the plan is pointed at any one shard
 * of its keyspace. Executing the result runs the same gate-side operators as the real statement
 * (aggregation, hidden-column truncation), so the columns a client sees are the ones an execution
 * returns, at the cost of one shard query per route and no rows.
 *
 * <p>Stateless and thread-safe.
 */
public final class FieldQueries {
    private FieldQueries() {
    }

    /**
     * The field query of a SELECT: its literals and its {@code ?} parameters bound (the parameters
     * to NULL, which cannot change the columns of a query that matches nothing).
     *
     * @return empty if {@code sql} is not a SELECT, or its field query cannot be planned or sent to
     *     one shard (information_schema and sequence routes): its columns are then only known when
     *     it executes
     */
    public static Optional<CachingPlanner.PlannedQuery> forSelect(String sql, Planner.Session session, VSchemaSnapshot vschema) {
        ParsedStatement parsed = SqlParser.parse(sql);
        if (!(parsed instanceof ParsedStatement.Ast ast) || !(ast.statement() instanceof Select select) || !matchNothing(select)) {
            return Optional.empty();
        }
        try {
            return plan(parsed, ast, session, vschema);
        } catch (MosaicException e) {
            // A shape the planner accepts with its real WHERE (a join kept on one shard by equal
            // vindex values) may be rejected without it; its columns then come with the execution.
            return Optional.empty();
        }
    }

    /**
     * The field query of a table named by a client ({@code SELECT * FROM `table` WHERE 1 != 1}),
     * resolved through the vschema as a query naming it would be.
     *
     * @throws MosaicException for an unknown table, as planning a query on it does
     */
    public static CachingPlanner.PlannedQuery forTable(String table, Planner.Session session, VSchemaSnapshot vschema) {
        String sql = "SELECT * FROM `" + table.replace("`", "``") + "` WHERE 1 != 1";
        ParsedStatement parsed = SqlParser.parse(sql);
        return plan(parsed, (ParsedStatement.Ast) parsed, session, vschema)
                .orElseThrow(() -> new MosaicException(ErrorCode.UNIMPLEMENTED,
                        "VT12001: unsupported: field list of " + table));
    }

    private static Optional<CachingPlanner.PlannedQuery> plan(ParsedStatement parsed, ParsedStatement.Ast ast,
            Planner.Session session, VSchemaSnapshot vschema) {
        NormalizedStatement normalized = Normalizer.normalize(ast.statement());
        Plan plan = Planner.plan(parsed, normalized, session, vschema);
        Primitive root = anyShard(plan.root());
        if (root == null) {
            return Optional.empty();
        }
        Map<String, Value> values = new LinkedHashMap<>(normalized.bindVars().asMap());
        for (int i = 1; i <= normalized.paramCount(); i++) {
            values.put(Normalizer.parameterName(i), Value.NULL);
        }
        // An IN route sent to one shard (a derived table's IN list) still reads its per-shard
        // values; the field query matches no row whatever they are.
        values.putIfAbsent(dev.mosaic.server.sql.exec.ShardResolver.SHARD_VALUES, Value.tuple(Value.NULL));
        return Optional.of(new CachingPlanner.PlannedQuery(new Plan(plan.query(), root), BindVariables.of(values), false,
                normalized.paramCount()));
    }

    /** Rewrites {@code s} to match no row; false for a shape this does not know. */
    static boolean matchNothing(Select s) {
        if (s instanceof PlainSelect p) {
            p.setWhere(new NotEqualsTo(new LongValue(1), new LongValue(1)));
            p.setHaving(null);
            p.setOrderByElements(null);
            p.setLimit(null);
            p.setOffset(null);
            p.setFetch(null);
            return true;
        }
        if (s instanceof SetOperationList u) {
            for (Select part : u.getSelects()) {
                if (!matchNothing(part)) {
                    return false;
                }
            }
            u.setOrderByElements(null);
            u.setLimit(null);
            u.setOffset(null);
            u.setFetch(null);
            return true;
        }
        if (s instanceof ParenthesedSelect ps) {
            ps.setOrderByElements(null);
            ps.setLimit(null);
            ps.setOffset(null);
            ps.setFetch(null);
            return matchNothing(ps.getSelect());
        }
        return false;
    }

    /** The plan with every route sent to one shard of its keyspace; null for plans that cannot be. */
    static Primitive anyShard(Primitive p) {
        if (p instanceof Primitive.Route r) {
            RouteOpcode op = r.routing().opcode();
            if (op == RouteOpcode.DBA || op == RouteOpcode.NEXT) {
                return null;
            }
            RouteOpcode one = op == RouteOpcode.UNSHARDED ? RouteOpcode.UNSHARDED : RouteOpcode.REFERENCE;
            return new Primitive.Route(Routing.of(one, r.routing().keyspace()), r.table(), r.query(), r.orderBy(),
                    r.truncateColumns(), r.sysTableSchema());
        }
        if (p instanceof Primitive.Limit l) {
            Primitive in = anyShard(l.input());
            return in == null ? null : new Primitive.Limit(l.count(), l.offset(), in);
        }
        if (p instanceof Primitive.Aggregate a) {
            Primitive in = anyShard(a.input());
            return in == null ? null : new Primitive.Aggregate(a.aggregates(), a.groupBy(), a.raw(), a.truncateColumns(), in);
        }
        if (p instanceof Primitive.MemorySort m) {
            Primitive in = anyShard(m.input());
            return in == null ? null : new Primitive.MemorySort(m.orderBy(), m.truncateColumns(), in);
        }
        if (p instanceof Primitive.Filter f) {
            // The columns only: no condition (a HAVING's values are not bound when preparing).
            Primitive in = anyShard(f.input());
            return in == null ? null : new Primitive.Filter(List.of(), f.truncateColumns(), in);
        }
        if (p instanceof Primitive.Distinct d) {
            Primitive in = anyShard(d.input());
            return in == null ? null : new Primitive.Distinct(d.columns(), d.truncateColumns(), in);
        }
        if (p instanceof Primitive.Join j) {
            Primitive left = anyShard(j.left());
            Primitive right = anyShard(j.right());
            return left == null || right == null ? null : new Primitive.Join(j.kind(), left, right, j.columns(), j.vars(), j.rightFields());
        }
        if (p instanceof Primitive.PulloutSubquery q) {
            Primitive outer = anyShard(q.outer());
            return outer == null ? null : new Primitive.PulloutSubquery(q.opcode(), q.valueVar(), q.hasValuesVar(), q.subquery(), outer);
        }
        if (p instanceof Primitive.Concatenate c) {
            java.util.List<Primitive> inputs = new java.util.ArrayList<>();
            for (Primitive in : c.inputs()) {
                Primitive one = anyShard(in);
                if (one == null) {
                    return null;
                }
                inputs.add(one);
            }
            return new Primitive.Concatenate(inputs);
        }
        if (p instanceof Primitive.GateProjection) {
            return p;
        }
        return null;
    }
}
