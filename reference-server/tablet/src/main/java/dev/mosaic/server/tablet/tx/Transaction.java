package dev.mosaic.server.tablet.tx;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.tablet.pool.PooledConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One open transaction: its connection, start time and holds. At most one caller uses it at a
 * time; whoever ends it (owner or killer) and whoever last uses it agree, under this object's
 * monitor, on who cleans up, so cleanup happens exactly once.
 */
final class Transaction {
    final long id;
    final PooledConnection conn;
    final long startNanos;
    final Instant started;
    private final List<TxSerializer.Hold> holds = new ArrayList<>();
    private boolean inUse;
    private boolean ended;

    Transaction(long id, PooledConnection conn) {
        this.id = id;
        this.conn = conn;
        this.startNanos = System.nanoTime();
        this.started = Instant.now();
    }

    /** Marks it in use; false if it already ended. */
    synchronized boolean tryUse() {
        if (ended) {
            return false;
        }
        if (inUse) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION,
                    "transaction " + id + ": in use by another statement");
        }
        inUse = true;
        return true;
    }

    /** The caller is done with it; true if it ended meanwhile, and then the caller must clean up. */
    synchronized boolean doneUse() {
        inUse = false;
        return ended;
    }

    /** Marks it ended; true if it is in use, and then its user cleans up on {@link #doneUse()}. */
    synchronized boolean markEnded() {
        ended = true;
        return inUse;
    }

    synchronized boolean ended() {
        return ended;
    }

    synchronized void addHold(TxSerializer.Hold h) {
        holds.add(h);
    }

    /** Releases every hold (once). */
    synchronized void releaseHolds() {
        for (TxSerializer.Hold h : holds) {
            h.release();
        }
        holds.clear();
    }
}
