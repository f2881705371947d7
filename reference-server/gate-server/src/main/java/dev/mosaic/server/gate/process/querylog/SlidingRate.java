package dev.mosaic.server.gate.process.querylog;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Events per second over the last {@code seconds} whole seconds: one counter per second in a
 * ring, each slot tagged with the second it counts so stale slots are skipped. Lock-free; a slot
 * being reused by two threads at the same instant may lose an event, which a rate can afford.
 */
final class SlidingRate {
    private final int seconds;
    private final AtomicLongArray counts;
    private final AtomicLongArray epochs;
    private final LongSupplier clockSeconds;

    SlidingRate(int seconds) {
        this(seconds, () -> System.currentTimeMillis() / 1000);
    }

    SlidingRate(int seconds, LongSupplier clockSeconds) {
        this.seconds = seconds;
        this.counts = new AtomicLongArray(seconds + 1);
        this.epochs = new AtomicLongArray(seconds + 1);
        this.clockSeconds = clockSeconds;
    }

    void increment() {
        long now = clockSeconds.getAsLong();
        int i = (int) (now % counts.length());
        long seen = epochs.get(i);
        if (seen != now && epochs.compareAndSet(i, seen, now)) {
            counts.set(i, 0);
        }
        counts.incrementAndGet(i);
    }

    /** The mean rate over the last {@code seconds} complete seconds. */
    double perSecond() {
        long now = clockSeconds.getAsLong();
        long sum = 0;
        for (int i = 0; i < counts.length(); i++) {
            long e = epochs.get(i);
            if (e < now && e >= now - seconds) {
                sum += counts.get(i);
            }
        }
        return sum / (double) seconds;
    }
}
