package dev.mosaic.server.sql.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import org.junit.jupiter.api.Test;

class VExplainParserTest {

    private static ParsedStatement.VExplain vexplain(String sql) {
        return assertInstanceOf(ParsedStatement.VExplain.class, SqlParser.parse(sql));
    }

    @Test
    void kinds() {
        assertEquals(ParsedStatement.VExplainKind.PLAN, vexplain("vexplain plan select 1 from dual").kind());
        assertEquals(ParsedStatement.VExplainKind.QUERIES, vexplain("VEXPLAIN QUERIES select * from t where id = 1;").kind());
        assertEquals(ParsedStatement.VExplainKind.ALL, vexplain("  VExplain all\n delete from t").kind());
        assertEquals(ParsedStatement.VExplainKind.PLAN, vexplain("vexplain select * from t").kind(), "PLAN is the default");
        assertEquals(ParsedStatement.VExplainKind.QUERIES, vexplain("explain format = vtexplain select * from t").kind());
        assertEquals(ParsedStatement.VExplainKind.QUERIES, vexplain("EXPLAIN FORMAT=VTEXPLAIN select * from t").kind());
    }

    @Test
    void innerStatementIsParsedOnItsOwn() {
        assertInstanceOf(ParsedStatement.Ast.class, vexplain("vexplain plan insert into t(a) values (1)").statement());
        assertInstanceOf(ParsedStatement.NextValues.class, vexplain("vexplain queries select next 3 values from seq").statement());
        assertInstanceOf(ParsedStatement.Show.class, vexplain("vexplain show vitess_shards").statement());
        // a table called "plan" is not the kind
        assertInstanceOf(ParsedStatement.Ast.class, vexplain("vexplain plan select * from plan").statement());
    }

    @Test
    void errors() {
        MosaicException e = assertThrows(MosaicException.class, () -> SqlParser.parse("vexplain plan"));
        assertEquals(SqlError.PARSE_ERROR.code(), e.code());
        assertThrows(MosaicException.class, () -> SqlParser.parse("vexplain plan vexplain queries select 1"));
        assertThrows(MosaicException.class, () -> SqlParser.parse("vexplain plan selec * frm t"));
        assertTrue(!(SqlParser.parse("select vexplain from t") instanceof ParsedStatement.VExplain));
        assertTrue(!(SqlParser.parse("select * from vexplainx") instanceof ParsedStatement.VExplain));
    }
}
