package dev.mosaic.server.tablet.plan;

import dev.mosaic.server.tablet.query.SqlBinder;
import dev.mosaic.server.tablet.query.StatementKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Commit;
import net.sf.jsqlparser.statement.DescribeStatement;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.ResetStatement;
import net.sf.jsqlparser.statement.RollbackStatement;
import net.sf.jsqlparser.statement.SavepointStatement;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.ShowColumnsStatement;
import net.sf.jsqlparser.statement.ShowStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UseStatement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.RenameTableStatement;
import net.sf.jsqlparser.statement.analyze.Analyze;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.AlterView;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.show.ShowIndexStatement;
import net.sf.jsqlparser.statement.show.ShowTablesStatement;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * Reads one SQL statement into a {@link TabletPlan}: what it does, which tables it reads, writes or
 * alters, and for a single-table UPDATE or DELETE the row it targets (Vitess's tablet
 * {@code planbuilder} and its {@code BuildPermissions}).
 *
 * <p>Statements are parsed with JSqlParser. Vitess bind variables {@code :name} parse as named
 * parameters; list variables {@code ::name} are read as {@code (:name)}. A statement the parser
 * cannot read in {@link #parseTimeout} never fails the analysis: its kind comes from its first
 * keyword ({@link StatementKind#of}) and, unless it is a plain session or transaction statement
 * ({@code SET}, {@code BEGIN}, {@code SHOW}, {@code USE}, ... without a subquery), its tables are
 * {@linkplain TabletPlan#tablesUndetermined() undetermined}.
 *
 * <p>Parsing runs on a shared pool of daemon threads ({@code tablet-sql-parser-N}, created on
 * demand, idle ones end after a minute) so that a pathological statement is abandoned after the
 * timeout instead of holding the caller. Thread-safe.
 */
public final class StatementAnalyzer {
    /** The default limit on parsing one statement. */
    public static final Duration DEFAULT_PARSE_TIMEOUT = Duration.ofSeconds(2);

    private static final ExecutorService PARSERS = parserThreads();
    private static final Pattern SUBQUERY = Pattern.compile("(?i)\\bselect\\b");
    private static final Set<String> NO_TABLE_KEYWORDS = Set.of("begin", "start", "commit", "rollback", "savepoint",
            "release", "set", "show", "describe", "desc", "use", "unlock", "xa");

    private final Duration parseTimeout;

    /** An analyzer with {@link #DEFAULT_PARSE_TIMEOUT}. */
    public StatementAnalyzer() {
        this(DEFAULT_PARSE_TIMEOUT);
    }

    /** An analyzer that gives up parsing a statement after {@code parseTimeout}. */
    public StatementAnalyzer(Duration parseTimeout) {
        if (parseTimeout.isNegative() || parseTimeout.isZero()) {
            throw new IllegalArgumentException("parse timeout must be positive, got " + parseTimeout);
        }
        this.parseTimeout = parseTimeout;
    }

    private static ExecutorService parserThreads() {
        AtomicInteger n = new AtomicInteger();
        // No queue: each parse gets a thread (the callers are bounded by the tablet's pools).
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "tablet-sql-parser-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        return pool;
    }

    /** The plan of {@code sql}; never throws for bad SQL. */
    public TabletPlan analyze(String sql) {
        if (sql.length() > BULK_INSERT_LENGTH) {
            TabletPlan bulk = bulkInsert(sql);
            if (bulk != null) {
                return bulk;
            }
        }
        return analyzeFully(sql);
    }

    /** Longer INSERT / REPLACE ... VALUES statements are read from their head only. */
    static final int BULK_INSERT_LENGTH = 4096;
    private static final Pattern VALUES = Pattern.compile("(?i)\\bvalues?\\b");

    /**
     * A long multi-row {@code INSERT ... VALUES} (without any SELECT) touches only its target table,
     * which its head names; parsing the whole text would cost time linear in the rows (seconds for
     * a few thousand) for nothing. Returns null if the shortcut does not apply.
     */
    private TabletPlan bulkInsert(String sql) {
        String word = StatementKind.firstWord(sql);
        if (!(word.equals("insert") || word.equals("replace")) || SUBQUERY.matcher(sql).find()) {
            return null;
        }
        java.util.regex.Matcher m = VALUES.matcher(sql);
        if (!m.find()) {
            return null;
        }
        TabletPlan head = analyzeFully(sql.substring(0, m.start()) + " VALUES (NULL)");
        if (!head.parsed() || head.tablesUndetermined() || head.tablesWritten().size() != 1 || !head.tablesRead().isEmpty()) {
            return null;
        }
        return head;
    }

    private TabletPlan analyzeFully(String sql) {
        List<String> listVars = new ArrayList<>();
        String parseable = rewriteListVariables(sql, listVars);
        Statement statement;
        try {
            statement = parse(parseable);
        } catch (MultipleStatements e) {
            return TabletPlan.unparsed(StatementKind.of(sql), true);
        } catch (JSQLParserException | RuntimeException e) {
            return unparsed(sql);
        }
        if (statement == null) {
            return unparsed(sql);
        }
        try {
            return plan(statement, sql, listVars);
        } catch (RuntimeException e) {
            // A construct the table walker does not support: the tables cannot be known.
            return new TabletPlan(kindOf(statement, sql), true, List.of(), List.of(), List.of(), true, Optional.empty());
        }
    }

    private static TabletPlan unparsed(String sql) {
        String word = StatementKind.firstWord(sql);
        boolean noTables = NO_TABLE_KEYWORDS.contains(word) && !SUBQUERY.matcher(sql).find();
        return TabletPlan.unparsed(StatementKind.of(sql), !noTables);
    }

    /** Thrown when the text holds more than one statement. */
    private static final class MultipleStatements extends Exception {
        private static final long serialVersionUID = 1L;

        MultipleStatements() {
            super(null, null, false, false);
        }
    }

    private Statement parse(String sql) throws JSQLParserException, MultipleStatements {
        JSQLParserException first;
        try {
            return parse(sql, false);
        } catch (JSQLParserException e) {
            if (e.getMessage() != null && e.getMessage().contains("Time out")) {
                throw e;
            }
            first = e;
        }
        try {
            return parse(sql, true);
        } catch (JSQLParserException e) {
            e.addSuppressed(first);
            throw e;
        }
    }

    private Statement parse(String sql, boolean complex) throws JSQLParserException, MultipleStatements {
        CCJSqlParser parser = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(complex)
                .withTimeOut(Math.toIntExact(Math.min(Integer.MAX_VALUE, parseTimeout.toMillis())));
        Statement statement = CCJSqlParserUtil.parseStatement(parser, PARSERS);
        // The parser stops after one statement; what follows may only be semicolons.
        for (Token t = parser.getNextToken(); t != null && t.kind != 0; t = parser.getNextToken()) {
            if (!";".equals(t.image)) {
                throw new MultipleStatements();
            }
        }
        return statement;
    }

    private static StatementKind kindOf(Statement s, String sql) {
        if (s instanceof Select || s instanceof ExplainStatement || s instanceof DescribeStatement
                || s instanceof ShowStatement || s instanceof ShowColumnsStatement || s instanceof ShowTablesStatement
                || s instanceof ShowIndexStatement) {
            return StatementKind.READ;
        }
        if (s instanceof Insert || s instanceof Upsert || s instanceof Update || s instanceof Delete) {
            return StatementKind.WRITE;
        }
        if (s instanceof CreateTable || s instanceof CreateView || s instanceof AlterView || s instanceof Alter
                || s instanceof Drop || s instanceof Truncate || s instanceof RenameTableStatement
                || s instanceof CreateIndex) {
            return StatementKind.DDL;
        }
        return StatementKind.of(sql);
    }

    /** Collects tables into the three roles; dual is never a table. */
    private static final class Collector {
        final Set<String> read = new LinkedHashSet<>();
        final Set<String> written = new LinkedHashSet<>();
        final Set<String> altered = new LinkedHashSet<>();

        void add(Set<String> into, Table table) {
            if (table == null) {
                return;
            }
            String name = TableWalker.name(table);
            if (name != null && !name.isEmpty() && !name.equalsIgnoreCase("dual")) {
                into.add(name);
            }
        }

        /** Walks {@code node}: references that are one of {@code targets} go to {@code targetRole}, the rest are reads. */
        void walk(Statement node, Map<Table, Set<String>> targets, Set<Table> ignored) {
            for (Table t : new TableWalker().walk(node).references()) {
                if (ignored.contains(t)) {
                    continue;
                }
                Set<String> into = targets.get(t);
                add(into == null ? read : into, t);
            }
        }

        void walkReads(Statement node) {
            if (node != null) {
                walk(node, Map.of(), Set.of());
            }
        }
    }

    private TabletPlan plan(Statement s, String sql, List<String> listVars) {
        Collector c = new Collector();
        boolean undetermined = false;
        Optional<TabletPlan.HotRowTemplate> hotRow = Optional.empty();
        StatementKind kind = kindOf(s, sql);
        if (s instanceof Select select) {
            c.walkReads(select);
        } else if (s instanceof Insert insert) {
            c.walk(insert, targets(c.written, insert.getTable()), Set.of());
        } else if (s instanceof Upsert upsert) {
            c.walk(upsert, targets(c.written, upsert.getTable()), Set.of());
        } else if (s instanceof Update update) {
            Map<Table, Set<String>> targets = targets(c.written, update.getTable());
            joinTargets(targets, c.written, update.getStartJoins());
            joinTargets(targets, c.written, update.getJoins());
            if (update.getFromItem() instanceof Table from) {
                targets.put(from, c.written);
            }
            c.walk(update, targets, Set.of());
            boolean single = empty(update.getStartJoins()) && empty(update.getJoins()) && update.getFromItem() == null;
            hotRow = hotRow(single, update.getTable(), update.getWhere(), listVars);
        } else if (s instanceof Delete delete) {
            Map<Table, Set<String>> targets = targets(c.written, delete.getTable());
            joinTargets(targets, c.written, delete.getJoins());
            if (delete.getUsingFromItemList() != null) {
                for (FromItem item : delete.getUsingFromItemList()) {
                    if (item instanceof Table t) {
                        targets.put(t, c.written);
                    }
                }
            }
            // The target list of a multi-table DELETE names tables (or aliases) of its FROM clause.
            Set<Table> ignored = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            if (delete.getTables() != null) {
                ignored.addAll(delete.getTables());
            }
            c.walk(delete, targets, ignored);
            boolean single = empty(delete.getJoins()) && empty(delete.getUsingFromItemList())
                    && (empty(delete.getTables()) || (delete.getTables().size() == 1
                            && sameName(delete.getTables().get(0), delete.getTable())));
            hotRow = hotRow(single, delete.getTable(), delete.getWhere(), listVars);
        } else if (s instanceof CreateTable create) {
            c.add(c.altered, create.getTable());
            c.walkReads(create.getSelect());
            c.add(c.read, create.getLikeTable());
        } else if (s instanceof CreateView view) {
            c.add(c.altered, view.getView());
            c.walkReads(view.getSelect());
        } else if (s instanceof AlterView view) {
            c.add(c.altered, view.getView());
            c.walkReads(view.getSelect());
        } else if (s instanceof Alter alter) {
            c.add(c.altered, alter.getTable());
        } else if (s instanceof Drop drop) {
            c.add(c.altered, drop.getName());
            if (drop.getNames() != null) {
                drop.getNames().forEach(t -> c.add(c.altered, t));
            }
        } else if (s instanceof Truncate truncate) {
            c.add(c.altered, truncate.getTable());
            if (truncate.getTables() != null) {
                truncate.getTables().forEach(t -> c.add(c.altered, t));
            }
        } else if (s instanceof RenameTableStatement rename) {
            rename.getTableNames().forEach(e -> {
                c.add(c.altered, e.getKey());
                c.add(c.altered, e.getValue());
            });
        } else if (s instanceof CreateIndex index) {
            c.add(c.altered, index.getTable());
        } else if (s instanceof Analyze analyze) {
            // Vitess: ANALYZE TABLE needs WRITER.
            c.add(c.written, analyze.getTable());
            if (analyze.getTables() != null) {
                analyze.getTables().forEach(t -> c.add(c.written, t));
            }
        } else if (s instanceof ExplainStatement explain) {
            // EXPLAIN needs what the explained statement needs (MySQL checks the same privileges).
            if (explain.getStatement() != null) {
                TabletPlan inner = plan(explain.getStatement(), explain.getStatement().toString(), listVars);
                return new TabletPlan(StatementKind.READ, true, inner.tablesRead(), inner.tablesWritten(),
                        inner.tablesAltered(), inner.tablesUndetermined(), Optional.empty());
            }
        } else if (s instanceof SetStatement || s instanceof ShowStatement || s instanceof ShowColumnsStatement
                || s instanceof ShowTablesStatement || s instanceof ShowIndexStatement || s instanceof DescribeStatement
                || s instanceof UseStatement || s instanceof Commit || s instanceof RollbackStatement
                || s instanceof SavepointStatement || s instanceof ResetStatement) {
            // No table of their own (Vitess: no permission); a subquery in SET or SHOW ... WHERE is a read.
            if (SUBQUERY.matcher(sql).find()) {
                try {
                    c.walkReads(s);
                } catch (RuntimeException e) {
                    undetermined = true;
                }
            }
        } else {
            // CALL, and anything else the parser reads but whose tables we cannot attribute.
            undetermined = true;
        }
        if (kind == StatementKind.DDL && c.altered.isEmpty()) {
            undetermined = true;
        }
        return new TabletPlan(kind, true, List.copyOf(c.read), List.copyOf(c.written), List.copyOf(c.altered),
                undetermined, hotRow);
    }

    private static Map<Table, Set<String>> targets(Set<String> role, Table table) {
        Map<Table, Set<String>> m = new IdentityHashMap<>();
        if (table != null) {
            m.put(table, role);
        }
        return m;
    }

    private static void joinTargets(Map<Table, Set<String>> targets, Set<String> role, List<Join> joins) {
        if (joins != null) {
            for (Join j : joins) {
                FromItem item = j.getFromItem();
                if (item instanceof Table t) {
                    targets.put(t, role);
                }
            }
        }
    }

    private static boolean empty(List<?> list) {
        return list == null || list.isEmpty();
    }

    private static boolean sameName(Table a, Table b) {
        return b != null && TableWalker.name(a).equalsIgnoreCase(TableWalker.name(b))
                || (b != null && b.getAlias() != null && TableWalker.unquote(b.getAlias().getName())
                        .equalsIgnoreCase(TableWalker.name(a)));
    }

    private static Optional<TabletPlan.HotRowTemplate> hotRow(boolean singleTable, Table table, Expression where,
            List<String> listVars) {
        if (!singleTable || table == null || where == null) {
            return Optional.empty();
        }
        String name = TableWalker.name(table);
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        String text = where.toString();
        for (String v : listVars) {
            text = text.replace("(:" + v + ")", "::" + v);
        }
        return Optional.of(new TabletPlan.HotRowTemplate(name, text));
    }

    /**
     * {@code sql} with every list bind variable {@code ::name} written {@code (:name)} (outside quotes
     * and comments), which the parser reads; the names are added to {@code names}.
     */
    static String rewriteListVariables(String sql, List<String> names) {
        if (!sql.contains("::")) {
            return sql;
        }
        return SqlBinder.rewriteVariables(sql, (name, list) -> {
            if (!list) {
                return null;
            }
            names.add(name);
            return "(:" + name + ")";
        });
    }
}
