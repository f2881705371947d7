package dev.mosaic.server.sql.planner;

import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.normalize.Literal;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.plan.Routing;
import dev.mosaic.server.sql.plan.ValueExpr;
import dev.mosaic.spi.vindex.MultiColumnVindex;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Finds, among the conditions of a query, the best vindex predicate to route by, as Vitess's
 * planner ranks them: a unique vindex with one value, then a non-unique one, then an IN list,
 * then a partial multi-column prefix; among equals, the cheapest vindex.
 */
final class RoutingAnalysis {
    private RoutingAnalysis() {
    }

    /** A table of the query: its AST node, its vschema table, and the name columns use for it. */
    record TableInfo(net.sf.jsqlparser.schema.Table node, VSchemaSnapshot.Table table, String refName) {
    }

    /** The top-level AND-ed conditions of {@code e} (parentheses unwrapped). */
    static List<Expression> conjuncts(Expression e) {
        List<Expression> out = new ArrayList<>();
        addConjuncts(e, out);
        return out;
    }

    private static void addConjuncts(Expression e, List<Expression> out) {
        if (e == null) {
            return;
        }
        if (e instanceof AndExpression and) {
            addConjuncts(and.getLeftExpression(), out);
            addConjuncts(and.getRightExpression(), out);
        } else if (e instanceof ParenthesedExpressionList<?> p && p.size() == 1) {
            addConjuncts(p.get(0), out);
        } else {
            out.add(e);
        }
    }

    /** The plan-time value of an expression: a bind variable or a constant; null for anything else. */
    static ValueExpr valueOf(Expression e, Map<Object, String> names) {
        String name = names.get(e);
        if (name != null) {
            return new ValueExpr.Bind(name);
        }
        if (e instanceof JdbcNamedParameter p) {
            // A pulled-out subquery's result does not route: it may be NULL or match no shard.
            return p.getName().startsWith(PULLOUT_PREFIX) ? null : new ValueExpr.Bind(p.getName());
        }
        if (e instanceof NullValue) {
            return new ValueExpr.Const(Value.NULL);
        }
        Value v = Literal.constant(e);
        return v == null ? null : new ValueExpr.Const(v);
    }

    /** The table a column belongs to, if it can be told without a schema. */
    static TableInfo tableOf(Column c, List<TableInfo> tables) {
        if (c.getTable() != null && c.getTable().getName() != null) {
            String q = unquote(c.getTable().getName()).toLowerCase(Locale.ROOT);
            for (TableInfo t : tables) {
                if (t.refName().equals(q)) {
                    return t;
                }
            }
            return null;
        }
        return tables.size() == 1 ? tables.get(0) : null;
    }

    static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '`' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    static String columnName(Column c) {
        return unquote(c.getColumnName()).toLowerCase(Locale.ROOT);
    }

    /**
     * The routing chosen, and for {@link RouteOpcode#IN} the condition it came from, whose value
     * list the shard query replaces by {@code ::__vals} (each shard gets only its own values).
     */
    record Choice(Routing routing, InExpression in) {
        /**
         * Rewrites the IN condition to {@code col IN ::__vals} and returns the bind-variable names
         * to render the shard query with.
         */
        Map<Object, String> narrowIn(Map<Object, String> names) {
            if (in == null) {
                return names;
            }
            ParenthesedExpressionList<Expression> marker = new ParenthesedExpressionList<>();
            in.setRightExpression(marker);
            IdentityHashMap<Object, String> out = new IdentityHashMap<>(names);
            out.put(marker, SHARD_VALUES);
            return out;
        }
    }

    /** The prefix of the bind variables carrying a pulled-out subquery's result. */
    static final String PULLOUT_PREFIX = "__sq";

    /** The list bind variable carrying a shard's own values of an IN route. */
    static final String SHARD_VALUES = "__vals";

    private record Candidate(RouteOpcode opcode, int cost, Routing routing, InExpression in) {
        Candidate(RouteOpcode opcode, int cost, Routing routing) {
            this(opcode, cost, routing, null);
        }

        int rank() {
            return switch (opcode) {
                case NONE -> 0;
                case EQUAL_UNIQUE -> 1;
                case EQUAL -> 2;
                case IN -> 3;
                case SUB_SHARD -> 4;
                default -> 5;
            };
        }
    }

    /**
     * The routing of a query over {@code tables} (all in {@code keyspace}, sharded) given its
     * conditions: the best vindex predicate, or {@link RouteOpcode#SCATTER}.
     */
    static Choice route(String keyspace, List<TableInfo> tables, List<Expression> conditions, Map<Object, String> names) {
        Candidate best = null;
        // per table and multi-column vindex: column -> value
        for (Expression cond : conditions) {
            Candidate c = single(keyspace, tables, cond, names);
            if (c != null && (best == null || c.rank() < best.rank() || (c.rank() == best.rank() && c.cost() < best.cost()))) {
                best = c;
            }
        }
        for (TableInfo t : tables) {
            for (VSchemaSnapshot.ColumnVindex cv : t.table().columnVindexes()) {
                if (!(cv.vindex() instanceof MultiColumnVindex mv)) {
                    continue;
                }
                List<ValueExpr> prefix = new ArrayList<>();
                for (String col : cv.columns()) {
                    ValueExpr v = equalityValue(t, col, tables, conditions, names);
                    if (v == null) {
                        break;
                    }
                    prefix.add(v);
                }
                Candidate c = null;
                if (prefix.size() == cv.columns().size()) {
                    RouteOpcode op = mv.isUnique() ? RouteOpcode.EQUAL_UNIQUE : RouteOpcode.EQUAL;
                    c = new Candidate(op, mv.cost(), new Routing(op, keyspace, Optional.of(planned(cv)), prefix));
                } else if (!prefix.isEmpty() && mv.isPartial()) {
                    c = new Candidate(RouteOpcode.SUB_SHARD, mv.cost(),
                            new Routing(RouteOpcode.SUB_SHARD, keyspace, Optional.of(planned(cv)), prefix));
                }
                if (c != null && (best == null || c.rank() < best.rank() || (c.rank() == best.rank() && c.cost() < best.cost()))) {
                    best = c;
                }
            }
        }
        return best == null ? new Choice(Routing.of(RouteOpcode.SCATTER, keyspace), null) : new Choice(best.routing(), best.in());
    }

    static Routing.PlannedVindex planned(VSchemaSnapshot.ColumnVindex cv) {
        return new Routing.PlannedVindex(cv.name(), cv.type(), cv.columns(), cv.vindex());
    }

    private static ValueExpr equalityValue(TableInfo table, String col, List<TableInfo> tables, List<Expression> conditions,
                                           Map<Object, String> names) {
        for (Expression cond : conditions) {
            if (cond instanceof EqualsTo eq) {
                ValueExpr v = columnEquals(eq.getLeftExpression(), eq.getRightExpression(), table, col, tables, names);
                if (v == null) {
                    v = columnEquals(eq.getRightExpression(), eq.getLeftExpression(), table, col, tables, names);
                }
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    private static ValueExpr columnEquals(Expression colSide, Expression valSide, TableInfo table, String col,
                                          List<TableInfo> tables, Map<Object, String> names) {
        if (colSide instanceof Column c && columnName(c).equals(col) && tableOf(c, tables) == table) {
            return valueOf(valSide, names);
        }
        return null;
    }

    private static Candidate single(String keyspace, List<TableInfo> tables, Expression cond, Map<Object, String> names) {
        if (cond instanceof EqualsTo eq) {
            Candidate c = equality(keyspace, tables, eq.getLeftExpression(), eq.getRightExpression(), names);
            return c != null ? c : equality(keyspace, tables, eq.getRightExpression(), eq.getLeftExpression(), names);
        }
        if (cond instanceof OrExpression) {
            return disjunction(keyspace, tables, cond, names);
        }
        if (cond instanceof InExpression in && !in.isNot() && in.getLeftExpression() instanceof Column c) {
            VSchemaSnapshot.ColumnVindex cv = singleColumnVindex(c, tables);
            if (cv == null) {
                return null;
            }
            Expression right = in.getRightExpression();
            ValueExpr list;
            String name = names.get(right);
            if (name != null && name.startsWith(PULLOUT_PREFIX)) {
                return null;
            }
            if (name != null) {
                list = new ValueExpr.ListBind(name);
            } else if (right instanceof ExpressionList<?> el && !(right instanceof Select)) {
                List<ValueExpr> vals = new ArrayList<>();
                for (Expression e : el) {
                    ValueExpr v = valueOf(e, names);
                    if (v == null) {
                        return null;
                    }
                    vals.add(v);
                }
                list = new ValueExpr.TupleOf(vals);
            } else {
                return null;
            }
            return new Candidate(RouteOpcode.IN, cv.vindex().cost(),
                    new Routing(RouteOpcode.IN, keyspace, Optional.of(planned(cv)), List.of(list)), in);
        }
        return null;
    }

    /**
     * {@code v = a OR v = b OR ...} on one vindex column routes like {@code v IN (a, b, ...)}; the
     * shard query keeps the OR, so every reached shard gets all of it.
     */
    private static Candidate disjunction(String keyspace, List<TableInfo> tables, Expression cond, Map<Object, String> names) {
        List<Expression> terms = new ArrayList<>();
        addDisjuncts(cond, terms);
        VSchemaSnapshot.ColumnVindex vindex = null;
        TableInfo table = null;
        List<ValueExpr> values = new ArrayList<>();
        for (Expression t : terms) {
            if (!(t instanceof EqualsTo eq)) {
                return null;
            }
            Column c;
            ValueExpr v;
            if (eq.getLeftExpression() instanceof Column l && valueOf(eq.getRightExpression(), names) != null) {
                c = l;
                v = valueOf(eq.getRightExpression(), names);
            } else if (eq.getRightExpression() instanceof Column r && valueOf(eq.getLeftExpression(), names) != null) {
                c = r;
                v = valueOf(eq.getLeftExpression(), names);
            } else {
                return null;
            }
            VSchemaSnapshot.ColumnVindex cv = singleColumnVindex(c, tables);
            TableInfo ti = tableOf(c, tables);
            if (cv == null || (vindex != null && (cv != vindex || ti != table))) {
                return null;
            }
            vindex = cv;
            table = ti;
            values.add(v);
        }
        return new Candidate(RouteOpcode.IN, vindex.vindex().cost(),
                new Routing(RouteOpcode.IN, keyspace, Optional.of(planned(vindex)), List.of(new ValueExpr.TupleOf(values))));
    }

    private static void addDisjuncts(Expression e, List<Expression> out) {
        if (e instanceof OrExpression or) {
            addDisjuncts(or.getLeftExpression(), out);
            addDisjuncts(or.getRightExpression(), out);
        } else if (e instanceof ParenthesedExpressionList<?> p && p.size() == 1) {
            addDisjuncts(p.get(0), out);
        } else {
            out.add(e);
        }
    }

    private static Candidate equality(String keyspace, List<TableInfo> tables, Expression colSide, Expression valSide,
                                      Map<Object, String> names) {
        if (!(colSide instanceof Column c)) {
            return null;
        }
        VSchemaSnapshot.ColumnVindex cv = singleColumnVindex(c, tables);
        if (cv == null) {
            return null;
        }
        ValueExpr v = valueOf(valSide, names);
        if (v == null) {
            return null;
        }
        if (v instanceof ValueExpr.Const k && k.value().isNull()) {
            return new Candidate(RouteOpcode.NONE, 0, Routing.of(RouteOpcode.NONE, keyspace));
        }
        RouteOpcode op = cv.vindex().isUnique() ? RouteOpcode.EQUAL_UNIQUE : RouteOpcode.EQUAL;
        return new Candidate(op, cv.vindex().cost(), new Routing(op, keyspace, Optional.of(planned(cv)), List.of(v)));
    }

    private static VSchemaSnapshot.ColumnVindex singleColumnVindex(Column c, List<TableInfo> tables) {
        TableInfo t = tableOf(c, tables);
        if (t == null) {
            return null;
        }
        String name = columnName(c);
        for (VSchemaSnapshot.ColumnVindex cv : t.table().columnVindexes()) {
            if (cv.columns().size() == 1 && cv.columns().get(0).equals(name) && !(cv.vindex() instanceof MultiColumnVindex)) {
                return cv;
            }
        }
        return null;
    }
}
