package dev.mosaic.server.tablet.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SqlBinderTest {
    private static final BindVariables VARS;

    static {
        Map<String, Value> m = new LinkedHashMap<>();
        m.put("id", Value.of(42));
        m.put("name", Value.of("it's"));
        m.put("ids", Value.tuple(Value.of(1), Value.of(2)));
        m.put("vtg1", Value.of(7));
        VARS = BindVariables.of(m);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "select * from t where id = :id|select * from t where id = 42",
            "select :name|select 'it''s'",
            "select * from t where id in ::ids|select * from t where id in (1, 2)",
            "select :vtg1+:id|select 7+42",
            "select ':id', \":id\", `:id`|select ':id', \":id\", `:id`",
            "select 'a\\':id' , :id|select 'a\\':id' , 42",
            "select /* :id */ 1 -- :id|select /* :id */ 1 -- :id",
            "set @a := :id|set @a := 42",
            "select '12:30'|select '12:30'",
    })
    void binds(String sql, String expected) {
        assertEquals(expected, SqlBinder.bind(sql, VARS));
    }

    @Test
    void missingVariableIsAnError() {
        MosaicException e = assertThrows(MosaicException.class, () -> SqlBinder.bind("select :nope", VARS));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("missing bind var nope", e.getMessage());
    }

    @Test
    void noVariablesLeavesTextAlone() {
        assertEquals("select :x", SqlBinder.bind("select :x", BindVariables.EMPTY));
    }
}
