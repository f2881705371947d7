package dev.mosaic.server.gate.differential;

import dev.mosaic.server.gate.differential.SqlNode.Expr;
import dev.mosaic.server.gate.differential.SqlNode.Select;
import dev.mosaic.server.gate.differential.SqlNode.Sql;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded random SELECT generator over {@link GeneratedSchema}: a small grammar of typed
 * expressions (bounded depth), predicates, routing conditions on the hash and lookup vindex
 * columns, joins of every kind the schema allows (co-located, cross-shard, to the reference table,
 * across keyspaces, LEFT), subqueries (IN, NOT IN, scalar, EXISTS; correlated or not; in WHERE and
 * the select list), derived tables, UNION / UNION ALL, aggregates with GROUP BY and HAVING, DISTINCT,
 * ORDER BY and LIMIT/OFFSET. A LIMIT is only generated under a total ORDER BY (its rows would
 * otherwise be any of several answers). Each statement comes with the constructs it contains.
 * The same seed gives the same statements.
 */
final class SqlGrammar {
    enum Type { INT, DEC, STR, DT }

    enum Role { PK, HASH, LOOKUP, NONE }

    enum Kind { SHARDED, REFERENCE, UNSHARDED }

    record Col(String name, Type type, Role role) {
    }

    /** A table as written in FROM ({@code name}, e.g. {@code commerce.products}) with an alias. */
    record Table(String name, String alias, Kind kind, List<Col> cols) {
        Table as(String other) {
            return new Table(name, other, kind, cols);
        }

        String ref(Col c) {
            return alias + "." + c.name();
        }

        Col col(String n) {
            return cols.stream().filter(c -> c.name().equals(n)).findFirst().orElseThrow(() -> new IllegalArgumentException(n));
        }

        Col pk() {
            return cols.get(0);
        }

        List<Col> cols(Type t) {
            return cols.stream().filter(c -> c.type() == t).toList();
        }

        boolean same(Table o) {
            return name.equals(o.name);
        }
    }

    /** A join or correlation path: {@code a.colA = b.colB}, and what kind of join it makes. */
    record Edge(Table a, String colA, Table b, String colB, Construct kind) {
    }

    /** A generated statement, its constructs, and whether text compares case- and accent-insensitively. */
    record Generated(Sql sql, Set<Construct> constructs, boolean caseInsensitive) {
    }

    static final Table USERS = new Table("users", "u", Kind.SHARDED, List.of(new Col("user_id", Type.INT, Role.HASH),
            new Col("email", Type.STR, Role.LOOKUP), new Col("name", Type.STR, Role.NONE), new Col("region", Type.STR, Role.NONE),
            new Col("balance", Type.DEC, Role.NONE), new Col("score", Type.INT, Role.NONE), new Col("created", Type.DT, Role.NONE)));
    static final Table ORDERS = new Table("orders", "o", Kind.SHARDED, List.of(new Col("order_id", Type.INT, Role.PK),
            new Col("user_id", Type.INT, Role.HASH), new Col("sku", Type.STR, Role.NONE), new Col("qty", Type.INT, Role.NONE),
            new Col("amount", Type.DEC, Role.NONE), new Col("placed", Type.DT, Role.NONE), new Col("status", Type.STR, Role.NONE)));
    static final Table EVENTS = new Table("events", "e", Kind.SHARDED, List.of(new Col("event_id", Type.INT, Role.HASH),
            new Col("user_id", Type.INT, Role.NONE), new Col("kind", Type.STR, Role.NONE), new Col("weight", Type.INT, Role.NONE),
            new Col("at", Type.DT, Role.NONE)));
    static final Table REGIONS = new Table("regions", "r", Kind.REFERENCE, List.of(new Col("region", Type.STR, Role.PK),
            new Col("zone", Type.STR, Role.NONE), new Col("tax", Type.DEC, Role.NONE)));
    static final Table PRODUCTS = new Table("commerce.products", "p", Kind.UNSHARDED, List.of(new Col("sku", Type.STR, Role.PK),
            new Col("title", Type.STR, Role.NONE), new Col("category", Type.STR, Role.NONE), new Col("price", Type.DEC, Role.NONE),
            new Col("stock", Type.INT, Role.NONE)));
    private static final List<Table> TABLES = List.of(USERS, USERS, USERS, ORDERS, ORDERS, ORDERS, EVENTS, EVENTS, REGIONS, PRODUCTS);
    private static final List<Edge> EDGES = List.of(
            new Edge(USERS, "user_id", ORDERS, "user_id", Construct.JOIN_COLOCATED),
            new Edge(USERS, "user_id", EVENTS, "user_id", Construct.JOIN_CROSS_SHARD),
            new Edge(ORDERS, "user_id", EVENTS, "user_id", Construct.JOIN_CROSS_SHARD),
            new Edge(USERS, "score", EVENTS, "weight", Construct.JOIN_CROSS_SHARD),
            new Edge(ORDERS, "qty", EVENTS, "weight", Construct.JOIN_CROSS_SHARD),
            new Edge(USERS, "region", REGIONS, "region", Construct.JOIN_REFERENCE),
            new Edge(ORDERS, "sku", PRODUCTS, "sku", Construct.JOIN_CROSS_KEYSPACE),
            new Edge(USERS, "score", PRODUCTS, "stock", Construct.JOIN_CROSS_KEYSPACE));
    private static final Set<Construct> CASE_BLURRING = EnumSet.of(Construct.GROUP_BY, Construct.DISTINCT, Construct.UNION,
            Construct.UNION_ALL, Construct.AGGREGATE, Construct.GROUP_CONCAT, Construct.COUNT_DISTINCT);

    private final Random random;
    private final List<String> emails;
    private Set<Construct> tags;
    private Set<String> tables;

    SqlGrammar(long seed, List<String> emails) {
        this.random = new Random(seed);
        this.emails = List.copyOf(emails);
    }

    /** The next statement. */
    Generated next() {
        tags = EnumSet.noneOf(Construct.class);
        tables = new LinkedHashSet<>();
        Sql sql = switch (random.nextInt(20)) {
            case 0, 1, 2, 3, 4 -> rows(List.of(pickTable()));
            case 5, 6, 7 -> aggregate(List.of(pickTable()));
            case 8, 9, 10, 11 -> rows(joined());
            case 12 -> aggregate(joined());
            case 13, 14 -> distinct(random.nextInt(3) == 0 ? joined() : List.of(pickTable()));
            case 15, 16 -> union();
            default -> derived();
        };
        if (tables.stream().allMatch(t -> t.equals(PRODUCTS.name()))) {
            tags.add(Construct.UNSHARDED_ONLY);
        } else if (tables.stream().allMatch(t -> t.equals(REGIONS.name()))) {
            tags.add(Construct.REFERENCE_ONLY);
        }
        boolean ci = tags.stream().anyMatch(CASE_BLURRING::contains);
        return new Generated(sql, Set.copyOf(tags), ci);
    }

    /** {@code n} statements. */
    List<Generated> generate(int n) {
        List<Generated> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    // ---- statement shapes -------------------------------------------------------------------

    private Sql rows(List<Table> scope) {
        List<Expr> items = new ArrayList<>();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            items.add(item(scope));
        }
        if (random.nextInt(8) == 0) {
            items.add(selectListSubquery(scope));
        }
        Select s = new Select(false, items, from(scope), joins(scope), where(scope), List.of(), List.of());
        return ordered(s, scope);
    }

    private Sql ordered(Select s, List<Table> scope) {
        int pick = random.nextInt(20);
        if (pick < 9) {
            List<Expr> order = sortKeys(scope);
            for (Table t : scope) {
                order.add(Expr.leaf(t.ref(t.pk()) + dir()));
            }
            tags.add(Construct.ORDER_BY_TOTAL);
            return new Sql(List.of(s), false, order, true, limit(random.nextInt(3) != 0));
        }
        if (pick < 12) {
            tags.add(Construct.ORDER_BY_PARTIAL);
            return new Sql(List.of(s), false, sortKeys(scope), false, "");
        }
        return Sql.of(s);
    }

    private List<Expr> sortKeys(List<Table> scope) {
        List<Expr> keys = new ArrayList<>();
        int n = 1 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
            Table t = pick(scope);
            keys.add(Expr.leaf(t.ref(pick(t.cols())) + dir()));
        }
        return keys;
    }

    private Sql aggregate(List<Table> scope) {
        List<Expr> keys = new ArrayList<>();
        int nKeys = random.nextInt(3);
        for (int i = 0; i < nKeys; i++) {
            keys.add(groupKey(scope));
        }
        List<Expr> items = new ArrayList<>(keys);
        int nAggs = 1 + random.nextInt(3);
        for (int i = 0; i < nAggs; i++) {
            items.add(aggregateCall(scope));
        }
        List<Expr> having = new ArrayList<>();
        if (!keys.isEmpty()) {
            tags.add(Construct.GROUP_BY);
            if (random.nextInt(3) == 0) {
                tags.add(Construct.HAVING);
                having.add(Expr.of("{} " + pick(">", "<", ">=", "<>") + " " + (random.nextInt(6) - 1), aggregateCall(scope, true)));
            }
        }
        Select s = new Select(false, items, from(scope), joins(scope), where(scope), keys, having);
        if (keys.isEmpty() || random.nextInt(3) == 0) {
            return Sql.of(s);
        }
        List<Expr> order = new ArrayList<>();
        if (random.nextBoolean()) {
            order.add(Expr.leaf(items.get(keys.size()).sql() + dir()));
        }
        for (Expr k : keys) {
            order.add(Expr.leaf(k.sql() + dir()));
        }
        tags.add(Construct.ORDER_BY_TOTAL);
        return new Sql(List.of(s), false, order, true, limit(random.nextBoolean()));
    }

    private Sql distinct(List<Table> scope) {
        tags.add(Construct.DISTINCT);
        List<Expr> items = new ArrayList<>();
        int n = 1 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
            // The first is a column: for a DISTINCT of constants only, MariaDB 10.11 answered
            // SELECT DISTINCT ROUND(227.50, 1) FROM orders o ORDER BY ROUND(227.50, 1) DESC LIMIT 11, 3
            // with a row (its OFFSET ignored).
            items.add(i > 0 && random.nextInt(3) == 0 ? item(scope) : column(scope));
        }
        Select s = new Select(true, items, from(scope), joins(scope), where(scope), List.of(), List.of());
        if (random.nextBoolean()) {
            return Sql.of(s);
        }
        List<Expr> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String e = items.get(i).sql();
            // An integer literal in ORDER BY would be a column position: order by the item's position.
            order.add(Expr.leaf((e.matches("-?[0-9]+") ? String.valueOf(i + 1) : e) + dir()));
        }
        tags.add(Construct.ORDER_BY_TOTAL);
        return new Sql(List.of(s), false, order, true, limit(random.nextBoolean()));
    }

    private Sql union() {
        boolean all = random.nextBoolean();
        tags.add(all ? Construct.UNION_ALL : Construct.UNION);
        List<Type> types = new ArrayList<>();
        int width = 1 + random.nextInt(2);
        for (int i = 0; i < width; i++) {
            types.add(pick(Type.values()));
        }
        List<Select> arms = new ArrayList<>();
        int n = 2 + random.nextInt(2);
        while (arms.size() < n) {
            Table t = pickTable();
            if (types.stream().anyMatch(ty -> t.cols(ty).isEmpty())) {
                continue;
            }
            List<Expr> items = new ArrayList<>();
            for (Type ty : types) {
                items.add(Expr.leaf(t.ref(pick(t.cols(ty)))));
            }
            List<Table> scope = List.of(t);
            tables.add(t.name());
            arms.add(new Select(false, items, Expr.leaf(t.name() + " " + t.alias()), List.of(), where(scope), List.of(), List.of()));
        }
        if (random.nextBoolean()) {
            return new Sql(arms, all, List.of(), false, "");
        }
        List<Expr> order = new ArrayList<>();
        for (int i = 1; i <= width; i++) {
            order.add(Expr.leaf(i + dir()));
        }
        tags.add(Construct.ORDER_BY_TOTAL);
        return new Sql(arms, all, order, true, limit(random.nextBoolean()));
    }

    /** A derived table: the first column of the inner SELECT is unique (a primary key or the group key). */
    private Sql derived() {
        tags.add(Construct.DERIVED_TABLE);
        Table t = pickTable();
        List<Table> inner = List.of(t);
        List<Expr> items = new ArrayList<>();
        List<Type> types = new ArrayList<>();
        List<Expr> groupBy = new ArrayList<>();
        Select innerSelect;
        if (random.nextBoolean()) {
            items.add(Expr.leaf(t.ref(t.pk()) + " AS c1"));
            types.add(t.pk().type());
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                Col c = pick(t.cols());
                items.add(Expr.leaf(t.ref(c) + " AS c" + (i + 2)));
                types.add(c.type());
            }
            innerSelect = new Select(false, items, from(inner), List.of(), where(inner), List.of(), List.of());
        } else {
            tags.add(Construct.GROUP_BY);
            tags.add(Construct.AGGREGATE);
            Col key = pick(t.cols());
            groupBy.add(Expr.leaf(t.ref(key)));
            items.add(Expr.leaf(t.ref(key) + " AS c1"));
            types.add(key.type());
            items.add(Expr.leaf("COUNT(*) AS c2"));
            types.add(Type.INT);
            List<Col> nums = new ArrayList<>(t.cols(Type.INT));
            nums.addAll(t.cols(Type.DEC));
            Col m = pick(nums);
            String fn = pick("SUM", "MIN", "MAX");
            items.add(Expr.leaf(fn + "(" + t.ref(m) + ") AS c3"));
            types.add(fn.equals("SUM") ? Type.DEC : m.type());
            innerSelect = new Select(false, items, from(inner), List.of(), where(inner), groupBy, List.of());
        }
        Table d = new Table("(derived)", "d", Kind.SHARDED, derivedCols(types));
        List<Table> outerScope = new ArrayList<>(List.of(d));
        Expr from = Expr.frame("({}) AS d", Sql.of(innerSelect));
        List<Expr> joins = new ArrayList<>();
        if (t != USERS && random.nextInt(3) == 0 && types.get(0) == Type.INT && t.pk().type() == Type.INT) {
            // Join the derived table to users on its first column.
            tables.add(USERS.name());
            joins.add(Expr.frame("JOIN users u ON {}", Expr.of("u.user_id = {}", Expr.leaf("d.c1"))));
            tags.add(Construct.JOIN_CROSS_SHARD);
            outerScope.add(USERS);
        }
        List<Expr> outItems = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            Table from1 = pick(outerScope);
            outItems.add(Expr.leaf(from1.ref(pick(from1.cols()))));
        }
        List<Expr> where = new ArrayList<>();
        if (random.nextBoolean()) {
            where.add(predicate(List.of(d), 1));
        }
        Select outer = new Select(false, outItems, from, joins, where, List.of(), List.of());
        if (random.nextBoolean()) {
            return Sql.of(outer);
        }
        List<Expr> order = new ArrayList<>();
        for (Table tt : outerScope) {
            order.add(Expr.leaf(tt.ref(tt.pk()) + dir()));
        }
        tags.add(Construct.ORDER_BY_TOTAL);
        return new Sql(List.of(outer), false, order, true, limit(random.nextBoolean()));
    }

    private static List<Col> derivedCols(List<Type> types) {
        List<Col> cols = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            cols.add(new Col("c" + (i + 1), types.get(i), i == 0 ? Role.PK : Role.NONE));
        }
        return cols;
    }

    // ---- FROM and joins ---------------------------------------------------------------------

    private Table pickTable() {
        return pick(TABLES);
    }

    /** Two or three tables connected by join edges, in join order. */
    private List<Table> joined() {
        List<Table> scope = new ArrayList<>();
        scope.add(pickTable());
        int n = 1 + (random.nextInt(4) == 0 ? 2 : 1);
        for (int attempt = 0; scope.size() < n && attempt < 20; attempt++) {
            Edge e = pick(EDGES);
            boolean hasA = scope.stream().anyMatch(t -> t.same(e.a()));
            boolean hasB = scope.stream().anyMatch(t -> t.same(e.b()));
            if (hasA != hasB) {
                scope.add(hasA ? e.b() : e.a());
            }
        }
        return scope;
    }

    private Expr from(List<Table> scope) {
        Table t = scope.get(0);
        tables.add(t.name());
        return Expr.leaf(t.name() + " " + t.alias());
    }

    /** The JOIN clauses for every table of {@code scope} after the first, each on an edge to an earlier one. */
    private List<Expr> joins(List<Table> scope) {
        List<Expr> out = new ArrayList<>();
        for (int i = 1; i < scope.size(); i++) {
            Table t = scope.get(i);
            tables.add(t.name());
            Edge edge = null;
            Table other = null;
            for (Edge e : EDGES) {
                for (Table prev : scope.subList(0, i)) {
                    if (e.a().same(prev) && e.b().same(t) || e.b().same(prev) && e.a().same(t)) {
                        edge = e;
                        other = prev;
                    }
                }
                if (edge != null && random.nextBoolean()) {
                    break;
                }
            }
            if (edge == null) {
                throw new IllegalStateException("no edge to " + t.name());
            }
            tags.add(edge.kind());
            String mine = edge.a().same(t) ? edge.colA() : edge.colB();
            String theirs = edge.a().same(t) ? edge.colB() : edge.colA();
            Expr on = Expr.of(t.alias() + "." + mine + " = {}", Expr.leaf(other.alias() + "." + theirs));
            boolean left = random.nextInt(4) == 0;
            if (left) {
                tags.add(Construct.LEFT_JOIN);
            }
            if (random.nextInt(4) == 0) {
                on = Expr.of("{} AND {}", on, predicate(List.of(t), 1));
            }
            out.add(Expr.frame((left ? "LEFT JOIN " : "JOIN ") + t.name() + " " + t.alias() + " ON {}", on));
        }
        return out;
    }

    // ---- WHERE --------------------------------------------------------------------------------

    private List<Expr> where(List<Table> scope) {
        List<Expr> out = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(20);
            Table t = pick(scope);
            if (k < 5 && t.kind() == Kind.SHARDED && !t.name().equals("(derived)")) {
                out.add(routing(t));
            } else if (k < 8) {
                out.add(subqueryPredicate(scope));
            } else {
                out.add(predicate(random.nextInt(5) == 0 ? scope : List.of(t), 2));
            }
        }
        return out;
    }

    private Expr routing(Table t) {
        Col hash = t.cols().stream().filter(c -> c.role() == Role.HASH).findFirst().orElseThrow();
        if (t == USERS && random.nextInt(3) == 0) {
            tags.add(Construct.EQ_LOOKUP_COLUMN);
            String email = random.nextInt(6) == 0 ? "nobody@example.com" : pick(emails);
            if (random.nextInt(8) == 0) {
                email = email.toUpperCase(java.util.Locale.ROOT);
            }
            return Expr.leaf(t.ref(t.col("email")) + " = " + GeneratedSchema.str(email));
        }
        if (random.nextBoolean()) {
            tags.add(Construct.EQ_HASH_COLUMN);
            return Expr.leaf(t.ref(hash) + " = " + literal(t, hash));
        }
        tags.add(Construct.IN_LIST_HASH_COLUMN);
        List<String> values = new ArrayList<>();
        int n = 1 + random.nextInt(5);
        for (int i = 0; i < n; i++) {
            values.add(literal(t, hash));
        }
        return Expr.leaf(t.ref(hash) + " IN (" + String.join(", ", values) + ")");
    }

    /** A boolean expression over columns of {@code scope}. */
    private Expr predicate(List<Table> scope, int depth) {
        int k = random.nextInt(depth > 0 ? 14 : 9);
        Table t = pick(scope);
        Col c = pick(t.cols());
        Expr col = Expr.leaf(t.ref(c));
        switch (k) {
            case 0, 1, 2 -> {
                return Expr.of("{} " + pick("=", "<>", "<", ">", "<=", ">=") + " " + literal(t, c), col);
            }
            case 3 -> {
                tags.add(Construct.IS_NULL);
                return Expr.of(random.nextBoolean() ? "{} IS NULL" : "{} IS NOT NULL", col);
            }
            case 4 -> {
                tags.add(Construct.IN_LIST);
                List<String> values = new ArrayList<>();
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    values.add(literal(t, c));
                }
                return Expr.of("{} " + (random.nextInt(4) == 0 ? "NOT IN" : "IN") + " (" + String.join(", ", values) + ")", col);
            }
            case 5 -> {
                tags.add(Construct.BETWEEN);
                String a = literal(t, c);
                String b = literal(t, c);
                return Expr.of("{} BETWEEN " + a + " AND " + b, col);
            }
            case 6 -> {
                Col s = pick(t.cols(Type.STR).isEmpty() ? t.cols() : t.cols(Type.STR));
                tags.add(Construct.LIKE);
                String sample = literal(t, s).replace("'", "");
                String pattern = sample.isEmpty() ? "%" : random.nextBoolean() ? sample.substring(0, Math.min(2, sample.length())) + "%"
                        : "%" + sample.substring(sample.length() / 2, Math.min(sample.length(), sample.length() / 2 + 2)) + "%";
                return Expr.of("{} " + (random.nextInt(4) == 0 ? "NOT LIKE" : "LIKE") + " '" + pattern + "'", Expr.leaf(t.ref(s)));
            }
            case 7, 8 -> {
                Type ty = pick(Type.INT, Type.DEC, Type.INT);
                return Expr.of("{} " + pick("=", "<>", "<", ">", "<=", ">=") + " {}", value(ty, scope, depth), value(ty, scope, depth));
            }
            case 9 -> {
                tags.add(Construct.NOT);
                return Expr.of("NOT ({})", predicate(scope, depth - 1));
            }
            case 10, 11 -> {
                tags.add(Construct.OR);
                return Expr.of("({} OR {})", predicate(scope, depth - 1), predicate(scope, depth - 1));
            }
            default -> {
                return Expr.of("({} AND {})", predicate(scope, depth - 1), predicate(scope, depth - 1));
            }
        }
    }

    /** IN / NOT IN / scalar comparison / EXISTS with a subquery, correlated to {@code scope} or not. */
    private Expr subqueryPredicate(List<Table> scope) {
        Table outer = pick(scope);
        List<Edge> edges = EDGES.stream().filter(e -> e.a().same(outer) || e.b().same(outer)).toList();
        int k = random.nextInt(4);
        if (edges.isEmpty() || outer.name().equals("(derived)")) {
            return predicate(List.of(outer), 1);
        }
        Edge e = pick(edges);
        boolean outerIsA = e.a().same(outer);
        Table inner = (outerIsA ? e.b() : e.a()).as("s");
        tables.add(inner.name());
        String outerCol = outerIsA ? e.colA() : e.colB();
        String innerCol = outerIsA ? e.colB() : e.colA();
        boolean correlated = random.nextInt(3) == 0;
        List<Expr> where = new ArrayList<>();
        if (random.nextBoolean()) {
            where.add(predicate(List.of(inner), 1));
        }
        if (correlated) {
            tags.add(Construct.SUBQUERY_CORRELATED);
            Col ic = pick(inner.cols(Type.INT).isEmpty() ? inner.cols() : inner.cols(Type.INT));
            Col oc = pick(outer.cols(ic.type()).isEmpty() ? outer.cols() : outer.cols(ic.type()));
            where.add(Expr.leaf(inner.ref(ic) + " " + pick("=", "<", ">") + " " + outer.ref(oc)));
        }
        Expr outerExpr = Expr.leaf(outer.alias() + "." + outerCol);
        Expr innerFrom = Expr.leaf(inner.name() + " s");
        switch (k) {
            case 0, 1 -> {
                boolean not = k == 1;
                tags.add(not ? Construct.SUBQUERY_NOT_IN : Construct.SUBQUERY_IN);
                Select sub = new Select(false, List.of(Expr.leaf("s." + innerCol)), innerFrom, List.of(), where, List.of(), List.of());
                return Expr.of("{} " + (not ? "NOT IN" : "IN") + " ({})", outerExpr, Sql.of(sub));
            }
            case 2 -> {
                tags.add(Construct.SUBQUERY_SCALAR);
                tags.add(Construct.AGGREGATE);
                Col c = inner.col(innerCol);
                String fn = c.type() == Type.STR ? pick("MIN", "MAX") : pick("MIN", "MAX", "AVG", "COUNT");
                Select sub = new Select(false, List.of(Expr.leaf(fn + "(s." + innerCol + ")")), innerFrom, List.of(), where,
                        List.of(), List.of());
                return Expr.of("{} " + pick("=", "<", ">", ">=", "<>") + " ({})", outerExpr, Sql.of(sub));
            }
            default -> {
                tags.add(Construct.SUBQUERY_EXISTS);
                if (!correlated && random.nextBoolean()) {
                    tags.add(Construct.SUBQUERY_CORRELATED);
                    where.add(Expr.leaf("s." + innerCol + " = " + outer.alias() + "." + outerCol));
                }
                Select sub = new Select(false, List.of(Expr.leaf("1")), innerFrom, List.of(), where, List.of(), List.of());
                return Expr.of(random.nextInt(3) == 0 ? "NOT EXISTS ({})" : "EXISTS ({})", Sql.of(sub));
            }
        }
    }

    private Expr selectListSubquery(List<Table> scope) {
        tags.add(Construct.SUBQUERY_SELECT_LIST);
        tags.add(Construct.AGGREGATE);
        Table outer = pick(scope);
        List<Edge> edges = EDGES.stream().filter(e -> e.a().same(outer) || e.b().same(outer)).toList();
        if (edges.isEmpty()) {
            return Expr.leaf("(SELECT COUNT(*) FROM regions s)");
        }
        Edge e = pick(edges);
        boolean outerIsA = e.a().same(outer);
        Table inner = (outerIsA ? e.b() : e.a()).as("s");
        tables.add(inner.name());
        List<Expr> where = new ArrayList<>();
        if (random.nextBoolean()) {
            tags.add(Construct.SUBQUERY_CORRELATED);
            where.add(Expr.leaf("s." + (outerIsA ? e.colB() : e.colA()) + " = " + outer.alias() + "."
                    + (outerIsA ? e.colA() : e.colB())));
        }
        List<Col> nums = new ArrayList<>(inner.cols(Type.INT));
        nums.addAll(inner.cols(Type.DEC));
        String agg = random.nextBoolean() ? "COUNT(*)" : pick("SUM", "MAX", "MIN") + "(" + inner.ref(pick(nums)) + ")";
        Select sub = new Select(false, List.of(Expr.leaf(agg)), Expr.leaf(inner.name() + " s"), List.of(), where, List.of(),
                List.of());
        return Expr.frame("({})", Sql.of(sub));
    }

    // ---- expressions --------------------------------------------------------------------------

    /** A select item: mostly a column of one table, sometimes an expression. */
    private Expr item(List<Table> scope) {
        if (random.nextInt(3) != 0) {
            return column(scope);
        }
        List<Table> cols = random.nextInt(6) == 0 ? scope : List.of(pick(scope));
        return value(pick(Type.values()), cols, 2);
    }

    private Expr column(List<Table> scope) {
        Table t = pick(scope);
        return Expr.leaf(t.ref(pick(t.cols())));
    }

    private Expr groupKey(List<Table> scope) {
        Table t = pick(scope);
        Col c = pick(t.cols());
        if (c.type() == Type.DT && random.nextBoolean()) {
            tags.add(Construct.FUNCTION);
            return Expr.of("YEAR({})", Expr.leaf(t.ref(c)));
        }
        if (c.type() == Type.INT && random.nextInt(3) == 0) {
            tags.add(Construct.ARITHMETIC);
            return Expr.of("{} % 3", Expr.leaf(t.ref(c)));
        }
        return Expr.leaf(t.ref(c));
    }

    private Expr aggregateCall(List<Table> scope) {
        return aggregateCall(scope, false);
    }

    private Expr aggregateCall(List<Table> scope, boolean numeric) {
        tags.add(Construct.AGGREGATE);
        Table t = pick(scope);
        Col c = pick(t.cols());
        List<Col> nums = new ArrayList<>(t.cols(Type.INT));
        nums.addAll(t.cols(Type.DEC));
        Expr col = Expr.leaf(t.ref(c));
        Expr num = Expr.leaf(t.ref(pick(nums)));
        int k = random.nextInt(numeric ? 6 : 9);
        return switch (k) {
            case 0 -> Expr.leaf("COUNT(*)");
            case 1 -> Expr.of("COUNT({})", col);
            case 2 -> Expr.of("SUM({})", random.nextInt(4) == 0 ? value(Type.INT, List.of(t), 1) : num);
            case 3 -> Expr.of("AVG({})", num);
            case 4 -> Expr.of("MIN({})", numeric ? num : col);
            case 5 -> Expr.of("MAX({})", numeric ? num : col);
            case 6 -> {
                tags.add(Construct.COUNT_DISTINCT);
                yield Expr.of("COUNT(DISTINCT {})", col);
            }
            default -> {
                tags.add(Construct.GROUP_CONCAT);
                String d = random.nextInt(3) == 0 ? "DISTINCT " : "";
                yield Expr.of("GROUP_CONCAT(" + d + "{} ORDER BY " + col.sql() + dir() + (random.nextBoolean() ? " SEPARATOR '|'" : "")
                        + ")", col);
            }
        };
    }

    /** An expression of type {@code type} over columns of {@code scope}, at most {@code depth} deep. */
    private Expr value(Type type, List<Table> scope, int depth) {
        int k = depth <= 0 ? random.nextInt(3) : random.nextInt(10);
        if (k <= 1) {
            List<Col> candidates = new ArrayList<>();
            List<Table> owners = new ArrayList<>();
            for (Table t : scope) {
                for (Col c : t.cols(type)) {
                    candidates.add(c);
                    owners.add(t);
                }
            }
            if (!candidates.isEmpty()) {
                int i = random.nextInt(candidates.size());
                return Expr.leaf(owners.get(i).ref(candidates.get(i)));
            }
        }
        if (k == 2 || k <= 1) {
            return Expr.leaf(typedLiteral(type));
        }
        switch (type) {
            case INT, DEC -> {
                switch (k) {
                    case 3, 4 -> {
                        tags.add(Construct.ARITHMETIC);
                        String op = pick("+", "-", "*", "+");
                        return Expr.of("({} " + op + " {})", value(type, scope, depth - 1), value(pick(Type.INT, type), scope, depth - 1));
                    }
                    case 5 -> {
                        tags.add(Construct.ARITHMETIC);
                        return Expr.of("({} / " + (1 + random.nextInt(4)) + ")", value(type, scope, depth - 1));
                    }
                    case 6 -> {
                        tags.add(Construct.FUNCTION);
                        return type == Type.INT ? Expr.of(pick("ABS({})", "SIGN({})"), value(type, scope, depth - 1))
                                : Expr.of(pick("ROUND({}, 1)", "ABS({})", "FLOOR({})"), value(type, scope, depth - 1));
                    }
                    case 7 -> {
                        tags.add(Construct.COALESCE);
                        return Expr.of(pick("COALESCE({}, 0)", "IFNULL({}, -1)"), value(type, scope, depth - 1));
                    }
                    case 8 -> {
                        tags.add(Construct.CASE);
                        return Expr.of("CASE WHEN {} THEN {} ELSE {} END", predicate(scope, 0), value(type, scope, depth - 1),
                                value(type, scope, depth - 1));
                    }
                    default -> {
                        tags.add(Construct.FUNCTION);
                        return type == Type.INT ? Expr.of(pick("CHAR_LENGTH({})", "LENGTH({})"), value(Type.STR, scope, depth - 1))
                                : Expr.of("({} * 1.5)", value(Type.INT, scope, depth - 1));
                    }
                }
            }
            case STR -> {
                switch (k) {
                    case 3, 4 -> {
                        tags.add(Construct.FUNCTION);
                        // LEFT(x, 3), not SUBSTRING(x, 1, 3): JSqlParser 5.4 cannot parse SUBSTRING/SUBSTR whose
                        // first argument holds an IN predicate (docs/sql-support.md, "Parser gaps"); the gate
                        // answers those with a syntax error, never a wrong result.
                        return Expr.of(pick("UPPER({})", "LOWER({})", "LEFT({}, 3)", "TRIM({})"), value(type, scope, depth - 1));
                    }
                    case 5, 6 -> {
                        tags.add(Construct.FUNCTION);
                        return Expr.of("CONCAT({}, '-', {})", value(type, scope, depth - 1), value(pick(Type.STR, Type.INT), scope, depth - 1));
                    }
                    case 7 -> {
                        tags.add(Construct.COALESCE);
                        return Expr.of(pick("COALESCE({}, 'none')", "IFNULL({}, '?')"), value(type, scope, depth - 1));
                    }
                    case 8 -> {
                        tags.add(Construct.CASE);
                        return Expr.of("CASE WHEN {} THEN {} ELSE 'other' END", predicate(scope, 0), value(type, scope, depth - 1));
                    }
                    default -> {
                        tags.add(Construct.FUNCTION);
                        return Expr.of("DATE_FORMAT({}, '%Y-%m')", value(Type.DT, scope, depth - 1));
                    }
                }
            }
            default -> {
                if (k < 6) {
                    tags.add(Construct.FUNCTION);
                    return Expr.of("DATE({})", value(Type.DT, scope, depth - 1));
                }
                tags.add(Construct.COALESCE);
                return Expr.of("COALESCE({}, '2000-01-01 00:00:00')", value(Type.DT, scope, depth - 1));
            }
        }
    }

    // ---- literals ---------------------------------------------------------------------------

    private String typedLiteral(Type type) {
        return switch (type) {
            case INT -> String.valueOf(random.nextInt(21) - 5);
            case DEC -> (random.nextInt(400) - 100) + "." + random.nextInt(10) + "0";
            case STR -> GeneratedSchema.str(pick("x", "eu", "Alice", "SKU-05", "click"));
            case DT -> "'" + (2021 + random.nextInt(3)) + "-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10) + " 06:30:00'";
        };
    }

    /** A literal that some rows of {@code t.c} equal or come near. */
    private String literal(Table t, Col c) {
        String s = switch (c.name()) {
            case "user_id" -> String.valueOf(random.nextInt(10) == 0 ? 900 + random.nextInt(5) : random.nextInt(46) - 4);
            case "order_id" -> String.valueOf(1 + random.nextInt(120));
            case "event_id" -> String.valueOf(1 + random.nextInt(80));
            case "score" -> String.valueOf(random.nextInt(41) - 20);
            case "qty" -> String.valueOf(random.nextInt(11));
            case "weight" -> String.valueOf(random.nextInt(16) - 5);
            case "stock" -> String.valueOf(random.nextInt(31) - 3);
            case "balance" -> random.nextInt(4) == 0 ? pick("0.00", "100.00", "-25.50") : (random.nextInt(2000) - 500) + ".00";
            case "amount", "price" -> random.nextInt(5) == 0 ? "9.99" : String.valueOf(random.nextInt(300));
            case "tax" -> pick("0.100", "0.08", "0.2");
            case "email" -> GeneratedSchema.str(pick(emails));
            case "name" -> GeneratedSchema.str(pick(GeneratedSchema.NAMES));
            case "region" -> GeneratedSchema.str(pick(GeneratedSchema.USER_REGIONS));
            case "zone" -> GeneratedSchema.str(pick("Europe", "america", "Asia", "Africa"));
            case "sku" -> GeneratedSchema.str(random.nextInt(8) == 0 ? "sku-03" : String.format("SKU-%02d", 1 + random.nextInt(20)));
            case "status" -> GeneratedSchema.str(pick(GeneratedSchema.STATUSES));
            case "kind" -> GeneratedSchema.str(pick(GeneratedSchema.KINDS));
            case "title" -> GeneratedSchema.str(pick("basic item 3", "Deluxe item 4", "BASIC ITEM 5"));
            case "category" -> GeneratedSchema.str(pick(GeneratedSchema.CATEGORIES));
            case "created", "placed", "at" -> typedLiteral(Type.DT);
            default -> typedLiteral(c.type());
        };
        return s;
    }

    // ---- randomness -------------------------------------------------------------------------

    private String dir() {
        return random.nextInt(3) == 0 ? " DESC" : "";
    }

    private String limit(boolean use) {
        if (!use) {
            return "";
        }
        tags.add(Construct.LIMIT);
        return switch (random.nextInt(3)) {
            case 0 -> " LIMIT " + (1 + random.nextInt(12));
            case 1 -> {
                tags.add(Construct.OFFSET);
                yield " LIMIT " + (1 + random.nextInt(10)) + " OFFSET " + random.nextInt(15);
            }
            default -> {
                tags.add(Construct.OFFSET);
                yield " LIMIT " + random.nextInt(15) + ", " + (1 + random.nextInt(10));
            }
        };
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }
}
