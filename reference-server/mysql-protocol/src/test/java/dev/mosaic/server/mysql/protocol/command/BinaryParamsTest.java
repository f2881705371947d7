package dev.mosaic.server.mysql.protocol.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.mysql.protocol.codec.ProtocolException;
import dev.mosaic.server.mysql.protocol.testing.Bytes;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BinaryParamsTest {
    private static PreparedStatement statement(int params) {
        return new PreparedStatement(1, "select ?", PreparedInfo.of(params, List.of()));
    }

    private static Value text(SqlType t, String s) {
        return new Value.Text(t, s.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of("TINY", "0100", "f9", Value.of(-7)),
                Arguments.of("TINY unsigned", "0180", "f9", Value.ofUnsigned(249)),
                Arguments.of("SHORT", "0200", "d4fe", Value.of(-300)),
                Arguments.of("YEAR", "0d00", "e807", Value.of(2024)),
                Arguments.of("LONG", "0300", "40e20100", Value.of(123456)),
                Arguments.of("LONG unsigned", "0380", "ffffffff", Value.ofUnsigned(4294967295L)),
                Arguments.of("INT24", "0900", "40e20100", Value.of(123456)),
                Arguments.of("LONGLONG", "0800", "00e68ee7fdffffff", Value.of(-9000000000L)),
                Arguments.of("LONGLONG unsigned", "0880", "ffffffffffffffff", Value.ofUnsigned(-1L)),
                Arguments.of("FLOAT", "0400", "cdcc8c3f", Value.of(1.1)),
                Arguments.of("DOUBLE", "0500", "000000000000e0bf", Value.of(-0.5)),
                Arguments.of("NEWDECIMAL", "f600", "0631322e333430", Value.of(new BigDecimal("12.340"))),
                Arguments.of("DECIMAL", "0000", "022d31", Value.of(new BigDecimal("-1"))),
                Arguments.of("DATE", "0a00", "04e807021d", text(SqlType.DATE, "2024-02-29")),
                Arguments.of("DATE zero", "0a00", "00", text(SqlType.DATE, "0000-00-00")),
                Arguments.of("DATETIME", "0c00", "07e807021d0d0e0f", text(SqlType.DATETIME, "2024-02-29 13:14:15")),
                Arguments.of("DATETIME micros", "0c00", "0be807021d0d0e0f40e20100",
                        text(SqlType.DATETIME, "2024-02-29 13:14:15.123456")),
                Arguments.of("TIMESTAMP date only", "0700", "04e807021d", text(SqlType.TIMESTAMP, "2024-02-29 00:00:00")),
                Arguments.of("TIME", "0b00", "080122000000163b3b", text(SqlType.TIME, "-838:59:59")),
                Arguments.of("TIME micros", "0b00", "0c00000000000c223820a10700", text(SqlType.TIME, "12:34:56.500000")),
                Arguments.of("TIME zero", "0b00", "00", text(SqlType.TIME, "00:00:00")),
                Arguments.of("VAR_STRING", "fd00", "0668c3a96c6c6f", text(SqlType.VARCHAR, "héllo")),
                Arguments.of("STRING", "fe00", "00", text(SqlType.VARCHAR, "")),
                Arguments.of("VARCHAR", "0f00", "0161", text(SqlType.VARCHAR, "a")),
                Arguments.of("JSON", "f500", "027b7d", text(SqlType.JSON, "{}")),
                Arguments.of("BLOB", "fc00", "0300ff01", Value.of(new byte[] {0, (byte) 0xff, 1})),
                Arguments.of("BIT", "1000", "0101", new Value.Binary(SqlType.BIT, new byte[] {1})),
                Arguments.of("NULL type", "0600", "", Value.NULL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void decodesEachType(String name, String type, String value, Value expected) {
        PreparedStatement stmt = statement(1);
        // NULL bitmap 00, new-params-bound 01, type, value
        List<Value> got = BinaryParams.decode(Unpooled.wrappedBuffer(Bytes.hex("00" + "01" + type + value)), stmt);
        assertEquals(List.of(expected), got);
    }

    @Test
    void nullsComeFromTheBitmapAndTypesAreRememberedBetweenExecutions() {
        PreparedStatement stmt = statement(3);
        // Params: LONGLONG 5, NULL (bit 1), VAR_STRING "x".
        List<Value> first = BinaryParams.decode(Unpooled.wrappedBuffer(Bytes.hex(
                "02" + "01" + "0800" + "0800" + "fd00" + "0500000000000000" + "0178")), stmt);
        assertEquals(List.of(Value.of(5), Value.NULL, Value.of("x")), first);
        // Second execution: new-params-bound 0, the types from before.
        List<Value> second = BinaryParams.decode(Unpooled.wrappedBuffer(Bytes.hex(
                "00" + "00" + "0600000000000000" + "0700000000000000" + "0179")), stmt);
        assertEquals(List.of(Value.of(6), Value.of(7), Value.of("y")), second);
    }

    @Test
    void longDataReplacesTheValueInThePacket() {
        PreparedStatement stmt = statement(2);
        stmt.longData[0] = new java.io.ByteArrayOutputStream();
        stmt.longData[0].writeBytes("long text".getBytes(StandardCharsets.UTF_8));
        List<Value> got = BinaryParams.decode(Unpooled.wrappedBuffer(Bytes.hex(
                "00" + "01" + "fd00" + "0800" + "0900000000000000")), stmt);
        assertEquals(List.of(Value.of("long text"), Value.of(9)), got);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("no bitmap", "", 1),
                Arguments.of("no types on first execution", "0000" + "01", 1),
                Arguments.of("truncated LONGLONG", "0001" + "0800" + "0100", 1),
                Arguments.of("unknown type", "0001" + "2000" + "00", 1),
                Arguments.of("bad bound flag", "0002", 1),
                Arguments.of("string longer than packet", "0001" + "fd00" + "0561", 1),
                Arguments.of("bad temporal length", "0001" + "0c00" + "03010203", 1),
                Arguments.of("bad decimal", "0001" + "f600" + "0178", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedParametersAreAMalformedPacket(String name, String hex, int params) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> BinaryParams.decode(Unpooled.wrappedBuffer(Bytes.hex(hex)), statement(params)));
        assertEquals(1835, e.mysqlErrno());
    }
}
