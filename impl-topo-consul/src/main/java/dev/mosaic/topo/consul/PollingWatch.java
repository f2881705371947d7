package dev.mosaic.topo.consul;

import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import java.time.Duration;

/**
 * A loop of Consul blocking queries on a dedicated thread with its own HTTP connection, so that
 * {@link #cancel()} aborts the query in flight at once instead of waiting out its {@code wait}.
 *
 * <p>Consul's blocking-query rules are followed: the next query carries the {@code X-Consul-Index}
 * of the previous reply; an index that goes backwards (a restored or restarted server) resets the
 * loop to a plain read; spurious wake-ups are expected and filtered by the subclass. When Consul
 * cannot be reached the loop retries with exponential backoff (50ms doubling to 2s) and, if the
 * agent stays unreachable for {@code watch_retry_timeout}, ends with {@link #onFailed}: a watch
 * either converges after an outage or ends with an error, never hangs silently.
 *
 * <p>All callbacks run on the watch thread, one at a time, in order.
 */
abstract class PollingWatch implements Runnable {
    private static final long MAX_BACKOFF_MS = 2_000;

    protected final ConsulSettings settings;
    protected final String path;
    protected final ConsulKv kv;
    private final Thread thread;
    private final Runnable onEnd;
    private final Object sleeper = new Object();
    private volatile boolean cancelled;
    /** The index to block on; 0 means "read now". */
    protected long index;

    PollingWatch(ConsulSettings settings, String path, String threadName, Runnable onEnd) {
        this.settings = settings;
        this.path = path;
        this.onEnd = onEnd;
        Duration wait = settings.watchWait();
        Duration readTimeout = wait.plus(wait.dividedBy(16)).plus(settings.requestTimeout());
        this.kv = new ConsulKv(new ConsulHttp(settings, readTimeout, 1));
        this.thread = new Thread(this, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts polling from {@code fromIndex} (the index of the initial read). */
    final void start(long fromIndex) {
        this.index = fromIndex;
        thread.start();
    }

    /**
     * Runs one (blocking) query and delivers what changed.
     *
     * @return false if a final event was delivered and the loop must end
     */
    protected abstract boolean poll();

    /** Delivers the cancellation. */
    protected abstract void onCancelled();

    /** Delivers the failure that ends the watch. */
    protected abstract void onFailed(TopoException error);

    /** Applies Consul's index rules to the index of a reply. */
    protected final void advance(long replyIndex) {
        if (replyIndex < index) {
            index = 0; // the server's index went backwards: re-read from scratch
        } else {
            index = Math.max(1, replyIndex);
        }
    }

    @Override
    public final void run() {
        long failingSince = -1;
        long backoffMs = 50;
        try {
            while (true) {
                if (cancelled) {
                    onCancelled();
                    return;
                }
                long before = System.nanoTime();
                long indexBefore = index;
                try {
                    if (!poll()) {
                        return;
                    }
                    failingSince = -1;
                    backoffMs = 50;
                    if (index == indexBefore && System.nanoTime() - before < 20_000_000L) {
                        pause(20); // the server answered at once without progress: do not spin
                    }
                } catch (TopoException e) {
                    if (cancelled) {
                        continue;
                    }
                    if (e.error() != TopoError.UNAVAILABLE && e.error() != TopoError.TIMEOUT) {
                        onFailed(e);
                        return;
                    }
                    long now = System.nanoTime();
                    if (failingSince < 0) {
                        failingSince = now;
                    }
                    if (now - failingSince > settings.watchRetryTimeout().toNanos()) {
                        onFailed(new TopoException(TopoError.UNAVAILABLE, path, "consul unreachable for longer than "
                                + settings.watchRetryTimeout() + "; watch ended: " + e.getMessage(), e));
                        return;
                    }
                    pause(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
                    index = 0; // after an outage, re-read before blocking again
                } catch (RuntimeException e) {
                    if (cancelled) {
                        continue;
                    }
                    onFailed(new TopoException(TopoError.UNAVAILABLE, path, "watch failed: " + e, e));
                    return;
                }
            }
        } finally {
            kv.http().close();
            onEnd.run();
        }
    }

    private void pause(long ms) {
        synchronized (sleeper) {
            if (!cancelled) {
                try {
                    sleeper.wait(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancelled = true;
                }
            }
        }
    }

    /** Stops the loop; the in-flight query is aborted and {@link #onCancelled()} follows. Idempotent. */
    final void stop() {
        cancelled = true;
        kv.http().close();
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
    }

    final boolean isCancelled() {
        return cancelled;
    }

    /** Waits up to {@code millis} for the watch thread to end (never waits on itself). */
    final void join(long millis) {
        if (Thread.currentThread() != thread && millis > 0) {
            try {
                thread.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
