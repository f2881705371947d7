package dev.mosaic.topo.etcd;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs one subscriber's callbacks one at a time, in submission order, on a shared executor, so a
 * slow listener delays only itself. Bounded: a subscriber {@link #LIMIT} callbacks behind gets
 * {@code onOverflow} once and nothing more.
 */
final class SerialDelivery {
    static final int LIMIT = 10_000;

    private final Executor executor;
    private final Runnable onOverflow;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;
    private boolean overflowed;

    SerialDelivery(Executor executor, Runnable onOverflow) {
        this.executor = executor;
        this.onOverflow = onOverflow;
    }

    void submit(Runnable task) {
        synchronized (this) {
            if (overflowed) {
                return;
            }
            if (queue.size() >= LIMIT) {
                overflowed = true;
                queue.clear();
                queue.add(onOverflow);
            } else {
                queue.add(task);
            }
            if (running) {
                return;
            }
            running = true;
        }
        executor.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                // A listener's own failure must not stop delivery to it.
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
    }
}
