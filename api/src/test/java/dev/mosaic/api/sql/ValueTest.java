package dev.mosaic.api.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueTest {
    @Test
    void textFormsAreMysqlTextProtocolBytes() {
        record Case(Value v, String text, String literal) {
        }
        List<Case> cases = List.of(
                new Case(Value.NULL, "", "NULL"),
                new Case(Value.of(-42), "-42", "-42"),
                new Case(Value.ofUnsigned(-1L), "18446744073709551615", "18446744073709551615"),
                new Case(Value.of(new BigDecimal("1.50")), "1.50", "1.50"),
                new Case(Value.of(2.5), "2.5", "2.5"),
                new Case(Value.of(3.0), "3", "3"),
                new Case(Value.of("it's"), "it's", "'it''s'"),
                new Case(Value.of("a\\b\n"), "a\\b\n", "'a\\\\b\\n'"),
                new Case(Value.of(new byte[] {0, (byte) 0xff}), "\0\u00ff", "X'00ff'"),
                new Case(Value.tuple(Value.of(1), Value.of("x")), "(1, 'x')", "(1, 'x')"));
        for (Case c : cases) {
            if (!(c.v() instanceof Value.Binary)) {
                assertEquals(c.text(), new String(c.v().toBytes(), StandardCharsets.UTF_8), c.toString());
            }
            assertEquals(c.literal(), c.v().toSqlLiteral(), c.toString());
        }
        assertArrayEquals(new byte[] {0, (byte) 0xff}, Value.of(new byte[] {0, (byte) 0xff}).toBytes());
    }

    @Test
    void equalityIsByContent() {
        assertEquals(Value.of("abc"), Value.of("abc"));
        assertEquals(Value.of("abc").hashCode(), Value.of("abc").hashCode());
        assertEquals(Value.of(new byte[] {1, 2}), Value.of(new byte[] {1, 2}));
        assertNotEquals(Value.of("1"), Value.of(1));
        assertNotEquals(Value.of(1), Value.ofUnsigned(1));
        assertTrue(Value.NULL.isNull());
        assertEquals(SqlType.TUPLE, Value.tuple().type());
    }

    @Test
    void rejectsInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> Value.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Value.Text(SqlType.INT64, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new Value.Binary(SqlType.VARCHAR, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Value.tuple(Value.tuple(Value.of(1))));
    }

    @Test
    void typeCategories() {
        assertTrue(SqlType.UINT32.isUnsigned() && SqlType.UINT32.isIntegral());
        assertTrue(SqlType.INT8.isSigned());
        assertTrue(SqlType.DECIMAL.isNumber());
        assertTrue(SqlType.VARCHAR.isText());
        assertTrue(SqlType.VARBINARY.isBinary());
        assertTrue(SqlType.DATETIME.isTemporal());
    }

    @Test
    void bindVariables() {
        BindVariables b = BindVariables.of(Map.of("vtg1", Value.of(1)));
        assertEquals(Value.of(1), b.get("vtg1").orElseThrow());
        assertTrue(b.get("nope").isEmpty());
        BindVariables b2 = b.with("vtg2", Value.NULL);
        assertEquals(2, b2.size());
        assertEquals(1, b.size());
        assertThrows(IllegalArgumentException.class, () -> BindVariables.of(Map.of(":x", Value.of(1))));
    }
}
