package dev.mosaic.server.tablet.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.mosaic.proto.query.BindVariable;
import dev.mosaic.proto.query.ExecuteRequest;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Rows;
import dev.mosaic.proto.query.Type;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table's contents as a function of the id, and the gRPC case's request and answer check. */
class SbTableTest {
    @Test
    void columnsHaveSysbenchShapeAndAreAFunctionOfTheId() {
        for (int id : new int[] {1, 2, 9_999, 10_000, 1_000_000}) {
            String c = SbTable.c(id);
            assertTrue(c.matches("(\\d{11}-){9}\\d{11}"), c);
            assertTrue(SbTable.pad(id).matches("(\\d{11}-){4}\\d{11}"), SbTable.pad(id));
            assertEquals(c, SbTable.c(id), "deterministic");
            int k = SbTable.k(id, 10_000);
            assertTrue(k >= 1 && k <= 10_000, "k in range: " + k);
        }
        assertNotEquals(SbTable.c(1), SbTable.c(2));
        assertEquals(119, SbTable.cBytes(7).length);
    }

    @Test
    void requestCarriesTheIdAsAnInt64BindVariable() {
        ExecuteRequest r = GrpcPointSelects.request(42);
        assertEquals("SELECT c FROM sbtest1 WHERE id = :id", r.getQuery().getSql());
        BindVariable id = r.getQuery().getBindVariablesOrThrow("id");
        assertEquals(Type.INT64, id.getType());
        assertEquals(ByteString.copyFromUtf8("42"), id.getValue());
    }

    @Test
    void answerCheckAcceptsOnlyTheOneRightRow() {
        QueryResult right = QueryResult.newBuilder().addRows(Rows.encode(List.<byte[]>of(SbTable.cBytes(5)))).build();
        assertNull(GrpcPointSelects.wrongAnswer(5, right));
        assertTrue(GrpcPointSelects.wrongAnswer(6, right).startsWith("wrong c for id 6"));
        assertTrue(GrpcPointSelects.wrongAnswer(5, QueryResult.getDefaultInstance()).startsWith("expected 1 row"));
        QueryResult twice = right.toBuilder().addRows(right.getRows(0)).build();
        assertTrue(GrpcPointSelects.wrongAnswer(5, twice).startsWith("expected 1 row"));
        QueryResult twoColumns = QueryResult.newBuilder()
                .addRows(Rows.encode(Arrays.asList(SbTable.cBytes(5), new byte[0]))).build();
        assertTrue(GrpcPointSelects.wrongAnswer(5, twoColumns).contains("2 columns"));
    }
}
