package dev.mosaic.server.sql.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.ValueExpr;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequenceBinderTest {

    @Test
    void whichValuesTakeTheNextId() {
        record Case(Value value, boolean takesNext) {
        }
        for (Case c : List.of(
                new Case(Value.NULL, true),
                new Case(Value.of(0), true),
                new Case(Value.ofUnsigned(0), true),
                new Case(Value.of("0"), true),
                new Case(Value.of(new BigDecimal("0.0")), true),
                new Case(Value.of(0.0), true),
                new Case(Value.of(5), false),
                new Case(Value.of("5"), false),
                new Case(Value.of("abc"), false),
                new Case(Value.of(new byte[]{0}), false))) {
            assertEquals(c.takesNext(), SequenceBinder.takesNextId(c.value()), String.valueOf(c.value()));
        }
    }

    @Test
    void zeroRowsTakeIdsLikeNullRows() {
        Primitive.AutoIncrement a = new Primitive.AutoIncrement("commerce", "seq", "id", List.of(
                new ValueExpr.Bind("vtg1"), new ValueExpr.Const(Value.NULL), new ValueExpr.Const(Value.of(42))));
        BindVariables given = BindVariables.of(Map.of("vtg1", Value.of(0)));
        assertEquals(2, SequenceBinder.idsNeeded(a, given));
        long[] next = {100};
        BindVariables bv = SequenceBinder.bind(a, given, next);
        assertEquals(Value.of(100), bv.get("__seq0").orElseThrow());
        assertEquals(Value.of(101), bv.get("__seq1").orElseThrow());
        assertEquals(Value.of(42), bv.get("__seq2").orElseThrow());
        assertEquals(102, next[0]);
    }
}
