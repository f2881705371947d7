package dev.mosaic.api.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ErrorModelTest {
    @Test
    void specificErrorWinsOverClassDefault() {
        MosaicException e = new MosaicException(SqlError.DUP_ENTRY, "Duplicate entry '1' for key 'PRIMARY'");
        assertEquals(1062, e.mysqlErrno());
        assertEquals("23000", e.sqlState());
        assertEquals(ErrorCode.ALREADY_EXISTS, e.code());

        MosaicException generic = new MosaicException(ErrorCode.UNAVAILABLE, "no healthy tablet");
        assertEquals(1105, generic.mysqlErrno());
        assertEquals("HY000", generic.sqlState());
        assertTrue(generic.sqlError().isEmpty());
    }

    @Test
    void everySqlStateIsFiveCharactersAndErrnosAreUnique() {
        Set<Integer> seen = new HashSet<>();
        for (SqlError s : SqlError.values()) {
            assertEquals(5, s.sqlState().length(), s.name());
            assertTrue(seen.add(s.errno()), "duplicate errno " + s.errno());
        }
        for (ErrorCode c : ErrorCode.values()) {
            assertEquals(5, c.sqlState().length(), c.name());
            assertTrue(c.mysqlErrno() >= 1000, c.name());
        }
        assertEquals(1064, SqlError.PARSE_ERROR.errno());
        assertEquals("42000", SqlError.PARSE_ERROR.sqlState());
        assertEquals(1213, SqlError.LOCK_DEADLOCK.errno());
        assertEquals("40001", SqlError.LOCK_DEADLOCK.sqlState());
    }
}
