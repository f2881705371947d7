package dev.mosaic.server.sql.planner;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.Value;
import dev.mosaic.api.vschema.TableType;
import dev.mosaic.server.sql.normalize.SqlRenderer;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.plan.Routing;
import dev.mosaic.server.sql.plan.ValueExpr;
import dev.mosaic.spi.vindex.LookupVindex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.UpdateSet;

/** Plans INSERT statements; see {@link Planner}. */
final class InsertPlanner {
    private final VSchemaSnapshot vschema;
    private final Planner.Session session;
    private final Map<Object, String> names;

    InsertPlanner(VSchemaSnapshot vschema, Planner.Session session, Map<Object, String> names) {
        this.vschema = vschema;
        this.session = session;
        this.names = names;
    }

    Primitive plan(Insert ins) {
        VSchemaSnapshot.Table table = Planner.resolveTable(vschema, session, ins.getTable());
        String ks = table.keyspace();
        boolean sharded = vschema.keyspace(ks).orElseThrow().sharded();
        Planner.rename(ins.getTable(), table);
        if (ins.getTable().getAlias() != null && !ins.getTable().getName().equals(ins.getTable().getAlias().getName())) {
            ins.getTable().setAlias(null);
        }
        if (!(ins.getSelect() instanceof Values)) {
            if (sharded) {
                throw Errors.unsupported(ins.isUseSet() ? "INSERT ... SET into sharded table " + table.name() + "; use VALUES"
                        : "INSERT ... SELECT into sharded table " + table.name());
            }
            TableRefs refs = TableRefs.of(ins);
            for (Table t : refs.tables) {
                VSchemaSnapshot.Table vt = Planner.resolveTable(vschema, session, t);
                if (!vt.keyspace().equals(ks)) {
                    throw Errors.unsupported("INSERT ... SELECT across keyspaces (" + ks + ", " + vt.keyspace() + ")");
                }
            }
            Planner.stripQualifiers(refs.tables);
            String q = SqlRenderer.render(ins, names);
            return new Primitive.Insert(Routing.of(RouteOpcode.UNSHARDED, ks), table.name(), q, q, List.of(), "", List.of(),
                    Optional.empty(), ins.isModifierIgnore());
        }
        ins.getTable().setSchemaName(null);
        if (sharded) {
            if (table.type() == TableType.REFERENCE) {
                throw Errors.unsupported("INSERT into reference table " + table.name() + " in sharded keyspace " + ks);
            }
            if (table.type() == TableType.SEQUENCE) {
                throw Errors.unsupported("INSERT into sequence table " + table.name() + " in a sharded keyspace");
            }
            if (!table.pinned().isEmpty()) {
                throw Errors.unsupported("INSERT into pinned table " + table.name());
            }
            if (table.primaryVindex().isEmpty()) {
                throw Errors.invalid("table " + table.name() + " in sharded keyspace " + ks + " has no primary vindex");
            }
            if (ins.getColumns() == null || ins.getColumns().isEmpty()) {
                throw Errors.invalid("VT09004: INSERT should contain column list or the table should have authoritative columns in vschema");
            }
        }
        List<String> columns = new ArrayList<>();
        if (ins.getColumns() != null) {
            for (Column c : ins.getColumns()) {
                columns.add(RoutingAnalysis.columnName(c));
            }
        }
        List<ExpressionList<Expression>> rows = rows(ins);
        for (int r = 0; r < rows.size(); r++) {
            if (!columns.isEmpty() && rows.get(r).size() != columns.size()) {
                throw new MosaicException(SqlError.WRONG_VALUE_COUNT_ON_ROW, "Column count doesn't match value count at row " + (r + 1));
            }
        }
        Optional<Primitive.AutoIncrement> autoInc = Optional.empty();
        String autoCol = null;
        if (table.autoIncrement().isPresent()) {
            VSchemaSnapshot.AutoIncrement a = table.autoIncrement().get();
            autoCol = a.column();
            int idx = columns.indexOf(autoCol);
            if (idx < 0 && columns.isEmpty()) {
                throw Errors.invalid("VT09004: INSERT should contain column list or the table should have authoritative columns in vschema");
            }
            List<ValueExpr> given = new ArrayList<>();
            if (idx < 0) {
                ins.getColumns().add(new Column(autoCol));
                columns.add(autoCol);
            }
            for (int r = 0; r < rows.size(); r++) {
                ExpressionList<Expression> row = rows.get(r);
                JdbcNamedParameter p = new JdbcNamedParameter(Primitive.AutoIncrement.bindName(r));
                if (idx < 0) {
                    given.add(new ValueExpr.Const(Value.NULL));
                    row.add(p);
                } else {
                    ValueExpr v = RoutingAnalysis.valueOf(row.get(idx), names);
                    if (v == null) {
                        throw Errors.unsupported("expression " + row.get(idx) + " as the value of auto-increment column " + autoCol);
                    }
                    given.add(v);
                    row.set(idx, p);
                }
            }
            autoInc = Optional.of(new Primitive.AutoIncrement(a.sequenceKeyspace().orElseThrow(), a.sequenceTable(), autoCol, given));
        }
        String prefix = "INSERT " + (ins.isModifierIgnore() ? "IGNORE " : "") + "INTO " + ins.getTable().getName()
                + (columns.isEmpty() ? "" : " (" + String.join(", ", ins.getColumns().stream().map(Column::getColumnName).toList()) + ")")
                + " VALUES ";
        List<String> templates = new ArrayList<>();
        for (ExpressionList<Expression> row : rows) {
            String t = SqlRenderer.renderExpression(row, names);
            templates.add(t.startsWith("(") ? t : "(" + t + ")");
        }
        String suffix = "";
        if (ins.getDuplicateUpdateSets() != null && !ins.getDuplicateUpdateSets().isEmpty()) {
            List<String> sets = new ArrayList<>();
            for (UpdateSet set : ins.getDuplicateUpdateSets()) {
                if (sharded) {
                    for (Column c : set.getColumns()) {
                        if (table.primaryVindex().orElseThrow().columns().contains(RoutingAnalysis.columnName(c))) {
                            throw Errors.unsupported("You can't update primary vindex columns. Invalid update on vindex: "
                                    + table.primaryVindex().get().name());
                        }
                    }
                }
                List<String> cols = set.getColumns().stream().map(Column::toString).toList();
                List<String> vals = new ArrayList<>();
                for (Expression v : set.getValues()) {
                    vals.add(SqlRenderer.renderExpression(v, names));
                }
                sets.add(cols.size() == 1 ? cols.get(0) + " = " + vals.get(0)
                        : "(" + String.join(", ", cols) + ") = (" + String.join(", ", vals) + ")");
            }
            suffix = " ON DUPLICATE KEY UPDATE " + String.join(", ", sets);
        }
        String query = prefix + String.join(", ", templates) + suffix;
        if (!sharded) {
            return new Primitive.Insert(Routing.of(RouteOpcode.UNSHARDED, ks), table.name(), query, prefix, templates, suffix,
                    List.of(), autoInc, ins.isModifierIgnore());
        }
        VSchemaSnapshot.ColumnVindex primary = table.primaryVindex().orElseThrow();
        List<List<ValueExpr>> vindexValues = columnValues(primary, columns, rows, autoCol);
        List<Primitive.OwnedInsert> owned = new ArrayList<>();
        for (VSchemaSnapshot.ColumnVindex cv : table.columnVindexes()) {
            if (cv != primary && cv.owned() && cv.vindex() instanceof LookupVindex) {
                if (!suffix.isEmpty()) {
                    throw Errors.unsupported("INSERT ... ON DUPLICATE KEY UPDATE into table " + table.name()
                            + " owning lookup vindex " + cv.name());
                }
                owned.add(new Primitive.OwnedInsert(RoutingAnalysis.planned(cv), columnValues(cv, columns, rows, autoCol)));
            }
        }
        Routing routing = new Routing(RouteOpcode.EQUAL_UNIQUE, ks, Optional.of(RoutingAnalysis.planned(primary)), List.of());
        return new Primitive.Insert(routing, table.name(), query, prefix, templates, suffix, vindexValues, autoInc,
                ins.isModifierIgnore(), owned);
    }

    /** Per row, the values of the vindex's columns: the sequence's bind variable, a literal or bind variable, or NULL if left out. */
    private List<List<ValueExpr>> columnValues(VSchemaSnapshot.ColumnVindex vindex, List<String> columns,
                                               List<ExpressionList<Expression>> rows, String autoCol) {
        List<List<ValueExpr>> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<ValueExpr> vals = new ArrayList<>();
            for (String col : vindex.columns()) {
                if (col.equals(autoCol)) {
                    vals.add(new ValueExpr.Bind(Primitive.AutoIncrement.bindName(r)));
                    continue;
                }
                int idx = columns.indexOf(col);
                if (idx < 0) {
                    vals.add(new ValueExpr.Const(Value.NULL));
                    continue;
                }
                ValueExpr v = RoutingAnalysis.valueOf(rows.get(r).get(idx), names);
                if (v == null) {
                    throw Errors.unsupported("expression " + rows.get(r).get(idx) + " as the value of vindex column " + col
                            + " (only literals and bind variables)");
                }
                vals.add(v);
            }
            out.add(vals);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<ExpressionList<Expression>> rows(Insert ins) {
        ExpressionList<Expression> list = ((Values) ins.getSelect()).getExpressions();
        List<ExpressionList<Expression>> rows = new ArrayList<>();
        if (!list.isEmpty() && list.get(0) instanceof ParenthesedExpressionList<?> && !(list instanceof ParenthesedExpressionList<?>)) {
            for (Expression e : list) {
                rows.add((ExpressionList<Expression>) e);
            }
        } else {
            rows.add(list);
        }
        return rows;
    }
}
