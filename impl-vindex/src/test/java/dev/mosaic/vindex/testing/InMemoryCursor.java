package dev.mosaic.vindex.testing;

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
 * An in-memory database behind {@link VindexCursor}, honouring commit order the way the gate's
 * sessions do: writes in {@link CommitOrder#PRE}, {@link CommitOrder#NORMAL} and
 * {@link CommitOrder#POST} are staged in three separate transactions, each of which sees the
 * committed state plus its own writes; {@link #commit()} commits them in that order,
 * {@link #rollback()} discards them, and {@link #commitThrough(CommitOrder)} commits only up to a
 * point, as a gate that crashes mid-commit would. {@link CommitOrder#AUTOCOMMIT} writes apply at
 * once. Unique keys are checked on every write against the writer's view and again at commit.
 *
 * <p>SQL comparison rules: NULL equals nothing (and unique keys allow many NULLs); numbers compare
 * by value; everything else byte-wise. Not thread-safe; one test at a time.
 */
public final class InMemoryCursor implements VindexCursor {
    private static final HexFormat HEX = HexFormat.of();

    private record TableDef(List<String> columns, List<List<String>> uniqueKeys) {
    }

    private sealed interface Op permits Insert, Delete, Update {
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

    /** Declares a table with its columns and unique keys (each a list of columns). */
    public InMemoryCursor table(String name, List<String> columns, List<List<String>> uniqueKeys) {
        defs.put(name, new TableDef(List.copyOf(columns), List.copyOf(uniqueKeys)));
        committed.put(name, new ArrayList<>());
        return this;
    }

    /** Commits PRE, then NORMAL, then POST. */
    public void commit() {
        commitThrough(CommitOrder.POST);
    }

    /**
     * Commits the staged transactions up to and including {@code last} (PRE, NORMAL or POST) and
     * discards the rest: a crash between two commits.
     */
    public void commitThrough(CommitOrder last) {
        for (CommitOrder o : List.of(CommitOrder.PRE, CommitOrder.NORMAL, CommitOrder.POST)) {
            if (o.ordinal() > last.ordinal()) {
                break;
            }
            Map<String, List<Map<String, Value>>> next = copy(committed);
            for (Op op : staged.getOrDefault(o, List.of())) {
                apply(next, op);
            }
            committed = next;
        }
        staged.clear();
    }

    /** Discards every staged write. */
    public void rollback() {
        staged.clear();
    }

    /** The committed rows of a table, each as column values in declared order. */
    public List<List<Value>> committedRows(String table) {
        List<List<Value>> out = new ArrayList<>();
        for (Map<String, Value> r : rows(committed, table)) {
            List<Value> row = new ArrayList<>();
            for (String c : defs.get(table).columns()) {
                row.add(r.getOrDefault(c, Value.NULL));
            }
            out.add(row);
        }
        return out;
    }

    private Map<String, List<Map<String, Value>>> view(CommitOrder order) {
        Map<String, List<Map<String, Value>>> v = copy(committed);
        for (Op op : staged.getOrDefault(order, List.of())) {
            apply(v, op);
        }
        return v;
    }

    private void write(CommitOrder order, Op op) {
        if (order == CommitOrder.AUTOCOMMIT) {
            Map<String, List<Map<String, Value>>> next = copy(committed);
            apply(next, op);
            committed = next;
            return;
        }
        apply(view(order), op); // fails now, as MySQL would, if the writer's own view has a duplicate
        staged.computeIfAbsent(order, k -> new ArrayList<>()).add(op);
    }

    @Override
    public List<List<List<Value>>> select(String table, List<String> keyColumns, List<List<Value>> keys,
                                          List<String> resultColumns, ReadLock lock, CommitOrder order) {
        List<Map<String, Value>> rows = rows(order == CommitOrder.AUTOCOMMIT ? committed : view(order), table);
        List<List<List<Value>>> out = new ArrayList<>();
        for (List<Value> key : keys) {
            List<List<Value>> found = new ArrayList<>();
            for (Map<String, Value> r : rows) {
                if (matches(r, keyColumns, key)) {
                    List<Value> res = new ArrayList<>();
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
        // One table holds every shard's rows here, so routing changes nothing.
        return select(table, keyColumns, keys, resultColumns, lock, order);
    }

    @Override
    public void insert(String table, List<String> columns, List<List<Value>> rows, OnDuplicate onDuplicate, CommitOrder order) {
        write(order, new Insert(table, List.copyOf(columns), List.copyOf(rows), onDuplicate));
    }

    /** Statements run by these tests are DML in a transaction unless {@link #notInDmlTransaction} was called. */
    private boolean dmlInTransaction = true;
    private CommitOrder lookupSession = CommitOrder.PRE;

    /** Makes {@link #inTransactionAndIsDml()} answer false. */
    public InMemoryCursor notInDmlTransaction() {
        dmlInTransaction = false;
        return this;
    }

    /** Sets what {@link #lookupRowLockShardSession()} answers. */
    public InMemoryCursor lookupSession(CommitOrder order) {
        lookupSession = order;
        return this;
    }

    @Override
    public boolean inTransactionAndIsDml() {
        return dmlInTransaction;
    }

    @Override
    public CommitOrder lookupRowLockShardSession() {
        return lookupSession;
    }

    @Override
    public void delete(String table, List<String> keyColumns, List<Value> key, CommitOrder order) {
        write(order, new Delete(table, List.copyOf(keyColumns), List.copyOf(key)));
    }

    @Override
    public void update(String table, List<String> setColumns, List<Value> setValues, List<String> keyColumns,
                       List<Value> key, CommitOrder order) {
        write(order, new Update(table, List.copyOf(setColumns), List.copyOf(setValues), List.copyOf(keyColumns), List.copyOf(key)));
    }

    private void apply(Map<String, List<Map<String, Value>>> db, Op op) {
        if (op instanceof Insert ins) {
            List<Map<String, Value>> rows = rows(db, ins.table());
            for (List<Value> values : ins.rows()) {
                Map<String, Value> r = new LinkedHashMap<>();
                for (int i = 0; i < ins.columns().size(); i++) {
                    r.put(ins.columns().get(i), values.get(i));
                }
                String dup = duplicate(ins.table(), rows, r, null);
                if (dup != null) {
                    if (ins.onDuplicate() == OnDuplicate.IGNORE) {
                        continue;
                    }
                    if (ins.onDuplicate() == OnDuplicate.UPDATE) {
                        // MySQL updates the first row the new one collides with.
                        for (int k = 0; k < rows.size(); k++) {
                            if (duplicate(ins.table(), List.of(rows.get(k)), r, null) != null) {
                                rows.set(k, r);
                                break;
                            }
                        }
                        continue;
                    }
                    throw new MosaicException(SqlError.DUP_ENTRY, "Duplicate entry '" + dup + "' for table " + ins.table());
                }
                rows.add(r);
            }
        } else if (op instanceof Delete del) {
            rows(db, del.table()).removeIf(r -> matches(r, del.keyColumns(), del.key()));
        } else if (op instanceof Update up) {
            List<Map<String, Value>> rows = rows(db, up.table());
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Value> r = rows.get(i);
                if (!matches(r, up.keyColumns(), up.key())) {
                    continue;
                }
                Map<String, Value> changed = new LinkedHashMap<>(r);
                for (int c = 0; c < up.setColumns().size(); c++) {
                    changed.put(up.setColumns().get(c), up.setValues().get(c));
                }
                String dup = duplicate(up.table(), rows, changed, r);
                if (dup != null) {
                    throw new MosaicException(SqlError.DUP_ENTRY, "Duplicate entry '" + dup + "' for table " + up.table());
                }
                rows.set(i, changed);
            }
        }
    }

    private String duplicate(String table, List<Map<String, Value>> rows, Map<String, Value> r, Map<String, Value> self) {
        for (List<String> uk : defs.get(table).uniqueKeys()) {
            List<Value> key = new ArrayList<>();
            for (String c : uk) {
                key.add(r.getOrDefault(c, Value.NULL));
            }
            for (Map<String, Value> other : rows) {
                if (other != self && matches(other, uk, key)) {
                    return key.toString();
                }
            }
        }
        return null;
    }

    private List<Map<String, Value>> rows(Map<String, List<Map<String, Value>>> db, String table) {
        List<Map<String, Value>> rows = db.get(table);
        if (rows == null) {
            throw new MosaicException(SqlError.NO_SUCH_TABLE, "Table '" + table + "' doesn't exist");
        }
        return rows;
    }

    private static boolean matches(Map<String, Value> r, List<String> cols, List<Value> key) {
        for (int i = 0; i < cols.size(); i++) {
            if (!sqlEquals(r.getOrDefault(cols.get(i), Value.NULL), key.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** SQL '=': NULL equals nothing, numbers by value, the rest byte-wise. */
    static boolean sqlEquals(Value a, Value b) {
        if (a.isNull() || b.isNull()) {
            return false;
        }
        return norm(a).equals(norm(b));
    }

    private static String norm(Value v) {
        if (v.type().isNumber()) {
            try {
                return "n:" + new BigDecimal(v.toSqlLiteral()).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                throw new MosaicException(ErrorCode.INTERNAL, "bad number " + v);
            }
        }
        return "b:" + HEX.formatHex(v.toBytes());
    }

    private static Map<String, List<Map<String, Value>>> copy(Map<String, List<Map<String, Value>>> db) {
        Map<String, List<Map<String, Value>>> out = new LinkedHashMap<>();
        db.forEach((t, rows) -> {
            List<Map<String, Value>> copy = new ArrayList<>();
            for (Map<String, Value> r : rows) {
                copy.add(new LinkedHashMap<>(r));
            }
            out.put(t, copy);
        });
        return out;
    }

    @Override
    public String toString() {
        return Objects.toString(committed);
    }
}
