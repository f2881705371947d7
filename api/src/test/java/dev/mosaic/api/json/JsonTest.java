package dev.mosaic.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesScalars() {
        assertEquals(JsonBool.TRUE, Json.parse("true"));
        assertEquals(JsonBool.FALSE, Json.parse(" false "));
        assertEquals(JsonNull.INSTANCE, Json.parse("\n\tnull\r\n"));
        assertEquals(Json.of("x"), Json.parse("\"x\""));
        assertEquals(Json.of(-12), Json.parse("-12"));
        assertEquals(new JsonNumber(new BigDecimal("0.5e-3")), Json.parse("0.5e-3"));
    }

    @Test
    void keepsNumbersExactly() {
        JsonNumber big = (JsonNumber) Json.parse("123456789012345678901234567890");
        assertEquals(new BigDecimal("123456789012345678901234567890"), big.value());
        JsonNumber tenth = (JsonNumber) Json.parse("0.1");
        assertEquals("0.1", tenth.toJson());
        assertEquals(Long.MAX_VALUE, ((JsonNumber) Json.parse("9223372036854775807")).longValueExact());
        assertThrows(ArithmeticException.class, () -> ((JsonNumber) Json.parse("9223372036854775808")).longValueExact());
        assertTrue(((JsonNumber) Json.parse("3.0")).isIntegral());
        assertTrue(((JsonNumber) Json.parse("3e2")).isIntegral());
        assertEquals(300, ((JsonNumber) Json.parse("3e2")).intValueExact());
        assertFalse(((JsonNumber) Json.parse("3.5")).isIntegral());
        // The written form parses back to an equal number, whatever its exponent.
        for (String n : List.of("1E+3", "1e-7", "-0", "0.000001", "12.50", "-9.99e300")) {
            Json v = Json.parse(n);
            assertEquals(v, Json.parse(v.toJson()), n);
        }
    }

    @Test
    void decodesEveryEscapeIncludingSurrogatePairs() {
        JsonString s = (JsonString) Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\ud83d\\ude00 \\uD834\\uDD1E\"");
        assertEquals("\" \\ / \b \f \n \r \t A \u00e9 \ud83d\ude00 \ud834\udd1e", s.value());
        // A raw (unescaped) pair is kept as is.
        assertEquals("\ud83d\ude00", ((JsonString) Json.parse("\"\ud83d\ude00\"")).value());
    }

    @Test
    void writesEscapesThatParseBack() {
        String nasty = "q\" b\\ nl\n cr\r tab\t nul\u0000 esc\u001b del\u007f \u00e9 \ud83d\ude00 /";
        String text = Json.of(nasty).toJson();
        assertEquals("\"q\\\" b\\\\ nl\\n cr\\r tab\\t nul\\u0000 esc\\u001b del\\u007f \u00e9 \ud83d\ude00 /\"", text);
        assertEquals(nasty, ((JsonString) Json.parse(text)).value());
    }

    @Test
    void objectsKeepMemberOrder() {
        JsonObject o = (JsonObject) Json.parse("{\"b\":1,\"a\":2,\"c\":3}");
        assertEquals(List.of("b", "a", "c"), List.copyOf(o.members().keySet()));
        assertEquals("{\"b\":1,\"a\":2,\"c\":3}", o.toJson());
        // equals ignores order, as JSON objects are unordered.
        assertEquals(o, Json.parse("{\"c\":3,\"a\":2,\"b\":1}"));
        assertEquals(Json.of(2), o.get("a").orElseThrow());
        assertTrue(o.get("z").isEmpty());
    }

    @Test
    void prettyPrintsWithTwoSpaces() {
        Json v = Json.parse("{\"a\":[1,{\"b\":null},[]],\"c\":{},\"d\":\"x\",\"e\":true}");
        String expected = """
                {
                  "a": [
                    1,
                    {
                      "b": null
                    },
                    []
                  ],
                  "c": {},
                  "d": "x",
                  "e": true
                }""";
        assertEquals(expected, v.toPrettyJson());
        assertEquals(v, Json.parse(v.toPrettyJson()));
        assertEquals(v.toPrettyJson(), Json.parse(v.toPrettyJson()).toPrettyJson());
    }

    @Test
    void builderRejectsDuplicateKeys() {
        JsonObject.Builder b = JsonObject.builder().put("a", "x");
        assertThrows(IllegalArgumentException.class, () -> b.put("a", 1));
        assertEquals(new JsonObject(Map.of("a", Json.of("x"))), b.build());
    }

    @Test
    void ignoresLeadingByteOrderMark() {
        assertEquals(Json.of(1), Json.parse("\uFEFF1"));
    }

    @Test
    void rejectsDeepNesting() {
        String deep = "[".repeat(JsonParser.MAX_DEPTH + 1) + "]".repeat(JsonParser.MAX_DEPTH + 1);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
        assertTrue(e.reason().contains("nesting deeper"), e.getMessage());
        String ok = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
        assertTrue(Json.parse(ok) instanceof JsonArray);
    }

    @Test
    void pathsQuoteKeysThatAreNotIdentifiers() {
        assertEquals("$.tables.corder", JsonPath.member(JsonPath.member("$", "tables"), "corder"));
        assertEquals("$[\"a.b\"]", JsonPath.member("$", "a.b"));
        assertEquals("$[\"\"]", JsonPath.member("$", ""));
        assertEquals("$.rules[3]", JsonPath.index("$.rules", 3));
    }

    /** One malformed input, where the error must be reported, and what it must say. */
    record Bad(String json, int line, int column, String path, String reason) {
    }

    @Test
    void rejectsMalformedInputWithLocation() {
        List<Bad> cases = List.of(
                new Bad("", 1, 1, "$", "empty document"),
                new Bad("   ", 1, 4, "$", "empty document"),
                new Bad("{", 1, 2, "$", "expected a string key"),
                new Bad("{\"a\":1,}", 1, 8, "$", "trailing comma"),
                new Bad("[1,]", 1, 4, "$", "trailing comma"),
                new Bad("[1 2]", 1, 4, "$", "expected ',' or ']'"),
                new Bad("{\"a\" 1}", 1, 6, "$.a", "expected ':'"),
                new Bad("{\"a\":1 \"b\":2}", 1, 8, "$", "expected ',' or '}'"),
                new Bad("{'a':1}", 1, 2, "$", "expected a string key"),
                new Bad("{a:1}", 1, 2, "$", "expected a string key"),
                new Bad("{\"a\":1,\n \"a\":2}", 2, 2, "$.a", "duplicate key \"a\""),
                new Bad("{\"t\":{\"x\":{},\n\"x\":1}}", 2, 1, "$.t.x", "duplicate key \"x\""),
                new Bad("01", 1, 1, "$", "leading zeros"),
                new Bad("-", 1, 2, "$", "expected a digit"),
                new Bad("1.", 1, 3, "$", "digit after '.'"),
                new Bad(".5", 1, 1, "$", "expected a value"),
                new Bad("1e", 1, 3, "$", "exponent"),
                new Bad("+1", 1, 1, "$", "expected a value"),
                new Bad("NaN", 1, 1, "$", "expected a value"),
                new Bad("1 2", 1, 3, "$", "after the JSON value"),
                new Bad("tru", 1, 1, "$", "expected a value"),
                new Bad("truex", 1, 5, "$", "after 'true'"),
                new Bad("nul", 1, 1, "$", "expected a value"),
                new Bad("\"abc", 1, 1, "$", "unterminated string"),
                new Bad("\"a\nb\"", 1, 3, "$", "unescaped control character"),
                new Bad("\"\\x\"", 1, 2, "$", "invalid escape '\\x'"),
                new Bad("\"\\u12g4\"", 1, 2, "$", "four hex digits"),
                new Bad("\"\\u12\"", 1, 2, "$", "four hex digits"),
                new Bad("\"\\ud83d\"", 1, 2, "$", "high surrogate not followed"),
                new Bad("\"\\ud83d\\u0041\"", 1, 8, "$", "high surrogate not followed"),
                new Bad("\"\\ude00\"", 1, 2, "$", "low surrogate without"),
                new Bad("\"\ud83d\"", 1, 2, "$", "unpaired surrogate"),
                new Bad("\"\ude00x\"", 1, 2, "$", "unpaired surrogate"),
                new Bad("[1,\n  {\"k\": [true, fals]}]", 2, 16, "$[1].k[1]", "expected a value"),
                new Bad("{\"a\":\r\n\r\n  }", 3, 3, "$.a", "expected a value"),
                new Bad("//c\n1", 1, 1, "$", "expected a value"),
                new Bad("1e99999999999", 1, 1, "$", "out of range"));
        for (Bad c : cases) {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(c.json()), c.json());
            String where = c.json() + " -> " + e.getMessage();
            assertEquals(c.line(), e.line(), where);
            assertEquals(c.column(), e.column(), where);
            assertEquals(c.path(), e.path(), where);
            assertTrue(e.reason().contains(c.reason()), where);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().startsWith("line " + c.line() + ", column " + c.column() + " (at " + c.path() + "): "), where);
        }
    }
}
