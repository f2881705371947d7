package dev.mosaic.server.gate.executor;

import com.google.protobuf.ByteString;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.BindVariable;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Type;
import dev.mosaic.server.sql.exec.Field;
import dev.mosaic.server.sql.exec.Row;
import dev.mosaic.server.sql.exec.RowStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Conversions between the SQL layer's values and rows and the tablet Query service's messages. */
final class ProtoValues {
    private ProtoValues() {
    }

    /** The statement with its bind variables in the proto form (values as their MySQL text). */
    static BoundQuery boundQuery(String sql, BindVariables bindVars) {
        BoundQuery.Builder b = BoundQuery.newBuilder().setSql(sql);
        for (Map.Entry<String, Value> e : bindVars.asMap().entrySet()) {
            b.putBindVariables(e.getKey(), bindVariable(e.getValue()));
        }
        return b.build();
    }

    /**
     * The bind variables of {@code query} back as values, for showing the query (numbers as
     * numbers, binary types as bytes, the rest as text).
     */
    static BindVariables bindVariables(BoundQuery query) {
        if (query.getBindVariablesCount() == 0) {
            return BindVariables.EMPTY;
        }
        Map<String, Value> out = new java.util.LinkedHashMap<>();
        query.getBindVariablesMap().forEach((name, bv) -> {
            if (bv.getType() == Type.TUPLE) {
                List<Value> items = new java.util.ArrayList<>();
                for (dev.mosaic.proto.query.Value item : bv.getValuesList()) {
                    items.add(value(item.getType(), item.getValue()));
                }
                out.put(name, new Value.Tuple(items));
            } else {
                out.put(name, value(bv.getType(), bv.getValue()));
            }
        });
        return BindVariables.of(out);
    }

    private static Value value(Type type, ByteString bytes) {
        SqlType t;
        try {
            t = SqlType.valueOf(type.name());
        } catch (IllegalArgumentException e) {
            return Value.of(bytes.toStringUtf8());
        }
        String text = bytes.toStringUtf8();
        try {
            if (t == SqlType.NULL_TYPE) {
                return Value.NULL;
            } else if (t.isSigned()) {
                return Value.of(Long.parseLong(text));
            } else if (t.isUnsigned()) {
                return Value.ofUnsigned(Long.parseUnsignedLong(text));
            } else if (t.isFloat() || t == SqlType.DECIMAL) {
                return Value.of(new java.math.BigDecimal(text));
            }
        } catch (NumberFormatException e) {
            return Value.of(text);
        }
        return t.isBinary() ? Value.of(bytes.toByteArray()) : Value.of(text);
    }

    private static BindVariable bindVariable(Value v) {
        if (v instanceof Value.Tuple t) {
            BindVariable.Builder b = BindVariable.newBuilder().setType(Type.TUPLE);
            for (Value item : t.values()) {
                b.addValues(dev.mosaic.proto.query.Value.newBuilder().setType(type(item.type()))
                        .setValue(ByteString.copyFrom(item.toBytes())));
            }
            return b.build();
        }
        return BindVariable.newBuilder().setType(type(v.type())).setValue(ByteString.copyFrom(v.toBytes())).build();
    }

    private static Type type(SqlType t) {
        return Type.valueOf(t.name());
    }

    /**
     * The SQL layer's fields for a tablet result's, with their full definitions. The tablets' MySQL
     * databases are shown as their keyspaces' names ({@code vt_customer} is {@code customer}), as
     * clients know them; other schemas ({@code information_schema}, a database that is no
     * keyspace's) stay. A proto field without a collation (charset 0: no definition was sent)
     * becomes a computed column.
     */
    static List<Field> fields(List<dev.mosaic.proto.query.Field> proto, ShardMap shardMap, DatabaseNames databases) {
        List<Field> out = new ArrayList<>(proto.size());
        for (dev.mosaic.proto.query.Field f : proto) {
            SqlType type = SqlType.valueOf(f.getType().name());
            if (f.getCharset() == 0) {
                out.add(new Field(f.getName(), type));
                continue;
            }
            out.add(new Field(f.getName(), type, new Field.Definition(schemaName(f.getDatabase(), shardMap, databases),
                    f.getTable(), f.getOrgTable(), f.getOrgName(), Integer.toUnsignedLong(f.getColumnLength()),
                    f.getCharset(), f.getDecimals(), f.getFlags())));
        }
        return out;
    }

    /** The keyspace whose tablets use {@code database}, else {@code database}. */
    static String schemaName(String database, ShardMap shardMap, DatabaseNames databases) {
        if (database.isEmpty()) {
            return database;
        }
        return databases.keyspace(database).filter(shardMap.keyspaces()::containsKey).orElse(database);
    }

    /**
     * A tablet's result as a row stream; each row wraps the shipped bytes, values stay text; fields
     * as {@link #fields} makes them.
     */
    static RowStream rows(QueryResult result, ShardMap shardMap, DatabaseNames databases) {
        List<Row> rows = new ArrayList<>(result.getRowsCount());
        for (dev.mosaic.proto.query.Row r : result.getRowsList()) {
            int[] lengths = new int[r.getLengthsCount()];
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = (int) r.getLengths(i);
            }
            rows.add(Row.wrap(lengths, r.getValues().toByteArray()));
        }
        return RowStream.of(fields(result.getFieldsList(), shardMap, databases), rows);
    }
}
