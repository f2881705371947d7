package dev.mosaic.server.sql.planner;

import dev.mosaic.api.vschema.TableType;
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
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.conditional.XorExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * Plans a SELECT over tables that cannot be sent to the same shards together (different vindexes,
 * keyspaces, or a join not on the vindex columns) as a left-deep tree of nested-loop
 * {@link Primitive.Join}s, as Vitess's planner does for joins it cannot merge: each table becomes
 * its own route; a condition goes to the route of the last table it names, and the columns of
 * earlier tables it uses become bind variables filled from each row of the left side. So the join
 * comparison is made by MySQL itself, with its types and collations; a NULL join value never
 * matches. ORDER BY is done at the gate (a memory sort, text compared through weight strings),
 * LIMIT after it. What cannot be reproduced exactly is rejected.
 */
final class JoinPlanner {
    private final VSchemaSnapshot vschema;
    private final Map<Object, String> names;

    /** Per table (in join order): its info, the expressions it selects, its conditions, its bound columns. */
    private final List<TableInfo> tables = new ArrayList<>();
    private final List<Primitive.JoinKind> kinds = new ArrayList<>();
    private final List<List<SelectItem<?>>> items = new ArrayList<>();
    private final List<List<Expression>> conditions = new ArrayList<>();
    private final List<Map<Object, String>> bound = new ArrayList<>();
    /** Per table: bind variable name to (table, item index) it is read from. */
    private final List<Map<String, int[]>> vars = new ArrayList<>();
    private final Map<String, String> varNames = new HashMap<>();
    private final Set<String> usedVarNames = new TreeSet<>();

    JoinPlanner(VSchemaSnapshot vschema, Map<Object, String> names) {
        this.vschema = vschema;
        this.names = names;
    }

    /** Whether the statement has a shape this planner takes (otherwise the caller's error stands). */
    static boolean applies(PlainSelect ps) {
        if (!(ps.getFromItem() instanceof Table) || ps.getJoins() == null || ps.getJoins().isEmpty()) {
            return false;
        }
        for (Join j : ps.getJoins()) {
            if (!(j.getFromItem() instanceof Table)) {
                return false;
            }
        }
        return true;
    }

    Primitive plan(PlainSelect ps, List<TableInfo> infos) {
        rejectShapes(ps);
        addTable(infoOf((Table) ps.getFromItem(), infos), Primitive.JoinKind.INNER);
        List<Expression> onLeft = new ArrayList<>();
        for (Join j : ps.getJoins()) {
            if (j.isRight() || j.isFull() || j.isNatural() || j.isStraight() || j.isSemi() || j.isApply()
                    || (j.isOuter() && !j.isLeft())) {
                throw Errors.unsupported("cross-shard join: only INNER, CROSS and LEFT joins are supported (" + j + ")");
            }
            if (j.getUsingColumns() != null && !j.getUsingColumns().isEmpty()) {
                throw Errors.unsupported("JOIN ... USING on sharded tables; write the ON condition");
            }
            addTable(infoOf((Table) j.getFromItem(), infos), j.isLeft() ? Primitive.JoinKind.LEFT : Primitive.JoinKind.INNER);
            int k = tables.size() - 1;
            for (Expression on : j.getOnExpressions()) {
                for (Expression c : RoutingAnalysis.conjuncts(on)) {
                    int m = lastTable(c);
                    if (j.isLeft() && m != k) {
                        throw Errors.unsupported("cross-shard join: a LEFT JOIN ... ON condition that does not use the joined table: " + c);
                    }
                    if (!j.isLeft() && kinds.get(Math.max(m, 0)) == Primitive.JoinKind.LEFT && m != k) {
                        throw Errors.unsupported("cross-shard join: a condition on the outer side of a LEFT JOIN: " + c);
                    }
                    onLeft.add(c);
                    assign(c, Math.max(m, 0));
                }
            }
        }
        for (Expression c : RoutingAnalysis.conjuncts(ps.getWhere())) {
            int m = Math.max(lastTable(c), 0);
            if (kinds.get(m) == Primitive.JoinKind.LEFT) {
                throw Errors.unsupported("cross-shard join: a WHERE condition on the outer side of a LEFT JOIN: " + c);
            }
            assign(c, m);
        }
        if (aggregation(ps)) {
            return aggregate(ps);
        }
        if (ps.getDistinct() != null) {
            return distinct(ps);
        }
        // The client's columns, then the sort keys' hidden columns.
        List<int[]> output = new ArrayList<>();
        List<SelectItem<?>> selected = ps.getSelectItems();
        for (SelectItem<?> item : selected) {
            int t = Math.max(ownerOf(item.getExpression(), "select expression"), 0);
            rejectPaddedExpression(item.getExpression(), t);
            items.get(t).add(item);
            output.add(new int[] {t, items.get(t).size() - 1});
        }
        int visible = output.size();
        List<OrderBy> order = new ArrayList<>();
        if (ps.getOrderByElements() != null) {
            for (OrderByElement o : ps.getOrderByElements()) {
                Expression e = o.getExpression();
                int col = selectedColumn(e, selected);
                int t;
                Expression keyExpr;
                if (col >= 0) {
                    t = output.get(col)[0];
                    keyExpr = selected.get(col).getExpression();
                } else {
                    t = ownerOf(e, "ORDER BY expression");
                    if (t < 0) {
                        continue; // a constant orders nothing
                    }
                    rejectPaddedExpression(e, t);
                    items.get(t).add(Planner.item(e));
                    output.add(new int[] {t, items.get(t).size() - 1});
                    col = output.size() - 1;
                    keyExpr = e;
                }
                items.get(t).add(Planner.item(Planner.function("weight_string", keyExpr)));
                output.add(new int[] {t, items.get(t).size() - 1});
                order.add(new OrderBy(col, output.size() - 1, !o.isAsc()));
            }
        }
        Primitive root = build(output);
        if (!order.isEmpty()) {
            root = new Primitive.MemorySort(order, output.size() > visible ? visible : 0, root);
        }
        return limit(ps, root);
    }

    private static boolean aggregation(PlainSelect ps) {
        return ps.getGroupBy() != null || ps.getSelectItems().stream().anyMatch(i -> SelectPlanner.isAggregate(i.getExpression()));
    }

    /**
     * GROUP BY and aggregates over the join, computed at the gate from the joined rows (Vitess
     * would push partial aggregates below the join; this is the plain plan): the join outputs the
     * grouping expressions and the aggregates' arguments (plus weight strings, so text groups and
     * MIN/MAX follow the collation), the gate sorts by the grouping key, aggregates the raw values,
     * then applies HAVING, ORDER BY and LIMIT.
     */
    private Primitive aggregate(PlainSelect ps) {
        if (ps.getGroupBy() != null && ps.getGroupBy().isMysqlWithRollup()) {
            throw Errors.unsupported("GROUP BY ... WITH ROLLUP");
        }
        List<SelectItem<?>> selected = ps.getSelectItems();
        List<Expression> groupBy = ps.getGroupBy() == null ? List.of() : ps.getGroupBy().getGroupByExpressionList();
        // Resolve the grouping expressions to select items (by position, alias or text), or keep them hidden.
        List<Integer> groupItems = new ArrayList<>();
        List<Expression> hiddenGroups = new ArrayList<>();
        for (Expression g : groupBy) {
            if (SelectPlanner.containsAggregate(g)) {
                throw Errors.invalid("Can't group on an aggregate: " + g);
            }
            int col = selectedColumn(g, selected);
            if (col >= 0 && SelectPlanner.isAggregate(selected.get(col).getExpression())) {
                throw Errors.invalid("Can't group on '" + g + "'");
            }
            if (col >= 0) {
                groupItems.add(col);
            } else {
                groupItems.add(-1 - hiddenGroups.size());
                hiddenGroups.add(g);
            }
        }
        List<int[]> output = new ArrayList<>();
        List<AggregateParam> params = new ArrayList<>();
        List<Expression> minMaxArgs = new ArrayList<>();
        List<int[]> minMaxParams = new ArrayList<>(); // {param index, select column}
        for (int i = 0; i < selected.size(); i++) {
            SelectItem<?> item = selected.get(i);
            Expression e = item.getExpression();
            if (!SelectPlanner.isAggregate(e)) {
                if (!groupItems.contains(i)) {
                    throw Errors.unsupported("cross-shard join: column " + e + " must be in GROUP BY or inside an aggregate function");
                }
                int t = Math.max(ownerOf(e, "select expression"), 0);
                rejectPaddedExpression(e, t);
                items.get(t).add(item);
                output.add(new int[] {t, items.get(t).size() - 1});
                continue;
            }
            Function f = (Function) e;
            String fn = f.getName().toLowerCase(Locale.ROOT);
            if (f.isDistinct() || f.isUnique()) {
                throw Errors.unsupported("cross-shard join: aggregate with DISTINCT: " + e);
            }
            Expression arg;
            if (f.isAllColumns()) {
                arg = new LongValue(1); // COUNT(*) counts the rows: a constant never NULL, from the first table
            } else if (f.getParameters() != null && f.getParameters().size() == 1) {
                arg = f.getParameters().get(0);
            } else {
                throw Errors.unsupported("cross-shard join: aggregate " + e);
            }
            if (fn.equals("count") && !f.isAllColumns() && arg instanceof AllColumns) {
                arg = new LongValue(1);
            }
            String alias = item.getAlias() != null ? RoutingAnalysis.unquote(item.getAlias().getName()) : e.toString();
            // The route returns the argument under the aggregate's name, the column name the client sees.
            int[] slot = fetch(arg, "aggregate argument");
            items.get(slot[0]).get(slot[1]).setAlias(new Alias(Planner.quote(alias), true));
            output.add(slot);
            switch (fn) {
                case "count" -> params.add(new AggregateParam(AggregateParam.AggregateFunction.COUNT, i, -1, alias));
                case "sum" -> params.add(new AggregateParam(AggregateParam.AggregateFunction.SUM, i, -1, alias));
                case "avg" -> params.add(new AggregateParam(AggregateParam.AggregateFunction.AVG, i, i, alias));
                case "min", "max" -> {
                    minMaxArgs.add(arg);
                    minMaxParams.add(new int[] {params.size(), i});
                    params.add(null); // completed below with its weight-string column, a hidden column
                }
                default -> throw new IllegalStateException(fn);
            }
        }
        int visible = output.size();
        for (int k = 0; k < minMaxParams.size(); k++) {
            int p = minMaxParams.get(k)[0];
            int col = minMaxParams.get(k)[1];
            Function f = (Function) selected.get(col).getExpression();
            String alias = selected.get(col).getAlias() != null ? RoutingAnalysis.unquote(selected.get(col).getAlias().getName()) : f.toString();
            int ws = weightString(minMaxArgs.get(k), output);
            params.set(p, new AggregateParam(f.getName().equalsIgnoreCase("min") ? AggregateParam.AggregateFunction.MIN
                    : AggregateParam.AggregateFunction.MAX, col, -1, alias, ws));
        }
        List<OrderBy> groupOrder = new ArrayList<>();
        for (int g : groupItems) {
            Expression e;
            int col;
            if (g >= 0) {
                col = g;
                e = selected.get(g).getExpression();
            } else {
                e = hiddenGroups.get(-1 - g);
                output.add(fetch(e, "GROUP BY expression"));
                col = output.size() - 1;
            }
            if (groupOrder.stream().noneMatch(o -> o.column() == col)) {
                groupOrder.add(new OrderBy(col, weightString(e, output), false));
            }
        }
        int truncate = output.size() > visible ? visible : 0;
        Primitive root = build(output);
        if (!groupOrder.isEmpty()) {
            root = new Primitive.MemorySort(groupOrder, 0, root);
        }
        List<Primitive.Comparison> having = having(ps, selected, params, groupOrder);
        List<OrderBy> order = new ArrayList<>();
        if (ps.getOrderByElements() != null) {
            for (OrderByElement o : ps.getOrderByElements()) {
                int col = selectedColumn(o.getExpression(), selected);
                if (col < 0) {
                    if (ownerOf(o.getExpression(), "ORDER BY expression") < 0 && !SelectPlanner.containsAggregate(o.getExpression())) {
                        continue; // a constant orders nothing
                    }
                    throw Errors.unsupported("cross-shard join: ORDER BY " + o.getExpression()
                            + " with aggregation must name a selected column or aggregate");
                }
                int ws = groupOrder.stream().filter(x -> x.column() == col).map(OrderBy::weightStringColumn).findFirst()
                        .orElse(params.stream().filter(a -> a.column() == col).map(AggregateParam::weightStringColumn)
                                .findFirst().orElse(-1));
                order.add(new OrderBy(col, ws, !o.isAsc()));
            }
        }
        root = new Primitive.Aggregate(params, groupOrder, true, having.isEmpty() && order.isEmpty() ? truncate : 0, root);
        if (!having.isEmpty()) {
            root = new Primitive.Filter(having, order.isEmpty() ? truncate : 0, root);
        }
        if (!order.isEmpty()) {
            root = new Primitive.MemorySort(order, truncate, root);
        }
        return limit(ps, root);
    }

    /**
     * SELECT DISTINCT over the join, at the gate: the joined rows (with a weight string per selected
     * expression, so text is one value per collation group) are sorted by the ORDER BY columns,
     * which must be selected, then by the other selected columns, and duplicates dropped.
     */
    private Primitive distinct(PlainSelect ps) {
        List<SelectItem<?>> selected = ps.getSelectItems();
        List<int[]> output = new ArrayList<>();
        for (SelectItem<?> item : selected) {
            Expression e = item.getExpression();
            int t = Math.max(ownerOf(e, "select expression"), 0);
            rejectPaddedExpression(e, t);
            items.get(t).add(item);
            output.add(new int[] {t, items.get(t).size() - 1});
        }
        int visible = output.size();
        int[] ws = new int[visible];
        for (int i = 0; i < visible; i++) {
            ws[i] = weightString(selected.get(i).getExpression(), output);
        }
        List<OrderBy> order = new ArrayList<>();
        Set<Integer> used = new LinkedHashSet<>();
        if (ps.getOrderByElements() != null) {
            for (OrderByElement o : ps.getOrderByElements()) {
                int col = selectedColumn(o.getExpression(), selected);
                if (col < 0) {
                    if (ownerOf(o.getExpression(), "ORDER BY expression") < 0 && !SelectPlanner.containsAggregate(o.getExpression())) {
                        continue; // a constant orders nothing
                    }
                    throw Errors.unsupported("cross-shard join: ORDER BY " + o.getExpression() + " with DISTINCT must name a selected column");
                }
                if (used.add(col)) {
                    order.add(new OrderBy(col, ws[col], !o.isAsc()));
                }
            }
        }
        for (int i = 0; i < visible; i++) {
            if (used.add(i)) {
                order.add(new OrderBy(i, ws[i], false));
            }
        }
        Primitive root = new Primitive.MemorySort(order, 0, build(output));
        root = new Primitive.Distinct(order, output.size() > visible ? visible : 0, root);
        return limit(ps, root);
    }

    /** Adds {@code e} to the select list of its table (the first for a constant); its output slot. */
    private int[] fetch(Expression e, String what) {
        int t = Math.max(ownerOf(e, what), 0);
        rejectPaddedExpression(e, t);
        items.get(t).add(Planner.item(e));
        return new int[] {t, items.get(t).size() - 1};
    }

    /** Adds {@code weight_string(e)} as a hidden output column; -1 for a constant. */
    private int weightString(Expression e, List<int[]> output) {
        if (ownerOf(e, "expression") < 0) {
            return -1;
        }
        // Not rejected over a LEFT JOIN's outer side: a padded row's weight string is NULL, as MySQL's of NULL.
        int t = ownerOf(e, "expression");
        items.get(t).add(Planner.item(Planner.function("weight_string", e)));
        output.add(new int[] {t, items.get(t).size() - 1});
        return output.size() - 1;
    }

    /**
     * HAVING over a join aggregation, applied at the gate: each AND-ed term compares a selected
     * aggregate or grouping column (by alias, text or position) with a constant.
     */
    private List<Primitive.Comparison> having(PlainSelect ps, List<SelectItem<?>> selected, List<AggregateParam> params,
                                              List<OrderBy> groupOrder) {
        if (ps.getHaving() == null) {
            return List.of();
        }
        List<Primitive.Comparison> out = new ArrayList<>();
        for (Expression c : RoutingAnalysis.conjuncts(ps.getHaving())) {
            Primitive.CompareOp op = SelectPlanner.compareOp(c);
            if (op == null) {
                throw Errors.unsupported("cross-shard join: HAVING condition " + c + " (only a selected aggregate or grouping"
                        + " column compared with =, !=, <, <=, >, >= to a constant)");
            }
            ComparisonOperator cmp = (ComparisonOperator) c;
            Expression operand = cmp.getLeftExpression();
            ValueExpr value = RoutingAnalysis.valueOf(cmp.getRightExpression(), names);
            if (value == null) {
                operand = cmp.getRightExpression();
                value = RoutingAnalysis.valueOf(cmp.getLeftExpression(), names);
                op = op.flipped();
            }
            if (value == null || RoutingAnalysis.valueOf(operand, names) != null || operand instanceof LongValue) {
                throw Errors.unsupported("cross-shard join: HAVING condition " + c + " (one side must be a constant)");
            }
            int col = selectedColumn(operand, selected);
            if (col < 0 || groupOrder.stream().noneMatch(o -> o.column() == col) && params.stream().noneMatch(a -> a.column() == col)) {
                throw Errors.unsupported("cross-shard join: HAVING " + operand + " must be a selected aggregate or grouping column");
            }
            out.add(new Primitive.Comparison(col, op, value));
        }
        return out;
    }

    /**
     * A LEFT JOIN's unmatched rows get NULL for the joined table's columns at the gate; an
     * expression over them (CASE, COALESCE, ...) computed on that table's shards would be NULL too
     * where MySQL evaluates it over the NULLs. Plain columns are fine.
     */
    private void rejectPaddedExpression(Expression e, int table) {
        if (kinds.get(table) == Primitive.JoinKind.LEFT && !(e instanceof net.sf.jsqlparser.schema.Column)) {
            throw Errors.unsupported("cross-shard join: an expression over the outer side of a LEFT JOIN: " + e);
        }
    }

    private static void rejectShapes(PlainSelect ps) {
        if (ps.getIntoTables() != null && !ps.getIntoTables().isEmpty()) {
            throw Errors.unsupported("SELECT ... INTO");
        }
        if (ps.getDistinct() != null && ps.getDistinct().getOnSelectItems() != null && !ps.getDistinct().getOnSelectItems().isEmpty()) {
            throw Errors.unsupported("DISTINCT ON");
        }
        if (ps.getDistinct() != null && aggregation(ps)) {
            throw Errors.unsupported("cross-shard join: DISTINCT with aggregation");
        }
        if (ps.getHaving() != null && !aggregation(ps)) {
            throw Errors.unsupported("cross-shard join: HAVING without aggregation");
        }
        if (ps.getForMode() != null || ps.getForUpdateTable() != null) {
            throw Errors.unsupported("cross-shard join: FOR UPDATE / FOR SHARE");
        }
        for (SelectItem<?> item : ps.getSelectItems()) {
            Expression e = item.getExpression();
            if (e instanceof AllColumns) {
                throw Errors.unsupported("cross-shard join: SELECT * or t.* (the columns are unknown without the table's schema)");
            }
            if (SelectPlanner.containsUnmergedAggregate(e)) {
                throw Errors.unsupported("cross-shard join: aggregate function the gate does not compute: " + e);
            }
            if (SelectPlanner.containsAggregate(e) && !SelectPlanner.isAggregate(e)) {
                throw Errors.unsupported("cross-shard join: aggregate function inside the expression " + e);
            }
            if (contains(e, AnalyticExpression.class)) {
                throw Errors.unsupported("cross-shard join: window function " + e);
            }
        }
    }

    /** True if the expression holds a window function ({@code .. OVER (..)}). */
    static boolean hasWindowFunction(Expression e) {
        return contains(e, AnalyticExpression.class);
    }

    private static boolean contains(Expression e, Class<?> type) {
        boolean[] found = {false};
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(AnalyticExpression a, S context) {
                found[0] |= type.isInstance(a);
                return super.visit(a, context);
            }
        }, null);
        return found[0];
    }

    private TableInfo infoOf(Table node, List<TableInfo> infos) {
        for (TableInfo i : infos) {
            if (i.node() == node) {
                return i;
            }
        }
        throw new IllegalStateException("table " + node + " not resolved");
    }

    private void addTable(TableInfo info, Primitive.JoinKind kind) {
        VSchemaSnapshot.Table t = info.table();
        if (!t.pinned().isEmpty()) {
            throw Errors.unsupported("pinned table " + t.name());
        }
        if (t.type() == TableType.SEQUENCE) {
            throw Errors.unsupported("SELECT from sequence table " + t.name() + " in a join");
        }
        for (TableInfo other : tables) {
            if (other.refName().equals(info.refName())) {
                throw Errors.invalid("Not unique table/alias: '" + info.refName() + "'");
            }
        }
        tables.add(info);
        kinds.add(kind);
        items.add(new ArrayList<>());
        conditions.add(new ArrayList<>());
        bound.add(new IdentityHashMap<>(names));
        vars.add(new LinkedHashMap<>());
    }

    /** The columns of an expression, each with the index of its table; rejects unqualified or unknown ones. */
    private List<Map.Entry<Column, Integer>> columns(Expression e, String what) {
        List<Map.Entry<Column, Integer>> out = new ArrayList<>();
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Column c, S context) {
                if (c.getTable() == null || c.getTable().getName() == null) {
                    throw Errors.unsupported("cross-shard join: column " + c + " in " + what
                            + " must be qualified with its table name or alias");
                }
                TableInfo t = RoutingAnalysis.tableOf(c, tables);
                if (t == null) {
                    throw Errors.unsupported("cross-shard join: column " + c + " in " + what + " names no table of the query here");
                }
                out.add(Map.entry(c, tables.indexOf(t)));
                return null;
            }
        }, null);
        return out;
    }

    /** The last table (in join order) a condition uses, -1 for none. */
    private int lastTable(Expression c) {
        int m = -1;
        for (Map.Entry<Column, Integer> col : columns(c, "condition " + c)) {
            m = Math.max(m, col.getValue());
        }
        return m;
    }

    /** The one table an expression uses, -1 for none; rejects expressions over several tables. */
    private int ownerOf(Expression e, String what) {
        Set<Integer> ts = new LinkedHashSet<>();
        for (Map.Entry<Column, Integer> col : columns(e, what + " " + e)) {
            ts.add(col.getValue());
        }
        if (ts.size() > 1) {
            throw Errors.unsupported("cross-shard join: " + what + " " + e + " uses columns of several tables");
        }
        return ts.isEmpty() ? -1 : ts.iterator().next();
    }

    /** Gives condition {@code c} to table {@code m}; columns of earlier tables become bind variables. */
    private void assign(Expression c, int m) {
        for (Map.Entry<Column, Integer> col : columns(c, "condition " + c)) {
            int j = col.getValue();
            if (j == m) {
                continue;
            }
            Column source = col.getKey();
            String key = j + "." + RoutingAnalysis.columnName(source);
            String var = varNames.get(key);
            if (var == null) {
                String base = (tables.get(j).refName() + "_" + RoutingAnalysis.columnName(source)).replaceAll("[^A-Za-z0-9_]", "_");
                var = base;
                for (int n = 1; !usedVarNames.add(var); n++) {
                    var = base + n;
                }
                varNames.put(key, var);
                items.get(j).add(Planner.item(new Column(new Table(source.getTable().getName()), source.getColumnName())));
                vars.get(m).put(var, new int[] {j, items.get(j).size() - 1});
            } else if (!vars.get(m).containsKey(var)) {
                vars.get(m).put(var, findVar(var));
            }
            bound.get(m).put(source, var);
        }
        conditions.get(m).add(c);
    }

    private int[] findVar(String var) {
        for (Map<String, int[]> v : vars) {
            if (v.containsKey(var)) {
                return v.get(var);
            }
        }
        throw new IllegalStateException(var);
    }

    /** The index of the selected column an ORDER BY expression names, or -1. */
    private static int selectedColumn(Expression e, List<SelectItem<?>> selected) {
        if (e instanceof LongValue l) {
            long pos = l.getValue();
            if (pos < 1 || pos > selected.size()) {
                throw Errors.invalid("Unknown column '" + pos + "' in 'order clause'");
            }
            return (int) pos - 1;
        }
        String text = e.toString();
        for (int i = 0; i < selected.size(); i++) {
            SelectItem<?> item = selected.get(i);
            if (item.getAlias() != null && e instanceof Column c && c.getTable() == null
                    && RoutingAnalysis.unquote(item.getAlias().getName()).equalsIgnoreCase(RoutingAnalysis.unquote(c.getColumnName()))) {
                return i;
            }
            if (item.getExpression().toString().equalsIgnoreCase(text)) {
                return i;
            }
        }
        return -1;
    }

    /** The left-deep join tree; its last join outputs {@code output} (table, item) in order. */
    private Primitive build(List<int[]> output) {
        int n = tables.size();
        int[] offset = new int[n];
        for (int t = 0; t < n; t++) {
            if (items.get(t).isEmpty()) {
                items.get(t).add(Planner.item(new LongValue(1)));
            }
        }
        Primitive left = route(0);
        int width = items.get(0).size();
        for (int k = 1; k < n; k++) {
            offset[k] = width;
            List<Integer> cols = new ArrayList<>();
            if (k == n - 1) {
                for (int[] o : output) {
                    cols.add(o[0] == k ? 1 + o[1] : -1 - (offset[o[0]] + o[1]));
                }
            } else {
                for (int c = 0; c < width; c++) {
                    cols.add(-1 - c);
                }
                for (int c = 0; c < items.get(k).size(); c++) {
                    cols.add(1 + c);
                }
            }
            Map<String, Integer> joinVars = new LinkedHashMap<>();
            for (Map.Entry<String, int[]> v : vars.get(k).entrySet()) {
                joinVars.put(v.getKey(), offset[v.getValue()[0]] + v.getValue()[1]);
            }
            left = new Primitive.Join(kinds.get(k), left, route(k), cols, joinVars, fieldRoute(k));
            width += items.get(k).size();
        }
        return left;
    }

    private PlainSelect select(int t, Expression where) {
        PlainSelect s = new PlainSelect();
        s.setSelectItems(new ArrayList<>(items.get(t)));
        s.setFromItem(tables.get(t).node());
        s.setWhere(where);
        return s;
    }

    private Primitive route(int t) {
        TableInfo info = tables.get(t);
        List<Expression> conds = conditions.get(t);
        Expression where = null;
        for (Expression c : conds) {
            // conjuncts() unwrapped the parentheses of (a OR b): put them back.
            Expression e = c instanceof OrExpression || c instanceof XorExpression ? new ParenthesedExpressionList<>(c) : c;
            where = where == null ? e : new AndExpression(where, e);
        }
        PlainSelect s = select(t, where);
        String ks = info.table().keyspace();
        Map<Object, String> bindNames = bound.get(t);
        Routing routing;
        if (!sharded(ks)) {
            routing = Routing.of(RouteOpcode.UNSHARDED, ks);
        } else if (info.table().type() != TableType.STANDARD) {
            routing = Routing.of(RouteOpcode.REFERENCE, ks);
        } else {
            if (info.table().primaryVindex().isEmpty()) {
                throw Errors.invalid("table " + info.table().name() + " in sharded keyspace " + ks + " has no primary vindex");
            }
            RoutingAnalysis.Choice choice = RoutingAnalysis.route(ks, List.of(info), conds, bindNames);
            routing = choice.routing();
            bindNames = choice.narrowIn(bindNames);
        }
        return new Primitive.Route(routing, info.table().name(), SqlRenderer.render(s, bindNames), List.of(), 0, List.of());
    }

    /** Table {@code t}'s select list on one shard, matching no row: the right side's columns. */
    private Primitive fieldRoute(int t) {
        TableInfo info = tables.get(t);
        NotEqualsTo never = new NotEqualsTo(new LongValue(1), new LongValue(1));
        PlainSelect s = select(t, never);
        String ks = info.table().keyspace();
        RouteOpcode op = sharded(ks) ? RouteOpcode.REFERENCE : RouteOpcode.UNSHARDED;
        return new Primitive.Route(Routing.of(op, ks), info.table().name(), SqlRenderer.render(s, names), List.of(), 0, List.of());
    }

    private Primitive limit(PlainSelect ps, Primitive root) {
        return Limits.of(ps.getLimit(), ps.getOffset(), names).wrap(root);
    }

    private boolean sharded(String ks) {
        return vschema.keyspace(ks).orElseThrow().sharded();
    }
}
