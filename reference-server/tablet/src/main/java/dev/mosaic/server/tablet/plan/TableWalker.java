package dev.mosaic.server.tablet.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ParenthesedStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.StatementVisitor;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectVisitor;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Collects every real table a parsed statement (or part of one) references, as {@link Table} nodes
 * in walk order. JSqlParser's {@link TablesNamesFinder} does the traversal of every expression and
 * clause; this class replaces its bookkeeping, which drops a name anywhere in the statement once a
 * CTE or derived table anywhere has that name. Here a name is a CTE reference only where MySQL
 * resolves it to one: unqualified, inside the query block that declares the WITH clause (or a block
 * nested in it), and in a CTE body only for earlier siblings and, under {@code WITH RECURSIVE}, the
 * CTE itself. Everything else counts as a table, so an unusual construct errs towards checking more.
 *
 * <p>One instance per walk; not thread-safe.
 */
final class TableWalker extends TablesNamesFinder<Void> {
    private final Deque<Set<String>> cteScopes = new ArrayDeque<>();
    private final List<Table> references = new ArrayList<>();

    TableWalker() {
        init(false);
    }

    /** The table references found so far. */
    List<Table> references() {
        return references;
    }

    /** Walks a whole statement. */
    TableWalker walk(Statement statement) {
        statement.accept(this, null);
        return this;
    }

    /** A table's name as MySQL sees it: without quotes, without its database. */
    static String name(Table table) {
        return unquote(table.getName());
    }

    static String unquote(String identifier) {
        if (identifier != null && identifier.length() >= 2) {
            char q = identifier.charAt(0);
            if ((q == '`' || q == '"') && identifier.charAt(identifier.length() - 1) == q) {
                String inner = identifier.substring(1, identifier.length() - 1);
                return inner.replace(String.valueOf(q) + q, String.valueOf(q));
            }
        }
        return identifier;
    }

    @Override
    public <S> Void visit(Table table, S context) {
        String name = name(table);
        if (name == null || name.isEmpty()) {
            return null;
        }
        if (table.getSchemaName() == null && isCte(name)) {
            return null;
        }
        references.add(table);
        if (table.getPivot() != null) {
            table.getPivot().accept(this, context);
        }
        if (table.getUnPivot() != null) {
            table.getUnPivot().accept(this, context);
        }
        return null;
    }

    private boolean isCte(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Set<String> scope : cteScopes) {
            if (scope.contains(lower)) {
                return true;
            }
        }
        return false;
    }

    /** CTE bodies are walked by {@link #inScope}, each with the names visible there. */
    @Override
    public <S> Void visit(WithItem<?> withItem, S context) {
        return null;
    }

    @Override
    public <S> Void visit(PlainSelect plainSelect, S context) {
        inScope(plainSelect.getWithItemsList(), () -> super.visit(plainSelect, context));
        return null;
    }

    @Override
    public <S> Void visit(SetOperationList list, S context) {
        inScope(list.getWithItemsList(), () -> super.visit(list, context));
        return null;
    }

    @Override
    public <S> Void visit(ParenthesedSelect select, S context) {
        inScope(select.getWithItemsList(), () -> super.visit(select, context));
        return null;
    }

    @Override
    public <S> Void visit(Insert insert, S context) {
        inScope(insert.getWithItemsList(), () -> super.visit(insert, context));
        return null;
    }

    @Override
    public <S> Void visit(Update update, S context) {
        inScope(update.getWithItemsList(), () -> super.visit(update, context));
        return null;
    }

    @Override
    public <S> Void visit(Delete delete, S context) {
        inScope(delete.getWithItemsList(), () -> super.visit(delete, context));
        return null;
    }

    private void inScope(List<WithItem<?>> with, Runnable block) {
        if (with == null || with.isEmpty()) {
            block.run();
            return;
        }
        Set<String> declared = new HashSet<>();
        for (WithItem<?> item : with) {
            String name = item.getUnquotedAliasName() == null ? "" : item.getUnquotedAliasName().toLowerCase(Locale.ROOT);
            Set<String> bodyScope = new HashSet<>(declared);
            if (item.isRecursive()) {
                bodyScope.add(name);
            }
            cteScopes.push(bodyScope);
            try {
                walkBody(item.getParenthesedStatement());
            } finally {
                cteScopes.pop();
            }
            declared.add(name);
        }
        cteScopes.push(declared);
        try {
            block.run();
        } finally {
            cteScopes.pop();
        }
    }

    @SuppressWarnings("unchecked")
    private void walkBody(ParenthesedStatement body) {
        if (body instanceof Select select) {
            select.accept((SelectVisitor<Void>) this, null);
        } else if (body != null) {
            body.accept((StatementVisitor<Void>) this, null);
        }
    }
}
