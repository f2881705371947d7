package dev.mosaic.server.sql.planner;

import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.LateralSubSelect;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.util.TablesNamesFinder;

/** Every table node of a statement, with a count of the subqueries, derived tables, unions and CTEs in it. */
final class TableRefs extends TablesNamesFinder<Void> {
    final List<Table> tables = new ArrayList<>();
    int subqueries;
    int unions;
    int ctes;

    static TableRefs of(Statement st) {
        TableRefs r = new TableRefs();
        r.getTables(st);
        return r;
    }

    @Override
    public <S> Void visit(Table table, S context) {
        tables.add(table);
        return super.visit(table, context);
    }

    @Override
    public <S> Void visit(ParenthesedSelect select, S context) {
        subqueries++;
        return super.visit(select, context);
    }

    @Override
    public <S> Void visit(LateralSubSelect select, S context) {
        subqueries++;
        return super.visit(select, context);
    }

    @Override
    public <S> Void visit(SetOperationList list, S context) {
        unions++;
        return super.visit(list, context);
    }

    @Override
    public <S> Void visit(WithItem<?> with, S context) {
        ctes++;
        return super.visit(with, context);
    }
}
