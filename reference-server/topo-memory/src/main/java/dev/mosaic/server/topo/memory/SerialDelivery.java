package dev.mosaic.server.topo.memory;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one subscriber's callbacks one at a time, in submission order, on a shared pool, so a slow
 * listener delays only itself. The queue is bounded: a subscriber that falls {@link #LIMIT}
 * callbacks behind is told so once via {@code onOverflow} and receives nothing more.
 */
final class SerialDelivery {
    static final int LIMIT = 10_000;

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mosaic-topo-memory-watch-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final Runnable onOverflow;
    private boolean running;
    private boolean overflowed;

    SerialDelivery(Runnable onOverflow) {
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
        POOL.execute(this::drain);
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
                // A listener's own failure must not stop delivery to it or to others.
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
    }
}
