package dev.mosaic.vindex.lookup;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexCursor.OnDuplicate;
import dev.mosaic.spi.vindex.VindexCursor.CommitOrder;
import dev.mosaic.spi.vindex.VindexCursor.ReadLock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reads and writes of one lookup table, shared by every lookup vindex (Vitess's
 * {@code lookupInternal}). The table maps the values of the {@code from} columns to a {@code to}
 * value: a keyspace id, or for {@code lookup_hash*} the number a keyspace id hashes from.
 *
 * <p>As in Vitess, reads (map, verify) use only the first {@code from} column; writes use all.
 * Immutable and thread-safe.
 */
final class LookupTable {
    private final String table;
    private final List<String> from;
    private final String to;
    private final boolean autocommit;
    private final boolean multiShardAutocommit;
    private final boolean upsert;
    private final boolean ignoreNulls;
    private final boolean batchLookup;
    private final ReadLock readLock;
    private final List<String> firstFrom;
    private final List<String> verifyKey;
    private final List<String> writeColumns;

    LookupTable(String table, List<String> from, String to, boolean autocommit, boolean multiShardAutocommit,
                boolean upsert, boolean ignoreNulls, boolean batchLookup, ReadLock readLock) {
        this.table = table;
        this.from = List.copyOf(from);
        this.to = to;
        this.autocommit = autocommit;
        this.multiShardAutocommit = multiShardAutocommit;
        this.upsert = upsert;
        this.ignoreNulls = ignoreNulls;
        this.batchLookup = batchLookup;
        this.readLock = readLock;
        this.firstFrom = List.of(from.get(0));
        this.verifyKey = List.of(from.get(0), to);
        List<String> cols = new ArrayList<>(from);
        cols.add(to);
        this.writeColumns = List.copyOf(cols);
    }

    String table() {
        return table;
    }

    List<String> from() {
        return from;
    }

    String to() {
        return to;
    }

    boolean autocommit() {
        return autocommit;
    }

    boolean multiShardAutocommit() {
        return multiShardAutocommit;
    }

    boolean upsert() {
        return upsert;
    }

    boolean ignoreNulls() {
        return ignoreNulls;
    }

    boolean batchLookup() {
        return batchLookup;
    }

    ReadLock readLock() {
        return readLock;
    }

    /** The 'from' columns followed by the 'to' column: the columns every write names. */
    List<String> writeColumns() {
        return writeColumns;
    }

    /**
     * The 'to' values stored for each id, in order. Integer ids (or all ids, with
     * {@code batch_lookup}) are read with one select; other ids with one select each, as Vitess
     * does. Under autocommit the read is autocommitted too.
     *
     * <p>The read carries the configured {@code read_lock} only when the statement is DML inside
     * a transaction, as Vitess's {@code InTransactionAndIsDML} decides.
     */
    List<List<Value>> lookup(VindexCursor cursor, List<Value> ids, CommitOrder order) {
        if (cursor == null) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "cannot perform lookup: no vcursor provided");
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        CommitOrder co = autocommit ? CommitOrder.AUTOCOMMIT : order;
        ReadLock lock = cursor.inTransactionAndIsDml() ? readLock : ReadLock.NONE;
        List<String> result = List.of(to);
        List<List<Value>> out = new ArrayList<>(ids.size());
        try {
            if (ids.get(0).type().isIntegral() || batchLookup) {
                List<List<Value>> keys = new ArrayList<>(ids.size());
                for (Value id : ids) {
                    keys.add(List.of(id));
                }
                List<List<List<Value>>> rows = cursor.select(table, firstFrom, keys, result, lock, co);
                for (List<List<Value>> forKey : rows) {
                    out.add(firstColumn(forKey));
                }
            } else {
                for (Value id : ids) {
                    List<List<List<Value>>> rows = cursor.select(table, firstFrom, List.of(List.of(id)), result, lock, co);
                    out.add(firstColumn(rows.get(0)));
                }
            }
        } catch (MosaicException e) {
            throw wrap("lookup.Map: ", e);
        }
        if (out.size() != ids.size()) {
            throw new MosaicException(ErrorCode.INTERNAL, "lookup.Map: the cursor answered " + out.size()
                    + " keys for " + ids.size() + " ids");
        }
        return out;
    }

    private static List<Value> firstColumn(List<List<Value>> rows) {
        List<Value> vals = new ArrayList<>(rows.size());
        for (List<Value> row : rows) {
            vals.add(row.get(0));
        }
        return vals;
    }

    /** Verify with the default commit order: normal, or autocommit under autocommit. */
    boolean[] verify(VindexCursor cursor, List<Value> ids, List<Value> toValues) {
        return verify(cursor, ids, toValues, autocommit ? CommitOrder.AUTOCOMMIT : CommitOrder.NORMAL);
    }

    /** True for each id whose lookup row holds the 'to' value of the same index (one read each). */
    boolean[] verify(VindexCursor cursor, List<Value> ids, List<Value> toValues, CommitOrder order) {
        requireSameSize(ids.size(), toValues.size(), "lookup.Verify");
        boolean[] out = new boolean[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            List<List<List<Value>>> rows;
            try {
                rows = cursor.select(table, verifyKey, List.of(List.of(ids.get(i), toValues.get(i))), firstFrom,
                        ReadLock.NONE, order);
            } catch (MosaicException e) {
                throw wrap("lookup.Verify: ", e);
            }
            out[i] = !rows.get(0).isEmpty();
        }
        return out;
    }

    /** Create with the default commit order: normal, or autocommit under autocommit. */
    void create(VindexCursor cursor, List<List<Value>> rows, List<Value> toValues, boolean ignoreDuplicates) {
        create(cursor, rows, toValues, ignoreDuplicates, autocommit ? CommitOrder.AUTOCOMMIT : CommitOrder.NORMAL);
    }

    /**
     * Inserts one lookup row per row, in one insert sorted by value as Vitess sorts it. Rows with
     * a NULL are an error, or skipped with {@code ignore_nulls}. With upsert (non-unique lookups
     * under autocommit) an existing identical row is kept, not an error.
     */
    void create(VindexCursor cursor, List<List<Value>> rows, List<Value> toValues, boolean ignoreDuplicates,
                CommitOrder order) {
        List<Row> trimmed = trimNulls(rows, toValues);
        if (trimmed.isEmpty()) {
            return;
        }
        checkColumnCount(trimmed.get(0).from.size());
        trimmed.sort(ROW_ORDER);
        List<List<Value>> insert = new ArrayList<>(trimmed.size());
        for (Row r : trimmed) {
            insert.add(r.withTo());
        }
        try {
            // Vitess upserts (non-unique lookups under autocommit) with ON DUPLICATE KEY UPDATE.
            OnDuplicate onDup = ignoreDuplicates ? OnDuplicate.IGNORE : upsert ? OnDuplicate.UPDATE : OnDuplicate.FAIL;
            cursor.insert(table, writeColumns, insert, onDup, order);
        } catch (MosaicException e) {
            throw wrap("lookup.Create: ", e);
        }
    }

    /** Rows without NULLs, paired with their 'to' value; NULLs are an error unless ignore_nulls. */
    List<Row> trimNulls(List<List<Value>> rows, List<Value> toValues) {
        requireSameSize(rows.size(), toValues.size(), "lookup.Create");
        List<Row> out = new ArrayList<>(rows.size());
        next:
        for (int i = 0; i < rows.size(); i++) {
            List<Value> row = rows.get(i);
            for (int j = 0; j < row.size(); j++) {
                if (row.get(j).isNull()) {
                    if (!ignoreNulls) {
                        String col = j < from.size() ? from.get(j) : "#" + j;
                        throw new MosaicException(SqlError.BAD_NULL,
                                "Column '" + col + "' cannot be null on row " + i + ", col " + j);
                    }
                    continue next;
                }
            }
            out.add(new Row(List.copyOf(row), toValues.get(i)));
        }
        return out;
    }

    void checkColumnCount(int count) {
        if (count != from.size()) {
            throw new MosaicException(SqlError.WRONG_VALUE_COUNT_ON_ROW,
                    "lookup column count does not match value count with the row (columns, count): ("
                            + from + ", " + count + ")");
        }
    }

    /**
     * Deletes the lookup row of each row (all of {@code from} and {@code to} must match). A no-op
     * under autocommit, where deleting is not safe.
     */
    void delete(VindexCursor cursor, List<List<Value>> rows, Value toValue, CommitOrder order) {
        if (autocommit || rows.isEmpty()) {
            return;
        }
        checkColumnCount(rows.get(0).size());
        for (List<Value> row : rows) {
            List<Value> key = new ArrayList<>(row);
            key.add(toValue);
            try {
                cursor.delete(table, writeColumns, key, order);
            } catch (MosaicException e) {
                throw wrap("lookup.Delete: ", e);
            }
        }
    }

    /** Delete (normal order) then create, as Vitess's {@code lookupInternal.Update}. */
    void update(VindexCursor cursor, List<Value> oldValues, Value toValue, List<Value> newValues) {
        delete(cursor, List.of(oldValues), toValue, CommitOrder.NORMAL);
        create(cursor, List.of(newValues), List.of(toValue), false);
    }

    /** Keeps the cause's code and MySQL error, prefixing the message as Vitess does. */
    static MosaicException wrap(String prefix, MosaicException e) {
        return e.sqlError().isPresent()
                ? new MosaicException(e.sqlError().get(), prefix + e.getMessage(), e)
                : new MosaicException(e.code(), prefix + e.getMessage(), e);
    }

    static void requireSameSize(int a, int b, String op) {
        if (a != b) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, op + ": " + a + " rows but " + b + " keyspace ids");
        }
    }

    /** One row's 'from' values with its 'to' value. */
    record Row(List<Value> from, Value to) {
        List<Value> withTo() {
            List<Value> r = new ArrayList<>(from);
            r.add(to);
            return r;
        }
    }

    /** Vitess's insert order: the 'from' values byte-wise, then the 'to' value byte-wise. */
    static final Comparator<Row> ROW_ORDER = (a, b) -> {
        for (int i = 0; i < a.from.size() && i < b.from.size(); i++) {
            int c = Arrays.compareUnsigned(a.from.get(i).toBytes(), b.from.get(i).toBytes());
            if (c != 0) {
                return c;
            }
        }
        return Arrays.compareUnsigned(a.to.toBytes(), b.to.toBytes());
    };
}
