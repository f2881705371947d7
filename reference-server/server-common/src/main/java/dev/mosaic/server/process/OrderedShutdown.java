package dev.mosaic.server.process;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The parts a process has started, stopped in reverse order: when a later step of the startup
 * fails ({@link #abortStartup}) or at shutdown ({@link #close}). Every stop runs even if an earlier
 * one fails; each failure is logged, and the first is thrown (the others suppressed in it).
 *
 * <p>{@link #add} and {@link #abortStartup} are for the starting thread; {@link #close} and
 * {@link #awaitClosed} may be called from any thread.
 */
public final class OrderedShutdown {
    private final Deque<Step> started = new ArrayDeque<>();
    private final PrintStream log;
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean closing;

    /** One started part and how to stop it. */
    private record Step(String name, AutoCloseable stop) {
    }

    /** @param log where stop failures and the shutdown time are logged */
    public OrderedShutdown(PrintStream log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Records a started part; it is stopped before every part added earlier. */
    public void add(String name, AutoCloseable stop) {
        started.push(new Step(name, stop));
    }

    /**
     * The startup failed with {@code failure}: stops what was started, adding a stop failure to
     * {@code failure} as suppressed; the caller then throws {@code failure}. An interrupted startup (a
     * signal) must still stop what it started: waits in the stop steps would fail at once with the
     * interrupt flag set, so the flag is cleared while stopping and restored after.
     */
    public void abortStartup(Throwable failure) {
        boolean interrupted = Thread.interrupted();
        try {
            RuntimeException stopFailure = stopAll();
            if (stopFailure != null) {
                failure.addSuppressed(stopFailure);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops everything in reverse order, once: later calls return at once. {@code beforeStopping}
     * runs first (to report the process as stopping); then {@code "<what> stopped in N ms"} is logged.
     *
     * @throws RuntimeException the first stop failure, after every part was stopped
     */
    public void close(String what, Runnable beforeStopping) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            beforeStopping.run();
            Instant t0 = Instant.now();
            RuntimeException failure = stopAll();
            log.println(what + " stopped in " + Duration.between(t0, Instant.now()).toMillis() + " ms");
            if (failure != null) {
                throw failure;
            }
        } finally {
            closed.countDown();
        }
    }

    /** Waits until {@link #close} has finished; true if it did within {@code timeout}. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private RuntimeException stopAll() {
        RuntimeException first = null;
        while (!started.isEmpty()) {
            Step s = started.pop();
            try {
                s.stop().close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.println("stopping " + s.name() + " failed: " + e);
                RuntimeException r = e instanceof RuntimeException re ? re
                        : new MosaicException(ErrorCode.INTERNAL, "stopping " + s.name() + " failed: " + e, e);
                if (first == null) {
                    first = r;
                } else {
                    first.addSuppressed(r);
                }
            }
        }
        return first;
    }
}
