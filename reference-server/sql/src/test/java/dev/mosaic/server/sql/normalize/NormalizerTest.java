package dev.mosaic.server.sql.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.server.sql.parse.ParsedStatement;
import dev.mosaic.server.sql.parse.SqlParser;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Query in, normalized text and bind variables out. */
class NormalizerTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("select a from t where id = 5", "SELECT a FROM t WHERE id = :vtg1", "{vtg1=Int[value=5]}"),
                Arguments.of("select a from t where name = 'x''y'", "SELECT a FROM t WHERE name = :vtg1", "{vtg1=Text[VARCHAR 'x'y']}"),
                Arguments.of("select a from t where x = 1.50", "SELECT a FROM t WHERE x = :vtg1", "{vtg1=Decimal[value=1.50]}"),
                Arguments.of("select a from t where x = 1e3", "SELECT a FROM t WHERE x = :vtg1", "{vtg1=Float[value=1000.0]}"),
                Arguments.of("select a from t where x = -7", "SELECT a FROM t WHERE x = :vtg1", "{vtg1=Int[value=-7]}"),
                Arguments.of("select a from t where x = 18446744073709551615", "SELECT a FROM t WHERE x = :vtg1",
                        "{vtg1=Uint[18446744073709551615]}"),
                Arguments.of("select a from t where x = x'0aff'", "SELECT a FROM t WHERE x = :vtg1", "{vtg1=Binary[HEXVAL X'0aff']}"),
                Arguments.of("select a from t where id in (1, 2, 3)", "SELECT a FROM t WHERE id IN ::vtg1",
                        "{vtg1=Tuple[values=[Int[value=1], Int[value=2], Int[value=3]]]}"),
                Arguments.of("select a from t where id in (1, b)", "SELECT a FROM t WHERE id IN (:vtg1, b)", "{vtg1=Int[value=1]}"),
                Arguments.of("select a from t where x is null and y = null", "SELECT a FROM t WHERE x IS NULL AND y = NULL", "{}"),
                Arguments.of("select a from t where b = true", "SELECT a FROM t WHERE b = true", "{}"),
                Arguments.of("select 1, 'x' from t", "SELECT 1, 'x' FROM t", "{}"),
                Arguments.of("select a from t order by 1 limit 10", "SELECT a FROM t ORDER BY 1 LIMIT :vtg1", "{vtg1=Int[value=10]}"),
                Arguments.of("select a, count(*) from t group by 1 having count(*) > 2", "SELECT a, count(*) FROM t GROUP BY 1 HAVING count(*) > :vtg1",
                        "{vtg1=Int[value=2]}"),
                Arguments.of("select a from t where d > now() - interval 1 day", "SELECT a FROM t WHERE d > now() - INTERVAL 1 day", "{}"),
                Arguments.of("select a from t where id = :vtg1 and b = 3", "SELECT a FROM t WHERE id = :vtg1 AND b = :vtg2", "{vtg2=Int[value=3]}"),
                Arguments.of("select a from t join u on t.id = u.id and u.k = 4", "SELECT a FROM t JOIN u ON t.id = u.id AND u.k = :vtg1",
                        "{vtg1=Int[value=4]}"),
                Arguments.of("select a from t where id in (select id from u where k = 5)",
                        "SELECT a FROM t WHERE id IN (SELECT id FROM u WHERE k = :vtg1)", "{vtg1=Int[value=5]}"),
                Arguments.of("insert into t(a, b) values (1, 'x'), (2, null)", "INSERT INTO t (a, b) VALUES (:vtg1, :vtg2), (:vtg3, NULL)",
                        "{vtg1=Int[value=1], vtg2=Text[VARCHAR 'x'], vtg3=Int[value=2]}"),
                Arguments.of("update t set a = 1 where id = 2 limit 3", "UPDATE t SET a = :vtg1 WHERE id = :vtg2 LIMIT :vtg3",
                        "{vtg1=Int[value=1], vtg2=Int[value=2], vtg3=Int[value=3]}"),
                Arguments.of("delete from t where id = 9", "DELETE FROM t WHERE id = :vtg1", "{vtg1=Int[value=9]}"),
                Arguments.of("insert into t(a) values (1) on duplicate key update a = a + 2",
                        "INSERT INTO t (a) VALUES (:vtg1) ON DUPLICATE KEY UPDATE a = a + :vtg2", "{vtg1=Int[value=1], vtg2=Int[value=2]}"),
                Arguments.of("select a from t where j->'$.x' = 1", "SELECT a FROM t WHERE j -> '$.x' = 1", "{}"),
                Arguments.of("create table t (id int default 5)", "CREATE TABLE t (id int DEFAULT 5)", "{}"));
    }

    /** Prepared statements: each ? becomes :vN, N its place in the text, wherever it is. */
    static Stream<Arguments> parameterCases() {
        return Stream.of(
                Arguments.of("select a from t where id = ?", "SELECT a FROM t WHERE id = :v1", 1, "{}"),
                Arguments.of("select ?, a from t where id = ? and b in (?, 3, ?) order by ? limit ?, ?",
                        "SELECT :v1, a FROM t WHERE id = :v2 AND b IN (:v3, :vtg1, :v4) ORDER BY :v5 LIMIT :v6, :v7", 7,
                        "{vtg1=Int[value=3]}"),
                Arguments.of("select a from t where id in (?, ?)", "SELECT a FROM t WHERE id IN (:v1, :v2)", 2, "{}"),
                Arguments.of("insert into t (a, b) values (?, 'x'), (?, ?)", "INSERT INTO t (a, b) VALUES (:v1, :vtg1), (:v2, :v3)", 3,
                        "{vtg1=Text[VARCHAR 'x']}"),
                Arguments.of("update t set a = ? where id = ? limit 2", "UPDATE t SET a = :v1 WHERE id = :v2 LIMIT :vtg1", 2,
                        "{vtg1=Int[value=2]}"),
                Arguments.of("select a from t limit ? offset ?", "SELECT a FROM t LIMIT :v1 OFFSET :v2", 2, "{}"),
                Arguments.of("select c from t where id = ? union select c from u where id = ?",
                        "SELECT c FROM t WHERE id = :v1 UNION SELECT c FROM u WHERE id = :v2", 2, "{}"),
                Arguments.of("set @@session.sql_mode = ?", "SET @@session.sql_mode = :v1", 1, "{}"),
                Arguments.of("select '?' from t where a = 'is ?'", "SELECT '?' FROM t WHERE a = :vtg1", 0, "{vtg1=Text[VARCHAR 'is ?']}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parameterCases")
    void parameters(String query, String normalized, int paramCount, String bindVars) {
        ParsedStatement.Ast ast = (ParsedStatement.Ast) SqlParser.parse(query);
        NormalizedStatement n = Normalizer.normalize(ast.statement());
        assertEquals(normalized, n.sql());
        assertEquals(paramCount, n.paramCount());
        assertEquals(bindVars, n.bindVars().toString());
        long named = n.names().values().stream().filter(name -> name.matches("v[0-9]+")).count();
        assertEquals(paramCount, named, "every ? is a node the planner can look up");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void normalize(String query, String normalized, String bindVars) {
        ParsedStatement.Ast ast = (ParsedStatement.Ast) SqlParser.parse(query);
        NormalizedStatement n = Normalizer.normalize(ast.statement());
        assertEquals(normalized, n.sql());
        assertEquals(bindVars, n.bindVars().toString());
    }
}
