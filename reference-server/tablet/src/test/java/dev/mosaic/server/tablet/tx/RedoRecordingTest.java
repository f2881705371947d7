package dev.mosaic.server.tablet.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.tablet.query.StatementKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a transaction records for two-phase commit's redo log: statement in, recorded / ignored /
 * not replayable out (table-driven).
 */
class RedoRecordingTest {
    private enum Outcome { RECORDED, IGNORED, NOT_REPLAYABLE }

    private record Case(String sql, Outcome outcome) {
    }

    private static final List<Case> CASES = List.of(
            new Case("INSERT INTO t VALUES (1)", Outcome.RECORDED),
            new Case("update t set v = 2 where id = 1", Outcome.RECORDED),
            new Case("/* c */ DELETE FROM t WHERE id = 1", Outcome.RECORDED),
            new Case("REPLACE INTO t VALUES (1)", Outcome.RECORDED),
            new Case("savepoint `s1`", Outcome.RECORDED),
            new Case("rollback to `s1`", Outcome.RECORDED),
            new Case("release savepoint `s1`", Outcome.RECORDED),
            new Case("SELECT * FROM t FOR UPDATE", Outcome.IGNORED),
            new Case("show tables", Outcome.IGNORED),
            new Case("SET @x = 1", Outcome.NOT_REPLAYABLE),
            new Case("LOAD DATA INFILE '/tmp/x' INTO TABLE t", Outcome.NOT_REPLAYABLE),
            new Case("CREATE TEMPORARY TABLE tt (id INT)", Outcome.NOT_REPLAYABLE),
            new Case("LOCK TABLES t WRITE", Outcome.NOT_REPLAYABLE),
            new Case("CALL p()", Outcome.NOT_REPLAYABLE),
            new Case("rollback", Outcome.NOT_REPLAYABLE));

    @Test
    void eachStatementIsRecordedIgnoredOrMakesTheTransactionUnreplayable() {
        for (Case c : CASES) {
            StatefulConnection conn = new StatefulConnection(null);
            conn.beginTx(0, Duration.ZERO);
            conn.recordInTx(c.sql(), StatementKind.of(c.sql()));
            switch (c.outcome()) {
                case RECORDED -> {
                    assertEquals(List.of(c.sql()), conn.txStatements(), c.sql());
                    assertNull(conn.notReplayable(), c.sql());
                }
                case IGNORED -> {
                    assertEquals(List.of(), conn.txStatements(), c.sql());
                    assertNull(conn.notReplayable(), c.sql());
                }
                case NOT_REPLAYABLE -> assertTrue(conn.notReplayable() != null
                        && conn.notReplayable().contains(c.sql()), c.sql());
                default -> throw new IllegalStateException();
            }
        }
    }

    @Test
    void outsideATransactionNothingIsRecordedAndANewTransactionStartsClean() {
        StatefulConnection conn = new StatefulConnection(null);
        conn.recordInTx("INSERT INTO t VALUES (1)", StatementKind.WRITE);
        conn.beginTx(0, Duration.ZERO);
        assertEquals(List.of(), conn.txStatements());
        conn.recordInTx("SET @x = 1", StatementKind.OTHER);
        conn.recordInTx("INSERT INTO t VALUES (2)", StatementKind.WRITE);
        conn.beginTx(1, Duration.ZERO);
        assertNull(conn.notReplayable());
        assertEquals(List.of(), conn.txStatements());
    }
}
