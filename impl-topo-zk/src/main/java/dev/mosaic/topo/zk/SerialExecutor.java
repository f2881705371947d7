package dev.mosaic.topo.zk;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: one per watch, so a watch's
 * events never overlap or reorder while different watches proceed in parallel. Starts paused
 * when asked, so events that arrive while a watch computes its initial value wait for it.
 */
final class SerialExecutor implements Executor {
    /** A listener this far behind is treated as stuck; its watch ends with Failed. */
    static final int LIMIT = 10_000;

    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Executor pool;
    private final Runnable onOverflow;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;
    private boolean paused;
    private boolean overflowed;

    SerialExecutor(Executor pool, boolean paused, Runnable onOverflow) {
        this.pool = pool;
        this.paused = paused;
        this.onOverflow = onOverflow;
    }

    @Override
    public void execute(Runnable task) {
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
            if (running || paused) {
                return;
            }
            running = true;
        }
        schedule();
    }

    /** Lets queued tasks run. */
    void resume() {
        synchronized (this) {
            paused = false;
            if (running || queue.isEmpty()) {
                return;
            }
            running = true;
        }
        schedule();
    }

    private void schedule() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The store shut its pool down: run the remaining events (final ones) on this thread.
            drain();
        }
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
                // A listener threw: nobody upstream can handle it; keep delivering later events.
                LOG.log(System.Logger.Level.WARNING, "watch listener threw; continuing", e);
            }
        }
    }
}
