package dev.mosaic.server.tablet.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NextValuesStatementTest {

    @Test
    void recognisesTheShapes() {
        Map<String, Optional<NextValuesStatement>> cases = Map.of(
                "select next value from seq", Optional.of(literal("seq", 1)),
                "SELECT NEXT 5 VALUES FROM `user_seq`", Optional.of(literal("user_seq", 5)),
                "select next :n values from vt_commerce.seq;", Optional.of(bind("seq", "n")),
                "/* gate */ select  next\n10 values from `db`.`my seq`", Optional.of(literal("my seq", 10)),
                "select next_id from seq", Optional.empty(),
                "select next value from seq where id = 1", Optional.empty(),
                "select * from seq", Optional.empty(),
                "update seq set next_id = 1", Optional.empty());
        cases.forEach((sql, want) -> assertEquals(want, NextValuesStatement.parse(sql), sql));
    }

    @Test
    void countFromLiteralOrBindVariable() {
        assertEquals(7, NextValuesStatement.parse("select next :n values from s").orElseThrow()
                .count(BindVariables.of(Map.of("n", Value.of(7)))));
        assertEquals(3, NextValuesStatement.parse("select next 3 values from s").orElseThrow().count(BindVariables.EMPTY));
    }

    @Test
    void badCountsAreErrors() {
        NextValuesStatement bound = NextValuesStatement.parse("select next :n values from s").orElseThrow();
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(MosaicException.class,
                () -> bound.count(BindVariables.EMPTY)).code());
        MosaicException zero = assertThrows(MosaicException.class,
                () -> bound.count(BindVariables.of(Map.of("n", Value.of(0)))));
        assertEquals("invalid increment for sequence s: 0", zero.getMessage());
        assertThrows(MosaicException.class, () -> NextValuesStatement.parse("select next 0 values from s").orElseThrow()
                .count(BindVariables.EMPTY));
    }

    private static NextValuesStatement literal(String table, long n) {
        return new NextValuesStatement(table, Optional.of(n), Optional.empty());
    }

    private static NextValuesStatement bind(String table, String name) {
        return new NextValuesStatement(table, Optional.empty(), Optional.of(name));
    }
}
