package dev.mosaic.server.tablet.hotrow;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes transactions that update the same row, with a bounded queue per row and over all rows.
 *
 * <p>A transaction that is about to update a row calls {@link #acquire(RowKey, Duration)} and keeps
 * the returned {@link Permit} until it commits or rolls back, then closes it. Per row, at most
 * {@link HotRowConfig#concurrency()} permits are held at once; the others wait in arrival order.
 * A row's queue counts the transactions running and waiting on it, as Vitess's does: with
 * {@code maxQueueSize} 20 and concurrency 1, one runs and 19 may wait. A caller that would exceed
 * the row's queue, or the global count over all rows, is rejected at once with {@link
 * ErrorCode#RESOURCE_EXHAUSTED}, worded as Vitess words it:
 * {@code hot row protection: too many queued transactions (1 >= 1) for the same row (table + WHERE
 * clause: 't1 where id = 1')}. The first transaction on an idle row never waits and is never
 * rejected.
 *
 * <p>In dry-run mode nothing waits and nothing is rejected; the would-be waits and rejections are
 * only counted ({@link #stats()}).
 *
 * <p>State for a row exists only while some transaction holds or waits for it. One lock guards all
 * rows, as in Vitess: the critical sections are a few field updates. Thread-safe.
 */
public final class HotRowProtection {
    private final HotRowConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<RowKey, Row> rows = new HashMap<>(); // guarded by lock
    private int globalSize; // guarded by lock

    private final Map<String, LongAdder> waits = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> queueExceeded = new ConcurrentHashMap<>();
    private final LongAdder globalQueueExceeded = new LongAdder();
    private final Map<String, LongAdder> waitsDryRun = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> queueExceededDryRun = new ConcurrentHashMap<>();
    private final LongAdder globalQueueExceededDryRun = new LongAdder();

    /** Protection with the given settings. */
    public HotRowProtection(HotRowConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Waits, without a time limit, until the transaction may update {@code row}; see {@link
     * #acquire(RowKey, Duration)}.
     */
    public Permit acquire(RowKey row) {
        return acquire(row, null);
    }

    /**
     * Waits until the transaction may update {@code row} and returns the permit to close when the
     * transaction ends.
     *
     * @param row the row the transaction updates
     * @param timeout the longest wait; {@code null} for none
     * @throws MosaicException {@link ErrorCode#RESOURCE_EXHAUSTED} at once if the row's or the global
     *     queue is full; {@link ErrorCode#DEADLINE_EXCEEDED} if {@code timeout} passed first; {@link
     *     ErrorCode#CANCELED} if the thread was interrupted while waiting (the interrupt flag is kept
     *     set). In each case the caller holds nothing.
     */
    public Permit acquire(RowKey row, Duration timeout) {
        Objects.requireNonNull(row, "row");
        lock.lock();
        try {
            Row r = rows.get(row);
            if (r == null) {
                r = new Row();
                rows.put(row, r);
                r.size = 1;
                r.running = 1;
                globalSize++;
                return new Permit(row, r, false);
            }
            admitLocked(row, r);
            if (config.dryRun()) {
                if (r.running >= config.concurrency()) {
                    count(waitsDryRun, row.table());
                }
                r.running++;
                return new Permit(row, r, false);
            }
            if (r.running < config.concurrency() && r.waiting.isEmpty()) {
                r.running++;
                return new Permit(row, r, false);
            }
            count(waits, row.table());
            awaitTurnLocked(row, r, timeout);
            return new Permit(row, r, true);
        } finally {
            lock.unlock();
        }
    }

    private void admitLocked(RowKey row, Row r) {
        if (globalSize >= config.maxGlobalQueueSize()) {
            if (config.dryRun()) {
                globalQueueExceededDryRun.increment();
            } else {
                globalQueueExceeded.increment();
                throw new MosaicException(ErrorCode.RESOURCE_EXHAUSTED, "hot row protection: too many queued transactions ("
                        + globalSize + " >= " + config.maxGlobalQueueSize() + ")");
            }
        }
        if (r.size >= config.maxQueueSize()) {
            if (config.dryRun()) {
                count(queueExceededDryRun, row.table());
            } else {
                count(queueExceeded, row.table());
                throw new MosaicException(ErrorCode.RESOURCE_EXHAUSTED, "hot row protection: too many queued transactions ("
                        + r.size + " >= " + config.maxQueueSize() + ") for the same row (table + WHERE clause: '"
                        + row.description() + "')");
            }
        }
        r.size++;
        globalSize++;
    }

    private void awaitTurnLocked(RowKey row, Row r, Duration timeout) {
        Waiter w = new Waiter(lock.newCondition());
        r.waiting.addLast(w);
        long nanos = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
        try {
            while (!w.granted) {
                if (nanos <= 0) {
                    r.waiting.remove(w);
                    leaveLocked(row, r);
                    throw new MosaicException(ErrorCode.DEADLINE_EXCEEDED, "hot row protection: timed out after "
                            + timeout.toMillis() + "ms waiting for the transactions ahead on the same row (table + WHERE clause: '"
                            + row.description() + "')");
                }
                if (timeout == null) {
                    w.turn.await();
                } else {
                    nanos = w.turn.awaitNanos(nanos);
                }
            }
        } catch (InterruptedException e) {
            if (w.granted) {
                releaseLocked(row, r); // our turn came with the interrupt: pass it on
            } else {
                r.waiting.remove(w);
                leaveLocked(row, r);
            }
            Thread.currentThread().interrupt();
            throw new MosaicException(ErrorCode.CANCELED, "hot row protection: interrupted while waiting for the "
                    + "transactions ahead on the same row (table + WHERE clause: '" + row.description() + "')", e);
        }
    }

    /** Takes back the admission of a transaction that never ran. */
    private void leaveLocked(RowKey row, Row r) {
        r.size--;
        globalSize--;
        if (r.size == 0) {
            rows.remove(row);
        }
    }

    /** Ends a running transaction and lets the next ones in line run. */
    private void releaseLocked(RowKey row, Row r) {
        r.running--;
        r.size--;
        globalSize--;
        while (r.running < config.concurrency() && !r.waiting.isEmpty()) {
            Waiter next = r.waiting.pollFirst();
            next.granted = true;
            r.running++;
            next.turn.signal();
        }
        if (r.size == 0) {
            rows.remove(row);
        }
    }

    private static void count(Map<String, LongAdder> counters, String table) {
        counters.computeIfAbsent(table, t -> new LongAdder()).increment();
    }

    /** Transactions currently admitted for {@code row}, running or waiting (0 if none). */
    public int pending(RowKey row) {
        lock.lock();
        try {
            Row r = rows.get(row);
            return r == null ? 0 : r.size;
        } finally {
            lock.unlock();
        }
    }

    /** The counters so far and the current queue sizes. */
    public HotRowStats stats() {
        int queued;
        int rowCount;
        lock.lock();
        try {
            queued = globalSize;
            rowCount = rows.size();
        } finally {
            lock.unlock();
        }
        return new HotRowStats(sums(waits), sums(queueExceeded), globalQueueExceeded.sum(), sums(waitsDryRun),
                sums(queueExceededDryRun), globalQueueExceededDryRun.sum(), queued, rowCount);
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counters) {
        Map<String, Long> out = new HashMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The settings in force. */
    public HotRowConfig config() {
        return config;
    }

    /** Per-row state; all fields guarded by {@link #lock}. */
    private static final class Row {
        int size; // admitted: running + waiting
        int running;
        final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    }

    private static final class Waiter {
        final Condition turn;
        boolean granted; // guarded by lock

        Waiter(Condition turn) {
            this.turn = turn;
        }
    }

    /**
     * The right of one transaction to update one row, held until the transaction commits or rolls
     * back. Closing it lets the next transaction on the row run; closing again does nothing.
     */
    public final class Permit implements AutoCloseable {
        private final RowKey row;
        private final Row state;
        private final boolean waited;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Permit(RowKey row, Row state, boolean waited) {
            this.row = row;
            this.state = state;
            this.waited = waited;
        }

        /** The row this permit is for. */
        public RowKey row() {
            return row;
        }

        /** Whether the transaction had to wait for others on the same row. */
        public boolean waited() {
            return waited;
        }

        /** Releases the row; idempotent. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            lock.lock();
            try {
                releaseLocked(row, state);
            } finally {
                lock.unlock();
            }
        }
    }
}
