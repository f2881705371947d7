package dev.mosaic.server.sql.planner;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.Value;
import dev.mosaic.api.vschema.TableType;
import dev.mosaic.server.sql.normalize.Literal;
import dev.mosaic.server.sql.normalize.NormalizedStatement;
import dev.mosaic.server.sql.normalize.SqlRenderer;
import dev.mosaic.server.sql.parse.ParsedStatement;
import dev.mosaic.server.sql.plan.Plan;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.plan.Routing;
import dev.mosaic.server.sql.plan.ValueExpr;
import dev.mosaic.server.sql.planner.RoutingAnalysis.TableInfo;
import dev.mosaic.spi.vindex.LookupVindex;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.UserVariable;
import net.sf.jsqlparser.expression.VariableAssignment;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UseStatement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * Plans one statement against a {@link VSchemaSnapshot}: decides which keyspace and shards each
 * part goes to, rewrites the per-shard SQL, and adds the gate-side operators (merge sort,
 * aggregation, distinct, limit) that a multi-shard SELECT needs. Shapes it cannot plan correctly
 * are rejected with {@code VT12001: unsupported: ...}; see {@code docs/sql-support.md}.
 *
 * <p>The planner may rewrite the AST it is given (it renders the shard queries from it); callers
 * plan a statement once. Stateless and thread-safe.
 */
public final class Planner {
    private static final Set<String> TRANSACTION_CHARACTERISTICS = Set.of("transaction_isolation", "tx_isolation",
            "transaction_read_only", "tx_read_only");
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("information_schema", "mysql", "performance_schema", "sys");

    private Planner() {
    }

    /**
     * The session facts planning depends on.
     *
     * @param keyspace   the session's keyspace, or null when none is selected
     * @param tabletType the session's tablet type, lower case ({@code primary}, {@code replica}, {@code rdonly})
     */
    public record Session(String keyspace, String tabletType) {
        /** Rejects a null tablet type. */
        public Session {
            Objects.requireNonNull(tabletType, "tabletType");
        }
    }

    /**
     * Plans a statement.
     *
     * @param statement  the parsed statement
     * @param normalized for an AST statement, its normalization (null for the gate's own statements)
     * @param session    the session's keyspace and tablet type
     * @param vschema    the vschema snapshot
     * @throws MosaicException {@link SqlError#NOT_SUPPORTED_YET} for shapes not supported,
     *                         and the table-resolution errors of {@link VSchemaSnapshot#findTable}
     */
    public static Plan plan(ParsedStatement statement, NormalizedStatement normalized, Session session, VSchemaSnapshot vschema) {
        return new Planning(vschema, session).plan(statement, normalized);
    }

    private static final class Planning {
        private final VSchemaSnapshot vschema;
        private final Session session;

        Planning(VSchemaSnapshot vschema, Session session) {
            this.vschema = vschema;
            this.session = session;
        }

        Plan plan(ParsedStatement statement, NormalizedStatement normalized) {
            if (statement instanceof ParsedStatement.VExplain v) {
                return vexplain(v, normalized);
            }
            if (statement instanceof ParsedStatement.Ast ast) {
                Objects.requireNonNull(normalized, "normalized");
                return new Plan(normalized.sql(), ast(ast.statement(), normalized.names()));
            }
            String text = statement.toString();
            Primitive p;
            if (statement instanceof ParsedStatement.Transaction t) {
                p = new Primitive.TransactionControl(t.op(), t.savepoint());
            } else if (statement instanceof ParsedStatement.Use u) {
                p = use(u.keyspace());
            } else if (statement instanceof ParsedStatement.Show s) {
                p = Shows.plan(s, session, vschema);
            } else if (statement instanceof ParsedStatement.SetTransaction st) {
                p = setTransaction(st);
            } else {
                p = next((ParsedStatement.NextValues) statement);
            }
            return new Plan(text, p);
        }

        /**
         * {@code VEXPLAIN}: the explained statement's plan under a {@link Primitive.VExplain}. Session
         * statements (transaction control, USE, SET TRANSACTION) have no shard queries to show.
         */
        private Plan vexplain(ParsedStatement.VExplain v, NormalizedStatement normalized) {
            ParsedStatement inner = v.statement();
            if (inner instanceof ParsedStatement.Transaction || inner instanceof ParsedStatement.Use
                    || inner instanceof ParsedStatement.SetTransaction) {
                throw Errors.unsupported("VEXPLAIN of a session statement (transaction control, USE, SET TRANSACTION)");
            }
            Plan explained = plan(inner, normalized);
            String text = "vexplain " + v.kind().name().toLowerCase(Locale.ROOT) + " " + explained.query();
            return new Plan(text, new Primitive.VExplain(v.kind(), explained.root()));
        }

        private Primitive use(String target) {
            String ks = target;
            Optional<String> type = Optional.empty();
            int at = ks.indexOf('@');
            if (at >= 0) {
                type = Optional.of(ks.substring(at + 1).toLowerCase(Locale.ROOT));
                ks = ks.substring(0, at);
            }
            if (ks.indexOf(':') >= 0 || ks.indexOf('[') >= 0) {
                throw Errors.unsupported("USE with a shard or key range target: " + target);
            }
            if (vschema.keyspace(ks).isEmpty()) {
                throw new MosaicException(SqlError.BAD_DB, "Unknown database '" + ks + "'");
            }
            return new Primitive.UseKeyspace(ks, type);
        }

        private Primitive setTransaction(ParsedStatement.SetTransaction st) {
            if (st.scope().equals("global")) {
                throw Errors.unsupported("SET GLOBAL TRANSACTION (global variables are set on each mysqld, not through the gate)");
            }
            Primitive.SetScope scope = st.scope().isEmpty() ? Primitive.SetScope.NEXT_TRANSACTION : Primitive.SetScope.SESSION;
            List<Primitive.SetAssignment> out = new ArrayList<>();
            st.isolation().ifPresent(level -> out.add(new Primitive.SetAssignment(scope, "transaction_isolation",
                    new ValueExpr.Const(Value.of(level)))));
            st.readOnly().ifPresent(ro -> out.add(new Primitive.SetAssignment(scope, "transaction_read_only",
                    new ValueExpr.Const(Value.of(ro ? "ON" : "OFF")))));
            return new Primitive.SessionSet(out);
        }

        private Primitive next(ParsedStatement.NextValues n) {
            VSchemaSnapshot.Table t = vschema.findTable(n.keyspace().orElse(null), n.table(), session.keyspace(), session.tabletType());
            if (t.type() != TableType.SEQUENCE) {
                throw Errors.invalid("NEXT used on a non-sequence table `" + t.name() + "`");
            }
            String q = "select next " + n.count() + " values from " + quote(t.name());
            return new Primitive.Route(Routing.of(RouteOpcode.NEXT, t.keyspace()), t.name(), q, List.of(), 0, List.of());
        }

        private Primitive ast(Statement st, Map<Object, String> names) {
            if (st instanceof PlainSelect ps) {
                return new SelectPlanner(vschema, session, names).plan(ps);
            }
            if (st instanceof Select s) {
                return new SelectPlanner(vschema, session, names).planOther(s);
            }
            if (st instanceof Insert i) {
                return new InsertPlanner(vschema, session, names).plan(i);
            }
            if (st instanceof Update u) {
                return update(u, names);
            }
            if (st instanceof Delete d) {
                return delete(d, names);
            }
            if (st instanceof SetStatement s) {
                return set(s, names);
            }
            if (st instanceof UseStatement u) {
                return use(u.getName());
            }
            if (st instanceof CreateTable ct) {
                return ddl(st, List.of(ct.getTable()));
            }
            if (st instanceof Alter a) {
                return ddl(st, List.of(a.getTable()));
            }
            if (st instanceof Drop d) {
                if (!"table".equalsIgnoreCase(d.getType())) {
                    throw Errors.unsupported("DROP " + d.getType().toUpperCase(Locale.ROOT));
                }
                return ddl(st, d.getNames() != null ? d.getNames() : List.of(d.getName()));
            }
            if (st instanceof Truncate t) {
                return ddl(st, t.getTables() != null && !t.getTables().isEmpty() ? t.getTables() : List.of(t.getTable()));
            }
            if (st instanceof CreateIndex ci) {
                return ddl(st, List.of(ci.getTable()));
            }
            throw Errors.unsupported("statement " + st.getClass().getSimpleName() + ": " + abbreviate(st.toString()));
        }

        // ---- DDL

        private Primitive ddl(Statement st, List<Table> tables) {
            String keyspace = null;
            for (Table t : tables) {
                String ks = ddlKeyspace(t);
                if (keyspace != null && !keyspace.equals(ks)) {
                    throw Errors.unsupported("DDL on tables of several keyspaces (" + keyspace + ", " + ks + ")");
                }
                keyspace = ks;
                t.setSchemaName(null);
            }
            return new Primitive.Send(keyspace, Primitive.SendTarget.ALL_SHARDS, SqlRenderer.render(st, Map.of()), true);
        }

        private String ddlKeyspace(Table t) {
            String q = t.getSchemaName() == null ? null : RoutingAnalysis.unquote(t.getSchemaName());
            if (q != null) {
                if (vschema.keyspace(q).isEmpty()) {
                    throw new MosaicException(SqlError.BAD_DB, "VT05003: unknown database '" + q + "' in vschema");
                }
                return q;
            }
            if (session.keyspace() != null) {
                return session.keyspace();
            }
            return vschema.findTable(null, RoutingAnalysis.unquote(t.getName()), null, session.tabletType()).keyspace();
        }

        // ---- UPDATE / DELETE

        private Primitive update(Update u, Map<Object, String> names) {
            if (u.getJoins() != null && !u.getJoins().isEmpty() || u.getFromItem() != null || u.getStartJoins() != null && !u.getStartJoins().isEmpty()) {
                return multiTableDml(u, names, "UPDATE");
            }
            TableInfo t = dmlTable(u.getTable());
            VSchemaSnapshot.Table table = t.table();
            String ks = table.keyspace();
            TableRefs refs = TableRefs.of(u);
            List<VSchemaSnapshot.ColumnVindex> changed = new ArrayList<>();
            Map<String, Expression> setValues = new java.util.HashMap<>();
            if (!isUnsharded(ks)) {
                checkShardedDml(table, refs, "UPDATE");
                VSchemaSnapshot.ColumnVindex primary = table.primaryVindex().orElseThrow();
                for (UpdateSet set : u.getUpdateSets()) {
                    for (int i = 0; i < set.getColumns().size(); i++) {
                        String col = RoutingAnalysis.columnName(set.getColumns().get(i));
                        if (primary.columns().contains(col)) {
                            throw Errors.unsupported("You can't update primary vindex columns. Invalid update on vindex: " + primary.name());
                        }
                        for (VSchemaSnapshot.ColumnVindex cv : table.columnVindexes()) {
                            if (cv.columns().contains(col) && cv.vindex() instanceof LookupVindex) {
                                if (!cv.owned()) {
                                    throw Errors.unsupported("You can only update owned vindexes. Invalid update on vindex: " + cv.name());
                                }
                                if (!changed.contains(cv)) {
                                    changed.add(cv);
                                }
                            }
                        }
                        if (set.getColumns().size() != set.getValues().size()) {
                            throw Errors.unsupported("UPDATE with a tuple assignment of lookup vindex columns");
                        }
                        setValues.put(col, set.getValues().get(i));
                    }
                }
            }
            RoutingAnalysis.Choice choice = dmlRouting(t, u.getWhere(), names);
            Routing routing = choice.routing();
            if (!routing.opcode().singleShard() && (u.getLimit() != null || u.getOrderByElements() != null && !u.getOrderByElements().isEmpty())) {
                throw Errors.unsupported("multi shard UPDATE with LIMIT or ORDER BY");
            }
            stripQualifiers(refs.tables);
            rename(u.getTable(), table);
            Map<Object, String> shardNames = choice.narrowIn(names);
            Optional<Primitive.OwnedLookups> lookups = Optional.empty();
            if (!changed.isEmpty()) {
                List<List<Optional<ValueExpr>>> newValues = new ArrayList<>();
                for (VSchemaSnapshot.ColumnVindex cv : changed) {
                    List<Optional<ValueExpr>> vals = new ArrayList<>();
                    for (String col : cv.columns()) {
                        Expression e = setValues.get(col);
                        if (e == null) {
                            vals.add(Optional.empty());
                            continue;
                        }
                        ValueExpr v = RoutingAnalysis.valueOf(e, names);
                        if (v == null) {
                            throw Errors.unsupported("expression " + e + " as the new value of lookup vindex column " + col
                                    + " (only literals and bind variables)");
                        }
                        vals.add(Optional.of(v));
                    }
                    newValues.add(vals);
                }
                lookups = Optional.of(ownedLookups(table, u.getTable().getAlias(), changed, u.getWhere(), u.getOrderByElements(), u.getLimit(),
                        shardNames, newValues));
            }
            return new Primitive.Dml(Primitive.DmlKind.UPDATE, routing, table.name(), SqlRenderer.render(u, shardNames), lookups);
        }

        /**
         * The owned-vindex query of a DML statement on {@code table} (Vitess's OwnedVindexQuery): the
         * primary vindex columns and the columns of {@code owned} of the rows the statement's WHERE
         * (ORDER BY, LIMIT) selects, locked with FOR UPDATE.
         */
        private Primitive.OwnedLookups ownedLookups(VSchemaSnapshot.Table table, Alias alias, List<VSchemaSnapshot.ColumnVindex> owned,
                Expression where, List<net.sf.jsqlparser.statement.select.OrderByElement> orderBy,
                net.sf.jsqlparser.statement.select.Limit limit, Map<Object, String> shardNames,
                List<List<Optional<ValueExpr>>> newValues) {
            VSchemaSnapshot.ColumnVindex primary = table.primaryVindex().orElseThrow();
            List<String> cols = new ArrayList<>(primary.columns());
            List<Routing.PlannedVindex> planned = new ArrayList<>();
            for (VSchemaSnapshot.ColumnVindex cv : owned) {
                cols.addAll(cv.columns());
                planned.add(RoutingAnalysis.planned(cv));
            }
            StringBuilder q = new StringBuilder("select ");
            q.append(String.join(", ", cols.stream().map(c -> "`" + c.replace("`", "``") + "`").toList()));
            q.append(" from ").append(table.name());
            if (alias != null && !alias.getName().equalsIgnoreCase(table.name())) {
                q.append(" as ").append(alias.getName());
            }
            if (where != null) {
                q.append(" where ").append(SqlRenderer.renderExpression(where, shardNames));
            }
            if (orderBy != null && !orderBy.isEmpty()) {
                List<String> keys = new ArrayList<>();
                for (net.sf.jsqlparser.statement.select.OrderByElement o : orderBy) {
                    keys.add(SqlRenderer.renderExpression(o.getExpression(), shardNames)
                            + (o.isAscDescPresent() && !o.isAsc() ? " desc" : " asc"));
                }
                q.append(" order by ").append(String.join(", ", keys));
            }
            if (limit != null && limit.getRowCount() != null) {
                q.append(" limit ").append(SqlRenderer.renderExpression(limit.getRowCount(), shardNames));
            }
            q.append(" for update");
            return new Primitive.OwnedLookups(q.toString(), RoutingAnalysis.planned(primary), planned, newValues);
        }

        private Primitive delete(Delete d, Map<Object, String> names) {
            if (d.getJoins() != null && !d.getJoins().isEmpty() || d.getTables() != null && !d.getTables().isEmpty()
                    || d.getUsingFromItemList() != null && !d.getUsingFromItemList().isEmpty()) {
                return multiTableDml(d, names, "DELETE");
            }
            TableInfo t = dmlTable(d.getTable());
            VSchemaSnapshot.Table table = t.table();
            String ks = table.keyspace();
            TableRefs refs = TableRefs.of(d);
            if (!isUnsharded(ks)) {
                checkShardedDml(table, refs, "DELETE");
            }
            List<VSchemaSnapshot.ColumnVindex> owned = new ArrayList<>();
            if (!isUnsharded(ks)) {
                for (VSchemaSnapshot.ColumnVindex cv : table.columnVindexes()) {
                    if (cv.owned() && cv.vindex() instanceof LookupVindex) {
                        owned.add(cv);
                    }
                }
            }
            RoutingAnalysis.Choice choice = dmlRouting(t, d.getWhere(), names);
            Routing routing = choice.routing();
            if (!routing.opcode().singleShard() && (d.getLimit() != null || d.getOrderByElements() != null && !d.getOrderByElements().isEmpty())) {
                throw Errors.unsupported("multi shard DELETE with LIMIT or ORDER BY");
            }
            stripQualifiers(refs.tables);
            // Single-table DELETE takes no alias before MySQL 8.0.16: rename only.
            if (!RoutingAnalysis.unquote(d.getTable().getName()).equalsIgnoreCase(table.name())) {
                d.getTable().setName(table.name());
            }
            Map<Object, String> shardNames = choice.narrowIn(names);
            Optional<Primitive.OwnedLookups> lookups = owned.isEmpty() ? Optional.empty()
                    : Optional.of(ownedLookups(table, null, owned, d.getWhere(), d.getOrderByElements(), d.getLimit(), shardNames,
                            List.of()));
            return new Primitive.Dml(Primitive.DmlKind.DELETE, routing, table.name(), SqlRenderer.render(d, shardNames), lookups);
        }

        private Primitive multiTableDml(Statement st, Map<Object, String> names, String what) {
            TableRefs refs = TableRefs.of(st);
            String ks = null;
            for (Table t : refs.tables) {
                VSchemaSnapshot.Table vt = resolve(t);
                if (!isUnsharded(vt.keyspace()) || ks != null && !ks.equals(vt.keyspace())) {
                    throw Errors.unsupported("multi-table " + what + " outside one unsharded keyspace");
                }
                ks = vt.keyspace();
            }
            stripQualifiers(refs.tables);
            Primitive.DmlKind kind = what.equals("UPDATE") ? Primitive.DmlKind.UPDATE : Primitive.DmlKind.DELETE;
            return new Primitive.Dml(kind, Routing.of(RouteOpcode.UNSHARDED, ks), refs.tables.get(0).getName(),
                    SqlRenderer.render(st, names));
        }

        private void checkShardedDml(VSchemaSnapshot.Table table, TableRefs refs, String what) {
            if (table.type() == TableType.REFERENCE) {
                throw Errors.unsupported(what + " of reference table " + table.name() + " in sharded keyspace " + table.keyspace());
            }
            if (!table.pinned().isEmpty()) {
                throw Errors.unsupported(what + " of pinned table " + table.name());
            }
            if (refs.subqueries > 0 || refs.tables.size() > 1) {
                throw Errors.unsupported("subquery in " + what + " on sharded table " + table.name());
            }
            if (table.primaryVindex().isEmpty()) {
                throw Errors.invalid("table " + table.name() + " in sharded keyspace " + table.keyspace() + " has no primary vindex");
            }
        }

        private TableInfo dmlTable(Table node) {
            VSchemaSnapshot.Table table = resolve(node);
            String ref = node.getAlias() != null ? node.getAlias().getName() : RoutingAnalysis.unquote(node.getName());
            return new TableInfo(node, table, ref.toLowerCase(Locale.ROOT));
        }

        private RoutingAnalysis.Choice dmlRouting(TableInfo t, Expression where, Map<Object, String> names) {
            String ks = t.table().keyspace();
            if (isUnsharded(ks)) {
                return new RoutingAnalysis.Choice(Routing.of(RouteOpcode.UNSHARDED, ks), null);
            }
            return RoutingAnalysis.route(ks, List.of(t), RoutingAnalysis.conjuncts(where), names);
        }

        // ---- SET

        private Primitive set(SetStatement s, Map<Object, String> names) {
            List<Primitive.SetAssignment> out = new ArrayList<>();
            List<Map.Entry<String, List<Expression>>> pairs = new ArrayList<>();
            for (int i = 0; i < s.getCount(); i++) {
                String n = String.valueOf(s.getName(i)).trim();
                List<Expression> es = s.getExpressions(i);
                if (es == null || es.isEmpty()) {
                    throw Errors.unsupported("SET " + n + " without a value");
                }
                // JSqlParser reads "SET GLOBAL x = 1" as (global, x = 1) and "SET a = 1, b = 2" as (a, [1, b = 2]).
                if ((n.equalsIgnoreCase("global") || n.equalsIgnoreCase("session") || n.equalsIgnoreCase("local"))
                        && es.get(0) instanceof EqualsTo eq) {
                    pairs.add(Map.entry(n.toLowerCase(Locale.ROOT) + " " + eq.getLeftExpression(), List.of(eq.getRightExpression())));
                } else {
                    pairs.add(Map.entry(n, List.of(es.get(0))));
                }
                for (int k = 1; k < es.size(); k++) {
                    if (es.get(k) instanceof EqualsTo eq) {
                        pairs.add(Map.entry(eq.getLeftExpression().toString(), List.of(eq.getRightExpression())));
                    } else if (es.get(k) instanceof VariableAssignment va) {
                        pairs.add(Map.entry(va.getVariable().toString(), List.of(va.getExpression())));
                    } else {
                        throw Errors.unsupported("SET " + n + " with a list of values");
                    }
                }
            }
            for (Map.Entry<String, List<Expression>> pair : pairs) {
                String raw = pair.getKey();
                List<Expression> exprs = pair.getValue();
                Primitive.SetScope scope = Primitive.SetScope.SESSION;
                String name = raw.toLowerCase(Locale.ROOT);
                if (name.startsWith("@@")) {
                    name = name.substring(2);
                    if (name.startsWith("global.")) {
                        scope = Primitive.SetScope.GLOBAL;
                        name = name.substring(7);
                    } else if (name.startsWith("session.")) {
                        name = name.substring(8);
                    } else if (name.startsWith("local.")) {
                        name = name.substring(6);
                    } else if (TRANSACTION_CHARACTERISTICS.contains(RoutingAnalysis.unquote(name))) {
                        // MySQL: SET @@transaction_isolation (no scope) applies to the next transaction only.
                        scope = Primitive.SetScope.NEXT_TRANSACTION;
                    }
                } else if (name.startsWith("@")) {
                    scope = Primitive.SetScope.USER_DEFINED;
                    name = name.substring(1);
                } else if (name.startsWith("global ")) {
                    scope = Primitive.SetScope.GLOBAL;
                    name = name.substring(7).trim();
                } else if (name.startsWith("session ") || name.startsWith("local ")) {
                    name = name.substring(name.indexOf(' ') + 1).trim();
                }
                if (scope == Primitive.SetScope.GLOBAL) {
                    throw Errors.unsupported("SET GLOBAL " + name + " (global variables are set on each mysqld, not through the gate)");
                }
                if (exprs == null || exprs.size() != 1) {
                    throw Errors.unsupported("SET " + raw + " with " + (exprs == null ? 0 : exprs.size()) + " values");
                }
                if (exprs.get(0) instanceof net.sf.jsqlparser.expression.CollateExpression ce && name.equals("names")) {
                    // SET NAMES cs COLLATE coll: the character set and the connection collation.
                    out.add(new Primitive.SetAssignment(scope, "names", setValue(raw, ce.getLeftExpression(), names)));
                    out.add(new Primitive.SetAssignment(scope, "collation_connection",
                            new ValueExpr.Const(Value.of(RoutingAnalysis.unquote(ce.getCollate())))));
                    continue;
                }
                out.add(new Primitive.SetAssignment(scope, RoutingAnalysis.unquote(name), setValue(raw, exprs.get(0), names)));
            }
            return new Primitive.SessionSet(out);
        }

        private ValueExpr setValue(String name, Expression e, Map<Object, String> names) {
            String bound = names.get(e);
            if (bound != null) {
                return new ValueExpr.Bind(bound); // a ? parameter
            }
            Value v = Literal.constant(e);
            if (v != null) {
                return new ValueExpr.Const(v);
            }
            if (e instanceof Column c && c.getTable() == null) {
                // ON, OFF, utf8mb4, DEFAULT ...: a keyword value, kept as text.
                return new ValueExpr.Const(Value.of(RoutingAnalysis.unquote(c.getColumnName())));
            }
            if (e instanceof JdbcNamedParameter p) {
                return new ValueExpr.Bind(p.getName());
            }
            if (e instanceof net.sf.jsqlparser.expression.BooleanValue b) {
                return new ValueExpr.Const(Value.of(b.getValue() ? 1 : 0));
            }
            if (e instanceof UserVariable || e instanceof StringValue) {
                throw Errors.unsupported("SET " + name + " to " + e);
            }
            throw Errors.unsupported("SET " + name + " to the expression " + e + " (only constants are supported)");
        }

        // ---- helpers shared by the statement planners

        VSchemaSnapshot.Table resolve(Table node) {
            return resolveTable(vschema, session, node);
        }

        boolean isUnsharded(String ks) {
            return !vschema.keyspace(ks).orElseThrow().sharded();
        }
    }

    static VSchemaSnapshot.Table resolveTable(VSchemaSnapshot vschema, Session session, Table node) {
        String q = node.getSchemaName() == null ? null : RoutingAnalysis.unquote(node.getSchemaName());
        return vschema.findTable(q, RoutingAnalysis.unquote(node.getName()), session.keyspace(), session.tabletType());
    }

    /**
     * Removes keyspace qualifiers from the table nodes of a statement planned into one keyspace
     * (shards know their database under another name).
     */
    static void stripQualifiers(List<Table> nodes) {
        for (Table t : nodes) {
            if (!isSystemSchema(t)) {
                t.setSchemaName(null);
            }
        }
    }

    /** Renames a table a routing rule sent elsewhere, keeping the written name as its alias. */
    static void rename(Table node, VSchemaSnapshot.Table resolved) {
        String written = RoutingAnalysis.unquote(node.getName());
        if (!written.equalsIgnoreCase(resolved.name())) {
            if (node.getAlias() == null) {
                node.setAlias(new Alias(written, true));
            }
            node.setName(resolved.name());
        }
    }

    static String quote(String ident) {
        return "`" + ident.replace("`", "``") + "`";
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }

    static Function function(String name, Expression... args) {
        Function f = new Function();
        f.setName(name);
        f.setParameters(new ExpressionList<>(args));
        return f;
    }

    static boolean isSystemSchema(Table t) {
        return t.getSchemaName() != null && SYSTEM_SCHEMAS.contains(RoutingAnalysis.unquote(t.getSchemaName()).toLowerCase(Locale.ROOT));
    }





    static SelectItem<?> item(Expression e) {
        return new SelectItem<>(e);
    }
}
