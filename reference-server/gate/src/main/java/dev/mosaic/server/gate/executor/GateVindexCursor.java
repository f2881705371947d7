package dev.mosaic.server.gate.executor;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import dev.mosaic.server.sql.exec.ShardResolver;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The gate's {@link VindexCursor} for one statement of one session: lookup vindexes read their
 * lookup table through it while the statement is routed (Vitess's {@code VCursor} as a vindex
 * sees it). The gate builds the SQL (identifiers quoted, values as bind variables) and sends it to
 * the lookup table's keyspace: every shard of it for {@link #select}, the shard owning the keyspace
 * id for {@link #selectAt}.
 *
 * <p>Reads and writes in {@link CommitOrder#NORMAL} order run in the session, so they join its
 * open transaction on that shard. {@link CommitOrder#PRE} and {@link CommitOrder#POST} writes, and
 * locking reads in those orders, run in the session's separate pre / post transaction on the shard
 * ({@link CommitOrderSessions}); a plain read in those orders runs there too once that transaction
 * exists (it must see the transaction's own writes), and outside any transaction before.
 * {@link CommitOrder#AUTOCOMMIT} statements run outside any transaction.
 *
 * <p>Writes go to the shard that owns the row: the lookup keyspace's only shard when it is
 * unsharded; in a sharded keyspace the shard the lookup table's primary vindex (a functional,
 * single-column vindex) maps the row's value to, and for a delete or update whose key does not
 * include that column, every shard.
 */
final class GateVindexCursor implements VindexCursor {
    /** How the cursor reaches a shard: in the session, or as a standalone autocommitted read. */
    interface ShardCalls {
        QueryResult inSession(String keyspace, ShardTarget shard, BoundQuery query);

        QueryResult standalone(String keyspace, ShardTarget shard, BoundQuery query);

        /** Runs {@code query} in the session's PRE or POST transaction on the shard, beginning it if needed. */
        QueryResult inOrder(CommitOrder order, String keyspace, ShardTarget shard, BoundQuery query);

        /** True if the session already has a PRE or POST transaction on the shard. */
        boolean holdsOrdered(CommitOrder order, String keyspace, ShardTarget shard);
    }

    private final Supplier<VSchemaSnapshot> vschema;
    private final ShardMap shardMap;
    private final ShardCalls calls;
    private final String sessionKeyspace;
    private final String tabletType;
    private final boolean inTransactionAndIsDml;
    private final CommitOrder lookupRowLockShardSession;

    GateVindexCursor(Supplier<VSchemaSnapshot> vschema, ShardMap shardMap, ShardCalls calls, String sessionKeyspace,
            String tabletType, boolean inTransactionAndIsDml) {
        this(vschema, shardMap, calls, sessionKeyspace, tabletType, inTransactionAndIsDml, CommitOrder.PRE);
    }

    /**
     * A cursor whose consistent lookups read their rows in {@code lookupRowLockShardSession}: PRE
     * for selects and inserts, POST for updates and deletes.
     */
    GateVindexCursor(Supplier<VSchemaSnapshot> vschema, ShardMap shardMap, ShardCalls calls, String sessionKeyspace,
            String tabletType, boolean inTransactionAndIsDml, CommitOrder lookupRowLockShardSession) {
        this.lookupRowLockShardSession = lookupRowLockShardSession;
        this.vschema = vschema;
        this.shardMap = shardMap;
        this.calls = calls;
        this.sessionKeyspace = sessionKeyspace;
        this.tabletType = tabletType;
        this.inTransactionAndIsDml = inTransactionAndIsDml;
    }

    @Override
    public List<List<List<Value>>> select(String table, List<String> keyColumns, List<List<Value>> keys,
            List<String> resultColumns, ReadLock lock, CommitOrder order) {
        TableRef ref = resolve(table);
        return read(ref, shardMap.shards(ref.keyspace()), keyColumns, keys, resultColumns, lock, order);
    }

    @Override
    public List<List<List<Value>>> selectAt(KeyspaceId ksid, String table, List<String> keyColumns,
            List<List<Value>> keys, List<String> resultColumns, ReadLock lock, CommitOrder order) {
        TableRef ref = resolve(table);
        for (ShardTarget shard : shardMap.shards(ref.keyspace())) {
            if (shard.range().contains(ksid)) {
                return read(ref, List.of(shard), keyColumns, keys, resultColumns, lock, order);
            }
        }
        throw new MosaicException(ErrorCode.UNAVAILABLE, "no shard of keyspace " + ref.keyspace()
                + " covers keyspace id " + ksid);
    }

    @Override
    public void insert(String table, List<String> columns, List<List<Value>> rows, OnDuplicate onDuplicate,
            CommitOrder order) {
        if (rows.isEmpty()) {
            return;
        }
        TableRef ref = resolve(table);
        List<ShardTarget> all = shardMap.shards(ref.keyspace());
        Map<ShardTarget, List<List<Value>>> byShard = new LinkedHashMap<>();
        for (List<Value> row : rows) {
            if (row.size() != columns.size()) {
                throw new MosaicException(ErrorCode.INTERNAL, "lookup row " + row + " does not match columns " + columns);
            }
            List<ShardTarget> targets = writeShards(ref, all, columns, row);
            if (targets.size() != 1) {
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "cannot insert into lookup table " + table
                        + ": its row " + row + " maps to no single shard of keyspace " + ref.keyspace());
            }
            byShard.computeIfAbsent(targets.get(0), k -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<ShardTarget, List<List<Value>>> e : byShard.entrySet()) {
            write(order, ref, e.getKey(), insertQuery(ref, columns, e.getValue(), onDuplicate));
        }
    }

    @Override
    public void delete(String table, List<String> keyColumns, List<Value> key, CommitOrder order) {
        TableRef ref = resolve(table);
        Map<String, Value> binds = new LinkedHashMap<>();
        String sql = "delete from " + quote(ref.name()) + " where " + where(keyColumns, key, binds);
        for (ShardTarget shard : writeShards(ref, shardMap.shards(ref.keyspace()), keyColumns, key)) {
            write(order, ref, shard, ProtoValues.boundQuery(sql, BindVariables.of(binds)));
        }
    }

    @Override
    public void update(String table, List<String> setColumns, List<Value> setValues, List<String> keyColumns,
            List<Value> key, CommitOrder order) {
        TableRef ref = resolve(table);
        Map<String, Value> binds = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("update ").append(quote(ref.name())).append(" set ");
        for (int i = 0; i < setColumns.size(); i++) {
            String name = "__lkset" + i;
            binds.put(name, setValues.get(i));
            sql.append(i == 0 ? "" : ", ").append(quote(setColumns.get(i))).append(" = :").append(name);
        }
        sql.append(" where ").append(where(keyColumns, key, binds));
        for (ShardTarget shard : writeShards(ref, shardMap.shards(ref.keyspace()), keyColumns, key)) {
            write(order, ref, shard, ProtoValues.boundQuery(sql.toString(), BindVariables.of(binds)));
        }
    }

    @Override
    public boolean inTransactionAndIsDml() {
        return inTransactionAndIsDml;
    }

    @Override
    public CommitOrder lookupRowLockShardSession() {
        return lookupRowLockShardSession;
    }

    private void write(CommitOrder order, TableRef ref, ShardTarget shard, BoundQuery query) {
        switch (order) {
            case NORMAL -> calls.inSession(ref.keyspace(), shard, query);
            case PRE, POST -> calls.inOrder(order, ref.keyspace(), shard, query);
            case AUTOCOMMIT -> calls.standalone(ref.keyspace(), shard, query);
            default -> throw new IllegalStateException(order.name());
        }
    }

    /**
     * The shards a write of a row whose {@code columns} hold {@code values} goes to: the only shard
     * of an unsharded keyspace; else the shard the table's primary vindex maps the row to when the
     * vindex is functional and single-column and its column is among {@code columns}; else all.
     */
    private List<ShardTarget> writeShards(TableRef ref, List<ShardTarget> all, List<String> columns, List<Value> values) {
        if (all.size() == 1) {
            return all;
        }
        VSchemaSnapshot.Table t = vschema.get().keyspace(ref.keyspace()).map(k -> k.tables().get(ref.name())).orElse(null);
        VSchemaSnapshot.ColumnVindex primary = t == null ? null : t.primaryVindex().orElse(null);
        if (primary == null || primary.columns().size() != 1 || !(primary.vindex() instanceof SingleColumnVindex sv)
                || sv.needsCursor()) {
            return all;
        }
        int at = -1;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(primary.columns().get(0))) {
                at = i;
            }
        }
        if (at < 0) {
            return all;
        }
        Destination d = sv.map(VindexCursor.NONE, List.of(values.get(at))).get(0);
        if (d instanceof Destination.One one) {
            return List.of(ShardResolver.shardFor(one.id(), all));
        }
        return all;
    }

    private static BoundQuery insertQuery(TableRef ref, List<String> columns, List<List<Value>> rows, OnDuplicate onDuplicate) {
        Map<String, Value> binds = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("insert ");
        if (onDuplicate == OnDuplicate.IGNORE) {
            sql.append("ignore ");
        }
        sql.append("into ").append(quote(ref.name())).append('(');
        for (int c = 0; c < columns.size(); c++) {
            sql.append(c == 0 ? "" : ", ").append(quote(columns.get(c)));
        }
        sql.append(") values ");
        for (int r = 0; r < rows.size(); r++) {
            sql.append(r == 0 ? "(" : ", (");
            for (int c = 0; c < columns.size(); c++) {
                String name = "__lkins" + r + "_" + c;
                binds.put(name, rows.get(r).get(c));
                sql.append(c == 0 ? ":" : ", :").append(name);
            }
            sql.append(')');
        }
        if (onDuplicate == OnDuplicate.UPDATE) {
            sql.append(" on duplicate key update ");
            for (int c = 0; c < columns.size(); c++) {
                String col = quote(columns.get(c));
                sql.append(c == 0 ? "" : ", ").append(col).append(" = values(").append(col).append(')');
            }
        }
        return ProtoValues.boundQuery(sql.toString(), BindVariables.of(binds));
    }

    /** {@code k1 = :b and k2 is null ...}, binding the values into {@code binds}. */
    private static String where(List<String> keyColumns, List<Value> key, Map<String, Value> binds) {
        if (key.size() != keyColumns.size()) {
            throw new MosaicException(ErrorCode.INTERNAL, "lookup key " + key + " does not match columns " + keyColumns);
        }
        StringBuilder sql = new StringBuilder();
        for (int c = 0; c < keyColumns.size(); c++) {
            if (c > 0) {
                sql.append(" and ");
            }
            Value v = key.get(c);
            if (v.isNull()) {
                sql.append(quote(keyColumns.get(c))).append(" is null");
            } else {
                String name = "__lkkey" + c;
                binds.put(name, v);
                sql.append(quote(keyColumns.get(c))).append(" = :").append(name);
            }
        }
        return sql.toString();
    }

    /** A lookup table: its keyspace and its name within it. */
    record TableRef(String keyspace, String name) {
    }

    private TableRef resolve(String table) {
        int dot = table.indexOf('.');
        String qualifier = dot < 0 ? null : table.substring(0, dot);
        String name = dot < 0 ? table : table.substring(dot + 1);
        if (qualifier != null && shardMap.keyspaces().containsKey(qualifier)) {
            return new TableRef(qualifier, name);
        }
        VSchemaSnapshot.Table t = vschema.get().findTable(qualifier, name, sessionKeyspace, tabletType);
        return new TableRef(t.keyspace(), name);
    }

    private List<List<List<Value>>> read(TableRef ref, List<ShardTarget> shards, List<String> keyColumns,
            List<List<Value>> keys, List<String> resultColumns, ReadLock lock, CommitOrder order) {
        List<List<List<Value>>> out = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            out.add(new ArrayList<>());
        }
        if (keys.isEmpty()) {
            return out;
        }

        List<BoundQuery> queries = new ArrayList<>();
        if (lock == ReadLock.NONE) {
            queries.add(query(ref, keyColumns, keys, 0, keys.size(), resultColumns, lock));
        } else {
            // A locking read per key: MariaDB takes no locks through a UNION.
            for (int i = 0; i < keys.size(); i++) {
                queries.add(query(ref, keyColumns, keys, i, i + 1, resultColumns, lock));
            }
        }
        for (ShardTarget shard : shards) {
            for (BoundQuery q : queries) {
                QueryResult r = readCall(order, lock, ref, shard, q);
                collect(r, out);
            }
        }
        return out;
    }

    /**
     * Where a read runs: NORMAL in the session; PRE / POST in that transaction when it locks or the
     * transaction exists on the shard (a locking read there without a transaction — not DML in a
     * transaction — stays in the session); AUTOCOMMIT and other plain reads outside any transaction.
     */
    private QueryResult readCall(CommitOrder order, ReadLock lock, TableRef ref, ShardTarget shard, BoundQuery q) {
        if (order == CommitOrder.NORMAL) {
            return calls.inSession(ref.keyspace(), shard, q);
        }
        if (order == CommitOrder.PRE || order == CommitOrder.POST) {
            if (lock != ReadLock.NONE && inTransactionAndIsDml || calls.holdsOrdered(order, ref.keyspace(), shard)) {
                return calls.inOrder(order, ref.keyspace(), shard, q);
            }
            if (lock != ReadLock.NONE) {
                return calls.inSession(ref.keyspace(), shard, q);
            }
        }
        return calls.standalone(ref.keyspace(), shard, q);
    }

    /**
     * {@code select <i>, cols from t where k1 = :k.. and ..} for keys {@code from..to-1}, one SELECT
     * per key joined by UNION ALL; the first column says which key a row answers.
     */
    static BoundQuery query(TableRef ref, List<String> keyColumns, List<List<Value>> keys, int from, int to,
            List<String> resultColumns, ReadLock lock) {
        Map<String, Value> binds = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder();
        for (int i = from; i < to; i++) {
            List<Value> key = keys.get(i);
            if (key.size() != keyColumns.size()) {
                throw new MosaicException(ErrorCode.INTERNAL, "lookup key " + key + " does not match columns " + keyColumns);
            }
            if (i > from) {
                sql.append(" union all ");
            }
            sql.append("select ").append(i);
            for (String c : resultColumns) {
                sql.append(", ").append(quote(c));
            }
            sql.append(" from ").append(quote(ref.name())).append(" where ");
            for (int c = 0; c < keyColumns.size(); c++) {
                if (c > 0) {
                    sql.append(" and ");
                }
                Value v = key.get(c);
                if (v.isNull()) {
                    sql.append(quote(keyColumns.get(c))).append(" is null");
                } else {
                    String name = "__lk" + i + "_" + c;
                    binds.put(name, v);
                    sql.append(quote(keyColumns.get(c))).append(" = :").append(name);
                }
            }
        }
        switch (lock) {
            case EXCLUSIVE -> sql.append(" for update");
            case SHARED -> sql.append(" lock in share mode");
            default -> {
            }
        }
        return ProtoValues.boundQuery(sql.toString(), BindVariables.of(binds));
    }

    private static void collect(QueryResult r, List<List<List<Value>>> out) {
        for (List<Value> row : rows(r)) {
            int index = Integer.parseInt(new String(row.get(0).toBytes(), StandardCharsets.US_ASCII));
            out.get(index).add(new ArrayList<>(row.subList(1, row.size())));
        }
    }

    /** The rows of a text-protocol result as values of their columns' types. */
    static List<List<Value>> rows(QueryResult r) {
        List<List<Value>> out = new ArrayList<>(r.getRowsCount());
        for (dev.mosaic.proto.query.Row row : r.getRowsList()) {
            byte[] all = row.getValues().toByteArray();
            int offset = 0;
            List<Value> values = new ArrayList<>(row.getLengthsCount());
            for (int c = 0; c < row.getLengthsCount(); c++) {
                long len = row.getLengths(c);
                if (len < 0) {
                    values.add(Value.NULL);
                    continue;
                }
                byte[] b = java.util.Arrays.copyOfRange(all, offset, offset + (int) len);
                offset += (int) len;
                values.add(value(SqlType.valueOf(r.getFields(c).getType().name()), b));
            }
            out.add(values);
        }
        return out;
    }

    /** The value of a text-protocol column of {@code type}. */
    static Value value(SqlType type, byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        if (type.isIntegral()) {
            return type.isUnsigned() ? Value.ofUnsigned(Long.parseUnsignedLong(s)) : Value.of(Long.parseLong(s));
        }
        if (type == SqlType.DECIMAL) {
            return Value.of(new BigDecimal(s));
        }
        if (type.isFloat()) {
            return Value.of(Double.parseDouble(s));
        }
        if (type.isBinary()) {
            return new Value.Binary(type, b);
        }
        if (type == SqlType.NULL_TYPE) {
            return Value.NULL;
        }
        return new Value.Text(type, b);
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
