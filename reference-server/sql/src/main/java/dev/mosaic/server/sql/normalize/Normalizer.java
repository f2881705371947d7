package dev.mosaic.server.sql.normalize;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.JsonExpression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.FullTextSearch;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.Offset;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * Replaces literals by bind variables so that one plan serves every value, as Vitess's
 * normalizer does: {@code select a from t where id = 5} becomes
 * {@code SELECT a FROM t WHERE id = :vtg1} with {@code vtg1 = 5}.
 *
 * <p>Literals are normalized in WHERE, HAVING, JOIN ... ON, LIMIT/OFFSET, INSERT VALUES, the
 * SET of UPDATE and of ON DUPLICATE KEY UPDATE, including inside subqueries there. A literal
 * {@code IN} list becomes one list variable ({@code id IN ::vtg1}). Where MySQL needs the literal
 * itself, or where it names the result, nothing is replaced: the select list (a constant's column
 * name is its text), ORDER BY and GROUP BY (a number there is a column position), INTERVAL,
 * JSON path operators, MATCH ... AGAINST, NULL and booleans. Bind variables the client already
 * used are left alone and their names are never reused.
 *
 * <p>The {@code ?} parameters of a prepared statement, wherever they are, become the bind
 * variables {@code :v1 .. :vN} in the order they appear in the text (Vitess's names), so that
 * {@code select a from t where id = ? limit 5} becomes
 * {@code SELECT a FROM t WHERE id = :v1 LIMIT :vtg1}; their values come with each execution.
 *
 * <p>Stateless and thread-safe.
 */
public final class Normalizer {
    private static final String PREFIX = "vtg";
    private static final String PARAMETER_PREFIX = "v";

    private Normalizer() {
    }

    /** Normalizes {@code statement} (the AST is not modified). */
    public static NormalizedStatement normalize(Statement statement) {
        Collector c = new Collector();
        c.statement(statement);
        IdentityHashMap<Object, String> names = new IdentityHashMap<>();
        LinkedHashMap<String, Value> values = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<Object, Value> e : c.literals) {
            String name;
            do {
                n++;
                name = PREFIX + n;
            } while (c.reserved.contains(name));
            names.put(e.getKey(), name);
            values.put(name, e.getValue());
        }
        Parameters parameters = new Parameters(c.reserved);
        String sql = SqlRenderer.render(statement, names, parameters::name);
        parameters.check();
        return new NormalizedStatement(statement, sql, values.isEmpty() ? BindVariables.EMPTY : BindVariables.of(values),
                names, parameters.seen.size());
    }

    /** The name of the bind variable that carries the value of the {@code index}-th {@code ?} (from 1). */
    public static String parameterName(int index) {
        return PARAMETER_PREFIX + index;
    }

    /**
     * Names {@code ?} parameters as the renderer reaches them. JSqlParser numbers them from 1 in
     * the order of the text, which is the order of the values a client sends, so the name comes
     * from that number; {@link #check} makes sure every number from 1 up was printed once.
     */
    private static final class Parameters {
        final Set<String> reserved;
        final Set<Integer> seen = new HashSet<>();

        Parameters(Set<String> reserved) {
            this.reserved = reserved;
        }

        String name(JdbcParameter p) {
            Integer index = p.getIndex();
            if (p.isUseFixedIndex() || index == null || index < 1 || !seen.add(index)) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "unsupported parameter marker " + p
                        + ": only plain ? parameters are supported");
            }
            String name = parameterName(index);
            if (reserved.contains(name)) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "bind variable :" + name
                        + " is used both by name and as a ? parameter");
            }
            return name;
        }

        void check() {
            for (int i = 1; i <= seen.size(); i++) {
                if (!seen.contains(i)) {
                    throw new MosaicException(ErrorCode.INTERNAL, "parameter ? number " + i + " was lost in normalization");
                }
            }
        }
    }

    /** Walks the normalizable parts of a statement, recording literal nodes in order. */
    private static final class Collector extends ExpressionVisitorAdapter<Void> {
        final List<Map.Entry<Object, Value>> literals = new ArrayList<>();
        final Set<String> reserved = new HashSet<>();

        void statement(Statement st) {
            if (st instanceof Select s) {
                select(s);
            } else if (st instanceof Insert i) {
                insert(i);
            } else if (st instanceof Update u) {
                for (UpdateSet set : u.getUpdateSets()) {
                    expressions(set.getValues());
                }
                expr(u.getWhere());
                limit(u.getLimit());
            } else if (st instanceof Delete d) {
                expr(d.getWhere());
                limit(d.getLimit());
            }
        }

        void insert(Insert i) {
            if (i.getSelect() instanceof Values values) {
                ExpressionList<Expression> rows = values.getExpressions();
                if (!rows.isEmpty() && rows.get(0) instanceof ParenthesedExpressionList<?>) {
                    for (Expression row : rows) {
                        expressions((ExpressionList<?>) row);
                    }
                } else {
                    expressions(rows);
                }
            } else if (i.getSelect() != null) {
                select(i.getSelect());
            }
            if (i.getDuplicateUpdateSets() != null) {
                for (UpdateSet set : i.getDuplicateUpdateSets()) {
                    expressions(set.getValues());
                }
            }
        }

        void select(Select s) {
            if (s instanceof PlainSelect p) {
                fromItem(p.getFromItem());
                if (p.getJoins() != null) {
                    for (Join j : p.getJoins()) {
                        fromItem(j.getRightItem());
                        for (Expression on : j.getOnExpressions()) {
                            expr(on);
                        }
                    }
                }
                expr(p.getWhere());
                expr(p.getHaving());
                limit(p.getLimit());
                offset(p.getOffset());
            } else if (s instanceof SetOperationList u) {
                for (Select part : u.getSelects()) {
                    select(part);
                }
                limit(u.getLimit());
                offset(u.getOffset());
            } else if (s instanceof ParenthesedSelect ps) {
                select(ps.getSelect());
                limit(ps.getLimit());
                offset(ps.getOffset());
            }
        }

        void fromItem(FromItem f) {
            if (f instanceof ParenthesedSelect ps) {
                select(ps);
            }
        }

        void limit(Limit l) {
            if (l == null) {
                return;
            }
            literal(l.getRowCount());
            literal(l.getOffset());
        }

        void offset(Offset o) {
            if (o != null) {
                literal(o.getOffset());
            }
        }

        void literal(Expression e) {
            if (e instanceof LongValue) {
                record(e);
            }
        }

        void expr(Expression e) {
            if (e != null) {
                e.accept(this, null);
            }
        }

        void expressions(ExpressionList<?> list) {
            if (list != null) {
                for (Expression e : list) {
                    expr(e);
                }
            }
        }

        private Void record(Expression e) {
            Value v = Literal.normalizable(e);
            if (v != null) {
                literals.add(Map.entry(e, v));
            }
            return null;
        }

        @Override
        public <S> Void visit(LongValue v, S context) {
            return record(v);
        }

        @Override
        public <S> Void visit(DoubleValue v, S context) {
            return record(v);
        }

        @Override
        public <S> Void visit(StringValue v, S context) {
            return record(v);
        }

        @Override
        public <S> Void visit(HexValue v, S context) {
            return record(v);
        }

        @Override
        public <S> Void visit(SignedExpression v, S context) {
            if (Literal.normalizable(v) != null) {
                return record(v);
            }
            return super.visit(v, context);
        }

        @Override
        public <S> Void visit(JdbcNamedParameter p, S context) {
            reserved.add(p.getName());
            return null;
        }

        @Override
        public <S> Void visit(InExpression in, S context) {
            Expression right = in.getRightExpression();
            if (right instanceof ExpressionList<?> list && !(right instanceof Select) && !list.isEmpty()
                    && !(in.getLeftExpression() instanceof ExpressionList<?>)) {
                List<Value> vals = new ArrayList<>();
                for (Expression e : list) {
                    Value v = Literal.normalizable(e);
                    if (v == null) {
                        vals = null;
                        break;
                    }
                    vals.add(v);
                }
                if (vals != null) {
                    expr(in.getLeftExpression());
                    literals.add(Map.entry(right, new Value.Tuple(vals)));
                    return null;
                }
            }
            return super.visit(in, context);
        }

        @Override
        public <S> Void visit(ParenthesedSelect s, S context) {
            select(s);
            return null;
        }

        @Override
        public <S> Void visit(Select s, S context) {
            select(s);
            return null;
        }

        @Override
        public <S> Void visit(IntervalExpression e, S context) {
            return null;
        }

        @Override
        public <S> Void visit(JsonExpression e, S context) {
            return null;
        }

        @Override
        public <S> Void visit(FullTextSearch e, S context) {
            return null;
        }
    }
}
