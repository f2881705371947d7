package dev.mosaic.tck.vindex;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.VindexCursor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An in-memory database behind {@link VindexCursor}, standing in for the gate when the TCK drives
 * a lookup vindex. It honours commit order as the gate's sessions do: writes in
 * {@link CommitOrder#PRE}, {@link CommitOrder#NORMAL} and {@link CommitOrder#POST} are staged in
 * three separate transactions, each seeing the committed state plus its own writes;
 * {@link #commit()} commits them in that order, {@link #rollback()} discards them, and
 * {@link #commitThrough(CommitOrder)} commits only up to a point, as a gate crashing between two
 * commits would. {@link CommitOrder#AUTOCOMMIT} writes apply at once.
 *
 * <p>Tables are declared with {@link #table} (columns and unique keys); a table first written
 * without a declaration is created with the written columns and no unique key, and reading an
 * unknown table answers no rows. Unique keys are checked on every write against the writer's view
 * and again at commit, failing with {@link SqlError#DUP_ENTRY}. Comparison follows SQL {@code =}:
 * NULL equals nothing (a unique key allows many NULLs), numbers compare by value, everything else
 * byte-wise. Shards are not modelled: {@link #selectAt} reads the one table.
 *
 * <p>Thread-safe (every method is synchronized), so that concurrent {@code map} calls can share
 * one instance. Plugin authors may use it in their own tests.
 */
public final class InMemoryVindexCursor implements VindexCursor {
    private static final HexFormat HEX = HexFormat.of();
    private static final List<CommitOrder> TRANSACTIONS = List.of(CommitOrder.PRE, CommitOrder.NORMAL, CommitOrder.POST);

    private record TableDef(List<String> columns, List<List<String>> uniqueKeys) {
    }

    private sealed interface Op permits Insert, Delete, Update {
        String table();
    }

    private record Insert(String table, List<String> columns, List<List<Value>> rows, OnDuplicate onDuplicate) implements Op {
    }

    private record Delete(String table, List<String> keyColumns, List<Value> key) implements Op {
    }

    private record Update(String table, List<String> setColumns, List<Value> setValues, List<String> keyColumns,
                          List<Value> key) implements Op {
    }

    private final Map<String, TableDef> defs = new LinkedHashMap<>();
    private Map<String, List<Map<String, Value>>> committed = new LinkedHashMap<>();
    private final Map<CommitOrder, List<Op>> staged = new EnumMap<>(CommitOrder.class);
    private final List<String> log = new ArrayList<>();
    private boolean dmlInTransaction = true;
    private CommitOrder lookupSession = CommitOrder.PRE;

    /** An empty database, in a DML transaction, whose lookup-row session is {@link CommitOrder#PRE}. */
    public InMemoryVindexCursor() {
    }

    /**
     * Declares (or re-declares, emptying it) a table.
     *
     * @param name       the table name as vindexes will name it (e.g. {@code ks.t} or {@code t})
     * @param columns    its columns
     * @param uniqueKeys its unique keys, each a list of columns
     * @return this
     */
    public synchronized InMemoryVindexCursor table(String name, List<String> columns, List<List<String>> uniqueKeys) {
        defs.put(name, new TableDef(List.copyOf(columns), List.copyOf(uniqueKeys)));
        committed.put(name, new ArrayList<>());
        return this;
    }

    /**
     * Sets what {@link #inTransactionAndIsDml()} answers.
     *
     * @param value the answer; true by default
     * @return this
     */
    public synchronized InMemoryVindexCursor inTransactionAndIsDml(boolean value) {
        dmlInTransaction = value;
        return this;
    }

    /**
     * Sets what {@link #lookupRowLockShardSession()} answers: PRE while the gate inserts or
     * selects, POST while it updates or deletes.
     *
     * @param order PRE or POST
     * @return this
     */
    public synchronized InMemoryVindexCursor lookupSession(CommitOrder order) {
        lookupSession = Objects.requireNonNull(order, "order");
        return this;
    }

    /** Commits PRE, then NORMAL, then POST. */
    public void commit() {
        commitThrough(CommitOrder.POST);
    }

    /**
     * Commits the staged transactions up to and including {@code last} and discards the rest: a
     * crash between two commits ({@code PRE}: only the pre-commit session made it).
     *
     * @param last PRE, NORMAL or POST
     * @throws MosaicException {@code DUP_ENTRY} if a commit breaks a unique key (the state is then
     *         as it was before that transaction)
     */
    public synchronized void commitThrough(CommitOrder last) {
        try {
            for (CommitOrder o : TRANSACTIONS) {
                if (o.ordinal() > last.ordinal()) {
                    break;
                }
                Map<String, List<Map<String, Value>>> next = copy(committed);
                for (Op op : staged.getOrDefault(o, List.of())) {
                    apply(next, op);
                }
                committed = next;
            }
        } finally {
            staged.clear();
        }
    }

    /** Discards every staged write. */
    public synchronized void rollback() {
        staged.clear();
    }

    /**
     * The committed rows of a table.
     *
     * @param table a table name
     * @return each row as its column values in declared (or first-written) order; empty for an
     *         unknown table
     */
    public synchronized List<List<Value>> committedRows(String table) {
        List<List<Value>> out = new ArrayList<>();
        TableDef def = defs.get(table);
        if (def == null) {
            return out;
        }
        for (Map<String, Value> r : committed.getOrDefault(table, List.of())) {
            List<Value> row = new ArrayList<>();
            for (String c : def.columns()) {
                row.add(r.getOrDefault(c, Value.NULL));
            }
            out.add(row);
        }
        return out;
    }

    /**
     * Every write received so far, one line each ({@code PRE insert t ...}), for failure messages.
     *
     * @return a copy, oldest first
     */
    public synchronized List<String> writeLog() {
        return List.copyOf(log);
    }

    private Map<String, List<Map<String, Value>>> view(CommitOrder order) {
        Map<String, List<Map<String, Value>>> v = copy(committed);
        for (Op op : staged.getOrDefault(order, List.of())) {
            apply(v, op);
        }
        return v;
    }

    private void write(CommitOrder order, Op op) {
        Objects.requireNonNull(order, "order");
        log.add(order + " " + op);
        if (!defs.containsKey(op.table()) && op instanceof Insert ins) {
            table(op.table(), ins.columns(), List.of());
        }
        if (order == CommitOrder.AUTOCOMMIT) {
            Map<String, List<Map<String, Value>>> next = copy(committed);
            apply(next, op);
            committed = next;
            return;
        }
        apply(view(order), op); // fails now, as MySQL would, if the writer's own view breaks a key
        staged.computeIfAbsent(order, k -> new ArrayList<>()).add(op);
    }

    @Override
    public synchronized List<List<List<Value>>> select(String table, List<String> keyColumns, List<List<Value>> keys,
                                                       List<String> resultColumns, ReadLock lock, CommitOrder order) {
        Objects.requireNonNull(order, "order");
        List<Map<String, Value>> rows = (order == CommitOrder.AUTOCOMMIT ? committed : view(order))
                .getOrDefault(table, List.of());
        List<List<List<Value>>> out = new ArrayList<>(keys.size());
        for (List<Value> key : keys) {
            if (key.size() != keyColumns.size()) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "select on " + table + ": key " + key
                        + " does not match key columns " + keyColumns);
            }
            List<List<Value>> found = new ArrayList<>();
            for (Map<String, Value> r : rows) {
                if (matches(r, keyColumns, key)) {
                    List<Value> res = new ArrayList<>(resultColumns.size());
                    for (String c : resultColumns) {
                        res.add(r.getOrDefault(c, Value.NULL));
                    }
                    found.add(res);
                }
            }
            out.add(found);
        }
        return out;
    }

    @Override
    public List<List<List<Value>>> selectAt(KeyspaceId ksid, String table, List<String> keyColumns,
                                            List<List<Value>> keys, List<String> resultColumns, ReadLock lock,
                                            CommitOrder order) {
        Objects.requireNonNull(ksid, "ksid");
        return select(table, keyColumns, keys, resultColumns, lock, order);
    }

    @Override
    public synchronized void insert(String table, List<String> columns, List<List<Value>> rows, OnDuplicate onDuplicate,
                                    CommitOrder order) {
        for (List<Value> r : rows) {
            if (r.size() != columns.size()) {
                throw new MosaicException(SqlError.WRONG_VALUE_COUNT_ON_ROW, "insert into " + table + ": row " + r
                        + " does not match columns " + columns);
            }
        }
        write(order, new Insert(table, List.copyOf(columns), copyRows(rows), Objects.requireNonNull(onDuplicate)));
    }

    @Override
    public synchronized void delete(String table, List<String> keyColumns, List<Value> key, CommitOrder order) {
        write(order, new Delete(table, List.copyOf(keyColumns), List.copyOf(key)));
    }

    @Override
    public synchronized void update(String table, List<String> setColumns, List<Value> setValues, List<String> keyColumns,
                                    List<Value> key, CommitOrder order) {
        write(order, new Update(table, List.copyOf(setColumns), List.copyOf(setValues), List.copyOf(keyColumns),
                List.copyOf(key)));
    }

    @Override
    public synchronized boolean inTransactionAndIsDml() {
        return dmlInTransaction;
    }

    @Override
    public synchronized CommitOrder lookupRowLockShardSession() {
        return lookupSession;
    }

    private void apply(Map<String, List<Map<String, Value>>> db, Op op) {
        List<Map<String, Value>> rows = db.computeIfAbsent(op.table(), t -> new ArrayList<>());
        if (op instanceof Insert ins) {
            for (List<Value> values : ins.rows()) {
                Map<String, Value> r = new LinkedHashMap<>();
                for (int i = 0; i < ins.columns().size(); i++) {
                    r.put(ins.columns().get(i), values.get(i));
                }
                int clash = firstClash(ins.table(), rows, r, -1);
                if (clash < 0) {
                    rows.add(r);
                } else if (ins.onDuplicate() == OnDuplicate.UPDATE) {
                    Map<String, Value> merged = new LinkedHashMap<>(rows.get(clash));
                    merged.putAll(r);
                    rows.set(clash, merged);
                } else if (ins.onDuplicate() == OnDuplicate.FAIL) {
                    throw duplicate(ins.table(), r);
                }
            }
        } else if (op instanceof Delete del) {
            rows.removeIf(r -> matches(r, del.keyColumns(), del.key()));
        } else if (op instanceof Update up) {
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Value> r = rows.get(i);
                if (!matches(r, up.keyColumns(), up.key())) {
                    continue;
                }
                Map<String, Value> changed = new LinkedHashMap<>(r);
                for (int c = 0; c < up.setColumns().size(); c++) {
                    changed.put(up.setColumns().get(c), up.setValues().get(c));
                }
                if (firstClash(up.table(), rows, changed, i) >= 0) {
                    throw duplicate(up.table(), changed);
                }
                rows.set(i, changed);
            }
        }
    }

    private static MosaicException duplicate(String table, Map<String, Value> row) {
        return new MosaicException(SqlError.DUP_ENTRY, "Duplicate entry " + row + " for table " + table);
    }

    /** The index of the first row (other than {@code self}) sharing a unique key with {@code r}, or -1. */
    private int firstClash(String table, List<Map<String, Value>> rows, Map<String, Value> r, int self) {
        TableDef def = defs.get(table);
        if (def == null) {
            return -1;
        }
        for (List<String> uk : def.uniqueKeys()) {
            List<Value> key = new ArrayList<>(uk.size());
            for (String c : uk) {
                key.add(r.getOrDefault(c, Value.NULL));
            }
            for (int i = 0; i < rows.size(); i++) {
                if (i != self && matches(rows.get(i), uk, key)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean matches(Map<String, Value> r, List<String> cols, List<Value> key) {
        for (int i = 0; i < cols.size(); i++) {
            if (!sqlEquals(r.getOrDefault(cols.get(i), Value.NULL), key.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * SQL {@code =} as this database applies it.
     *
     * @param a a value
     * @param b a value
     * @return false if either is NULL; numbers by value; otherwise the text forms byte-wise
     */
    public static boolean sqlEquals(Value a, Value b) {
        if (a.isNull() || b.isNull()) {
            return false;
        }
        return normalized(a).equals(normalized(b));
    }

    private static String normalized(Value v) {
        if (v.type().isNumber()) {
            try {
                return "n:" + new BigDecimal(v.toSqlLiteral()).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                return "s:" + v.toSqlLiteral(); // NaN, infinities: equal only to themselves
            }
        }
        return "b:" + HEX.formatHex(v.toBytes());
    }

    private static List<List<Value>> copyRows(List<List<Value>> rows) {
        List<List<Value>> out = new ArrayList<>(rows.size());
        for (List<Value> r : rows) {
            out.add(List.copyOf(r));
        }
        return List.copyOf(out);
    }

    private static Map<String, List<Map<String, Value>>> copy(Map<String, List<Map<String, Value>>> db) {
        Map<String, List<Map<String, Value>>> out = new LinkedHashMap<>();
        db.forEach((t, rows) -> {
            List<Map<String, Value>> c = new ArrayList<>(rows.size());
            for (Map<String, Value> r : rows) {
                c.add(new LinkedHashMap<>(r));
            }
            out.put(t, c);
        });
        return out;
    }

    @Override
    public synchronized String toString() {
        return "InMemoryVindexCursor" + committed;
    }
}
