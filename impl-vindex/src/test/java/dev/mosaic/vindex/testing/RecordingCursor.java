package dev.mosaic.vindex.testing;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.VindexCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A cursor that logs every call as one line and answers from a script, in the spirit of Vitess's
 * {@code loggingVCursor}: the queries Vitess's tests expect become expected log lines here.
 *
 * <p>Script entries are consumed one per call: a {@link MosaicException} is thrown, a
 * {@code List<List<List<Value>>>} answers a select, {@link #OK} answers a write. With the script
 * empty, selects find nothing and writes succeed.
 */
public final class RecordingCursor implements VindexCursor {
    /** A successful write. */
    public static final Object OK = new Object();

    private final Deque<Object> script = new ArrayDeque<>();
    private final List<String> log = new ArrayList<>();

    /** Queues an answer. */
    public RecordingCursor then(Object answer) {
        script.add(answer);
        return this;
    }

    /** Queues a select answer: for each key, the rows (each a list of values). */
    @SafeVarargs
    public final RecordingCursor thenRows(List<List<Value>>... perKey) {
        script.add(List.of(perKey));
        return this;
    }

    /** The calls so far. */
    public List<String> log() {
        return List.copyOf(log);
    }

    /** Forgets the calls so far. */
    public void clear() {
        log.clear();
    }

    private Object next() {
        Object o = script.poll();
        if (o instanceof MosaicException e) {
            throw e;
        }
        return o;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<List<List<Value>>> select(String table, List<String> keyColumns, List<List<Value>> keys,
                                          List<String> resultColumns, ReadLock lock, CommitOrder order) {
        return logSelect(table, keyColumns, keys, resultColumns, lock, order, "");
    }

    private List<List<List<Value>>> logSelect(String table, List<String> keyColumns, List<List<Value>> keys,
                                              List<String> resultColumns, ReadLock lock, CommitOrder order,
                                              String suffix) {
        log.add(order + " select " + resultColumns + " from " + table + " where " + keyColumns + " in " + rows(keys)
                + (lock == ReadLock.NONE ? "" : " lock " + lock) + suffix);
        Object o = next();
        if (o == null || o == OK) {
            List<List<List<Value>>> empty = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                empty.add(List.of());
            }
            return empty;
        }
        return (List<List<List<Value>>>) o;
    }

    @Override
    public List<List<List<Value>>> selectAt(KeyspaceId ksid, String table, List<String> keyColumns,
                                            List<List<Value>> keys, List<String> resultColumns, ReadLock lock,
                                            CommitOrder order) {
        return logSelect(table, keyColumns, keys, resultColumns, lock, order, " at " + ksid.toHex());
    }

    @Override
    public void insert(String table, List<String> columns, List<List<Value>> rows, OnDuplicate onDuplicate, CommitOrder order) {
        String mode = switch (onDuplicate) {
            case FAIL -> "";
            case IGNORE -> " ignore";
            case UPDATE -> " on duplicate update";
        };
        log.add(order + " insert" + mode + " into " + table + columns + " values " + rows(rows));
        next();
    }

    private boolean dmlInTransaction = true;
    private CommitOrder lookupSession = CommitOrder.PRE;

    /** Makes {@link #inTransactionAndIsDml()} answer false. */
    public RecordingCursor notInDmlTransaction() {
        dmlInTransaction = false;
        return this;
    }

    /** Sets what {@link #lookupRowLockShardSession()} answers. */
    public RecordingCursor lookupSession(CommitOrder order) {
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
        log.add(order + " delete from " + table + " where " + keyColumns + " = " + row(key));
        next();
    }

    @Override
    public void update(String table, List<String> setColumns, List<Value> setValues, List<String> keyColumns,
                       List<Value> key, CommitOrder order) {
        log.add(order + " update " + table + " set " + setColumns + " = " + row(setValues) + " where " + keyColumns + " = " + row(key));
        next();
    }

    /** Rows as text: {@code [(1, b'test1'), (2, 'x')]}. */
    public static String rows(List<List<Value>> rows) {
        return rows.stream().map(RecordingCursor::row).collect(Collectors.joining(", ", "[", "]"));
    }

    /** One row as text. */
    public static String row(List<Value> row) {
        return row.stream().map(RecordingCursor::value).collect(Collectors.joining(", ", "(", ")"));
    }

    /** A value as text: numbers bare, text quoted, binary as b'..' when printable, else x'..'. */
    public static String value(Value v) {
        if (v instanceof Value.Binary b) {
            byte[] bytes = b.bytes();
            boolean printable = true;
            for (byte x : bytes) {
                printable &= x >= 0x20 && x < 0x7f;
            }
            return printable ? "b'" + new String(bytes, StandardCharsets.US_ASCII) + "'" : v.toSqlLiteral().toLowerCase();
        }
        if (v instanceof Value.Uint u) {
            return "u" + Long.toUnsignedString(u.bits());
        }
        return v.toSqlLiteral();
    }
}
