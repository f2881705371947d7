package dev.mosaic.server.sql.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mosaic.api.sql.Value;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlDigestTest {
    private static String template(String sql) {
        return SqlDigest.of(sql).template().replace("\u0000", "?");
    }

    private static List<String> texts(String sql) {
        return SqlDigest.of(sql).literals().stream().map(SqlDigest.Lit::text).toList();
    }

    @Test
    void simpleLiteralsAreCutOutAndWhitespaceShrinks() {
        assertEquals("SELECT c FROM sbtest1 WHERE id=?i", template("SELECT c FROM sbtest1 WHERE id=5000"));
        assertEquals("select a , b from t where x = ?s and y > ?d limit ?i",
                template("  select a ,\n\tb from t where x = 'héllo' and y > 1.50 limit 10  "));
        assertEquals(List.of("héllo", "1.50", "10"), texts("select a from t where x = 'héllo' and y > 1.50 limit 10"));
        assertEquals(List.of(Value.of("héllo"), Value.of(new BigDecimal("1.50")), Value.of(10)),
                SqlDigest.of("select a from t where x = 'héllo' and y > 1.50 limit 10").literals().stream()
                        .map(SqlDigest.Lit::value).toList());
        assertEquals("x = ?d", template("x = 1e3"));
        assertEquals(Value.of(1000.0), SqlDigest.of("x = 1e3").literals().get(0).value());
        assertEquals(Value.ofUnsigned(-1L), SqlDigest.of("x = 18446744073709551615").literals().get(0).value());
    }

    @Test
    void whatIsNotASimpleLiteralStaysAsWritten() {
        assertEquals("x = 'it''s' and y = 'a\\'b'", template("x = 'it''s' and y = 'a\\'b'"));
        assertEquals("x = _utf8mb4'a' and y = N'b' and z = X'0f' and w = 0x0f and v = b'01'",
                template("x = _utf8mb4'a' and y = N'b' and z = X'0f' and w = 0x0f and v = b'01'"));
        assertEquals("select 1abc, t.5 from `t 1` where \"q 5\" = ?i", template("select 1abc, t.5 from `t 1` where \"q 5\" = 7"));
        assertEquals("x = -?i", template("x = -5"));
        assertEquals("x in (?i,?i)", template("x in (1,2)"));
    }

    @Test
    void commentsStayVerbatimAndALineCommentKeepsItsLineBreak() {
        assertEquals("select /* id = 5 */ a from t", template("select /* id = 5 */ a from t"));
        assertEquals("select /*vt+ SCATTER_ERRORS_AS_WARNINGS */ a", template("select /*vt+ SCATTER_ERRORS_AS_WARNINGS */ a"));
        // The same words, once inside a comment and once after it: different templates.
        assertNotEquals(template("select ?i -- note\nfrom t"), template("select ?i -- note from t"));
        assertEquals("select ?i # c\n from t", template("select 1 # c\n from t"));
    }

    @Test
    void noDigestForWhatCannotBeVouchedFor() {
        assertNull(SqlDigest.of("select 'unterminated"));
        assertNull(SqlDigest.of("select `unterminated"));
        assertNull(SqlDigest.of("select /* unterminated"));
        assertNull(SqlDigest.of("select '\u0000i'"));
    }
}
