package dev.mosaic.server.gate.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statements that carry a session's settings to shard connections: variable and value in, SQL out. */
class SessionVariablesTest {
    @Test
    void statements() {
        record Case(String name, Value value, boolean nextTx, String sql) {
        }
        for (Case c : List.of(
                new Case("sql_mode", Value.of("ANSI_QUOTES,STRICT_TRANS_TABLES"), false,
                        "SET @@session.sql_mode = 'ANSI_QUOTES,STRICT_TRANS_TABLES'"),
                new Case("time_zone", Value.of("+05:00"), false, "SET @@session.time_zone = '+05:00'"),
                new Case("time_zone", Value.of("it's"), false, "SET @@session.time_zone = 'it''s'"),
                new Case("sql_select_limit", Value.of(10L), false, "SET @@session.sql_select_limit = 10"),
                new Case("sql_select_limit", Value.of("default"), false, "SET @@session.sql_select_limit = DEFAULT"),
                new Case("foreign_key_checks", Value.of("OFF"), false, "SET @@session.foreign_key_checks = 'OFF'"),
                new Case("transaction_isolation", Value.of("read-committed"), false,
                        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"),
                new Case("tx_isolation", Value.of("SERIALIZABLE"), true, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"),
                new Case("transaction_read_only", Value.of("ON"), false, "SET SESSION TRANSACTION READ ONLY"),
                new Case("tx_read_only", Value.of(0L), true, "SET TRANSACTION READ WRITE"))) {
            assertEquals(c.sql(), SessionVariables.statement(c.name(), c.value(), c.nextTx()), c.toString());
        }
    }

    @Test
    void kinds() {
        assertEquals(SessionVariables.Kind.AUTOCOMMIT, SessionVariables.kind("autocommit"));
        assertEquals(SessionVariables.Kind.CHARSET, SessionVariables.kind("names"));
        assertEquals(SessionVariables.Kind.IGNORED, SessionVariables.kind("wait_timeout"));
        assertEquals(SessionVariables.Kind.SHARD, SessionVariables.kind("sql_mode"));
        assertEquals(1193, assertThrows(MosaicException.class, () -> SessionVariables.kind("nonsense")).mysqlErrno());
        assertEquals(1231, assertThrows(MosaicException.class,
                () -> SessionVariables.statement("transaction_isolation", Value.of("sometimes"), false)).mysqlErrno());
        SessionVariables.checkCharset("collation_connection", Value.of("utf8mb4_unicode_ci"));
        assertEquals(1115, assertThrows(MosaicException.class,
                () -> SessionVariables.checkCharset("collation_connection", Value.of("koi8r_general_ci"))).mysqlErrno());
    }
}
