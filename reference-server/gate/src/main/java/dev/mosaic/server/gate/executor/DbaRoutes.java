package dev.mosaic.server.gate.executor;

import com.google.protobuf.ByteString;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.proto.query.ExecuteOptions;
import dev.mosaic.proto.query.Field;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Row;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.gate.gateway.TabletGateway;
import dev.mosaic.server.sql.exec.RowStream;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.plan.ValueExpr;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Queries on {@code information_schema} (and the other system schemas): {@link RouteOpcode#DBA}
 * routes. The planner replaced each {@code table_schema = <value>} (or {@code schema_name}) by the
 * bind variable {@code :__vtschemaname} and kept the values ({@link Primitive.Route#sysTableSchema()}).
 * Here the value, if it names a keyspace, picks the keyspace asked and is bound as that keyspace's
 * database name ({@link DatabaseNames}); any other value (e.g. {@code 'mysql'}) is bound unchanged
 * and the query goes to the route's keyspace (the session's, else the first). The query runs on the
 * keyspace's first shard. In the result, values of schema columns ({@code TABLE_SCHEMA},
 * {@code SCHEMA_NAME}, any {@code *_SCHEMA}) that are a keyspace's database name are shown as the
 * keyspace name, so clients see {@code customer}, not {@code vt_customer}. Thread-safe.
 */
final class DbaRoutes {
    /** The bind variable the planner put in place of the schema values. */
    static final String SCHEMA_NAME_BIND = "__vtschemaname";
    private static final ExecuteOptions OPTIONS = ExecuteOptions.getDefaultInstance();

    private final TabletGateway gateway;
    private final ShardMap shardMap;
    private final DatabaseNames databases;

    DbaRoutes(TabletGateway gateway, ShardMap shardMap, DatabaseNames databases) {
        this.gateway = gateway;
        this.shardMap = shardMap;
        this.databases = databases;
    }

    /** Runs a DBA route on one shard and maps database names in its rows back to keyspace names. */
    List<RowStream> execute(GateSession session, CallerID caller, Primitive.Route route, BindVariables bindVars) {
        Destination d = destination(route, bindVars, shardMap, databases);
        Target target = Target.newBuilder().setKeyspace(d.keyspace())
                .setShard(shardMap.shards(d.keyspace()).get(0).name())
                .setTabletType(TabletType.valueOf(session.tabletType().toUpperCase(Locale.ROOT))).build();
        BoundQuery query = ProtoValues.boundQuery(route.query(), d.bindVars());
        QueryLog.newBatch(session);
        QueryLog.record(session, target, query);
        QueryResult r = gateway.execute(target, caller, query, OPTIONS);
        return List.of(ProtoValues.rows(toKeyspaceNames(r, shardMap, databases), shardMap, databases));
    }

    /** Where a DBA route goes and with which bind variables. */
    record Destination(String keyspace, BindVariables bindVars) {
    }

    /**
     * The keyspace to ask and the bind variables to send, {@code :__vtschemaname} bound.
     *
     * @throws MosaicException UNIMPLEMENTED if the statement compares the schema with two different names
     */
    static Destination destination(Primitive.Route route, BindVariables bindVars, ShardMap shardMap, DatabaseNames databases) {
        String keyspace = route.routing().keyspace();
        if (route.sysTableSchema().isEmpty()) {
            return new Destination(keyspace, bindVars);
        }
        String name = null;
        for (ValueExpr e : route.sysTableSchema()) {
            Value v = e.evaluate(bindVars);
            String s = v.isNull() ? null : new String(v.toBytes(), StandardCharsets.UTF_8);
            if (name != null && !name.equals(s)) {
                throw new MosaicException(ErrorCode.UNIMPLEMENTED,
                        "VT12001: unsupported: specifying two different database in the query ('" + name + "' and '" + s + "')");
            }
            if (s == null) {
                throw new MosaicException(ErrorCode.UNIMPLEMENTED, "VT12001: unsupported: comparing table_schema with NULL");
            }
            name = s;
        }
        if (shardMap.keyspaces().containsKey(name)) {
            return new Destination(name, bindVars.with(SCHEMA_NAME_BIND, Value.of(databases.database(name))));
        }
        return new Destination(keyspace, bindVars.with(SCHEMA_NAME_BIND, Value.of(name)));
    }

    /** Whether a result column holds schema names. */
    static boolean isSchemaColumn(Field f) {
        return isSchemaName(f.getName()) || isSchemaName(f.getOrgName());
    }

    private static boolean isSchemaName(String column) {
        String c = column.toUpperCase(Locale.ROOT);
        return c.equals("SCHEMA_NAME") || c.endsWith("_SCHEMA") || c.equals("DB");
    }

    /** {@code r} with database names in its schema columns replaced by their keyspaces' names. */
    static QueryResult toKeyspaceNames(QueryResult r, ShardMap shardMap, DatabaseNames databases) {
        List<Integer> columns = new ArrayList<>();
        for (int i = 0; i < r.getFieldsCount(); i++) {
            if (isSchemaColumn(r.getFields(i))) {
                columns.add(i);
            }
        }
        if (columns.isEmpty() || r.getRowsCount() == 0) {
            return r;
        }
        QueryResult.Builder b = r.toBuilder().clearRows();
        for (Row row : r.getRowsList()) {
            b.addRows(mapRow(row, columns, shardMap, databases));
        }
        return b.build();
    }

    private static Row mapRow(Row row, List<Integer> columns, ShardMap shardMap, DatabaseNames databases) {
        byte[] all = row.getValues().toByteArray();
        Row.Builder out = Row.newBuilder();
        ByteArrayOutputStream values = new ByteArrayOutputStream(all.length);
        int offset = 0;
        boolean changed = false;
        for (int i = 0; i < row.getLengthsCount(); i++) {
            long len = row.getLengths(i);
            if (len < 0) {
                out.addLengths(len);
                continue;
            }
            byte[] v = java.util.Arrays.copyOfRange(all, offset, offset + (int) len);
            offset += (int) len;
            if (columns.contains(i)) {
                Optional<String> ks = databases.keyspace(new String(v, StandardCharsets.UTF_8))
                        .filter(shardMap.keyspaces()::containsKey);
                if (ks.isPresent()) {
                    v = ks.get().getBytes(StandardCharsets.UTF_8);
                    changed = true;
                }
            }
            out.addLengths(v.length);
            values.writeBytes(v);
        }
        return changed ? out.setValues(ByteString.copyFrom(values.toByteArray())).build() : row;
    }
}
