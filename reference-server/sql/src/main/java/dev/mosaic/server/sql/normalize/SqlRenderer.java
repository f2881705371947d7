package dev.mosaic.server.sql.normalize;

import java.util.Map;
import java.util.function.Function;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.util.deparser.ExpressionDeParser;
import net.sf.jsqlparser.util.deparser.SelectDeParser;
import net.sf.jsqlparser.util.deparser.StatementDeParser;

/**
 * Prints an AST as SQL, writing each node named in a bind-variable map as {@code :name} (a
 * literal or a {@code ?} parameter) or {@code ::name} (the value list of an {@code IN}). Used for
 * the normalized text and for the per-shard query templates the planner builds.
 */
public final class SqlRenderer {
    private SqlRenderer() {
    }

    /** The SQL of {@code statement} with the nodes in {@code names} printed as bind variables. */
    public static String render(Statement statement, Map<Object, String> names) {
        return render(statement, names, null);
    }

    /**
     * The SQL of {@code statement} with the nodes in {@code names} printed as bind variables; each
     * {@code ?} parameter not in {@code names} is named by {@code parameterName} (when not null) as
     * the printer reaches it, and the name is added to {@code names}, which must then be mutable.
     */
    static String render(Statement statement, Map<Object, String> names, Function<JdbcParameter, String> parameterName) {
        StringBuilder sb = new StringBuilder(128);
        BindingExpressionDeParser expr = new BindingExpressionDeParser(names, parameterName);
        SelectDeParser select = new SelectDeParser(expr, sb);
        expr.setSelectVisitor(select);
        expr.setBuilder(sb);
        StatementDeParser st = new StatementDeParser(expr, select, sb);
        statement.accept(st);
        return sb.toString();
    }

    /** The SQL of one expression with the nodes in {@code names} printed as bind variables. */
    public static String renderExpression(Expression expression, Map<Object, String> names) {
        StringBuilder sb = new StringBuilder(32);
        BindingExpressionDeParser expr = new BindingExpressionDeParser(names, null);
        SelectDeParser select = new SelectDeParser(expr, sb);
        expr.setSelectVisitor(select);
        expr.setBuilder(sb);
        expression.accept(expr, null);
        return sb.toString();
    }

    private static final class BindingExpressionDeParser extends ExpressionDeParser {
        private final Map<Object, String> names;
        private final Function<JdbcParameter, String> parameterName;

        BindingExpressionDeParser(Map<Object, String> names, Function<JdbcParameter, String> parameterName) {
            this.names = names;
            this.parameterName = parameterName;
        }

        @Override
        public <S> StringBuilder visit(JdbcParameter p, S context) {
            String name = names.get(p);
            if (name == null && parameterName != null) {
                name = parameterName.apply(p);
                names.put(p, name);
            }
            if (name == null) {
                return super.visit(p, context);
            }
            builder.append(':').append(name);
            return builder;
        }

        private boolean bind(Object node) {
            String name = names.get(node);
            if (name == null) {
                return false;
            }
            builder.append(':').append(name);
            return true;
        }

        @Override
        public <S> StringBuilder visit(net.sf.jsqlparser.schema.Column c, S context) {
            return bind(c) ? builder : super.visit(c, context);
        }

        @Override
        public <S> StringBuilder visit(LongValue v, S context) {
            return bind(v) ? builder : super.visit(v, context);
        }

        @Override
        public <S> StringBuilder visit(DoubleValue v, S context) {
            return bind(v) ? builder : super.visit(v, context);
        }

        @Override
        public <S> StringBuilder visit(StringValue v, S context) {
            return bind(v) ? builder : super.visit(v, context);
        }

        @Override
        public <S> StringBuilder visit(HexValue v, S context) {
            return bind(v) ? builder : super.visit(v, context);
        }

        @Override
        public <S> StringBuilder visit(SignedExpression v, S context) {
            return bind(v) ? builder : super.visit(v, context);
        }

        @Override
        public <S> StringBuilder visit(InExpression in, S context) {
            String name = names.get(in.getRightExpression());
            if (name == null) {
                return super.visit(in, context);
            }
            in.getLeftExpression().accept(this, context);
            builder.append(in.isNot() ? " NOT IN " : " IN ").append("::").append(name);
            return builder;
        }
    }
}
