package dev.mosaic.vindex.lookup;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.Value;
import dev.mosaic.spi.vindex.OwnerAware;
import dev.mosaic.spi.vindex.VindexCursor;
import dev.mosaic.spi.vindex.VindexCursor.CommitOrder;
import dev.mosaic.spi.vindex.VindexCursor.ReadLock;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code consistent_lookup*} pair: a lookup that never misses a live owner row, without
 * two-phase commit. Lookup rows are inserted in a transaction committed before the owner's
 * ({@link CommitOrder#PRE}) and deleted in one committed after it ({@link CommitOrder#POST}), so a
 * crash leaves at most an extra lookup row pointing at a row that does not exist. Such an orphan
 * is taken over by the next insert of the same value: on a duplicate key the lookup row is locked,
 * the owner row it points to is checked, and if that row is gone the lookup row is re-pointed.
 */
abstract class ConsistentLookupBase extends LookupBase implements OwnerAware {
    /** The owner, set once while the vschema is built. */
    private record Owner(String keyspace, String table, List<String> columns) {
        String qualifiedTable() {
            return keyspace == null || keyspace.isEmpty() ? table : keyspace + "." + table;
        }
    }

    private volatile Owner owner;

    ConsistentLookupBase(String name, boolean writeOnly, LookupTable lkp) {
        super(name, writeOnly, lkp);
    }

    @Override
    public void setOwnerInfo(String keyspace, String table, List<String> columns) {
        if (columns.size() != lkp.from().size()) {
            throw new MosaicException(SqlError.WRONG_VALUE_COUNT_ON_ROW,
                    "column count does not match value count with the row for vindex '" + name + "'");
        }
        owner = new Owner(keyspace, table, List.copyOf(columns));
    }

    /**
     * The commit order of map reads: the cursor's lookup-row session, pre-commit for inserts and
     * selects and post-commit for updates and deletes, as Vitess reads them.
     */
    static CommitOrder mapOrder(VindexCursor cursor) {
        return cursor.lookupRowLockShardSession();
    }

    @Override
    public boolean[] verify(VindexCursor cursor, List<Value> ids, List<KeyspaceId> ksids) {
        if (writeOnly) {
            return allTrue(ids.size());
        }
        return lkp.verify(cursor, ids, ksidValues(ksids), CommitOrder.PRE);
    }

    @Override
    public void create(VindexCursor cursor, List<List<Value>> rows, List<KeyspaceId> ksids, boolean ignoreDuplicates) {
        try {
            lkp.create(cursor, rows, ksidValues(ksids), ignoreDuplicates, CommitOrder.PRE);
            return;
        } catch (MosaicException e) {
            if (e.sqlError().orElse(null) != SqlError.DUP_ENTRY) {
                throw e;
            }
            handleDuplicates(cursor, rows, ksids, e);
        }
    }

    private void handleDuplicates(VindexCursor cursor, List<List<Value>> rows, List<KeyspaceId> ksids,
                                  MosaicException dupError) {
        for (int i = 0; i < rows.size(); i++) {
            List<Value> row = rows.get(i);
            // The same value twice in one statement is a real duplicate, whoever owns it.
            for (int j = 0; j < i; j++) {
                if (row.equals(rows.get(j))) {
                    throw dupError;
                }
            }
            if (lkp.ignoreNulls() && row.stream().anyMatch(Value::isNull)) {
                continue; // never written, so never a duplicate
            }
            handleDuplicate(cursor, row, ksids.get(i), dupError);
        }
    }

    private void handleDuplicate(VindexCursor cursor, List<Value> row, KeyspaceId ksid, MosaicException dupError) {
        Owner o = owner;
        if (o == null) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "consistent lookup vindex '" + name
                    + "' has no owner table: setOwnerInfo was not called");
        }
        Value ksidValue = Value.of(ksid.bytes());
        // Lock the lookup row in the pre-commit session.
        List<List<Value>> locked = cursor.select(lkp.table(), lkp.from(), List.of(row), List.of(lkp.to()),
                ReadLock.EXCLUSIVE, CommitOrder.PRE).get(0);
        switch (locked.size()) {
            case 0 -> {
                // Deleted since our insert failed: insert again.
                List<Value> ins = new ArrayList<>(row);
                ins.add(ksidValue);
                cursor.insert(lkp.table(), lkp.writeColumns(), List.of(ins), VindexCursor.OnDuplicate.FAIL, CommitOrder.PRE);
            }
            case 1 -> {
                byte[] existing = locked.get(0).get(0).toBytes();
                // Does the row it points to still exist? Read it on the shard the lookup row points
                // to, in share mode in the main transaction, so that a transaction still creating
                // it makes us wait.
                List<List<Value>> owners = cursor.selectAt(KeyspaceId.of(existing), o.qualifiedTable(), o.columns(),
                        List.of(row), List.of(o.columns().get(0)), ReadLock.SHARED, CommitOrder.NORMAL).get(0);
                if (!owners.isEmpty()) {
                    throw dupError;
                }
                if (Arrays.equals(existing, ksid.bytes())) {
                    return;
                }
                // An orphan: take it over.
                cursor.update(lkp.table(), List.of(lkp.to()), List.of(ksidValue), lkp.from(), row, CommitOrder.PRE);
            }
            default -> throw new MosaicException(ErrorCode.UNKNOWN, "unexpected rows: " + locked
                    + " from consistent lookup vindex");
        }
    }

    @Override
    public void delete(VindexCursor cursor, List<List<Value>> rows, KeyspaceId ksid) {
        lkp.delete(cursor, rows, Value.of(ksid.bytes()), CommitOrder.POST);
    }

    @Override
    public void update(VindexCursor cursor, List<Value> oldValues, KeyspaceId ksid, List<Value> newValues) {
        if (nullSafeEqual(oldValues, newValues)) {
            return;
        }
        delete(cursor, List.of(oldValues), ksid);
        create(cursor, List.of(newValues), List.of(ksid), false);
    }

    /**
     * MySQL's {@code <=>} over two rows: NULL equals NULL, numbers compare by value, anything else
     * byte-wise. Vitess compares text under the connection's collation; without it, text that
     * differs only in case is treated as changed (the update then goes through the duplicate check).
     */
    static boolean nullSafeEqual(List<Value> a, List<Value> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Value x = a.get(i);
            Value y = b.get(i);
            if (x.isNull() || y.isNull()) {
                if (x.isNull() != y.isNull()) {
                    return false;
                }
                continue;
            }
            if (x.type().isNumber() && y.type().isNumber()) {
                if (decimal(x).compareTo(decimal(y)) != 0) {
                    return false;
                }
            } else if (!Arrays.equals(x.toBytes(), y.toBytes())) {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal decimal(Value v) {
        if (v instanceof Value.Int i) {
            return BigDecimal.valueOf(i.value());
        }
        if (v instanceof Value.Uint u) {
            return new BigDecimal(u.toBigInteger());
        }
        if (v instanceof Value.Decimal d) {
            return d.value();
        }
        if (v instanceof Value.Float f) {
            return BigDecimal.valueOf(f.value());
        }
        return new BigDecimal(new String(v.toBytes(), java.nio.charset.StandardCharsets.US_ASCII));
    }
}
