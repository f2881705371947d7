package dev.mosaic.server.tablet.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.BindVariable;
import dev.mosaic.proto.query.Type;
import dev.mosaic.server.tablet.query.Field;
import dev.mosaic.server.tablet.query.QueryResult;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProtoConversionsTest {
    private static BindVariable bv(Type type, byte[] value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFrom(value)).build();
    }

    private static BindVariable bv(Type type, String value) {
        return bv(type, value.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of(bv(Type.NULL_TYPE, ""), Value.NULL),
                Arguments.of(bv(Type.INT8, "-7"), Value.of(-7)),
                Arguments.of(bv(Type.INT32, "42"), Value.of(42)),
                Arguments.of(bv(Type.INT64, "-9223372036854775808"), Value.of(Long.MIN_VALUE)),
                Arguments.of(bv(Type.YEAR, "2024"), Value.of(2024)),
                Arguments.of(bv(Type.UINT64, "18446744073709551615"), Value.ofUnsigned(-1L)),
                Arguments.of(bv(Type.UINT8, "255"), Value.ofUnsigned(255)),
                Arguments.of(bv(Type.FLOAT64, "1.5"), Value.of(1.5)),
                Arguments.of(bv(Type.FLOAT32, "-2e3"), Value.of(-2000.0)),
                Arguments.of(bv(Type.DECIMAL, "12.50"), Value.of(new BigDecimal("12.50"))),
                Arguments.of(bv(Type.VARCHAR, "héllo"), Value.of("héllo")),
                Arguments.of(bv(Type.VARCHAR, ""), Value.of("")),
                Arguments.of(bv(Type.CHAR, "c"), new Value.Text(SqlType.CHAR, "c".getBytes(StandardCharsets.UTF_8))),
                Arguments.of(bv(Type.DATETIME, "2024-01-02 03:04:05"),
                        new Value.Text(SqlType.DATETIME, "2024-01-02 03:04:05".getBytes(StandardCharsets.US_ASCII))),
                Arguments.of(bv(Type.VARBINARY, new byte[] {0, (byte) 0xff}), Value.of(new byte[] {0, (byte) 0xff})),
                Arguments.of(bv(Type.BLOB, new byte[0]), new Value.Binary(SqlType.BLOB, new byte[0])),
                Arguments.of(BindVariable.newBuilder().setType(Type.TUPLE)
                        .addValues(dev.mosaic.proto.query.Value.newBuilder().setType(Type.INT64)
                                .setValue(ByteString.copyFromUtf8("1")))
                        .addValues(dev.mosaic.proto.query.Value.newBuilder().setType(Type.VARCHAR)
                                .setValue(ByteString.copyFromUtf8("a")))
                        .build(), Value.tuple(Value.of(1), Value.of("a"))));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void convertsBindVariable(BindVariable in, Value expected) {
        assertEquals(expected, ProtoConversions.bindVariable("v", in));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(bv(Type.INT64, "x")),
                Arguments.of(bv(Type.INT64, "")),
                Arguments.of(bv(Type.UINT64, "-1")),
                Arguments.of(bv(Type.FLOAT64, "NaN")),
                Arguments.of(bv(Type.DECIMAL, "1,5")),
                Arguments.of(BindVariable.newBuilder().setTypeValue(12345).build()),
                Arguments.of(BindVariable.newBuilder().setType(Type.INT64)
                        .addValues(dev.mosaic.proto.query.Value.newBuilder().setType(Type.INT64)).build()),
                Arguments.of(BindVariable.newBuilder().setType(Type.TUPLE)
                        .addValues(dev.mosaic.proto.query.Value.newBuilder().setType(Type.TUPLE)).build()));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsMalformedBindVariable(BindVariable in) {
        MosaicException e = assertThrows(MosaicException.class, () -> ProtoConversions.bindVariable("v", in));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void emptyMapIsEmptyBindVariables() {
        assertEquals(BindVariables.EMPTY, ProtoConversions.bindVariables(Map.of()));
        assertEquals(Value.of(3), ProtoConversions.bindVariables(Map.of("a", bv(Type.INT32, "3"))).get("a").orElseThrow());
    }

    @Test
    void resultKeepsNullAndEmptyApart() {
        Field f = new Field("s", "s", "t", "t", "db", SqlType.VARCHAR, 15, 80, 45, 0, 0);
        QueryResult r = new QueryResult(List.of(f), List.<byte[][]>of(new byte[][] {new byte[0]}, new byte[][] {null}),
                0, 0);
        dev.mosaic.proto.query.QueryResult p = ProtoConversions.result(r, true);
        assertEquals(Type.VARCHAR, p.getFields(0).getType());
        assertEquals(80, p.getFields(0).getColumnLength());
        assertEquals(45, p.getFields(0).getCharset());
        assertEquals(List.of(0L), p.getRows(0).getLengthsList());
        assertEquals(List.of(-1L), p.getRows(1).getLengthsList());
        assertEquals(0, ProtoConversions.result(r, false).getFieldsCount());
    }
}
