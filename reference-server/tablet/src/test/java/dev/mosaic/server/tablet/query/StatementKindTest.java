package dev.mosaic.server.tablet.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatementKindTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "select 1|READ",
            "  SELECT 1|READ",
            "/* c */ select 1|READ",
            "(select 1) union (select 2)|READ",
            "-- c\\nselect 1|READ",
            "show tables|READ",
            "with x as (select 1) select * from x|READ",
            "insert into t values (1)|WRITE",
            "Update t set a = 1|WRITE",
            "delete from t|WRITE",
            "replace into t values (1)|WRITE",
            "create table t (id int)|DDL",
            "alter table t add c int|DDL",
            "set @a = 1|OTHER",
            "begin|OTHER",
            "''|OTHER",
    })
    void classifies(String sql, StatementKind kind) {
        assertEquals(kind, StatementKind.of(sql.replace("\\n", "\n")));
    }
}
