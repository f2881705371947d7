package dev.mosaic.server.gate.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.proto.query.Type;
import dev.mosaic.server.mysql.protocol.result.Column;
import dev.mosaic.server.mysql.protocol.result.ColumnType;
import dev.mosaic.server.sql.exec.Field;
import dev.mosaic.server.sql.exec.ShardTarget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tablets' column definitions become the SQL layer's fields and the protocol's columns. */
class ColumnDefinitionsTest {
    private static final ShardMap SHARDS = new ShardMap(Map.of("customer", List.of(ShardTarget.named("0")),
            "other", List.of(ShardTarget.named("0"))));

    private static dev.mosaic.proto.query.Field proto(String db, int charset) {
        return dev.mosaic.proto.query.Field.newBuilder().setName("ts").setType(Type.DATETIME).setTable("x")
                .setOrgTable("t").setDatabase(db).setOrgName("created").setColumnLength(26).setCharset(charset)
                .setDecimals(6).setFlags(1 | 128).build();
    }

    @Test
    void tabletDatabasesBecomeKeyspaces() {
        List<Field> fields = ProtoValues.fields(List.of(proto("vt_customer", 63), proto("information_schema", 63),
                proto("vt_nope", 63), proto("", 63)), SHARDS, DatabaseNames.VITESS);
        assertEquals(new Field("ts", SqlType.DATETIME, new Field.Definition("customer", "x", "t", "created", 26, 63, 6, 129)),
                fields.get(0));
        assertEquals("information_schema", fields.get(1).definition().schema());
        assertEquals("vt_nope", fields.get(2).definition().schema(), "no such keyspace: the database stays");
        assertEquals("", fields.get(3).definition().schema());
        Field custom = ProtoValues.fields(List.of(proto("shop_db", 63)), SHARDS,
                DatabaseNames.of(Map.of("other", "shop_db"))).get(0);
        assertEquals("other", custom.definition().schema());
    }

    @Test
    void aFieldWithoutCollationIsComputed() {
        Field f = ProtoValues.fields(List.of(proto("vt_customer", 0)), SHARDS, DatabaseNames.VITESS).get(0);
        assertNull(f.definition());
        assertEquals(Column.of("ts", SqlType.DATETIME), Executor.column(f));
    }

    @Test
    void columnsCarryTheWholeDefinition() {
        Field f = new Field("p", SqlType.DECIMAL, new Field.Definition("customer", "m", "m", "price", 12, 63, 3, 32768));
        assertEquals(new Column("customer", "m", "m", "p", "price", 63, 12, ColumnType.NEWDECIMAL, 32768, 3),
                Executor.column(f));
        Field unsigned = new Field("id", SqlType.UINT64, new Field.Definition("customer", "m", "m", "id", 20, 63, 0,
                1 | 2 | 32 | 512));
        Column id = Executor.column(unsigned);
        assertEquals(ColumnType.LONGLONG, id.type());
        assertEquals(1 | 2 | 32 | 512, id.flags());

        assertEquals(Column.of("c", SqlType.INT64), Executor.column(new Field("c", SqlType.INT64)));
        Column sum = Executor.column(new Field("s", SqlType.DECIMAL, Field.Definition.computed(3)));
        assertEquals(Column.of("s", SqlType.DECIMAL).flags(), sum.flags());
        assertEquals(Column.of("s", SqlType.DECIMAL).length(), sum.length());
        assertEquals(3, sum.decimals());
    }
}
