package dev.mosaic.server.gate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure parts of prepared-statement execution: parameter values and COM_FIELD_LIST patterns. */
class GatePreparedStatementsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "'', true",
            "41424300, true",
            "c3bc, true",                 // ü
            "e697a5, true",               // 日
            "f09f9880, true",             // 😀
            "80, false",                  // continuation without a lead byte
            "c3, false",                  // truncated
            "e697, false",                // truncated
            "c0af, false",                // overlong '/'
            "e080af, false",              // overlong
            "eda080, false",              // surrogate U+D800
            "f4908080, false",            // above U+10FFFF
            "ff, false",
            "41c328, false"})             // bad continuation
    void utf8Validation(String hex, boolean valid) {
        assertEquals(valid, GatePreparedStatements.isUtf8(HexFormat.of().parseHex(hex)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"00ff10", "c3bc41"})
    void stringParametersThatAreNotUtf8TravelAsBinary(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        Value v = GatePreparedStatements.parameter(new Value.Text(SqlType.VARCHAR, bytes));
        if (GatePreparedStatements.isUtf8(bytes)) {
            assertEquals(new Value.Text(SqlType.VARCHAR, bytes), v);
        } else {
            assertEquals(new Value.Binary(SqlType.VARBINARY, bytes), v);
        }
        Value date = new Value.Text(SqlType.DATE, "2024-02-29".getBytes(StandardCharsets.US_ASCII));
        assertEquals(date, GatePreparedStatements.parameter(date));
        assertEquals(Value.of(7), GatePreparedStatements.parameter(Value.of(7)));
    }

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource({
            "n%, name, true",
            "n%, N, true",
            "n%, id, false",
            "_d, id, true",
            "_d, iid, false",
            "a\\%b, a%b, true",
            "a\\%b, axb, false",
            "a.b, a.b, true",
            "a.b, axb, false"})
    void fieldListWildcardIsLike(String pattern, String name, boolean matches) {
        assertEquals(matches, GatePreparedStatements.like(pattern).matcher(name).matches());
    }

    @org.junit.jupiter.api.Test
    void validTextStaysText() {
        assertTrue(GatePreparedStatements.isUtf8("it's ünïcödé 😀".getBytes(StandardCharsets.UTF_8)));
        assertFalse(GatePreparedStatements.isUtf8(new byte[]{(byte) 0xED, (byte) 0xBF, (byte) 0xBF}));
    }
}
