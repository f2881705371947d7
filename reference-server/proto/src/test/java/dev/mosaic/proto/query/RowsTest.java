package dev.mosaic.proto.query;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RowsTest {

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    /** Values in, expected lengths and concatenated bytes out. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no columns", Arrays.asList(), List.of(), ""),
                Arguments.of("one value", Arrays.asList(b("42")), List.of(2L), "42"),
                Arguments.of("NULL is -1 and takes no bytes", Arrays.asList(b("1"), null, b("abc")), List.of(1L, -1L, 3L), "1abc"),
                Arguments.of("empty string is not NULL", Arrays.asList(b(""), null), List.of(0L, -1L), ""),
                Arguments.of("all NULL", Arrays.asList(null, null, null), List.of(-1L, -1L, -1L), ""),
                Arguments.of("multi-byte text counts bytes", Arrays.asList(b("héllo"), b("€")), List.of(6L, 3L), "héllo€"),
                Arguments.of("temporal and decimal text", Arrays.asList(b("2024-01-31 12:00:00.5"), b("-12.340")),
                        List.of(21L, 7L), "2024-01-31 12:00:00.5-12.340"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodesAndDecodes(String name, List<byte[]> values, List<Long> lengths, String concatenated)
            throws InvalidProtocolBufferException {
        Row row = Rows.encode(values);
        assertEquals(lengths, row.getLengthsList());
        assertEquals(ByteString.copyFromUtf8(concatenated), row.getValues());

        // Through the wire format and back.
        Row parsed = Row.parseFrom(row.toByteArray());
        List<byte[]> decoded = Rows.decode(parsed);
        assertEquals(values.size(), decoded.size());
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                assertNull(decoded.get(i), "value " + i);
                assertNull(Rows.slices(parsed).get(i), "slice " + i);
            } else {
                assertArrayEquals(values.get(i), decoded.get(i), "value " + i);
                assertEquals(ByteString.copyFrom(values.get(i)), Rows.slices(parsed).get(i), "slice " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryCases")
    void binaryValuesSurviveUnchanged(String name, byte[] value) {
        List<byte[]> decoded = Rows.decode(Rows.encode(Arrays.asList(value, null, value)));
        assertArrayEquals(value, decoded.get(0));
        assertNull(decoded.get(1));
        assertArrayEquals(value, decoded.get(2));
    }

    static Stream<Arguments> binaryCases() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        return Stream.of(
                Arguments.of("zero byte", new byte[] {0}),
                Arguments.of("every byte value", all),
                Arguments.of("invalid UTF-8", new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRowIsAnInternalError(String name, List<Long> lengths, String values) {
        Row row = Row.newBuilder().addAllLengths(lengths).setValues(ByteString.copyFromUtf8(values)).build();
        MosaicException e = assertThrows(MosaicException.class, () -> Rows.decode(row));
        assertEquals(ErrorCode.INTERNAL, e.code());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("lengths run past the bytes", List.of(2L, 3L), "abcd"),
                Arguments.of("bytes left over", List.of(1L), "ab"),
                Arguments.of("length below -1", List.of(-2L), ""),
                Arguments.of("bytes but no lengths", List.of(), "x"));
    }
}
