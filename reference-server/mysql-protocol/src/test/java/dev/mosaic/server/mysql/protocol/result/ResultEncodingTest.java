package dev.mosaic.server.mysql.protocol.result;

import static dev.mosaic.server.mysql.protocol.testing.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.server.mysql.protocol.codec.ServerStatus;
import dev.mosaic.server.mysql.protocol.testing.FixtureHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResultEncodingTest {
    @Test
    void columnDefinition() {
        ByteBuf b = Unpooled.buffer();
        Column.of("id", SqlType.INT64).encode(b);
        assertEquals("03646566" + "00" + "00" + "00" + "026964" + "026964" + "0c" + "3f00" + "14000000" + "08" + "0080"
                + "00" + "0000", hex(b));
        b.clear();
        new Column("db", "t", "orig_t", "n", "name", 45, 80, ColumnType.VAR_STRING,
                Column.NOT_NULL_FLAG | Column.PRI_KEY_FLAG, 0).encode(b);
        assertEquals("03646566" + "026462" + "0174" + "066f7269675f74" + "016e" + "046e616d65" + "0c" + "2d00" + "50000000"
                + "fd" + "0300" + "00" + "0000", hex(b));
    }

    @Test
    void okEofAndErrPackets() {
        ByteBuf b = Unpooled.buffer();
        new OkPacket(1, 42, ServerStatus.AUTOCOMMIT, 0, "").encode(b, OkPacket.OK_HEADER);
        assertEquals("00012a02000000", hex(b));
        b.clear();
        new OkPacket(300, 0, ServerStatus.AUTOCOMMIT | ServerStatus.MORE_RESULTS_EXISTS, 2, "hi").encode(b, OkPacket.EOF_HEADER);
        assertEquals("fe" + "fc2c01" + "00" + "0a00" + "0200" + "6869", hex(b));
        b.clear();
        EofPacket.encode(b, 1, ServerStatus.IN_TRANS);
        assertEquals("fe01000100", hex(b));
        b.clear();
        ErrPacket.from(new MosaicException(SqlError.NO_SUCH_TABLE, "Table 'a.b' doesn't exist")).encode(b);
        assertEquals("ff7a04" + "23" + hex("42S02".getBytes(StandardCharsets.US_ASCII))
                + hex("Table 'a.b' doesn't exist".getBytes(StandardCharsets.UTF_8)), hex(b));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(new MosaicException(SqlError.ACCESS_DENIED, "x"), 1045, "28000"),
                Arguments.of(new MosaicException(ErrorCode.RESOURCE_EXHAUSTED, "x"), 1203, "42000"),
                Arguments.of(new MosaicException(ErrorCode.UNKNOWN, "x"), 1105, "HY000"),
                Arguments.of(new IllegalStateException("x"), 1815, "HY000"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void errorsMapToMysqlNumbersAndSqlStates(Throwable t, int errno, String state) {
        ErrPacket e = ErrPacket.from(t);
        assertEquals(errno, e.errno());
        assertEquals(state, e.sqlState());
    }

    @Test
    void textRowsCopyTheTextBytesAndMarkNulls() {
        ByteBuf b = Unpooled.buffer();
        TextRow.encode(b, FixtureHandler.texts("1", "alice", null, ""));
        assertEquals("0131" + "05616c696365" + "fb" + "00", hex(b));
        ByteBuf packed = Unpooled.copiedBuffer("1alice", StandardCharsets.US_ASCII);
        ByteBuf b2 = Unpooled.buffer();
        TextRow.encode(b2, new long[] {1, 5, -1, 0}, packed);
        assertEquals(hex(b), hex(b2));
        assertEquals(0, packed.readerIndex());
    }

    static Stream<Arguments> binaryValues() {
        return Stream.of(
                Arguments.of(SqlType.INT8, "-7", "f9"),
                Arguments.of(SqlType.UINT8, "255", "ff"),
                Arguments.of(SqlType.INT16, "-300", "d4fe"),
                Arguments.of(SqlType.INT24, "123456", "40e20100"),
                Arguments.of(SqlType.INT32, "123456", "40e20100"),
                Arguments.of(SqlType.INT64, "-9000000000", "00e68ee7fdffffff"),
                Arguments.of(SqlType.UINT64, "18446744073709551615", "ffffffffffffffff"),
                Arguments.of(SqlType.FLOAT32, "1.5", "0000c03f"),
                Arguments.of(SqlType.FLOAT64, "2.25", "0000000000000240"),
                Arguments.of(SqlType.DECIMAL, "12345.6789", "0a31323334352e36373839"),
                Arguments.of(SqlType.DATE, "2024-02-29", "04e807021d"),
                Arguments.of(SqlType.DATE, "0000-00-00", "00"),
                Arguments.of(SqlType.DATETIME, "2024-02-29 13:14:15.123456", "0be807021d0d0e0f40e20100"),
                Arguments.of(SqlType.DATETIME, "2024-02-29 13:14:15", "07e807021d0d0e0f"),
                Arguments.of(SqlType.TIMESTAMP, "2024-02-29 00:00:00", "04e807021d"),
                Arguments.of(SqlType.DATETIME, "0000-00-00 00:00:00", "00"),
                Arguments.of(SqlType.DATETIME, "2024-02-29 13:14:15.5", "0be807021d0d0e0f20a10700"),
                Arguments.of(SqlType.TIME, "-838:59:59", "080122000000163b3b"),
                Arguments.of(SqlType.TIME, "00:00:00", "00"),
                Arguments.of(SqlType.TIME, "12:34:56.5", "0c00000000000c223820a10700"),
                Arguments.of(SqlType.YEAR, "2024", "e807"),
                Arguments.of(SqlType.VARCHAR, "héllo", "0668c3a96c6c6f"),
                Arguments.of(SqlType.BLOB, "", "00"),
                Arguments.of(SqlType.BIT, "\u0001", "0101"),
                Arguments.of(SqlType.JSON, "{}", "027b7d"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryValues")
    void binaryValuesByColumnType(SqlType type, String text, String wire) {
        ByteBuf b = Unpooled.buffer();
        BinaryRow.encodeValue(b, Column.of("c", type), text.getBytes(StandardCharsets.UTF_8));
        assertEquals(wire, hex(b));
    }

    @Test
    void binaryRowHasANullBitmapOffsetByTwo() {
        ByteBuf b = Unpooled.buffer();
        BinaryRow.encode(b, FixtureHandler.TYPED_COLUMNS, FixtureHandler.TYPED_ROW);
        // 15 columns: (15 + 7 + 2) / 8 = 3 bitmap bytes; column 13 is NULL: bit 15 = byte 1, 0x80.
        String expected = "00" + "008000" + "f9" + "d4fe" + "40e20100" + "00e68ee7fdffffff" + "ffffffffffffffff"
                + "0000c03f" + "0000000000000240" + "0a31323334352e36373839" + "04e807021d" + "0be807021d0d0e0f40e20100"
                + "080122000000163b3b" + "0668c3a96c6c6f" + "030001ff" + "e807";
        assertEquals(expected, hex(b));
        b.clear();
        List<Column> two = List.of(Column.of("a", SqlType.INT64), Column.of("b", SqlType.INT64));
        BinaryRow.encode(b, two, new byte[][] {null, null});
        assertEquals("00" + "0c", hex(b), "bits 2 and 3");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"INT64, 12a", "INT64, ''", "DATE, 2024/01/01", "TIME, 12:3", "FLOAT64, x",
        "DATETIME, 2024-01-01 1:2:3"})
    void aValueThatDoesNotParseAsItsColumnTypeIsAnInternalError(SqlType type, String text) {
        MosaicException e = assertThrows(MosaicException.class,
                () -> BinaryRow.encodeValue(Unpooled.buffer(), Column.of("c", type), text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.INTERNAL, e.code());
    }
}
