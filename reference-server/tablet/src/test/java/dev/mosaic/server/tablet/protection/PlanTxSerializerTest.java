package dev.mosaic.server.tablet.protection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.tablet.hotrow.HotRowConfig;
import dev.mosaic.server.tablet.hotrow.HotRowProtection;
import dev.mosaic.server.tablet.hotrow.RowKey;
import dev.mosaic.server.tablet.plan.PlanCache;
import dev.mosaic.server.tablet.plan.StatementAnalyzer;
import dev.mosaic.server.tablet.tx.TxSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The hot-row adapter's keys and bookkeeping, without MySQL (HotRowIT runs it through the engine). */
class PlanTxSerializerTest {
    private final HotRowProtection hot = new HotRowProtection(new HotRowConfig(false, 5, 100, 1));
    private final PlanTxSerializer serializer = new PlanTxSerializer(hot,
            new PlanCache(new StatementAnalyzer(), 100, new SimpleMeterRegistry()), Duration.ofMillis(200));

    private static BindVariables id(int id) {
        return BindVariables.EMPTY.with("id", Value.of(id));
    }

    @Test
    void statementsWithoutARowKeyPassThrough() {
        for (String sql : new String[] {"INSERT INTO t VALUES (1)", "UPDATE t SET v = 1", "UPDATE a JOIN b ON a.id = b.id SET a.v = 1 WHERE b.id = 1",
                "UPDATE t SET v = 1 WHERE ))) garbage"}) {
            assertSame(TxSerializer.Hold.NONE, serializer.enter(1, sql, BindVariables.EMPTY), sql);
        }
        assertEquals(0, hot.stats().queued());
    }

    @Test
    void theRowIsTheTableAndTheBoundWhereClause() {
        TxSerializer.Hold a = serializer.enter(1, "UPDATE t SET v = v + 1 WHERE id = :id", id(7));
        assertEquals(1, hot.pending(new RowKey("t", "id = 7")));
        TxSerializer.Hold b = serializer.enter(2, "DELETE FROM t WHERE id = :id", id(8));
        assertEquals(1, hot.pending(new RowKey("t", "id = 8")), "a different value is a different row");
        MosaicException e = assertThrows(MosaicException.class,
                () -> serializer.enter(3, "UPDATE t SET v = 0 WHERE id = :id", id(7)));
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code(), "the same row waits, bounded by the timeout");
        a.release();
        b.release();
        assertEquals(0, hot.stats().queued());
        assertEquals(0, serializer.holdingTransactions());
    }

    @Test
    void aTransactionTakesOnePlaceOnly() {
        TxSerializer.Hold first = serializer.enter(1, "UPDATE t SET v = 1 WHERE id = :id", id(1));
        assertSame(TxSerializer.Hold.NONE, serializer.enter(1, "UPDATE t SET v = 2 WHERE id = :id", id(1)));
        assertSame(TxSerializer.Hold.NONE, serializer.enter(1, "UPDATE t SET v = 2 WHERE id = :id", id(2)));
        assertEquals(1, hot.stats().queued());
        first.release();
        assertEquals(0, serializer.holdingTransactions());
        TxSerializer.Hold again = serializer.enter(1, "UPDATE t SET v = 1 WHERE id = :id", id(2));
        assertEquals(1, hot.pending(new RowKey("t", "id = 2")));
        again.release();
    }
}
