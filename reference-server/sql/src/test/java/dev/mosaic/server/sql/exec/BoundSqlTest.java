package dev.mosaic.server.sql.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoundSqlTest {

    @Test
    void writesValuesAsLiterals() {
        BindVariables bv = BindVariables.of(Map.of("vtg1", Value.of(5), "vtg2", Value.of("it's"),
                "__vals", Value.tuple(Value.of(1), Value.of(2)), "v_1", Value.NULL));
        assertEquals("select * from t where id = 5 and name = 'it''s' and k in (1, 2) and x = NULL",
                BoundSql.render("select * from t where id = :vtg1 and name = :vtg2 and k in ::__vals and x = :v_1", bv));
    }

    @Test
    void leavesQuotesCommentsAndUnknownNamesAlone() {
        BindVariables bv = BindVariables.of(Map.of("a", Value.of(1)));
        assertEquals("select ':a', `:a`, \":a\" /* :a */ , :b, 1, '10:00'",
                BoundSql.render("select ':a', `:a`, \":a\" /* :a */ , :b, :a, '10:00'", bv));
        assertEquals("select 1", BoundSql.render("select 1", BindVariables.EMPTY));
    }
}
