package dev.mosaic.server.sql.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The gate's own statements in, their records out; the rest goes to JSqlParser. */
class SqlParserTest {
    static Stream<Arguments> cases() {
        ParsedStatement.TxOp b = ParsedStatement.TxOp.BEGIN;
        return Stream.of(
                Arguments.of("begin", new ParsedStatement.Transaction(b, "")),
                Arguments.of("BEGIN WORK;", new ParsedStatement.Transaction(b, "")),
                Arguments.of("start transaction read only", new ParsedStatement.Transaction(b, "")),
                Arguments.of("commit work", new ParsedStatement.Transaction(ParsedStatement.TxOp.COMMIT, "")),
                Arguments.of("rollback", new ParsedStatement.Transaction(ParsedStatement.TxOp.ROLLBACK, "")),
                Arguments.of("rollback work to savepoint `s 1`", new ParsedStatement.Transaction(ParsedStatement.TxOp.ROLLBACK_TO_SAVEPOINT, "s 1")),
                Arguments.of("rollback to s2", new ParsedStatement.Transaction(ParsedStatement.TxOp.ROLLBACK_TO_SAVEPOINT, "s2")),
                Arguments.of("savepoint s3", new ParsedStatement.Transaction(ParsedStatement.TxOp.SAVEPOINT, "s3")),
                Arguments.of("release savepoint s3", new ParsedStatement.Transaction(ParsedStatement.TxOp.RELEASE_SAVEPOINT, "s3")),
                Arguments.of("use `my-ks`", new ParsedStatement.Use("my-ks")),
                Arguments.of("show databases", show(ParsedStatement.ShowKind.DATABASES, false, false, null, null, null)),
                Arguments.of("show full tables from ks like 'a%'", show(ParsedStatement.ShowKind.TABLES, true, false, "ks", null, "a%")),
                Arguments.of("show columns from ks.t", show(ParsedStatement.ShowKind.COLUMNS, false, false, "ks", "t", null)),
                Arguments.of("show fields from t in ks", show(ParsedStatement.ShowKind.COLUMNS, false, false, "ks", "t", null)),
                Arguments.of("show create table `t`", show(ParsedStatement.ShowKind.CREATE_TABLE, false, false, null, "t", null)),
                Arguments.of("show global variables like 'x'", show(ParsedStatement.ShowKind.VARIABLES, false, true, null, null, "x")),
                Arguments.of("SHOW VITESS_SHARDS", show(ParsedStatement.ShowKind.VITESS_SHARDS, false, false, null, null, null)),
                Arguments.of("select next 3 values from ks.seq", new ParsedStatement.NextValues(Optional.of("ks"), "seq", 3)),
                Arguments.of("select next value from seq", new ParsedStatement.NextValues(Optional.empty(), "seq", 1)));
    }

    private static ParsedStatement.Show show(ParsedStatement.ShowKind k, boolean full, boolean global, String ks, String t, String like) {
        return new ParsedStatement.Show(k, full, global, Optional.ofNullable(ks), Optional.ofNullable(t), Optional.ofNullable(like));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void special(String sql, ParsedStatement expected) {
        assertEquals(expected, SqlParser.parse(sql));
    }

    @ParameterizedTest
    @ValueSource(strings = {"select * from t", "select next_id from seq", "insert into t values (1)", "set autocommit = 1"})
    void othersGoToJSqlParser(String sql) {
        assertTrue(SqlParser.parse(sql) instanceof ParsedStatement.Ast);
    }

    @ParameterizedTest
    @ValueSource(strings = {"selec 1", "select from where", "commit now", "select next -1 values from s"})
    void syntaxErrors(String sql) {
        MosaicException e = assertThrows(MosaicException.class, () -> SqlParser.parse(sql));
        assertEquals(SqlError.PARSE_ERROR, e.sqlError().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ; "})
    void emptyQuery(String sql) {
        assertEquals(SqlError.EMPTY_QUERY, assertThrows(MosaicException.class, () -> SqlParser.parse(sql)).sqlError().orElseThrow());
    }
}
