package dev.mosaic.server.sql.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatementSplitterTest {
    @Test
    void splitsAtSemicolonsOutsideQuotesAndComments() {
        assertEquals(List.of("SELECT 1", "SELECT 2"), StatementSplitter.split("SELECT 1; SELECT 2"));
        assertEquals(List.of("SELECT 1"), StatementSplitter.split("SELECT 1;"));
        assertEquals(List.of("SELECT 1"), StatementSplitter.split("  SELECT 1 ;  ; -- trailing\n"));
        assertEquals(List.of("SELECT 'a;b'", "SELECT \"c;d\"", "SELECT `e;f` FROM t"),
                StatementSplitter.split("SELECT 'a;b'; SELECT \"c;d\"; SELECT `e;f` FROM t"));
        assertEquals(List.of("SELECT 'it''s;', 'x\\';y'", "SELECT 2"),
                StatementSplitter.split("SELECT 'it''s;', 'x\\';y'; SELECT 2"));
        assertEquals(List.of("SELECT 1 /* a; b */", "SELECT 2 -- c; d", "SELECT 3 # e; f"),
                StatementSplitter.split("SELECT 1 /* a; b */; SELECT 2 -- c; d\n; SELECT 3 # e; f"));
        assertEquals(List.of("SELECT 1-- 2;SELECT 3"), StatementSplitter.split("SELECT 1-- 2;SELECT 3"),
                "'-- ' starts a comment running to the end of the line");
        assertEquals(List.of("SELECT 1--2", "SELECT 3"), StatementSplitter.split("SELECT 1--2;SELECT 3"),
                "'--' without a space is two minus signs");
        assertEquals(List.of("/*!40101 SET NAMES utf8 */"), StatementSplitter.split("/*!40101 SET NAMES utf8 */;"));
        assertEquals(List.of(), StatementSplitter.split(" ; /* only a comment */ ;"));
    }

    @Test
    void isMultiOnlyForTwoOrMoreStatements() {
        assertFalse(StatementSplitter.isMulti("SELECT 1"));
        assertFalse(StatementSplitter.isMulti("SELECT 1;"));
        assertFalse(StatementSplitter.isMulti("SELECT ';'"));
        assertTrue(StatementSplitter.isMulti("SELECT 1; SELECT 2"));
    }
}
