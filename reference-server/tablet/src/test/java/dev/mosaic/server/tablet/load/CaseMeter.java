package dev.mosaic.server.tablet.load;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * The bookkeeping of one case while it runs, shared by its clients: a fixed number of tickets
 * (one per query to send, so the clients together send exactly that many), the queries in
 * flight and their peak, the latencies of successful queries and the failures. Thread-safe.
 */
final class CaseMeter {
    private final String name;
    private final AtomicInteger tickets;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final LongAdder succeeded = new LongAdder();
    private final ConcurrentHistogram latencies = new ConcurrentHistogram(3);
    private final ErrorTally errors = new ErrorTally();
    private final CpuClock cpu;
    private volatile long startNanos;
    private volatile long endNanos;
    private volatile CpuClock.Reading startCpu;
    private volatile CpuClock.Reading endCpu;

    CaseMeter(String name, int queries, CpuClock cpu) {
        this.name = name;
        this.tickets = new AtomicInteger(queries);
        this.cpu = cpu;
    }

    /** Marks the start of the wall clock (and of the CPU clocks). */
    void start() {
        startCpu = cpu.read();
        startNanos = System.nanoTime();
    }

    /** Marks its end. */
    void end() {
        endNanos = System.nanoTime();
        endCpu = cpu.read();
    }

    /** Takes a ticket for one more query; false when all have been handed out. */
    boolean take() {
        return tickets.getAndDecrement() > 0;
    }

    /** A query was sent; returns its start time. */
    long sent() {
        int n = inFlight.incrementAndGet();
        if (n > peakInFlight.get()) {
            peakInFlight.accumulateAndGet(n, Math::max);
        }
        return System.nanoTime();
    }

    /** A query sent at {@code t0} and answered at {@code t1} (both {@link System#nanoTime}) had the right row. */
    void succeeded(long t0, long t1) {
        latencies.recordValue(Math.max(0, t1 - t0));
        succeeded.increment();
        inFlight.decrementAndGet();
    }

    /** A query failed; the caller has counted why in {@link #errors()}. */
    void failed() {
        inFlight.decrementAndGet();
    }

    ErrorTally errors() {
        return errors;
    }

    /** Queries answered so far, right or wrong (for a timeout message). */
    long answered() {
        return succeeded.sum() + errors.total();
    }

    int inFlight() {
        return inFlight.get();
    }

    LoadResult result() {
        return new LoadResult(name, succeeded.sum(), errors, Duration.ofNanos(endNanos - startNanos),
                latencies.copy(), peakInFlight.get(), endCpu.minus(startCpu));
    }

    /** A failure for a case that did not end within {@code timeout}. */
    IllegalStateException timedOut(Duration timeout) {
        return new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + "s: " + answered()
                + " queries answered, " + inFlight() + " in flight, errors: " + errors);
    }
}
