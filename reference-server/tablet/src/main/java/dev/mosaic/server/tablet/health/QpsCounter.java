package dev.mosaic.server.tablet.health;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts queries (cheap {@link #increment} from any thread) and turns the count into a rate over a
 * sliding window ({@link #sample}, called by the health checker).
 */
public final class QpsCounter {
    private static final long WINDOW_NANOS = 60_000_000_000L;

    private final LongAdder total = new LongAdder();
    private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {nanoTime, total}

    /** One more query. */
    public void increment() {
        total.increment();
    }

    /** Queries counted so far. */
    public long total() {
        return total.sum();
    }

    /** Records a sample at {@code nowNanos} and returns the rate since the oldest sample in the window. */
    public synchronized double sample(long nowNanos) {
        long count = total.sum();
        samples.addLast(new long[] {nowNanos, count});
        while (samples.size() > 1 && nowNanos - samples.peekFirst()[0] > WINDOW_NANOS) {
            samples.removeFirst();
        }
        long[] oldest = samples.peekFirst();
        long elapsed = nowNanos - oldest[0];
        return elapsed <= 0 ? 0.0 : (count - oldest[1]) * 1e9 / elapsed;
    }
}
