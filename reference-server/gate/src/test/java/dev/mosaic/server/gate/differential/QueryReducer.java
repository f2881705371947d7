package dev.mosaic.server.gate.differential;

import dev.mosaic.server.gate.differential.SqlNode.Expr;
import dev.mosaic.server.gate.differential.SqlNode.Select;
import dev.mosaic.server.gate.differential.SqlNode.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Shrinks a failing statement to a small one that still fails: greedily tries smaller variants
 * (fewer UNION arms, no LIMIT, no ORDER BY, fewer select items, joins, WHERE and HAVING conditions,
 * no GROUP BY or DISTINCT, an expression replaced by one of its operands, a subquery shrunk the
 * same way) and keeps the first that the oracle says still fails, until none does or the budget of
 * tries is spent. Pure logic: the oracle decides what "still fails" means.
 */
final class QueryReducer {
    /** The result: the smallest failing statement found and how many candidates were tried. */
    record Reduction(Sql minimal, int tries, int shrinks) {
    }

    private QueryReducer() {
    }

    /** Reduces {@code failing} (which must fail) with at most {@code maxTries} oracle calls. */
    static Reduction reduce(Sql failing, Predicate<Sql> stillFails, int maxTries) {
        Sql current = failing;
        int tries = 0;
        int shrinks = 0;
        boolean progress = true;
        while (progress && tries < maxTries) {
            progress = false;
            for (Sql candidate : candidates(current)) {
                if (tries >= maxTries) {
                    break;
                }
                if (candidate.sql().length() >= current.sql().length()) {
                    continue;
                }
                tries++;
                if (stillFails.test(candidate)) {
                    current = candidate;
                    shrinks++;
                    progress = true;
                    break;
                }
            }
        }
        return new Reduction(current, tries, shrinks);
    }

    /** The one-step smaller variants of {@code q}, biggest cuts first. */
    static List<Sql> candidates(Sql q) {
        List<Sql> out = new ArrayList<>();
        if (q.arms().size() > 1) {
            for (int i = 0; i < q.arms().size(); i++) {
                out.add(new Sql(without(q.arms(), i), q.unionAll(), q.orderBy(), q.totalOrder(), q.limit()));
            }
        }
        if (!q.orderBy().isEmpty()) {
            out.add(new Sql(q.arms(), q.unionAll(), List.of(), false, ""));
        }
        if (!q.limit().isEmpty()) {
            out.add(new Sql(q.arms(), q.unionAll(), q.orderBy(), q.totalOrder(), ""));
        } else if (q.orderBy().size() > 1) {
            // Dropping a sort key may leave ties: the answer is then compared as a multiset.
            for (int i = 0; i < q.orderBy().size(); i++) {
                out.add(new Sql(q.arms(), q.unionAll(), without(q.orderBy(), i), false, ""));
            }
        }
        if (q.arms().size() > 1 && !q.unionAll()) {
            out.add(new Sql(q.arms(), true, q.orderBy(), q.totalOrder(), q.limit()));
        }
        for (int i = 0; i < q.arms().size(); i++) {
            for (Select s : candidates(q.arms().get(i))) {
                out.add(new Sql(with(q.arms(), i, s), q.unionAll(), q.orderBy(), q.totalOrder(), q.limit()));
            }
        }
        for (int i = 0; i < q.orderBy().size(); i++) {
            for (Expr e : alternatives(q.orderBy().get(i))) {
                out.add(new Sql(q.arms(), q.unionAll(), with(q.orderBy(), i, e), false, ""));
            }
        }
        return out;
    }

    private static List<Select> candidates(Select s) {
        List<Select> out = new ArrayList<>();
        for (int i = 0; i < s.joins().size(); i++) {
            out.add(new Select(s.distinct(), s.items(), s.from(), without(s.joins(), i), s.where(), s.groupBy(), s.having()));
        }
        for (int i = 0; i < s.where().size(); i++) {
            out.add(new Select(s.distinct(), s.items(), s.from(), s.joins(), without(s.where(), i), s.groupBy(), s.having()));
        }
        for (int i = 0; i < s.having().size(); i++) {
            out.add(new Select(s.distinct(), s.items(), s.from(), s.joins(), s.where(), s.groupBy(), without(s.having(), i)));
        }
        if (s.items().size() > 1) {
            for (int i = 0; i < s.items().size(); i++) {
                out.add(new Select(s.distinct(), without(s.items(), i), s.from(), s.joins(), s.where(), s.groupBy(), s.having()));
            }
        }
        if (!s.groupBy().isEmpty()) {
            out.add(new Select(s.distinct(), s.items(), s.from(), s.joins(), s.where(), List.of(), List.of()));
        }
        if (s.distinct()) {
            out.add(new Select(false, s.items(), s.from(), s.joins(), s.where(), s.groupBy(), s.having()));
        }
        for (int i = 0; i < s.items().size(); i++) {
            for (Expr e : alternatives(s.items().get(i))) {
                out.add(new Select(s.distinct(), with(s.items(), i, e), s.from(), s.joins(), s.where(), s.groupBy(), s.having()));
            }
        }
        for (int i = 0; i < s.where().size(); i++) {
            for (Expr e : alternatives(s.where().get(i))) {
                out.add(new Select(s.distinct(), s.items(), s.from(), s.joins(), with(s.where(), i, e), s.groupBy(), s.having()));
            }
        }
        for (int i = 0; i < s.having().size(); i++) {
            for (Expr e : alternatives(s.having().get(i))) {
                out.add(new Select(s.distinct(), s.items(), s.from(), s.joins(), s.where(), s.groupBy(), with(s.having(), i, e)));
            }
        }
        for (Expr e : alternatives(s.from())) {
            out.add(new Select(s.distinct(), s.items(), e, s.joins(), s.where(), s.groupBy(), s.having()));
        }
        for (int i = 0; i < s.joins().size(); i++) {
            for (Expr e : alternatives(s.joins().get(i))) {
                out.add(new Select(s.distinct(), s.items(), s.from(), with(s.joins(), i, e), s.where(), s.groupBy(), s.having()));
            }
        }
        return out;
    }

    /** {@code e} replaced by one of its operands, or with one operand (or subquery) shrunk. */
    static List<Expr> alternatives(Expr e) {
        List<Expr> out = new ArrayList<>();
        if (e.value()) {
            for (SqlNode arg : e.args()) {
                if (arg instanceof Expr a && a.value()) {
                    out.add(a);
                }
            }
        }
        for (int i = 0; i < e.args().size(); i++) {
            SqlNode arg = e.args().get(i);
            if (arg instanceof Expr a) {
                for (Expr alt : alternatives(a)) {
                    out.add(e.withArg(i, alt));
                }
            } else if (arg instanceof Sql sub) {
                for (Sql alt : candidates(sub)) {
                    out.add(e.withArg(i, alt));
                }
            }
        }
        return out;
    }

    private static <T> List<T> without(List<T> list, int i) {
        List<T> out = new ArrayList<>(list);
        out.remove(i);
        return out;
    }

    private static <T> List<T> with(List<T> list, int i, T t) {
        List<T> out = new ArrayList<>(list);
        out.set(i, t);
        return out;
    }
}
