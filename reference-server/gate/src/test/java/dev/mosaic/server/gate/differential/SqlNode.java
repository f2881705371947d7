package dev.mosaic.server.gate.differential;

import java.util.ArrayList;
import java.util.List;

/**
 * A generated statement as parts the reducer can drop or simplify: a {@link Sql} (one SELECT or a
 * UNION of several, with the final ORDER BY / LIMIT) made of {@link Select}s whose expressions are
 * {@link Expr} trees. Immutable; {@link #sql()} renders MySQL text.
 */
sealed interface SqlNode permits SqlNode.Expr, SqlNode.Sql {
    /** The MySQL text of this part. */
    String sql();

    /**
     * An expression, predicate or FROM item: a template whose {@code {}} holes are filled, in
     * order, by its children (expressions or subqueries). A {@code value} node may be replaced by
     * one of its {@code value} children when the reducer simplifies; a frame (a join clause, a
     * subquery wrapper) is kept and only its children shrink.
     */
    record Expr(String template, List<SqlNode> args, boolean value) implements SqlNode {
        public Expr {
            args = List.copyOf(args);
        }

        static Expr leaf(String text) {
            return new Expr(text, List.of(), true);
        }

        static Expr of(String template, SqlNode... args) {
            return new Expr(template, List.of(args), true);
        }

        static Expr frame(String template, SqlNode... args) {
            return new Expr(template, List.of(args), false);
        }

        @Override
        public String sql() {
            StringBuilder sb = new StringBuilder();
            int from = 0;
            for (SqlNode arg : args) {
                int hole = template.indexOf("{}", from);
                if (hole < 0) {
                    throw new IllegalStateException("more arguments than holes in " + template);
                }
                sb.append(template, from, hole).append(arg.sql());
                from = hole + 2;
            }
            if (template.indexOf("{}", from) >= 0) {
                throw new IllegalStateException("fewer arguments than holes in " + template);
            }
            return sb.append(template.substring(from)).toString();
        }

        Expr withArg(int i, SqlNode arg) {
            List<SqlNode> a = new ArrayList<>(args);
            a.set(i, arg);
            return new Expr(template, a, value);
        }
    }

    /**
     * One SELECT (no ORDER BY / LIMIT of its own: those are the enclosing {@link Sql}'s).
     *
     * @param items   select expressions (at least one)
     * @param from    the first FROM item
     * @param joins   the JOIN clauses after it
     * @param where   AND-ed conditions
     * @param groupBy GROUP BY expressions
     * @param having  AND-ed HAVING conditions
     */
    record Select(boolean distinct, List<Expr> items, Expr from, List<Expr> joins, List<Expr> where,
            List<Expr> groupBy, List<Expr> having) {
        public Select {
            items = List.copyOf(items);
            joins = List.copyOf(joins);
            where = List.copyOf(where);
            groupBy = List.copyOf(groupBy);
            having = List.copyOf(having);
        }

        String sql() {
            StringBuilder sb = new StringBuilder("SELECT ");
            if (distinct) {
                sb.append("DISTINCT ");
            }
            sb.append(join(items, ", ")).append(" FROM ").append(from.sql());
            for (Expr j : joins) {
                sb.append(' ').append(j.sql());
            }
            if (!where.isEmpty()) {
                sb.append(" WHERE ").append(join(where, " AND "));
            }
            if (!groupBy.isEmpty()) {
                sb.append(" GROUP BY ").append(join(groupBy, ", "));
            }
            if (!having.isEmpty()) {
                sb.append(" HAVING ").append(join(having, " AND "));
            }
            return sb.toString();
        }

        private static String join(List<Expr> parts, String sep) {
            List<String> s = new ArrayList<>();
            for (Expr e : parts) {
                s.add(e.sql());
            }
            return String.join(sep, s);
        }
    }

    /**
     * A statement: one SELECT, or several joined by UNION / UNION ALL, then ORDER BY and LIMIT.
     *
     * @param orderBy    ORDER BY keys, rendered as written (expressions, or positions for a union)
     * @param totalOrder whether the ORDER BY fixes the order of every row (so the answer is compared in order)
     * @param limit      {@code ""} or {@code " LIMIT n"} / {@code " LIMIT n OFFSET m"}
     */
    record Sql(List<Select> arms, boolean unionAll, List<Expr> orderBy, boolean totalOrder, String limit)
            implements SqlNode {
        public Sql {
            arms = List.copyOf(arms);
            orderBy = List.copyOf(orderBy);
            if (arms.isEmpty()) {
                throw new IllegalArgumentException("no SELECT");
            }
            if (!limit.isEmpty() && !totalOrder) {
                throw new IllegalArgumentException("a LIMIT needs a total order: " + arms.get(0).sql());
            }
        }

        static Sql of(Select s) {
            return new Sql(List.of(s), false, List.of(), false, "");
        }

        @Override
        public String sql() {
            List<String> parts = new ArrayList<>();
            for (Select s : arms) {
                parts.add(s.sql());
            }
            StringBuilder sb = new StringBuilder(String.join(unionAll ? " UNION ALL " : " UNION ", parts));
            if (!orderBy.isEmpty()) {
                sb.append(" ORDER BY ").append(Select.join(orderBy, ", "));
            }
            return sb.append(limit).toString();
        }

        /** Whether the answer must be compared in order. */
        boolean ordered() {
            return totalOrder && !orderBy.isEmpty();
        }
    }
}
