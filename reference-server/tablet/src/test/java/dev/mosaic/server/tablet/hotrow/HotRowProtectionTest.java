package dev.mosaic.server.tablet.hotrow;

import static dev.mosaic.server.tablet.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HotRowProtectionTest {
    private static final RowKey ROW = RowKey.of("t1", "id", Value.of(1));
    private static final RowKey OTHER_ROW = RowKey.of("t1", "id", Value.of(2));

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void shutdown() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "test threads did not finish");
    }

    private static HotRowProtection protection(int maxQueue, int maxGlobal, int concurrency) {
        return new HotRowProtection(new HotRowConfig(false, maxQueue, maxGlobal, concurrency));
    }

    @Test
    void transactionsOnOneRowRunOneAtATimeInArrivalOrder() throws Exception {
        HotRowProtection hot = protection(20, 1000, 1);
        List<Integer> order = new ArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        HotRowProtection.Permit first = hot.acquire(ROW, Duration.ofSeconds(10));
        assertFalse(first.waited());
        List<Future<?>> txs = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
            int tx = i;
            txs.add(pool.submit(() -> {
                try (HotRowProtection.Permit p = hot.acquire(ROW, Duration.ofSeconds(10))) {
                    assertTrue(p.waited());
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    synchronized (order) {
                        order.add(tx);
                    }
                    running.decrementAndGet();
                }
            }));
            await("tx" + tx + " queued", () -> hot.pending(ROW) == tx);
        }
        assertEquals(List.of(), order);
        first.close();
        for (Future<?> tx : txs) {
            tx.get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(2, 3, 4, 5, 6), order);
        assertEquals(1, maxRunning.get());
        assertEquals(Map.of("t1", 5L), hot.stats().waits());
        assertNoState(hot);
    }

    @Test
    void differentRowsDoNotWaitForEachOther() {
        HotRowProtection hot = protection(20, 1000, 1);
        try (HotRowProtection.Permit a = hot.acquire(ROW, Duration.ofMillis(1));
                HotRowProtection.Permit b = hot.acquire(OTHER_ROW, Duration.ofMillis(1));
                HotRowProtection.Permit c = hot.acquire(RowKey.of("t2", "id", Value.of(1)), Duration.ofMillis(1))) {
            assertFalse(a.waited() || b.waited() || c.waited());
            assertEquals(3, hot.stats().rows());
        }
        assertNoState(hot);
    }

    @Test
    void aFullRowQueueRejectsAtOnceInVitessWords() throws Exception {
        HotRowProtection hot = protection(2, 1000, 1);
        RowKey row = new RowKey("test_table", List.of("pk", "name"), List.of(Value.of(1), Value.of(1)));
        HotRowProtection.Permit first = hot.acquire(row);
        Future<?> second = pool.submit(() -> hot.acquire(row).close());
        await("second queued", () -> hot.pending(row) == 2);
        MosaicException e = assertThrows(MosaicException.class, () -> hot.acquire(row, Duration.ofSeconds(10)));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
        assertEquals("hot row protection: too many queued transactions (2 >= 2) for the same row "
                + "(table + WHERE clause: 'test_table where pk = 1 and name = 1')", e.getMessage());
        assertEquals(Map.of("test_table", 1L), hot.stats().queueExceeded());
        assertEquals(2, hot.pending(row), "the rejected one left no trace");
        first.close();
        second.get(10, TimeUnit.SECONDS);
        assertNoState(hot);
    }

    @Test
    void aFullGlobalQueueRejectsButNeverTheFirstOnAnIdleRow() {
        HotRowProtection hot = protection(5, 5, 1);
        List<HotRowProtection.Permit> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(hot.acquire(RowKey.of("t1", "id", Value.of(i))));
        }
        // The first transaction on an idle row is let through even now, as in Vitess.
        held.add(hot.acquire(RowKey.of("t1", "id", Value.of(99))));
        MosaicException e = assertThrows(MosaicException.class, () -> hot.acquire(ROW, Duration.ofSeconds(10)));
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
        assertEquals("hot row protection: too many queued transactions (6 >= 5)", e.getMessage());
        assertEquals(1, hot.stats().globalQueueExceeded());
        held.forEach(HotRowProtection.Permit::close);
        assertNoState(hot);
    }

    @Test
    void aWaitEndsAtItsTimeoutAndLeavesTheQueue() {
        HotRowProtection hot = protection(20, 1000, 1);
        try (HotRowProtection.Permit first = hot.acquire(ROW)) {
            long start = System.nanoTime();
            MosaicException e = assertThrows(MosaicException.class, () -> hot.acquire(ROW, Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
            assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
            assertTrue(e.getMessage().contains("t1 where id = 1"), e.getMessage());
            assertEquals(1, hot.pending(ROW));
        }
        assertNoState(hot);
    }

    @Test
    void anInterruptedWaitEndsWithCanceledAndKeepsTheFlag() throws Exception {
        HotRowProtection hot = protection(20, 1000, 1);
        HotRowProtection.Permit first = hot.acquire(ROW);
        AtomicReference<ErrorCode> code = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try {
                hot.acquire(ROW, Duration.ofSeconds(30)).close();
            } catch (MosaicException e) {
                code.set(e.code());
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        await("waiter queued", () -> hot.pending(ROW) == 2);
        waiter.interrupt();
        waiter.join(10_000);
        assertEquals(ErrorCode.CANCELED, code.get());
        assertTrue(flagKept.get());
        assertEquals(1, hot.pending(ROW));
        first.close();
        assertNoState(hot);
    }

    @Test
    void aTransactionThatFailsStillReleasesTheRow() {
        HotRowProtection hot = protection(20, 1000, 1);
        assertThrows(IllegalStateException.class, () -> {
            try (HotRowProtection.Permit p = hot.acquire(ROW)) {
                throw new IllegalStateException("deadlock found when trying to get lock");
            }
        });
        assertNoState(hot);
        try (HotRowProtection.Permit next = hot.acquire(ROW, Duration.ofMillis(1))) {
            assertFalse(next.waited());
        }
    }

    @Test
    void closingTwiceReleasesOnce() {
        HotRowProtection hot = protection(20, 1000, 1);
        HotRowProtection.Permit first = hot.acquire(ROW);
        HotRowProtection.Permit[] second = new HotRowProtection.Permit[1];
        first.close();
        second[0] = hot.acquire(ROW);
        first.close(); // must not release second's slot
        assertThrows(MosaicException.class, () -> hot.acquire(ROW, Duration.ofMillis(10)));
        second[0].close();
        assertNoState(hot);
    }

    @Test
    void concurrencyAboveOneLetsThatManyRunTogether() throws Exception {
        HotRowProtection hot = protection(20, 1000, 3);
        List<HotRowProtection.Permit> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HotRowProtection.Permit p = hot.acquire(ROW, Duration.ofMillis(1));
            assertFalse(p.waited());
            running.add(p);
        }
        CountDownLatch fourthIn = new CountDownLatch(1);
        Future<?> fourth = pool.submit(() -> {
            try (HotRowProtection.Permit p = hot.acquire(ROW, Duration.ofSeconds(10))) {
                assertTrue(p.waited());
                fourthIn.countDown();
            }
        });
        await("fourth queued", () -> hot.pending(ROW) == 4);
        assertFalse(fourthIn.await(20, TimeUnit.MILLISECONDS));
        running.remove(1).close();
        fourth.get(10, TimeUnit.SECONDS);
        running.forEach(HotRowProtection.Permit::close);
        assertNoState(hot);
    }

    @Test
    void dryRunNeverWaitsNorRejectsButCounts() {
        HotRowProtection hot = new HotRowProtection(new HotRowConfig(true, 1, 2, 1));
        List<HotRowProtection.Permit> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HotRowProtection.Permit p = hot.acquire(ROW, Duration.ofMillis(1));
            assertFalse(p.waited());
            held.add(p);
        }
        HotRowStats stats = hot.stats();
        assertEquals(Map.of("t1", 2L), stats.waitsDryRun());
        assertEquals(Map.of("t1", 2L), stats.queueExceededDryRun());
        assertEquals(1, stats.globalQueueExceededDryRun());
        assertEquals(Map.of(), stats.waits());
        assertEquals(Map.of(), stats.queueExceeded());
        held.forEach(HotRowProtection.Permit::close);
        assertNoState(hot);
    }

    @Test
    void manyTransactionsOnAFewRowsLeaveNothingBehind() throws Exception {
        HotRowProtection hot = protection(1000, 10_000, 2);
        AtomicInteger[] inside = new AtomicInteger[4];
        AtomicInteger violations = new AtomicInteger();
        for (int i = 0; i < inside.length; i++) {
            inside[i] = new AtomicInteger();
        }
        List<Future<?>> txs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int row = i % inside.length;
            txs.add(pool.submit(() -> {
                try (HotRowProtection.Permit p = hot.acquire(RowKey.of("t", "id", Value.of(row)), Duration.ofSeconds(30))) {
                    if (inside[row].incrementAndGet() > 2) {
                        violations.incrementAndGet();
                    }
                    if (ThreadLocalRandom.current().nextBoolean()) {
                        Thread.yield();
                    }
                    inside[row].decrementAndGet();
                }
            }));
        }
        for (Future<?> tx : txs) {
            tx.get(30, TimeUnit.SECONDS);
        }
        assertEquals(0, violations.get());
        assertNoState(hot);
    }

    @Test
    void invalidSettingsAreRejected() {
        record Case(int maxQueue, int maxGlobal, int concurrency, String message) {
        }
        for (Case c : List.of(
                new Case(0, 10, 1, "maxQueueSize must be >= 1, got 0"),
                new Case(10, 5, 1, "maxGlobalQueueSize (5) must be >= maxQueueSize (10)"),
                new Case(10, 10, 0, "concurrency must be >= 1, got 0"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new HotRowConfig(false, c.maxQueue(), c.maxGlobal(), c.concurrency()));
            assertEquals(c.message(), e.getMessage());
        }
    }

    private static void assertNoState(HotRowProtection hot) {
        HotRowStats stats = hot.stats();
        assertEquals(0, stats.queued(), "queued");
        assertEquals(0, stats.rows(), "rows");
    }
}
