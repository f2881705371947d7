package dev.mosaic.server.gate.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.plan.Routing;
import dev.mosaic.server.sql.plan.ValueExpr;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SequencesTest {

    @Test
    void explicitValuesAreKeptWithoutAskingTheSequence() {
        // No gateway: asking the sequence would fail the test.
        Sequences sequences = new Sequences(null, new ShardMap(Map.of("commerce", List.of(ShardTarget.named("0")))));
        Primitive.Insert insert = new Primitive.Insert(Routing.of(RouteOpcode.UNSHARDED, "commerce"), "t",
                "INSERT INTO t (id) VALUES (:__seq0), (:__seq1)", "INSERT INTO t (id) VALUES ",
                List.of("(:__seq0)", "(:__seq1)"), "", List.of(),
                Optional.of(new Primitive.AutoIncrement("commerce", "t_seq", "id",
                        List.of(new ValueExpr.Bind("vtg1"), new ValueExpr.Const(Value.of(9))))), false);
        Sequences.Filled f = sequences.fill(new GateSession(1), null, insert, BindVariables.of(Map.of("vtg1", Value.of(7))));
        assertEquals(0, f.count());
        assertEquals(Optional.of(Value.of(7)), f.bindVars().get("__seq0"));
        assertEquals(Optional.of(Value.of(9)), f.bindVars().get("__seq1"));
        QueryResult shard = QueryResult.newBuilder().setInsertId(9).build();
        assertEquals(List.of(shard), f.withInsertId(List.of(shard)), "no generated id: the shard's insert id stands");
        Sequences.Filled generated = new Sequences.Filled(BindVariables.EMPTY, 100, 2);
        assertEquals(100, generated.withInsertId(List.of(shard, QueryResult.getDefaultInstance())).get(1).getInsertId());
    }
}
