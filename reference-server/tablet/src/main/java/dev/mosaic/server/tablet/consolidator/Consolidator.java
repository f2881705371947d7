package dev.mosaic.server.tablet.consolidator;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lets identical read-only statements that are in flight at the same time share one execution.
 *
 * <p>The first caller for a {@link ConsolidationKey} runs the execution on its own thread; callers
 * with an equal key that arrive while it runs wait and then receive the very same result object,
 * or the very same exception. Results are therefore shared by reference and must be treated as
 * immutable by every caller. An execution's entry is removed the moment it completes, before the
 * waiters are woken, so a caller arriving after completion starts a fresh execution and sees fresh
 * data; nothing is cached, and the consolidator holds memory only for executions in flight.
 *
 * <p>An execution stops taking joiners (and a later identical caller starts a new execution that
 * others may share) when it already has {@link ConsolidatorConfig#waiterCap()} waiters, or when the
 * sizes it reports through {@link ResultSize} exceed {@link ConsolidatorConfig#maxResultBytes()} or
 * push the in-flight total over {@link ConsolidatorConfig#maxTotalResultBytes()}.
 *
 * <p>Failures: an unchecked exception or error thrown by the execution reaches every caller as the
 * same instance; a checked exception is wrapped once in a {@link MosaicException} of code {@link
 * ErrorCode#UNKNOWN} ({@link ErrorCode#CANCELED} for {@link InterruptedException}). As in Vitess, a
 * waiter depends on the first caller's execution: if that execution is cancelled, the waiters
 * receive the cancellation too. A waiter that is interrupted stops waiting with {@link
 * ErrorCode#CANCELED}; one whose wait exceeds its timeout gets {@link ErrorCode#DEADLINE_EXCEEDED};
 * in both cases the shared execution goes on for the others.
 *
 * <p>Only read-only statements outside a transaction may be consolidated; that decision is the
 * caller's. Thread-safe.
 *
 * @param <R> the result type, shared between callers
 */
public final class Consolidator<R> {

    /**
     * The work a consolidated call performs, run at most once per group of identical callers.
     *
     * @param <R> the result type
     */
    @FunctionalInterface
    public interface Execution<R> {
        /**
         * Runs the statement and returns its result.
         *
         * @param size where to report the size of the result as it is built (optional)
         */
        R execute(ResultSize size) throws Exception;
    }

    private final ConsolidatorConfig config;
    private final ConcurrentHashMap<ConsolidationKey, Flight> flights = new ConcurrentHashMap<>();
    private final LongAdder executions = new LongAdder();
    private final LongAdder consolidated = new LongAdder();
    private final LongAdder admissionsClosed = new LongAdder();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong inFlightBytes = new AtomicLong();

    /** A consolidator with the given limits. */
    public Consolidator(ConsolidatorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A consolidator with {@link ConsolidatorConfig#DEFAULT}. */
    public Consolidator() {
        this(ConsolidatorConfig.DEFAULT);
    }

    /** {@link #run(ConsolidationKey, Duration, Execution)} with no wait timeout, for a callback that reports no size. */
    public R run(ConsolidationKey key, Callable<R> execution) {
        Objects.requireNonNull(execution, "execution");
        return run(key, null, size -> execution.call());
    }

    /** {@link #run(ConsolidationKey, Duration, Execution)} with no wait timeout. */
    public R run(ConsolidationKey key, Execution<R> execution) {
        return run(key, null, execution);
    }

    /**
     * Runs {@code execution}, or waits for an identical one already running, and returns its result.
     *
     * @param key what identifies interchangeable executions
     * @param maxWait how long a joining caller waits for the shared execution; {@code null} for no
     *     limit. It does not bound the caller's own execution (the engine's query timeout does that).
     * @param execution the work, run on the calling thread if this caller is the first
     * @throws MosaicException with code {@link ErrorCode#CANCELED} if interrupted while waiting, or
     *     {@link ErrorCode#DEADLINE_EXCEEDED} if {@code maxWait} passed; otherwise whatever the
     *     shared execution threw, as described on the class
     */
    public R run(ConsolidationKey key, Duration maxWait, Execution<R> execution) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(execution, "execution");
        boolean[] created = new boolean[1];
        Flight flight = flights.compute(key, (k, existing) -> {
            if (existing != null && existing.tryJoin()) {
                return existing;
            }
            created[0] = true;
            return new Flight();
        });
        if (!created[0]) {
            consolidated.increment();
            return flight.await(maxWait);
        }
        return lead(key, flight, execution);
    }

    private R lead(ConsolidationKey key, Flight flight, Execution<R> execution) {
        executions.increment();
        running.incrementAndGet();
        R result = null;
        Throwable failure = null;
        try {
            result = execution.execute(flight);
        } catch (RuntimeException | Error e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new MosaicException(ErrorCode.CANCELED, "consolidated execution interrupted", e);
        } catch (Exception e) {
            failure = new MosaicException(ErrorCode.UNKNOWN, "consolidated execution failed: " + e, e);
        } finally {
            flight.finish();
            flights.remove(key, flight);
            inFlightBytes.addAndGet(-flight.bytes());
            running.decrementAndGet();
        }
        flight.complete(result, failure);
        return flight.outcome();
    }

    /** Executions currently running (each with zero or more waiters). */
    public int inFlight() {
        return running.get();
    }

    /** The counters so far. */
    public ConsolidatorStats stats() {
        return new ConsolidatorStats(executions.sum(), consolidated.sum(), admissionsClosed.sum(),
                running.get(), inFlightBytes.get());
    }

    /** The limits this consolidator applies. */
    public ConsolidatorConfig config() {
        return config;
    }

    /** One execution in flight and the callers waiting for it. */
    private final class Flight implements ResultSize {
        private final CountDownLatch done = new CountDownLatch(1);
        private boolean open = true; // guarded by this
        private int waiters; // guarded by this
        private long bytes; // guarded by this
        private R result; // published by done
        private Throwable failure; // published by done

        synchronized boolean tryJoin() {
            if (!open) {
                return false;
            }
            if (config.waiterCap() > 0 && waiters >= config.waiterCap()) {
                closeAdmission();
                return false;
            }
            waiters++;
            return true;
        }

        private synchronized void leave() {
            waiters--;
        }

        @Override
        public void add(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("bytes must be >= 0, got " + n);
            }
            long total = inFlightBytes.addAndGet(n);
            synchronized (this) {
                bytes += n;
                if (open && ((config.maxResultBytes() > 0 && bytes > config.maxResultBytes())
                        || (config.maxTotalResultBytes() > 0 && total > config.maxTotalResultBytes()))) {
                    closeAdmission();
                }
            }
        }

        @Override
        public synchronized boolean sharable() {
            return open;
        }

        private void closeAdmission() { // with this held
            open = false;
            admissionsClosed.increment();
        }

        synchronized void finish() {
            open = false;
        }

        synchronized long bytes() {
            return bytes;
        }

        void complete(R r, Throwable t) {
            result = r;
            failure = t;
            done.countDown();
        }

        R await(Duration maxWait) {
            try {
                if (maxWait == null) {
                    done.await();
                } else if (!done.await(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                    leave();
                    throw new MosaicException(ErrorCode.DEADLINE_EXCEEDED,
                            "consolidated query did not complete within " + maxWait.toMillis() + "ms");
                }
            } catch (InterruptedException e) {
                leave();
                Thread.currentThread().interrupt();
                throw new MosaicException(ErrorCode.CANCELED, "interrupted while waiting for a consolidated query", e);
            }
            return outcome();
        }

        R outcome() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return result;
        }
    }
}
