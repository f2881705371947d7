package dev.mosaic.server.tablet.sequence;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;

/**
 * The block of ids a tablet holds for one sequence table: {@code next} is the value the next
 * reservation returns, {@code limit} the first value not reserved in the table (the table's
 * {@code next_id} after the tablet's last refill). Vitess's tablet keeps the same pair
 * ({@code NextVal}, {@code LastVal}).
 *
 * <p>Pure arithmetic, not thread-safe: the {@link SequenceEngine} holds the table's lock around
 * every use. A refill is computed first ({@link #refill}) and applied only after the update of the
 * sequence row committed ({@link #apply}), so a failed refill leaves the block as it was.
 */
final class SequenceBlock {
    private long next;
    private long limit;

    /** The new state after a refill, and the {@code next_id} to store in the table. */
    record Refill(long next, long limit) {
    }

    /** True if {@code n} values cannot be served from the block (or it was never loaded). */
    boolean needsRefill(long n) {
        return next == 0 || next + n > limit;
    }

    /**
     * The refill for {@code n} values when the table row says {@code nextId}, {@code cache}. If the
     * table's {@code next_id} is where this block ends, the remaining values of the block are kept
     * and the new reservation continues them; otherwise (first load, or someone moved
     * {@code next_id}) the block starts at {@code nextId}, or at the block's end if {@code nextId}
     * went backwards, so no value is served twice. The reservation grows by whole {@code cache}
     * steps until it covers the request.
     *
     * @throws MosaicException INVALID_ARGUMENT for a cache below 1; OUT_OF_RANGE when the ids would
     *     pass the largest BIGINT
     */
    Refill refill(String table, long nextId, long cache, long n) {
        long start = next;
        if (limit != nextId) {
            start = Math.max(nextId, limit);
        }
        long base = Math.max(nextId, limit);
        if (cache < 1) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "invalid cache value for sequence " + table + ": " + cache);
        }
        try {
            long wanted = Math.addExact(start, n);
            long newLimit = Math.addExact(base, cache);
            if (newLimit < wanted) {
                long steps = (wanted - newLimit + cache - 1) / cache;
                newLimit = Math.addExact(newLimit, Math.multiplyExact(steps, cache));
            }
            return new Refill(start, newLimit);
        } catch (ArithmeticException e) {
            throw new MosaicException(ErrorCode.OUT_OF_RANGE, "sequence " + table + " would pass the largest BIGINT");
        }
    }

    /** Makes a committed refill the block. */
    void apply(Refill r) {
        next = r.next();
        limit = r.limit();
    }

    /** Takes {@code n} values (the caller checked {@link #needsRefill}); returns the first. */
    long take(long n) {
        long first = next;
        next += n;
        return first;
    }

    long next() {
        return next;
    }

    long limit() {
        return limit;
    }
}
