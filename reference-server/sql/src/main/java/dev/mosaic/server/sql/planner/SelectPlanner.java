package dev.mosaic.server.sql.planner;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.Value;
import dev.mosaic.api.vschema.TableType;
import dev.mosaic.server.sql.normalize.Literal;
import dev.mosaic.server.sql.normalize.SqlRenderer;
import dev.mosaic.server.sql.plan.AggregateParam;
import dev.mosaic.server.sql.plan.OrderBy;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.plan.Routing;
import dev.mosaic.server.sql.plan.ValueExpr;
import dev.mosaic.server.sql.planner.RoutingAnalysis.TableInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.MySQLGroupConcat;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.UserVariable;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.conditional.XorExpression;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.UnionOp;

/** Plans SELECT statements; see {@link Planner}. */
final class SelectPlanner {
    private static final Set<String> AGGREGATES = Set.of("count", "sum", "min", "max", "avg");
    /**
     * MySQL's other aggregate functions: the gate cannot merge their per-shard results, so a
     * statement needing that is rejected (a scatter would return one row per shard).
     */
    private static final Set<String> UNMERGED_AGGREGATES = Set.of("bit_and", "bit_or", "bit_xor", "std", "stddev",
            "stddev_pop", "stddev_samp", "var_pop", "var_samp", "variance", "json_arrayagg", "json_objectagg", "group_concat");
    private static final Set<String> SCHEMA_COLUMNS = Set.of("table_schema", "schema_name");
    private static final String UPPER_LIMIT = "__upper_limit";
    private static final String SCHEMA_NAME_BIND = "__vtschemaname";

    private final VSchemaSnapshot vschema;
    private final Planner.Session session;
    private final Map<Object, String> names;

    SelectPlanner(VSchemaSnapshot vschema, Planner.Session session, Map<Object, String> names) {
        this.vschema = vschema;
        this.session = session;
        this.names = names;
    }

    /** UNION, parenthesized selects, VALUES: whole to one unsharded keyspace; a UNION across shards by {@link UnionPlanner}. */
    Primitive planOther(Select s) {
        TableRefs refs = TableRefs.of(s);
        List<TableInfo> infos = resolveAll(refs.tables);
        if (infos.isEmpty()) {
            throw Errors.unsupported("UNION or parenthesized SELECT without tables");
        }
        String ks = singleKeyspace(infos);
        if (ks != null && !sharded(ks)) {
            return unshardedRoute(s, refs, infos, ks);
        }
        if (s instanceof SetOperationList list) {
            return new UnionPlanner(list).plan();
        }
        throw Errors.unsupported("parenthesized SELECT or VALUES across shards (tables of sharded keyspace "
                + infos.get(0).table().keyspace() + ")");
    }

    // ---- UNION / UNION ALL across shards

    /**
     * A UNION whose branches do not all go to one unsharded keyspace: each branch is planned alone.
     * When every branch lands on the same single shard the union goes there whole; otherwise the
     * rows are concatenated at the gate and, for UNION (distinct), sorted and deduplicated there
     * (text compared through weight strings, which each branch also returns, so the collation
     * decides as in MySQL; NULLs are equal), then ORDER BY and LIMIT are applied at the gate.
     */
    private final class UnionPlanner {
        private final SetOperationList list;
        private final List<PlainSelect> branches = new ArrayList<>();

        UnionPlanner(SetOperationList list) {
            this.list = list;
        }

        Primitive plan() {
            if (list.getWithItemsList() != null && !list.getWithItemsList().isEmpty()) {
                throw Errors.unsupported("WITH (common table expressions) outside an unsharded keyspace");
            }
            if (list.getFetch() != null) {
                throw Errors.unsupported("FETCH on a UNION across shards");
            }
            boolean distinct = false;
            for (int i = 0; i < list.getOperations().size(); i++) {
                if (!(list.getOperations().get(i) instanceof UnionOp u)) {
                    throw Errors.unsupported(list.getOperations().get(i) + " across shards");
                }
                if (!u.isAll()) {
                    distinct = true;
                } else if (distinct) {
                    // MySQL: a UNION DISTINCT deduplicates everything to its left; a UNION ALL after it does not.
                    throw Errors.unsupported("UNION ALL after UNION (distinct) across shards");
                }
            }
            for (Select b : list.getSelects()) {
                Select inner = b;
                while (inner instanceof ParenthesedSelect p && (p.getAlias() == null)) {
                    inner = p.getSelect();
                }
                if (!(inner instanceof PlainSelect ps)) {
                    throw Errors.unsupported("UNION across shards whose branch is not a plain SELECT: " + Planner.abbreviate(b.toString()));
                }
                if (ps.getIntoTables() != null && !ps.getIntoTables().isEmpty()) {
                    throw Errors.unsupported("SELECT ... INTO");
                }
                branches.add(ps);
            }
            int visible = -1;
            boolean star = false;
            for (PlainSelect ps : branches) {
                if (ps.getSelectItems().stream().anyMatch(i -> i.getExpression() instanceof AllColumns)) {
                    star = true;
                } else if (visible < 0) {
                    visible = ps.getSelectItems().size();
                } else if (visible != ps.getSelectItems().size()) {
                    throw Errors.invalid("The used SELECT statements have a different number of columns");
                }
            }
            List<OrderByElement> orderBy = list.getOrderByElements() == null ? List.of() : list.getOrderByElements();
            // The columns compared at the gate: every column for DISTINCT, the sort keys for ORDER BY.
            List<Integer> orderCols = new ArrayList<>();
            for (OrderByElement o : orderBy) {
                if (star) {
                    throw Errors.unsupported("ORDER BY on a UNION across shards with SELECT * (the columns are unknown without the table's schema)");
                }
                orderCols.add(resultColumn(o.getExpression(), branches.get(0), visible));
            }
            Set<Integer> compared = new LinkedHashSet<>(orderCols);
            if (distinct) {
                if (star) {
                    throw Errors.unsupported("UNION (distinct) across shards with SELECT * (the columns are unknown without the table's schema)");
                }
                for (int c = 0; c < visible; c++) {
                    compared.add(c);
                }
            }
            // Each compared column's weight string, as a hidden column of every branch.
            Map<Integer, Integer> weightColumn = new HashMap<>();
            List<List<SelectItem<?>>> added = new ArrayList<>();
            for (PlainSelect ps : branches) {
                List<SelectItem<?>> hidden = new ArrayList<>();
                for (int c : compared) {
                    SelectItem<?> ws = Planner.item(Planner.function("weight_string", ps.getSelectItems().get(c).getExpression()));
                    hidden.add(ws);
                }
                added.add(hidden);
            }
            int n = visible;
            for (int c : compared) {
                weightColumn.put(c, n++);
            }
            for (int k = 0; k < branches.size(); k++) {
                for (SelectItem<?> h : added.get(k)) {
                    branches.get(k).addSelectItems(h);
                }
            }
            List<Primitive> inputs = new ArrayList<>();
            for (PlainSelect ps : branches) {
                try {
                    inputs.add(new SelectPlanner(vschema, session, names).plan(ps));
                } catch (MosaicException e) {
                    if (!compared.isEmpty() && (ps.getGroupBy() != null || ps.getSelectItems().stream()
                            .anyMatch(i -> containsAggregate(i.getExpression())))) {
                        throw Errors.unsupported("UNION " + (distinct ? "(distinct)" : "ALL with ORDER BY")
                                + " across shards with a branch that aggregates over several shards: " + Planner.abbreviate(ps.toString()));
                    }
                    throw e;
                }
            }
            Primitive merged = mergedRoute(inputs, added);
            if (merged != null) {
                return merged;
            }
            int truncate = compared.isEmpty() ? 0 : visible;
            Primitive root = new Primitive.Concatenate(inputs);
            List<OrderBy> sortKeys = new ArrayList<>();
            for (int k = 0; k < orderCols.size(); k++) {
                int c = orderCols.get(k);
                sortKeys.add(new OrderBy(c, weightColumn.get(c), !orderBy.get(k).isAsc()));
            }
            if (distinct) {
                List<OrderBy> keys = new ArrayList<>(sortKeys);
                for (int c = 0; c < visible; c++) {
                    if (!orderCols.contains(c)) {
                        keys.add(new OrderBy(c, weightColumn.get(c), false));
                    }
                }
                root = new Primitive.Distinct(keys, truncate, new Primitive.MemorySort(keys, 0, root));
            } else if (!sortKeys.isEmpty()) {
                root = new Primitive.MemorySort(sortKeys, truncate, root);
            }
            return limit(root);
        }

        /** The union as one route when every branch goes to the same single shard (or reference tables of its keyspace). */
        private Primitive mergedRoute(List<Primitive> inputs, List<List<SelectItem<?>>> added) {
            Routing common = null;
            String keyspace = null;
            for (Primitive p : inputs) {
                if (!(p instanceof Primitive.Route r) || !r.orderBy().isEmpty() || r.truncateColumns() > 0) {
                    return null;
                }
                RouteOpcode op = r.routing().opcode();
                if (op != RouteOpcode.EQUAL_UNIQUE && op != RouteOpcode.REFERENCE && op != RouteOpcode.UNSHARDED) {
                    return null;
                }
                if (keyspace != null && !keyspace.equals(r.routing().keyspace())) {
                    return null;
                }
                keyspace = r.routing().keyspace();
                if (op != RouteOpcode.REFERENCE) {
                    if (common != null && !common.equals(r.routing())) {
                        return null;
                    }
                    common = r.routing();
                }
            }
            for (int k = 0; k < branches.size(); k++) {
                branches.get(k).getSelectItems().removeAll(added.get(k));
            }
            Routing routing = common != null ? common : Routing.of(RouteOpcode.REFERENCE, keyspace);
            return new Primitive.Route(routing, ((Primitive.Route) inputs.get(0)).table(), render(list), List.of(), 0, List.of());
        }

        private Primitive limit(Primitive root) {
            return Limits.of(list.getLimit(), list.getOffset(), names).wrap(root);
        }

        /** The result column an ORDER BY of the union names: a position, or a column name or alias of the first branch. */
        private int resultColumn(Expression e, PlainSelect first, int visible) {
            if (e instanceof LongValue l && !names.containsKey(e)) {
                long pos = l.getValue();
                if (pos < 1 || pos > visible) {
                    throw Errors.invalid("Unknown column '" + pos + "' in 'order clause'");
                }
                return (int) pos - 1;
            }
            if (e instanceof Column c && c.getTable() == null) {
                String name = RoutingAnalysis.columnName(c);
                for (int i = 0; i < visible; i++) {
                    SelectItem<?> item = first.getSelectItems().get(i);
                    String itemName = item.getAlias() != null ? RoutingAnalysis.unquote(item.getAlias().getName())
                            : item.getExpression() instanceof Column ic ? RoutingAnalysis.unquote(ic.getColumnName())
                            : item.getExpression().toString();
                    if (itemName.equalsIgnoreCase(name)) {
                        return i;
                    }
                }
                throw Errors.invalid("Unknown column '" + RoutingAnalysis.unquote(c.getColumnName()) + "' in 'order clause'");
            }
            throw Errors.unsupported("ORDER BY " + e + " on a UNION across shards: order by a result column's name or position");
        }
    }

    Primitive plan(PlainSelect ps) {
        TableRefs refs = TableRefs.of(ps);
        if (refs.subqueries > 0 && refs.ctes == 0) {
            Primitive pulled = new Pullout().plan(ps, refs);
            if (pulled != null) {
                return pulled;
            }
        }
        List<Table> tables = new ArrayList<>();
        for (Table t : refs.tables) {
            if (!(t.getSchemaName() == null && "dual".equalsIgnoreCase(RoutingAnalysis.unquote(t.getName())))) {
                tables.add(t);
            }
        }
        if (tables.isEmpty()) {
            return noTables(ps);
        }
        long system = tables.stream().filter(Planner::isSystemSchema).count();
        if (system > 0) {
            if (system != tables.size()) {
                throw Errors.unsupported("joining information_schema (or another system schema) with keyspace tables");
            }
            return dba(ps, tables);
        }
        List<TableInfo> infos;
        try {
            infos = resolveAll(tables);
        } catch (MosaicException e) {
            if (refs.ctes > 0) {
                throw Errors.unsupported("WITH (common table expressions) outside an unsharded keyspace");
            }
            throw e;
        }
        String ks = singleKeyspace(infos);
        if (ks == null) {
            Set<String> kss = new LinkedHashSet<>();
            infos.forEach(i -> kss.add(i.table().keyspace()));
            if (refs.subqueries > 0 || refs.unions > 0 || refs.ctes > 0) {
                throw Errors.unsupported("subquery, derived table or UNION inside a query across keyspaces (tables in "
                        + String.join(", ", kss) + ")");
            }
            if (!JoinPlanner.applies(ps)) {
                throw Errors.unsupported("cross-keyspace join (tables in " + String.join(", ", kss) + ")");
            }
            prepareTables(infos, null);
            return new JoinPlanner(vschema, names).plan(ps, infos);
        }
        if (!sharded(ks)) {
            return unshardedRoute(ps, refs, infos, ks);
        }
        List<TableInfo> all = infos;
        if (ps.getFromItem() instanceof ParenthesedSelect derived && refs.unions == 0 && refs.ctes == 0) {
            return derivedTable(ps, derived, refs, all, ks);
        }
        SubqueryMerge merge = null;
        if (refs.subqueries > 0 || refs.unions > 0 || refs.ctes > 0) {
            merge = new SubqueryMerge(ps, refs, all, ks);
            infos = merge.outerTables();
        }
        List<TableInfo> shardedTables = new ArrayList<>();
        for (TableInfo i : all) {
            if (!infos.contains(i) && !i.table().pinned().isEmpty()) {
                throw Errors.unsupported("pinned table " + i.table().name());
            }
        }
        for (TableInfo i : infos) {
            if (!i.table().pinned().isEmpty()) {
                throw Errors.unsupported("pinned table " + i.table().name());
            }
            if (i.table().type() == TableType.SEQUENCE) {
                throw Errors.unsupported("SELECT from sequence table " + i.table().name() + " in a sharded keyspace");
            }
            if (i.table().type() == TableType.STANDARD) {
                if (i.table().primaryVindex().isEmpty()) {
                    throw Errors.invalid("table " + i.table().name() + " in sharded keyspace " + ks + " has no primary vindex");
                }
                shardedTables.add(i);
            }
        }
        if (merge != null) {
            merge.check(shardedTables);
        }
        prepareTables(all, ks);
        String firstTable = infos.get(0).table().name();
        if (shardedTables.isEmpty()) {
            return new Primitive.Route(Routing.of(RouteOpcode.REFERENCE, ks), firstTable, render(ps), List.of(), 0, List.of());
        }
        List<Expression> conditions = new ArrayList<>(RoutingAnalysis.conjuncts(ps.getWhere()));
        List<Expression> joinConditions = new ArrayList<>(conditions);
        if (ps.getJoins() != null) {
            for (Join j : ps.getJoins()) {
                for (Expression on : j.getOnExpressions()) {
                    List<Expression> cs = RoutingAnalysis.conjuncts(on);
                    joinConditions.addAll(cs);
                    if (!j.isLeft() && !j.isRight() && !j.isFull() && !j.isOuter()) {
                        conditions.addAll(cs);
                    }
                }
                if (j.getUsingColumns() != null && !j.getUsingColumns().isEmpty()) {
                    throw Errors.unsupported("JOIN ... USING on sharded tables; write the ON condition");
                }
            }
        }
        if (shardedTables.size() > 1) {
            String notColocated = colocationProblem(shardedTables, infos, joinConditions);
            if (notColocated != null) {
                if (merge != null) {
                    throw Errors.unsupported("subquery or derived table in a " + notColocated.replace("cross-shard join: ", "cross-shard join (")
                            + ")");
                }
                if (!JoinPlanner.applies(ps)) {
                    throw Errors.unsupported(notColocated);
                }
                return new JoinPlanner(vschema, names).plan(ps, infos);
            }
        }
        RoutingAnalysis.Choice choice = RoutingAnalysis.route(ks, infos, conditions, names);
        Routing routing = choice.routing();
        if (routing.opcode().singleShard()) {
            return new Primitive.Route(routing, firstTable, render(ps), List.of(), 0, List.of());
        }
        String preserved = referenceRowsPreserved(ps, infos);
        if (preserved != null) {
            // Sent to several shards whole, each shard would return the reference table's unmatched
            // rows: planned as a join at the gate instead (the reference table read once).
            if (!JoinPlanner.applies(ps)) {
                throw Errors.unsupported(preserved);
            }
            return new JoinPlanner(vschema, names).plan(ps, infos);
        }
        return new MultiShard(ps, routing, firstTable, choice.narrowIn(names)).plan();
    }

    /**
     * Why an outer join keeps reference-table rows that no sharded row anchors (a reference table
     * on the preserved side of a LEFT JOIN before any inner join to a sharded table, or on the
     * preserved side of a RIGHT / FULL JOIN), or null when every result row belongs to one shard.
     */
    private static String referenceRowsPreserved(PlainSelect ps, List<TableInfo> infos) {
        if (ps.getJoins() == null) {
            return null;
        }
        boolean anchored = !reference(ps.getFromItem(), infos);
        for (Join j : ps.getJoins()) {
            boolean joinedReference = reference(j.getFromItem(), infos);
            boolean left = j.isLeft() || j.isOuter() && !j.isRight() && !j.isFull();
            if (left && !anchored && !joinedReference) {
                return "LEFT JOIN of a sharded table to a reference table on its left, across shards";
            }
            if ((j.isRight() || j.isFull()) && joinedReference) {
                return "RIGHT or FULL JOIN to a reference table, across shards";
            }
            if (!left && !j.isRight() && !j.isFull() && !joinedReference) {
                anchored = true;
            }
        }
        return null;
    }

    private static boolean reference(FromItem item, List<TableInfo> infos) {
        for (TableInfo i : infos) {
            if (i.node() == item) {
                return i.table().type() == TableType.REFERENCE;
            }
        }
        return false;
    }

    // ---- uncorrelated subqueries in WHERE, evaluated once at the gate

    /**
     * Pulls the uncorrelated subqueries out of the top-level WHERE conditions {@code x IN (SELECT ..)},
     * {@code x NOT IN (SELECT ..)} and {@code x <op> (SELECT ..)} of a statement that is not wholly
     * in one unsharded keyspace (which gets it whole): each is planned on its own and run once,
     * and the outer query reads its result as bind variables, as Vitess's PulloutSubquery.
     */
    private final class Pullout {
        private static final String PREFIX = RoutingAnalysis.PULLOUT_PREFIX;

        Primitive plan(PlainSelect ps, TableRefs refs) {
            if (ps.getWhere() == null || wholeInOneUnshardedKeyspace(refs)) {
                return null;
            }
            List<Expression> conds = RoutingAnalysis.conjuncts(ps.getWhere());
            Map<Object, String> outerNames = new IdentityHashMap<>(names);
            List<Primitive.PulloutOpcode> ops = new ArrayList<>();
            List<Primitive> subPlans = new ArrayList<>();
            List<Expression> rewritten = new ArrayList<>();
            for (Expression c : conds) {
                Expression out = c;
                int n = ops.size() + 1;
                String value = PREFIX + n;
                String has = PREFIX + "_has_values" + n;
                ExistsExpression exists = exists(c);
                boolean notExists = exists != null && (exists.isNot() ^ c instanceof NotExpression);
                if (exists != null && exists.getRightExpression() instanceof ParenthesedSelect sel && !correlated(sel)) {
                    subPlans.add(existsSubquery(sel));
                    ops.add(Primitive.PulloutOpcode.EXISTS);
                    out = new EqualsTo(new JdbcNamedParameter(has), new LongValue(notExists ? 0 : 1));
                } else if (c instanceof InExpression in && in.getRightExpression() instanceof ParenthesedSelect sel
                        && !(in.getLeftExpression() instanceof ParenthesedExpressionList<?>) && !in.isGlobal() && !correlated(sel)) {
                    subPlans.add(subquery(sel));
                    ops.add(in.isNot() ? Primitive.PulloutOpcode.NOT_IN : Primitive.PulloutOpcode.IN);
                    ParenthesedExpressionList<Expression> marker = new ParenthesedExpressionList<>();
                    outerNames.put(marker, value);
                    InExpression list = new InExpression(in.getLeftExpression(), marker);
                    list.setNot(in.isNot());
                    EqualsTo hasCheck = new EqualsTo(new JdbcNamedParameter(has), new LongValue(in.isNot() ? 0 : 1));
                    out = in.isNot() ? new ParenthesedExpressionList<>(new OrExpression(hasCheck, list))
                            : new ParenthesedExpressionList<>(new AndExpression(hasCheck, list));
                } else if (c instanceof ComparisonOperator cmp && !(c instanceof net.sf.jsqlparser.expression.operators.relational.LikeExpression)
                        && (cmp.getRightExpression() instanceof ParenthesedSelect || cmp.getLeftExpression() instanceof ParenthesedSelect)
                        && !(cmp.getRightExpression() instanceof ParenthesedSelect && cmp.getLeftExpression() instanceof ParenthesedSelect)
                        && !correlated((ParenthesedSelect) (cmp.getRightExpression() instanceof ParenthesedSelect
                                ? cmp.getRightExpression() : cmp.getLeftExpression()))) {
                    boolean right = cmp.getRightExpression() instanceof ParenthesedSelect;
                    ParenthesedSelect sel = (ParenthesedSelect) (right ? cmp.getRightExpression() : cmp.getLeftExpression());
                    subPlans.add(subquery(sel));
                    ops.add(Primitive.PulloutOpcode.VALUE);
                    if (right) {
                        cmp.setRightExpression(new JdbcNamedParameter(value));
                    } else {
                        cmp.setLeftExpression(new JdbcNamedParameter(value));
                    }
                }
                rewritten.add(out instanceof OrExpression || out instanceof XorExpression ? new ParenthesedExpressionList<>(out) : out);
            }
            if (ops.isEmpty()) {
                return null;
            }
            Expression where = null;
            for (Expression e : rewritten) {
                where = where == null ? e : new AndExpression(where, e);
            }
            ps.setWhere(where);
            Primitive root = new SelectPlanner(vschema, session, outerNames).plan(ps);
            for (int i = ops.size() - 1; i >= 0; i--) {
                int n = i + 1;
                root = new Primitive.PulloutSubquery(ops.get(i), PREFIX + n, PREFIX + "_has_values" + n, subPlans.get(i), root);
            }
            return root;
        }

        private boolean wholeInOneUnshardedKeyspace(TableRefs refs) {
            try {
                List<Table> tables = new ArrayList<>();
                for (Table t : refs.tables) {
                    if (!(t.getSchemaName() == null && "dual".equalsIgnoreCase(RoutingAnalysis.unquote(t.getName())))
                            && !Planner.isSystemSchema(t)) {
                        tables.add(t);
                    }
                }
                if (tables.isEmpty() || tables.size() != refs.tables.size()) {
                    return true;
                }
                String ks = singleKeyspace(resolveAll(tables));
                return ks != null && !sharded(ks);
            } catch (MosaicException e) {
                return true;
            }
        }

        /** The plan of an uncorrelated one-column subquery. */
        private Primitive subquery(ParenthesedSelect sel) {
            if (!(sel.getSelect() instanceof PlainSelect inner)) {
                throw Errors.unsupported("subquery other than a plain SELECT in WHERE: " + Planner.abbreviate(sel.toString()));
            }
            if (inner.getSelectItems().size() != 1 || inner.getSelectItems().get(0).getExpression() instanceof AllColumns) {
                if (inner.getSelectItems().size() == 1) {
                    throw Errors.unsupported("subquery SELECT * in WHERE; select the one column");
                }
                throw Errors.invalid("Operand should contain 1 column(s)");
            }
            return new SelectPlanner(vschema, session, names).plan(inner);
        }

        /**
         * The plan of an uncorrelated EXISTS subquery: only whether it has a row matters, so a plain
         * one selects the constant 1 and stops at the first row ({@code LIMIT 1}).
         */
        private Primitive existsSubquery(ParenthesedSelect sel) {
            if (!(sel.getSelect() instanceof PlainSelect inner)) {
                throw Errors.unsupported("EXISTS with a subquery other than a plain SELECT: " + Planner.abbreviate(sel.toString()));
            }
            boolean aggregates = inner.getGroupBy() != null || inner.getHaving() != null || inner.getDistinct() != null
                    || inner.getSelectItems().stream().anyMatch(i -> containsAggregate(i.getExpression()));
            if (!aggregates) {
                List<SelectItem<?>> one = new ArrayList<>();
                one.add(Planner.item(new LongValue(1)));
                inner.setSelectItems(one);
                inner.setOrderByElements(null);
            }
            if (inner.getLimit() == null && inner.getOffset() == null && inner.getFetch() == null) {
                Limit l = new Limit();
                l.setRowCount(new LongValue(1));
                inner.setLimit(l);
            }
            return new SelectPlanner(vschema, session, names).plan(inner);
        }
    }

    /** The EXISTS of a condition {@code EXISTS (..)}, {@code NOT EXISTS (..)}, or null. */
    private static ExistsExpression exists(Expression c) {
        if (c instanceof ExistsExpression e) {
            return e;
        }
        if (c instanceof NotExpression n && n.getExpression() instanceof ExistsExpression e) {
            return e;
        }
        return null;
    }

    /**
     * True if the subquery names a table (by qualifier) that is not its own: a column of the outer
     * query. Unqualified columns are taken as the subquery's own; were one the outer query's, the
     * shard would reject the subquery run alone (unknown column), never answer it wrongly.
     */
    static boolean correlated(ParenthesedSelect sel) {
        TableRefs innerRefs = TableRefs.of(sel.getSelect());
        Set<String> own = new java.util.HashSet<>();
        for (Table t : innerRefs.tables) {
            own.add(RoutingAnalysis.unquote(t.getName()).toLowerCase(Locale.ROOT));
            if (t.getAlias() != null) {
                own.add(RoutingAnalysis.unquote(t.getAlias().getName()).toLowerCase(Locale.ROOT));
            }
        }
        boolean[] found = {false};
        new net.sf.jsqlparser.util.TablesNamesFinder<Void>() {
            @Override
            public <S> Void visit(Column c, S context) {
                if (c.getTable() != null && c.getTable().getName() != null
                        && !own.contains(RoutingAnalysis.unquote(c.getTable().getName()).toLowerCase(Locale.ROOT))) {
                    found[0] = true;
                }
                return null;
            }
        }.getTables((net.sf.jsqlparser.statement.Statement) sel.getSelect());
        return found[0];
    }

    // ---- derived tables

    /**
     * {@code SELECT .. FROM (SELECT ..) AS d ..} on one sharded keyspace, merged into one route: the
     * derived table's query routes the whole statement. On one shard anything goes. On several, the
     * derived table must mean the same on each shard as on all of them together: no aggregation,
     * GROUP BY, HAVING, DISTINCT, LIMIT or window function inside, its sharded tables joined on their
     * vindex columns; then the outer query is planned like a query over a table (merge sort,
     * aggregation, DISTINCT and LIMIT at the gate). Other shapes are rejected.
     */
    private Primitive derivedTable(PlainSelect ps, ParenthesedSelect derived, TableRefs refs, List<TableInfo> all, String ks) {
        if (ps.getJoins() != null && !ps.getJoins().isEmpty()) {
            throw Errors.unsupported("derived table joined with other tables on sharded keyspace " + ks);
        }
        if (refs.subqueries != 1) {
            throw Errors.unsupported("derived table with other subqueries on sharded keyspace " + ks);
        }
        if (!(derived.getSelect() instanceof PlainSelect inner) || inner.getFromItem() == null) {
            throw Errors.unsupported("derived table other than a plain SELECT from tables on sharded keyspace " + ks);
        }
        List<TableInfo> innerTables = new ArrayList<>();
        List<TableInfo> innerSharded = new ArrayList<>();
        for (TableInfo i : all) {
            if (!i.table().pinned().isEmpty()) {
                throw Errors.unsupported("pinned table " + i.table().name());
            }
            if (i.table().type() == TableType.SEQUENCE) {
                throw Errors.unsupported("SELECT from sequence table " + i.table().name() + " in a sharded keyspace");
            }
            innerTables.add(i);
            if (i.table().type() == TableType.STANDARD) {
                if (i.table().primaryVindex().isEmpty()) {
                    throw Errors.invalid("table " + i.table().name() + " in sharded keyspace " + ks + " has no primary vindex");
                }
                innerSharded.add(i);
            }
        }
        List<Expression> conditions = new ArrayList<>(RoutingAnalysis.conjuncts(inner.getWhere()));
        List<Expression> joinConditions = new ArrayList<>(conditions);
        if (inner.getJoins() != null) {
            for (Join j : inner.getJoins()) {
                if (!(j.getFromItem() instanceof Table)) {
                    throw Errors.unsupported("derived table inside a derived table on sharded keyspace " + ks);
                }
                if (j.getUsingColumns() != null && !j.getUsingColumns().isEmpty()) {
                    throw Errors.unsupported("JOIN ... USING on sharded tables; write the ON condition");
                }
                for (Expression on : j.getOnExpressions()) {
                    List<Expression> cs = RoutingAnalysis.conjuncts(on);
                    joinConditions.addAll(cs);
                    if (!j.isLeft() && !j.isRight() && !j.isFull() && !j.isOuter()) {
                        conditions.addAll(cs);
                    }
                }
            }
        }
        if (innerSharded.size() > 1) {
            String problem = colocationProblem(innerSharded, innerTables, joinConditions);
            if (problem != null) {
                throw Errors.unsupported("derived table with a " + problem);
            }
        }
        prepareTables(all, ks);
        String firstTable = innerTables.get(0).table().name();
        if (innerSharded.isEmpty()) {
            return new Primitive.Route(Routing.of(RouteOpcode.REFERENCE, ks), firstTable, render(ps), List.of(), 0, List.of());
        }
        RoutingAnalysis.Choice choice = RoutingAnalysis.route(ks, innerTables, conditions, names);
        Routing routing = choice.routing();
        if (routing.opcode().singleShard()) {
            return new Primitive.Route(routing, firstTable, render(ps), List.of(), 0, List.of());
        }
        boolean aggregates = inner.getSelectItems().stream().anyMatch(i -> containsAggregate(i.getExpression())
                || JoinPlanner.hasWindowFunction(i.getExpression()));
        if (aggregates || inner.getGroupBy() != null || inner.getHaving() != null || inner.getDistinct() != null
                || inner.getLimit() != null || inner.getOffset() != null || inner.getFetch() != null) {
            throw Errors.unsupported("derived table with aggregation, GROUP BY, HAVING, DISTINCT, LIMIT or a window function"
                    + " over several shards: " + Planner.abbreviate(derived.toString()));
        }
        return new MultiShard(ps, routing, firstTable, choice.narrowIn(names)).plan();
    }

    // ---- subqueries that stay inside the route

    /**
     * The subqueries left in a query on one sharded keyspace after the uncorrelated ones were
     * pulled out (correlated ones, and those not at the top of WHERE) go to the shards inside the
     * outer query, which is correct only when every row a subquery reads for an outer row lives on
     * that row's shard: each sharded table of the subquery must be tied to a sharded table of the
     * outer query by equality of their primary vindex columns (same vindex), directly or through
     * another such table of the subquery; reference tables are everywhere. Anything else is
     * rejected. As Vitess merges a subquery into its outer route.
     */
    private final class SubqueryMerge {
        private final PlainSelect ps;
        private final List<TableInfo> all;
        private final List<TableInfo> outer = new ArrayList<>();
        private final List<ParenthesedSelect> subqueries = new ArrayList<>();

        SubqueryMerge(PlainSelect ps, TableRefs refs, List<TableInfo> all, String ks) {
            this.ps = ps;
            this.all = all;
            if (refs.unions > 0 || refs.ctes > 0) {
                throw Errors.unsupported("UNION or WITH inside a query on sharded keyspace " + ks);
            }
            List<net.sf.jsqlparser.statement.select.FromItem> from = new ArrayList<>();
            from.add(ps.getFromItem());
            if (ps.getJoins() != null) {
                ps.getJoins().forEach(j -> from.add(j.getFromItem()));
            }
            for (net.sf.jsqlparser.statement.select.FromItem f : from) {
                if (!(f instanceof Table)) {
                    throw Errors.unsupported("derived table in a query on sharded keyspace " + ks + ": " + Planner.abbreviate(String.valueOf(f)));
                }
                for (TableInfo i : all) {
                    if (i.node() == f) {
                        outer.add(i);
                    }
                }
            }
            ExpressionVisitorAdapter<Void> collect = new ExpressionVisitorAdapter<>() {
                @Override
                public <S> Void visit(ParenthesedSelect sel, S context) {
                    subqueries.add(sel);
                    return null;
                }

                @Override
                public <S> Void visit(Select sel, S context) {
                    if (sel instanceof ParenthesedSelect p) {
                        subqueries.add(p);
                    }
                    return null;
                }
            };
            List<Expression> exprs = new ArrayList<>();
            ps.getSelectItems().forEach(i -> exprs.add(i.getExpression()));
            exprs.add(ps.getWhere());
            exprs.add(ps.getHaving());
            if (ps.getJoins() != null) {
                ps.getJoins().forEach(j -> exprs.addAll(j.getOnExpressions()));
            }
            if (ps.getGroupBy() != null) {
                exprs.addAll(ps.getGroupBy().getGroupByExpressionList());
            }
            if (ps.getOrderByElements() != null) {
                ps.getOrderByElements().forEach(o -> exprs.add(o.getExpression()));
            }
            for (Expression e : exprs) {
                if (e != null) {
                    e.accept(collect, null);
                }
            }
            if (subqueries.size() != refs.subqueries) {
                throw Errors.unsupported("nested subquery in a query on sharded keyspace " + ks);
            }
        }

        List<TableInfo> outerTables() {
            return outer;
        }

        /** Rejects a subquery that cannot go to the shards inside the outer query. */
        void check(List<TableInfo> outerSharded) {
            for (ParenthesedSelect sel : subqueries) {
                if (!(sel.getSelect() instanceof PlainSelect inner)) {
                    throw Errors.unsupported("subquery other than a plain SELECT in a query on a sharded keyspace: "
                            + Planner.abbreviate(sel.toString()));
                }
                List<TableInfo> own = new ArrayList<>();
                for (Table t : TableRefs.of(inner).tables) {
                    for (TableInfo i : all) {
                        if (i.node() == t) {
                            own.add(i);
                        }
                    }
                }
                List<TableInfo> ownSharded = own.stream().filter(i -> i.table().type() == TableType.STANDARD).toList();
                if (ownSharded.isEmpty()) {
                    continue;
                }
                String what = (correlated(sel) ? "correlated subquery" : "subquery") + " that is not on the outer row's shard (it must"
                        + " equate each of its sharded tables' primary vindex column to the outer table's, same vindex): "
                        + Planner.abbreviate(sel.toString());
                if (outerSharded.isEmpty()) {
                    throw Errors.unsupported(what);
                }
                List<Expression> conds = new ArrayList<>(RoutingAnalysis.conjuncts(inner.getWhere()));
                if (inner.getJoins() != null) {
                    for (Join j : inner.getJoins()) {
                        if (!j.isLeft() && !j.isRight() && !j.isFull() && !j.isOuter()) {
                            j.getOnExpressions().forEach(on -> conds.addAll(RoutingAnalysis.conjuncts(on)));
                        }
                    }
                }
                Set<TableInfo> tied = new java.util.HashSet<>(outerSharded);
                boolean grew = true;
                while (grew) {
                    grew = false;
                    for (Expression c : conds) {
                        if (!(c instanceof EqualsTo eq) || !(eq.getLeftExpression() instanceof Column a)
                                || !(eq.getRightExpression() instanceof Column b)) {
                            continue;
                        }
                        TableInfo ta = resolve(a, own);
                        TableInfo tb = resolve(b, own);
                        if (ta == null || tb == null || ta == tb || !sameVindexColumn(ta, a, tb, b)) {
                            continue;
                        }
                        if (tied.contains(ta) && ownSharded.contains(tb) && tied.add(tb)
                                || tied.contains(tb) && ownSharded.contains(ta) && tied.add(ta)) {
                            grew = true;
                        }
                    }
                }
                if (!tied.containsAll(ownSharded)) {
                    throw Errors.unsupported(what);
                }
            }
        }

        /** The table a column of the subquery names: its own tables first (MySQL's scoping), then the outer query's. */
        private TableInfo resolve(Column c, List<TableInfo> own) {
            if (c.getTable() == null || c.getTable().getName() == null) {
                return own.size() == 1 ? own.get(0) : null;
            }
            TableInfo t = RoutingAnalysis.tableOf(c, own);
            return t != null ? t : RoutingAnalysis.tableOf(c, outer);
        }

        private static boolean sameVindexColumn(TableInfo ta, Column a, TableInfo tb, Column b) {
            if (ta.table().type() != TableType.STANDARD || tb.table().type() != TableType.STANDARD
                    || ta.table().primaryVindex().isEmpty() || tb.table().primaryVindex().isEmpty()) {
                return false;
            }
            VSchemaSnapshot.ColumnVindex va = ta.table().primaryVindex().orElseThrow();
            VSchemaSnapshot.ColumnVindex vb = tb.table().primaryVindex().orElseThrow();
            return va.columns().size() == 1 && vb.columns().size() == 1 && va.name().equals(vb.name())
                    && va.columns().get(0).equals(RoutingAnalysis.columnName(a)) && vb.columns().get(0).equals(RoutingAnalysis.columnName(b));
        }
    }

    // ---- tables

    private List<TableInfo> resolveAll(List<Table> tables) {
        List<TableInfo> infos = new ArrayList<>();
        for (Table t : tables) {
            VSchemaSnapshot.Table vt = Planner.resolveTable(vschema, session, t);
            String ref = t.getAlias() != null ? RoutingAnalysis.unquote(t.getAlias().getName()) : RoutingAnalysis.unquote(t.getName());
            infos.add(new TableInfo(t, vt, ref.toLowerCase(Locale.ROOT)));
        }
        return infos;
    }

    private static String singleKeyspace(List<TableInfo> infos) {
        String ks = null;
        for (TableInfo i : infos) {
            if (ks != null && !ks.equals(i.table().keyspace())) {
                return null;
            }
            ks = i.table().keyspace();
        }
        return ks;
    }

    private boolean sharded(String ks) {
        return vschema.keyspace(ks).orElseThrow().sharded();
    }

    private void prepareTables(List<TableInfo> infos, String ks) {
        for (TableInfo i : infos) {
            Planner.rename(i.node(), i.table());
        }
        Planner.stripQualifiers(infos.stream().map(TableInfo::node).toList());
    }

    private Primitive unshardedRoute(Select s, TableRefs refs, List<TableInfo> infos, String ks) {
        prepareTables(infos, ks);
        return new Primitive.Route(Routing.of(RouteOpcode.UNSHARDED, ks), infos.get(0).table().name(), render(s),
                List.of(), 0, List.of());
    }

    /**
     * Null if every sharded table is joined to the others by equality of their primary vindex
     * columns (same vindex), so the join can go to the shards whole; else why not.
     */
    private static String colocationProblem(List<TableInfo> sharded, List<TableInfo> all, List<Expression> conditions) {
        Map<TableInfo, TableInfo> parent = new HashMap<>();
        for (TableInfo t : sharded) {
            parent.put(t, t);
        }
        for (Expression c : conditions) {
            if (!(c instanceof EqualsTo eq) || !(eq.getLeftExpression() instanceof Column a) || !(eq.getRightExpression() instanceof Column b)) {
                continue;
            }
            TableInfo ta = RoutingAnalysis.tableOf(a, all);
            TableInfo tb = RoutingAnalysis.tableOf(b, all);
            if (ta == null || tb == null || ta == tb || !parent.containsKey(ta) || !parent.containsKey(tb)) {
                continue;
            }
            VSchemaSnapshot.ColumnVindex va = ta.table().primaryVindex().orElseThrow();
            VSchemaSnapshot.ColumnVindex vb = tb.table().primaryVindex().orElseThrow();
            if (va.columns().size() == 1 && vb.columns().size() == 1 && va.name().equals(vb.name())
                    && va.columns().get(0).equals(RoutingAnalysis.columnName(a))
                    && vb.columns().get(0).equals(RoutingAnalysis.columnName(b))) {
                parent.put(find(parent, ta), find(parent, tb));
            }
        }
        TableInfo root = find(parent, sharded.get(0));
        for (TableInfo t : sharded) {
            if (find(parent, t) != root) {
                return "cross-shard join: " + sharded.get(0).table().name() + " and " + t.table().name()
                        + " are not joined on their primary vindex columns";
            }
        }
        return null;
    }

    private static TableInfo find(Map<TableInfo, TableInfo> parent, TableInfo t) {
        while (parent.get(t) != t) {
            t = parent.get(t);
        }
        return t;
    }

    // ---- no tables, system schemas

    private Primitive noTables(PlainSelect ps) {
        List<Primitive.GateColumn> cols = new ArrayList<>();
        boolean gate = ps.getWhere() == null && ps.getGroupBy() == null && ps.getHaving() == null && ps.getLimit() == null;
        for (SelectItem<?> item : ps.getSelectItems()) {
            if (!gate) {
                break;
            }
            Expression e = item.getExpression();
            String name = item.getAlias() != null ? RoutingAnalysis.unquote(item.getAlias().getName()) : e.toString();
            Primitive.GateFunction f = gateFunction(e);
            if (f == null && names.get(e) != null) {
                // A ? parameter (SELECT ?): its value, bound at execution.
                cols.add(new Primitive.GateColumn(name, Primitive.GateFunction.CONSTANT, Optional.of(new ValueExpr.Bind(names.get(e)))));
            } else if (f == null) {
                Value v = Literal.constant(e);
                if (v == null) {
                    gate = false;
                    break;
                }
                cols.add(new Primitive.GateColumn(name, Primitive.GateFunction.CONSTANT, Optional.of(new ValueExpr.Const(v))));
            } else {
                cols.add(new Primitive.GateColumn(name, f, Optional.empty()));
            }
        }
        if (gate) {
            return new Primitive.GateProjection(cols);
        }
        String ks = anyKeyspace();
        return new Primitive.Route(Routing.of(sharded(ks) ? RouteOpcode.REFERENCE : RouteOpcode.UNSHARDED, ks), "dual",
                render(ps), List.of(), 0, List.of());
    }

    private static Primitive.GateFunction gateFunction(Expression e) {
        if (e instanceof Function f && (f.getParameters() == null || f.getParameters().isEmpty())) {
            return switch (f.getName().toLowerCase(Locale.ROOT)) {
                case "database", "schema" -> Primitive.GateFunction.DATABASE;
                case "last_insert_id" -> Primitive.GateFunction.LAST_INSERT_ID;
                case "connection_id" -> Primitive.GateFunction.CONNECTION_ID;
                default -> null;
            };
        }
        if (e instanceof UserVariable v && v.isDoubleAdd()) {
            String n = v.getName().toLowerCase(Locale.ROOT);
            if (n.startsWith("session.")) {
                n = n.substring(8);
            }
            return switch (n) {
                case "version" -> Primitive.GateFunction.VERSION;
                case "version_comment" -> Primitive.GateFunction.VERSION_COMMENT;
                case "autocommit" -> Primitive.GateFunction.AUTOCOMMIT;
                case "transaction_mode" -> Primitive.GateFunction.TRANSACTION_MODE;
                default -> null;
            };
        }
        return null;
    }

    private String anyKeyspace() {
        if (session.keyspace() != null) {
            return session.keyspace();
        }
        if (vschema.keyspaces().isEmpty()) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "no keyspace to send the query to");
        }
        return vschema.keyspaces().keySet().iterator().next();
    }

    private Primitive dba(PlainSelect ps, List<Table> tables) {
        List<ValueExpr> schemas = new ArrayList<>();
        List<Expression> conds = new ArrayList<>(RoutingAnalysis.conjuncts(ps.getWhere()));
        if (ps.getJoins() != null) {
            for (Join j : ps.getJoins()) {
                for (Expression on : j.getOnExpressions()) {
                    conds.addAll(RoutingAnalysis.conjuncts(on));
                }
            }
        }
        for (Expression c : conds) {
            if (c instanceof EqualsTo eq) {
                if (eq.getLeftExpression() instanceof Column col && SCHEMA_COLUMNS.contains(RoutingAnalysis.columnName(col))) {
                    ValueExpr v = RoutingAnalysis.valueOf(eq.getRightExpression(), names);
                    if (v != null) {
                        schemas.add(v);
                        eq.setRightExpression(new JdbcNamedParameter(SCHEMA_NAME_BIND));
                    }
                } else if (eq.getRightExpression() instanceof Column col && SCHEMA_COLUMNS.contains(RoutingAnalysis.columnName(col))) {
                    ValueExpr v = RoutingAnalysis.valueOf(eq.getLeftExpression(), names);
                    if (v != null) {
                        schemas.add(v);
                        eq.setLeftExpression(new JdbcNamedParameter(SCHEMA_NAME_BIND));
                    }
                }
            }
        }
        String ks = anyKeyspace();
        return new Primitive.Route(Routing.of(RouteOpcode.DBA, ks), RoutingAnalysis.unquote(tables.get(0).getName()),
                render(ps), List.of(), 0, schemas);
    }

    private String render(Select s) {
        return SqlRenderer.render(s, names);
    }

    // ---- multi-shard SELECT: merge sort, aggregation, distinct, limit

    private final class MultiShard {
        private final PlainSelect ps;
        private final Routing routing;
        private final String table;
        private final List<SelectItem<?>> items;
        private final int visible;
        private final boolean star;
        private final Map<Object, String> shardNames;
        /** The client's select expressions as written, before AVG becomes SUM on the shards. */
        private final List<String> written;
        /** Select items whose shard expression is no longer the client's (COUNT(DISTINCT x) sent as x). */
        private final Set<Integer> rewritten = new HashSet<>();

        MultiShard(PlainSelect ps, Routing routing, String table, Map<Object, String> shardNames) {
            this.shardNames = shardNames;
            this.ps = ps;
            this.routing = routing;
            this.table = table;
            this.items = ps.getSelectItems();
            this.visible = items.size();
            this.star = items.stream().anyMatch(i -> i.getExpression() instanceof AllColumns);
            this.written = items.stream().map(i -> i.getExpression().toString()).toList();
        }

        Primitive plan() {
            if (ps.getIntoTables() != null && !ps.getIntoTables().isEmpty()) {
                throw Errors.unsupported("SELECT ... INTO");
            }
            boolean aggregates = false;
            for (SelectItem<?> item : items) {
                Expression e = item.getExpression();
                if (containsUnmergedAggregate(e)) {
                    throw Errors.unsupported("in scatter query: aggregate function the gate does not merge: " + e);
                }
                if (isAggregate(e)) {
                    aggregates = true;
                } else if (containsAggregate(e)) {
                    throw Errors.unsupported("in scatter query: aggregate function inside the expression " + e);
                }
            }
            List<Expression> groupBy = ps.getGroupBy() == null ? List.of() : new ArrayList<>(ps.getGroupBy().getGroupByExpressionList());
            if (aggregates || !groupBy.isEmpty()) {
                return aggregate(groupBy);
            }
            if (ps.getHaving() != null) {
                throw Errors.unsupported("in scatter query: HAVING without aggregation");
            }
            if (ps.getDistinct() != null) {
                return distinct();
            }
            List<OrderBy> order = new ArrayList<>();
            for (OrderByElement o : orderElements()) {
                int col = columnIndex(o.getExpression());
                order.add(new OrderBy(col, weightString(col), !o.isAsc()));
            }
            Limits limits = pushLimit(true);
            Primitive route = new Primitive.Route(routing, table, SqlRenderer.render(ps, shardNames), order, truncate(), List.of());
            return limits.wrap(route);
        }

        private Primitive distinct() {
            if (star) {
                throw Errors.unsupported("in scatter query: SELECT DISTINCT * (the columns are unknown without the table's schema)");
            }
            if (ps.getDistinct().getOnSelectItems() != null && !ps.getDistinct().getOnSelectItems().isEmpty()) {
                throw Errors.unsupported("DISTINCT ON");
            }
            List<OrderBy> order = new ArrayList<>();
            Set<Integer> used = new LinkedHashSet<>();
            for (OrderByElement o : orderElements()) {
                int col = columnIndex(o.getExpression());
                if (col >= visible) {
                    throw Errors.unsupported("in scatter query: ORDER BY " + o.getExpression() + " with DISTINCT must name a selected column");
                }
                if (used.add(col)) {
                    order.add(new OrderBy(col, weightString(col), !o.isAsc()));
                }
            }
            for (int col = 0; col < visible; col++) {
                if (used.add(col)) {
                    order.add(new OrderBy(col, weightString(col), false));
                }
            }
            setShardOrder(order);
            Limits limits = pushLimit(true);
            Primitive route = new Primitive.Route(routing, table, SqlRenderer.render(ps, shardNames), order, 0, List.of());
            return limits.wrap(new Primitive.Distinct(order, truncate(), route));
        }

        private Primitive aggregate(List<Expression> groupBy) {
            if (star) {
                throw Errors.unsupported("in scatter query: SELECT * with aggregation");
            }
            if (ps.getDistinct() != null) {
                throw Errors.unsupported("in scatter query: DISTINCT with aggregation");
            }
            if (ps.getGroupBy() != null && ps.getGroupBy().isMysqlWithRollup()) {
                throw Errors.unsupported("GROUP BY ... WITH ROLLUP");
            }
            List<Integer> groupCols = new ArrayList<>();
            for (Expression g : groupBy) {
                if (containsAggregate(g)) {
                    throw Errors.invalid("Can't group on an aggregate: " + g);
                }
                int col = columnIndex(g);
                if (!groupCols.contains(col)) {
                    groupCols.add(col);
                }
            }
            List<AggregateParam> params = new ArrayList<>();
            Expression distinctArg = null;
            List<Integer> distinctCols = new ArrayList<>();
            List<AggregateParam.AggregateFunction> distinctFns = new ArrayList<>();
            for (int i = 0; i < visible; i++) {
                SelectItem<?> item = items.get(i);
                Expression e = item.getExpression();
                if (!isAggregate(e)) {
                    if (!groupCols.contains(i)) {
                        throw Errors.unsupported("in scatter query: column " + e + " must be in GROUP BY or inside an aggregate function");
                    }
                    continue;
                }
                Function f = (Function) e;
                String alias = item.getAlias() != null ? RoutingAnalysis.unquote(item.getAlias().getName()) : e.toString();
                String fn = f.getName().toLowerCase(Locale.ROOT);
                if (f.isDistinct() && List.of("count", "sum", "avg").contains(fn) && f.getParameters() != null
                        && f.getParameters().size() == 1) {
                    // The shards return the argument itself, grouped by it: each shard's distinct values.
                    Expression arg = f.getParameters().get(0);
                    if (distinctArg != null && !distinctArg.toString().equalsIgnoreCase(arg.toString())) {
                        throw Errors.unsupported("in scatter query: aggregates with DISTINCT of more than one expression: " + e);
                    }
                    if (arg instanceof Column ac && ac.getTable() == null && items.stream().anyMatch(other -> other != item
                            && other.getAlias() != null
                            && RoutingAnalysis.unquote(other.getAlias().getName()).equalsIgnoreCase(RoutingAnalysis.unquote(ac.getColumnName())))) {
                        // The shards order by the argument; an alias of that name would be taken instead.
                        throw Errors.unsupported("in scatter query: " + e + " with another select item aliased " + arg);
                    }
                    distinctArg = arg;
                    @SuppressWarnings("unchecked")
                    SelectItem<Expression> typed = (SelectItem<Expression>) item;
                    typed.setExpression(arg);
                    if (item.getAlias() == null) {
                        item.setAlias(new Alias(Planner.quote(alias), true));
                    }
                    distinctCols.add(i);
                    distinctFns.add(fn.equals("count") ? AggregateParam.AggregateFunction.COUNT_DISTINCT
                            : fn.equals("sum") ? AggregateParam.AggregateFunction.SUM_DISTINCT
                            : AggregateParam.AggregateFunction.AVG_DISTINCT);
                    rewritten.add(i);
                    continue;
                }
                if (f.isDistinct() || f.isUnique()) {
                    throw Errors.unsupported("in scatter query: aggregate with DISTINCT: " + e);
                }
                switch (fn) {
                    case "count" -> params.add(new AggregateParam(AggregateParam.AggregateFunction.COUNT, i, -1, alias));
                    case "sum" -> params.add(new AggregateParam(AggregateParam.AggregateFunction.SUM, i, -1, alias));
                    case "min", "max" -> {
                        // Text compares by collation: the shards also return weight_string(min(x)).
                        items.add(Planner.item(Planner.function("weight_string", e)));
                        params.add(new AggregateParam(fn.equals("min") ? AggregateParam.AggregateFunction.MIN
                                : AggregateParam.AggregateFunction.MAX, i, -1, alias, items.size() - 1));
                    }
                    case "avg" -> {
                        Expression[] args = f.getParameters().toArray(new Expression[0]);
                        @SuppressWarnings("unchecked")
                        SelectItem<Expression> typed = (SelectItem<Expression>) item;
                        typed.setExpression(Planner.function("sum", args));
                        if (item.getAlias() == null) {
                            item.setAlias(new Alias(Planner.quote(alias), true));
                        }
                        items.add(Planner.item(Planner.function("count", args)));
                        params.add(new AggregateParam(AggregateParam.AggregateFunction.AVG, i, items.size() - 1, alias));
                    }
                    default -> throw new IllegalStateException(fn);
                }
            }
            OrderBy distinctOrder = null;
            if (distinctArg != null) {
                // Shards group by the grouping columns and the argument; the merged rows arrive sorted
                // by both, so each group's equal values are adjacent and the gate counts the changes.
                int first = distinctCols.get(0);
                int ws = weightString(first);
                distinctOrder = new OrderBy(first, ws, false);
                for (int k = 0; k < distinctCols.size(); k++) {
                    int col = distinctCols.get(k);
                    params.add(new AggregateParam(distinctFns.get(k), col, -1,
                            RoutingAnalysis.unquote(items.get(col).getAlias().getName()), ws));
                }
                List<Expression> shardGroupBy = new ArrayList<>(groupBy);
                shardGroupBy.add(distinctArg);
                GroupByElement gb = new GroupByElement();
                gb.setGroupByExpressions(new ExpressionList<>(shardGroupBy));
                ps.setGroupByElement(gb);
            }
            List<Primitive.Comparison> having = having(params, groupCols);
            List<OrderBy> order = new ArrayList<>();
            List<OrderBy> gateSort = null;
            if (!groupCols.isEmpty()) {
                List<OrderByElement> elements = orderElements();
                List<Integer> cols = new ArrayList<>();
                for (OrderByElement o : elements) {
                    cols.add(columnIndex(o.getExpression()));
                }
                Set<Integer> used = new LinkedHashSet<>();
                if (groupCols.containsAll(cols)) {
                    // Shards sort in the client's order (then the other grouping columns); groups arrive in order.
                    for (int k = 0; k < cols.size(); k++) {
                        if (used.add(cols.get(k))) {
                            order.add(new OrderBy(cols.get(k), weightString(cols.get(k)), !elements.get(k).isAsc()));
                        }
                    }
                }
                for (int col : groupCols) {
                    if (used.add(col)) {
                        order.add(new OrderBy(col, weightString(col), false));
                    }
                }
                if (!groupCols.containsAll(cols)) {
                    // ORDER BY an aggregate: shards sort by the grouping columns, the gate sorts the groups.
                    gateSort = new ArrayList<>();
                    for (int k = 0; k < cols.size(); k++) {
                        int col = cols.get(k);
                        boolean desc = !elements.get(k).isAsc();
                        OrderBy grouping = order.stream().filter(o -> o.column() == col).findFirst().orElse(null);
                        if (grouping != null) {
                            gateSort.add(new OrderBy(col, grouping.weightStringColumn(), desc));
                            continue;
                        }
                        if (params.stream().noneMatch(a -> a.column() == col)) {
                            Expression e = items.get(col).getExpression();
                            if (!isAggregate(e)) {
                                throw Errors.unsupported("in scatter query: ORDER BY " + e + " must be a grouping column or an aggregate");
                            }
                            Function f = (Function) e;
                            String fn = f.getName().toLowerCase(Locale.ROOT);
                            if (f.isDistinct() || fn.equals("avg")) {
                                throw Errors.unsupported("in scatter query: ORDER BY " + e + " when it is not selected");
                            }
                            int ws = -1;
                            if (fn.equals("min") || fn.equals("max")) {
                                items.add(Planner.item(Planner.function("weight_string", e)));
                                ws = items.size() - 1;
                            }
                            params.add(new AggregateParam(AggregateParam.AggregateFunction.valueOf(fn.toUpperCase(Locale.ROOT)), col, -1,
                                    e.toString(), ws));
                        }
                        // MIN/MAX of text sort by collation: the aggregate keeps the winner's weight string.
                        int wsCol = params.stream().filter(a -> a.column() == col
                                        && (a.function() == AggregateParam.AggregateFunction.MIN
                                        || a.function() == AggregateParam.AggregateFunction.MAX)).findFirst()
                                .map(AggregateParam::weightStringColumn).orElse(-1);
                        gateSort.add(new OrderBy(col, wsCol, desc));
                    }
                }
            }
            List<OrderBy> routeOrder = new ArrayList<>(order);
            if (distinctOrder != null) {
                routeOrder.add(distinctOrder);
            }
            if (routeOrder.isEmpty()) {
                ps.setOrderByElements(null);
            } else {
                setShardOrder(routeOrder);
            }
            Limits limits = pushLimit(false);
            Primitive route = new Primitive.Route(routing, table, SqlRenderer.render(ps, shardNames), routeOrder, 0, List.of());
            boolean last = having.isEmpty() && gateSort == null;
            Primitive root = new Primitive.Aggregate(params, order, last ? truncate() : 0, route);
            if (!having.isEmpty()) {
                root = new Primitive.Filter(having, gateSort == null ? truncate() : 0, root);
            }
            if (gateSort != null) {
                root = new Primitive.MemorySort(gateSort, truncate(), root);
            }
            return limits.wrap(root);
        }

        /**
         * HAVING over a multi-shard aggregation, applied at the gate after it (the shards' partial
         * aggregates must not be filtered): each AND-ed term must compare an aggregate (selected
         * or not), a selected aggregate's alias or a grouping column with a constant. Removes the
         * HAVING from the shard query.
         */
        private List<Primitive.Comparison> having(List<AggregateParam> params, List<Integer> groupCols) {
            if (ps.getHaving() == null) {
                return List.of();
            }
            List<Primitive.Comparison> out = new ArrayList<>();
            for (Expression c : RoutingAnalysis.conjuncts(ps.getHaving())) {
                Primitive.CompareOp op = compareOp(c);
                if (op == null) {
                    throw Errors.unsupported("in scatter query: HAVING condition " + c + " (only an aggregate or grouping column"
                            + " compared with =, !=, <, <=, >, >= to a constant)");
                }
                ComparisonOperator cmp = (ComparisonOperator) c;
                Expression operand = cmp.getLeftExpression();
                ValueExpr value = RoutingAnalysis.valueOf(cmp.getRightExpression(), names);
                if (value == null) {
                    operand = cmp.getRightExpression();
                    value = RoutingAnalysis.valueOf(cmp.getLeftExpression(), names);
                    op = op.flipped();
                }
                if (value == null || RoutingAnalysis.valueOf(operand, names) != null) {
                    throw Errors.unsupported("in scatter query: HAVING condition " + c + " (one side must be a constant)");
                }
                int col = columnIndex(operand);
                if (!groupCols.contains(col) && params.stream().noneMatch(a -> a.column() == col)) {
                    if (col < visible || !isAggregate(operand)) {
                        throw Errors.unsupported("in scatter query: HAVING " + operand + " must be an aggregate or a grouping column");
                    }
                    Function f = (Function) operand;
                    String fn = f.getName().toLowerCase(Locale.ROOT);
                    if (f.isDistinct() || f.isUnique() || fn.equals("avg")) {
                        throw Errors.unsupported("in scatter query: HAVING " + operand + " when it is not selected");
                    }
                    int ws = -1;
                    if (fn.equals("min") || fn.equals("max")) {
                        items.add(Planner.item(Planner.function("weight_string", operand)));
                        ws = items.size() - 1;
                    }
                    params.add(new AggregateParam(AggregateParam.AggregateFunction.valueOf(fn.toUpperCase(Locale.ROOT)), col, -1,
                            operand.toString(), ws));
                }
                out.add(new Primitive.Comparison(col, op, value));
            }
            ps.setHaving(null);
            return out;
        }

        private List<OrderByElement> orderElements() {
            return ps.getOrderByElements() == null ? List.of() : ps.getOrderByElements();
        }

        private void setShardOrder(List<OrderBy> order) {
            List<OrderByElement> out = new ArrayList<>();
            for (OrderBy o : order) {
                OrderByElement e = new OrderByElement();
                SelectItem<?> item = items.get(o.column());
                // An integer literal in ORDER BY is a column position: name the item by its position.
                // A COUNT(DISTINCT x) sent as x is ordered by x itself (its alias is no column name).
                e.setExpression(item.getExpression() instanceof LongValue ? new LongValue(o.column() + 1)
                        : rewritten.contains(o.column()) ? item.getExpression()
                        : item.getAlias() != null && !isAggregate(item.getExpression())
                        ? new Column(item.getAlias().getName()) : item.getExpression());
                e.setAsc(!o.descending());
                e.setAscDescPresent(o.descending());
                out.add(e);
            }
            ps.setOrderByElements(out);
        }

        private int truncate() {
            return items.size() > visible ? visible : 0;
        }

        /** The select-list index of an ORDER BY / GROUP BY expression, adding a hidden column if needed. */
        private int columnIndex(Expression e) {
            if (e instanceof LongValue l && !names.containsKey(e)) {
                long pos = l.getValue();
                if (star) {
                    throw Errors.unsupported("in scatter query: column position " + pos + " with SELECT *");
                }
                if (pos < 1 || pos > visible) {
                    throw Errors.invalid("Unknown column '" + pos + "' in 'order clause'");
                }
                return (int) pos - 1;
            }
            String text = e.toString();
            for (int i = 0; i < items.size(); i++) {
                SelectItem<?> item = items.get(i);
                if (item.getAlias() != null && e instanceof Column c && c.getTable() == null
                        && RoutingAnalysis.unquote(item.getAlias().getName()).equalsIgnoreCase(RoutingAnalysis.unquote(c.getColumnName()))) {
                    return i;
                }
                if (rewritten.contains(i)) {
                    if (written.get(i).equalsIgnoreCase(text)) {
                        return i;
                    }
                    continue;
                }
                Expression ie = item.getExpression();
                if (ie.toString().equalsIgnoreCase(text) || (i < visible && written.get(i).equalsIgnoreCase(text))) {
                    return i;
                }
                if (ie instanceof Column ic && e instanceof Column c && RoutingAnalysis.columnName(ic).equals(RoutingAnalysis.columnName(c))
                        && (ic.getTable() == null || c.getTable() == null
                        || RoutingAnalysis.unquote(String.valueOf(ic.getTable().getName())).equalsIgnoreCase(
                        RoutingAnalysis.unquote(String.valueOf(c.getTable().getName()))))) {
                    return i;
                }
            }
            if (star) {
                throw Errors.unsupported("in scatter query: ORDER BY or GROUP BY " + e
                        + " with SELECT * (the column positions are unknown without the table's schema); select the column explicitly");
            }
            items.add(Planner.item(e));
            return items.size() - 1;
        }

        /** Adds {@code weight_string(col)} as a hidden column, unless the column is a count. */
        private int weightString(int col) {
            Expression e = items.get(col).getExpression();
            if (e instanceof Function f && "count".equalsIgnoreCase(f.getName())) {
                return -1;
            }
            if (Literal.constant(e) != null) {
                return -1;
            }
            items.add(Planner.item(Planner.function("weight_string", e)));
            return items.size() - 1;
        }

        /**
         * Rewrites the shard LIMIT: with an offset, shards return {@code offset + count} rows
         * ({@code :__upper_limit}) and the gate skips the offset; without pushing (aggregation) the
         * shard query has no LIMIT.
         */
        private Limits pushLimit(boolean push) {
            Limits limits = Limits.of(ps.getLimit(), ps.getOffset(), names);
            if (limits.count() == null) {
                return limits;
            }
            ValueExpr offset = limits.offset();
            if (!push) {
                ps.setLimit(null);
                ps.setOffset(null);
            } else if (offset != null) {
                Limit l = new Limit();
                l.setRowCount(new JdbcNamedParameter(UPPER_LIMIT));
                ps.setLimit(l);
                ps.setOffset(null);
            }
            return limits;
        }
    }

    static Primitive.CompareOp compareOp(Expression c) {
        if (c instanceof EqualsTo) {
            return Primitive.CompareOp.EQ;
        }
        if (c instanceof net.sf.jsqlparser.expression.operators.relational.NotEqualsTo) {
            return Primitive.CompareOp.NE;
        }
        if (c instanceof net.sf.jsqlparser.expression.operators.relational.GreaterThan) {
            return Primitive.CompareOp.GT;
        }
        if (c instanceof net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals) {
            return Primitive.CompareOp.GE;
        }
        if (c instanceof net.sf.jsqlparser.expression.operators.relational.MinorThan) {
            return Primitive.CompareOp.LT;
        }
        if (c instanceof net.sf.jsqlparser.expression.operators.relational.MinorThanEquals) {
            return Primitive.CompareOp.LE;
        }
        return null;
    }

    static boolean isAggregate(Expression e) {
        return e instanceof Function f && f.getName() != null && AGGREGATES.contains(f.getName().toLowerCase(Locale.ROOT))
                && !(f.getParameters() == null && !f.isAllColumns());
    }

    static boolean containsAggregate(Expression e) {
        return contains(e, true);
    }

    /** Whether {@code e} uses an aggregate function other than COUNT, SUM, MIN, MAX, AVG (GROUP_CONCAT, ...). */
    static boolean containsUnmergedAggregate(Expression e) {
        return contains(e, false);
    }

    private static boolean contains(Expression e, boolean anyAggregate) {
        boolean[] found = {false};
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Function f, S context) {
                if (anyAggregate && isAggregate(f)
                        || f.getName() != null && UNMERGED_AGGREGATES.contains(f.getName().toLowerCase(Locale.ROOT))) {
                    found[0] = true;
                }
                return super.visit(f, context);
            }

            @Override
            public <S> Void visit(MySQLGroupConcat g, S context) {
                found[0] = true;
                return super.visit(g, context);
            }
        }, null);
        return found[0];
    }
}
