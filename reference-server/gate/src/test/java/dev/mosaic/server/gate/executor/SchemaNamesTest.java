package dev.mosaic.server.gate.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.Field;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Row;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.plan.Routing;
import dev.mosaic.server.sql.plan.ValueExpr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Keyspace and database names: the {@link DatabaseNames} mappings and their use by {@link DbaRoutes}. */
class SchemaNamesTest {
    private static final ShardMap SHARDS = new ShardMap(Map.of(
            "customer", List.of(ShardTarget.named("-80"), ShardTarget.named("80-")),
            "commerce", List.of(ShardTarget.named("0"))));

    @Test
    void vitessNames() {
        assertEquals("vt_customer", DatabaseNames.VITESS.database("customer"));
        assertEquals(Optional.of("customer"), DatabaseNames.VITESS.keyspace("vt_customer"));
        assertEquals(Optional.empty(), DatabaseNames.VITESS.keyspace("customer"));
        assertEquals(Optional.empty(), DatabaseNames.VITESS.keyspace("vt_"));
    }

    @Test
    void explicitNames() {
        DatabaseNames names = DatabaseNames.of(Map.of("customer", "shop_customers"));
        assertEquals("shop_customers", names.database("customer"));
        assertEquals("vt_commerce", names.database("commerce"));
        assertEquals(Optional.of("customer"), names.keyspace("shop_customers"));
        assertEquals(Optional.empty(), names.keyspace("vt_customer"), "customer's tablets do not use vt_customer");
        assertEquals(Optional.of("commerce"), names.keyspace("vt_commerce"));
        assertThrows(IllegalArgumentException.class, () -> DatabaseNames.of(Map.of("a", "db", "b", "db")));
    }

    private static Primitive.Route dba(String sessionKeyspace, ValueExpr... schemas) {
        return new Primitive.Route(Routing.of(RouteOpcode.DBA, sessionKeyspace), "tables",
                "select table_name from information_schema.tables where table_schema = :__vtschemaname", List.of(), 0,
                List.of(schemas));
    }

    @Test
    void destination() {
        BindVariables bv = BindVariables.of(Map.of("vtg1", Value.of("commerce"), "vtg2", Value.of("mysql"),
                "vtg3", Value.of("customer")));
        DbaRoutes.Destination toCommerce = DbaRoutes.destination(dba("customer", new ValueExpr.Bind("vtg1")), bv, SHARDS,
                DatabaseNames.VITESS);
        assertEquals("commerce", toCommerce.keyspace(), "the keyspace named in table_schema is asked");
        assertEquals(Optional.of(Value.of("vt_commerce")), toCommerce.bindVars().get(DbaRoutes.SCHEMA_NAME_BIND));

        DbaRoutes.Destination system = DbaRoutes.destination(dba("customer", new ValueExpr.Bind("vtg2")), bv, SHARDS,
                DatabaseNames.VITESS);
        assertEquals("customer", system.keyspace());
        assertEquals(Optional.of(Value.of("mysql")), system.bindVars().get(DbaRoutes.SCHEMA_NAME_BIND), "not a keyspace: unchanged");

        DbaRoutes.Destination none = DbaRoutes.destination(dba("customer"), bv, SHARDS, DatabaseNames.VITESS);
        assertEquals("customer", none.keyspace());
        assertEquals(Optional.empty(), none.bindVars().get(DbaRoutes.SCHEMA_NAME_BIND));

        assertThrows(MosaicException.class, () -> DbaRoutes.destination(
                dba("customer", new ValueExpr.Bind("vtg1"), new ValueExpr.Bind("vtg3")), bv, SHARDS, DatabaseNames.VITESS));
    }

    @Test
    void resultRowsShowKeyspaceNames() {
        QueryResult r = QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("TABLE_SCHEMA").setOrgName("TABLE_SCHEMA"))
                .addFields(Field.newBuilder().setName("s").setOrgName("SCHEMA_NAME"))
                .addFields(Field.newBuilder().setName("TABLE_NAME").setOrgName("TABLE_NAME"))
                .addRows(row("vt_customer", "vt_commerce", "vt_customer"))
                .addRows(row("mysql", null, "user"))
                .addRows(row("vt_unknown", "vt_customer", "t"))
                .build();
        QueryResult mapped = DbaRoutes.toKeyspaceNames(r, SHARDS, DatabaseNames.VITESS);
        assertEquals(List.of(
                        texts("customer", "commerce", "vt_customer"),
                        texts("mysql", null, "user"),
                        texts("vt_unknown", "customer", "t")),
                mapped.getRowsList().stream().map(SchemaNamesTest::texts).toList(),
                "schema columns mapped (not other columns, not databases of no keyspace)");
    }

    private static Row row(String... values) {
        Row.Builder b = Row.newBuilder();
        StringBuilder all = new StringBuilder();
        for (String v : values) {
            b.addLengths(v == null ? -1 : v.length());
            if (v != null) {
                all.append(v);
            }
        }
        return b.setValues(ByteString.copyFromUtf8(all.toString())).build();
    }

    private static List<String> texts(String... values) {
        return java.util.Arrays.asList(values);
    }

    private static List<String> texts(Row row) {
        List<String> out = new ArrayList<>();
        byte[] all = row.getValues().toByteArray();
        int off = 0;
        for (int i = 0; i < row.getLengthsCount(); i++) {
            long len = row.getLengths(i);
            if (len < 0) {
                out.add(null);
            } else {
                out.add(new String(all, off, (int) len, StandardCharsets.UTF_8));
                off += (int) len;
            }
        }
        return out;
    }
}
