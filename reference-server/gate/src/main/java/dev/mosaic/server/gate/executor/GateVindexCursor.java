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
 * <p>Reads in {@link CommitOrder#NORMAL} order run in the session, so they join its open
 * transaction on that shard. Reads in another order without a lock run outside any transaction (a
 * plain consistent read, as a pre or post session that has not written anything reads). A locking
 * read ({@code FOR UPDATE}, {@code LOCK IN SHARE MODE}) always runs in the session's transaction:
 * the lock is then held until the statement's transaction ends, which is at least as long as
 * Vitess's pre session holds it.
 *
 * <p>Writes (lookup maintenance on insert, update and delete of an owner table) are not done
 * through this cursor yet; the planner rejects such statements, and a write call fails with
 * {@code UNIMPLEMENTED}.
 */
final class GateVindexCursor implements VindexCursor {
    /** How the cursor reaches a shard: in the session, or as a standalone autocommitted read. */
    interface ShardCalls {
        QueryResult inSession(String keyspace, ShardTarget shard, BoundQuery query);

        QueryResult standalone(String keyspace, ShardTarget shard, BoundQuery query);
    }

    private final Supplier<VSchemaSnapshot> vschema;
    private final ShardMap shardMap;
    private final ShardCalls calls;
    private final String sessionKeyspace;
    private final String tabletType;
    private final boolean inTransactionAndIsDml;

    GateVindexCursor(Supplier<VSchemaSnapshot> vschema, ShardMap shardMap, ShardCalls calls, String sessionKeyspace,
            String tabletType, boolean inTransactionAndIsDml) {
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
        throw noWrites("insert into", table);
    }

    @Override
    public void delete(String table, List<String> keyColumns, List<Value> key, CommitOrder order) {
        throw noWrites("delete from", table);
    }

    @Override
    public void update(String table, List<String> setColumns, List<Value> setValues, List<String> keyColumns,
            List<Value> key, CommitOrder order) {
        throw noWrites("update of", table);
    }

    @Override
    public boolean inTransactionAndIsDml() {
        return inTransactionAndIsDml;
    }

    @Override
    public CommitOrder lookupRowLockShardSession() {
        return CommitOrder.PRE;
    }

    private static MosaicException noWrites(String what, String table) {
        return new MosaicException(ErrorCode.UNIMPLEMENTED, "VT12001: unsupported: " + what + " lookup table " + table
                + " (lookup maintenance is not implemented yet)");
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
        boolean inSession = order == CommitOrder.NORMAL || lock != ReadLock.NONE;
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
                QueryResult r = inSession ? calls.inSession(ref.keyspace(), shard, q)
                        : calls.standalone(ref.keyspace(), shard, q);
                collect(r, resultColumns.size(), out);
            }
        }
        return out;
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

    private static void collect(QueryResult r, int width, List<List<List<Value>>> out) {
        for (dev.mosaic.proto.query.Row row : r.getRowsList()) {
            byte[] all = row.getValues().toByteArray();
            int offset = 0;
            List<Value> values = new ArrayList<>(width);
            int index = -1;
            for (int c = 0; c < row.getLengthsCount(); c++) {
                long len = row.getLengths(c);
                Value v;
                if (len < 0) {
                    v = Value.NULL;
                } else {
                    byte[] b = java.util.Arrays.copyOfRange(all, offset, offset + (int) len);
                    offset += (int) len;
                    v = value(SqlType.valueOf(r.getFields(c).getType().name()), b);
                }
                if (c == 0) {
                    index = Integer.parseInt(new String(v.toBytes(), StandardCharsets.US_ASCII));
                } else {
                    values.add(v);
                }
            }
            out.get(index).add(values);
        }
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
