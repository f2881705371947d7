package dev.mosaic.server.tablet.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceBlockTest {

    /** One refill case: block state before, table row, request; refill expected. */
    record Case(String name, long next, long limit, long nextId, long cache, long n, long wantNext, long wantLimit) {
    }

    @Test
    void refills() {
        List<Case> cases = List.of(
                new Case("first load from next_id 1", 0, 0, 1, 10, 1, 1, 11),
                new Case("first load from next_id 0 (as Vitess: 0 is handed out)", 0, 0, 0, 10, 1, 0, 10),
                new Case("request larger than the cache: whole cache steps", 0, 0, 1, 10, 25, 1, 31),
                new Case("request exactly the cache", 0, 0, 1, 10, 10, 1, 11),
                new Case("exhausted block continues where the table says", 11, 11, 11, 10, 1, 11, 21),
                new Case("remainder of the block is kept when the table agrees", 8, 11, 11, 10, 5, 8, 21),
                new Case("remainder kept, request spans several steps", 8, 11, 11, 10, 25, 8, 41),
                new Case("someone moved next_id forward: start there", 8, 11, 100, 10, 5, 100, 110),
                new Case("next_id moved backwards: never reuse, start at the block end", 8, 11, 5, 10, 5, 11, 21));
        for (Case c : cases) {
            SequenceBlock b = new SequenceBlock();
            b.apply(new SequenceBlock.Refill(c.next(), c.limit()));
            SequenceBlock.Refill r = b.refill("seq", c.nextId(), c.cache(), c.n());
            assertEquals(new SequenceBlock.Refill(c.wantNext(), c.wantLimit()), r, c.name());
            assertTrue(r.limit() >= r.next() + c.n(), c.name() + ": the refill covers the request");
        }
    }

    @Test
    void takesConsecutiveValuesUntilTheBlockEnds() {
        SequenceBlock b = new SequenceBlock();
        assertTrue(b.needsRefill(1), "a new block is empty");
        b.apply(b.refill("seq", 1, 5, 1));
        assertEquals(1, b.take(1));
        assertEquals(2, b.take(3));
        assertFalse(b.needsRefill(1));
        assertTrue(b.needsRefill(2), "only 5 is left");
        assertEquals(5, b.take(1));
        assertTrue(b.needsRefill(1));
    }

    @Test
    void failedRefillLeavesTheBlock() {
        SequenceBlock b = new SequenceBlock();
        b.apply(new SequenceBlock.Refill(3, 6));
        MosaicException e = assertThrows(MosaicException.class, () -> b.refill("seq", 6, 0, 1));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("invalid cache value for sequence seq: 0", e.getMessage());
        assertEquals(3, b.next());
        assertEquals(6, b.limit());
    }

    @Test
    void overflowIsAnError() {
        SequenceBlock b = new SequenceBlock();
        MosaicException e = assertThrows(MosaicException.class, () -> b.refill("seq", Long.MAX_VALUE - 2, 10, 1));
        assertEquals(ErrorCode.OUT_OF_RANGE, e.code());
    }
}
