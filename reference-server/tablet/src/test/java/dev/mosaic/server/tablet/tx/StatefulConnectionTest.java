package dev.mosaic.server.tablet.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The state machine of one stateful connection, on a fake clock (no MySQL connection needed). */
class StatefulConnectionTest {
    private static final long S = Duration.ofSeconds(1).toNanos();
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Duration TX = Duration.ofSeconds(30);

    private static StatefulConnection conn(long id) {
        StatefulConnection c = new StatefulConnection(null);
        c.setId(id);
        return c;
    }

    @Test
    void anIdleReservedConnectionExpiresAfterTheIdleTimeoutCountedFromItsLastUse() {
        StatefulConnection c = conn(1);
        c.reserve(0, IDLE);
        assertFalse(c.expired(9 * S));
        assertTrue(c.tryUse());
        assertFalse(c.expired(60 * S), "never while in use outside a transaction");
        assertFalse(c.doneUse(60 * S));
        assertFalse(c.expired(69 * S), "the idle time restarts at the end of each use");
        assertTrue(c.expired(71 * S));
    }

    @Test
    void aTransactionExpiresFromItsBeginEvenWhileInUse() {
        StatefulConnection c = conn(1);
        c.reserve(0, IDLE);
        c.beginTx(5 * S, TX);
        assertEquals(TX, c.timeout());
        assertTrue(c.tryUse());
        c.doneUse(20 * S);
        assertFalse(c.expired(34 * S), "use does not extend a transaction");
        assertTrue(c.tryUse());
        assertTrue(c.expired(36 * S), "in use, and still expired");
    }

    @Test
    void reservingAConnectionInATransactionKeepsTheTransactionTimeout() {
        StatefulConnection c = conn(1);
        c.beginTx(0, TX);
        c.reserve(S, IDLE);
        assertEquals(TX, c.timeout());
        assertFalse(c.expired(29 * S));
        assertTrue(c.expired(31 * S));
    }

    @Test
    void aZeroTimeoutNeverExpires() {
        StatefulConnection c = conn(1);
        c.reserve(0, Duration.ZERO);
        assertFalse(c.expired(Long.MAX_VALUE / 2));
    }

    @Test
    void endingTellsWhoDisposes() {
        StatefulConnection idle = conn(1);
        assertEquals(StatefulConnection.EndState.IDLE, idle.markEnded());
        assertEquals(StatefulConnection.EndState.ALREADY_ENDED, idle.markEnded());
        assertFalse(idle.tryUse(), "an ended connection cannot be used");

        StatefulConnection busy = conn(2);
        assertTrue(busy.tryUse());
        assertEquals(StatefulConnection.EndState.IN_USE, busy.markEnded());
        assertTrue(busy.doneUse(0), "its user disposes of it");
        assertFalse(busy.endByUser(), "already ended by someone else");

        StatefulConnection own = conn(3);
        assertTrue(own.tryUse());
        assertTrue(own.endByUser());
        assertEquals(StatefulConnection.EndState.ALREADY_ENDED, own.markEnded(), "the killer then has nothing to do");
    }

    @Test
    void aSecondConcurrentUserIsRefusedNamingTheId() {
        StatefulConnection c = conn(42);
        assertTrue(c.tryUse());
        MosaicException e = assertThrows(MosaicException.class, c::tryUse);
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains("transaction 42"), e.getMessage());
    }

    @Test
    void renewingAfterATransactionMovesTheIdUnlessItEnded() {
        StatefulConnection c = conn(7);
        c.reserve(0, IDLE);
        c.beginTx(0, TX);
        AtomicBoolean moved = new AtomicBoolean();
        assertTrue(c.renewAfterTx(8, 2 * S, IDLE, () -> moved.set(true)));
        assertTrue(moved.get());
        assertEquals(8, c.id());
        assertFalse(c.inTx());
        assertEquals(IDLE, c.timeout(), "back on the idle timeout");
        assertTrue(c.expired(13 * S));

        StatefulConnection ended = conn(9);
        ended.beginTx(0, TX);
        ended.markEnded();
        AtomicBoolean movedEnded = new AtomicBoolean();
        assertFalse(ended.renewAfterTx(10, S, IDLE, () -> movedEnded.set(true)));
        assertFalse(movedEnded.get());
        assertEquals(9, ended.id());
    }

    @Test
    void theKillerEndsOnlyWhatExpired() {
        StatefulConnection c = conn(1);
        c.reserve(0, IDLE);
        assertEquals(StatefulConnection.EndState.ALREADY_ENDED, c.markEndedIfExpired(5 * S), "not expired: untouched");
        assertFalse(c.ended());
        assertEquals(StatefulConnection.EndState.IDLE, c.markEndedIfExpired(11 * S));
        assertTrue(c.ended());
    }
}
