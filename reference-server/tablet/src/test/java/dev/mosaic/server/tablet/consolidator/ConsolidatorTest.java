package dev.mosaic.server.tablet.consolidator;

import static dev.mosaic.server.tablet.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsolidatorTest {
    private static final ConsolidationKey KEY = new ConsolidationKey("ks/-80@replica",
            "select * from t where id = :id", BindVariables.of(Map.of("id", Value.of(1))));

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void shutdown() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "test threads did not finish");
    }

    /** A fake MySQL execution that blocks until released and counts its runs. */
    private static final class FakeQuery {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger runs = new AtomicInteger();

        Object call(Object result) throws InterruptedException {
            runs.incrementAndGet();
            release.await();
            return result;
        }
    }

    @Test
    void fiftyIdenticalConcurrentQueriesShareOneExecution() throws Exception {
        Consolidator<Object> consolidator = new Consolidator<>();
        FakeQuery query = new FakeQuery();
        Object result = new Object();
        List<Future<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(pool.submit(() -> consolidator.run(KEY, () -> query.call(result))));
        }
        await("49 callers waiting", () -> consolidator.stats().consolidated() == 49);
        assertEquals(1, consolidator.inFlight());
        query.release.countDown();
        for (Future<Object> call : calls) {
            assertSame(result, call.get(10, TimeUnit.SECONDS));
        }
        assertEquals(1, query.runs.get());
        ConsolidatorStats stats = consolidator.stats();
        assertEquals(1, stats.executions());
        assertEquals(49, stats.consolidated());
        assertEquals(0, stats.inFlight());
    }

    @Test
    void aFailureReachesEveryCallerAsTheSameException() throws Exception {
        Consolidator<Object> consolidator = new Consolidator<>();
        CountDownLatch release = new CountDownLatch(1);
        MosaicException failure = new MosaicException(ErrorCode.UNAVAILABLE, "mysqld went away");
        List<Future<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(pool.submit(() -> consolidator.run(KEY, () -> {
                release.await();
                throw failure;
            })));
        }
        await("9 callers waiting", () -> consolidator.stats().consolidated() == 9);
        release.countDown();
        for (Future<Object> call : calls) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
            assertSame(failure, e.getCause());
        }
        assertEquals(1, consolidator.stats().executions());
        assertEquals(0, consolidator.inFlight());
    }

    @Test
    void aCheckedExceptionIsWrappedOnceAndShared() throws Exception {
        Consolidator<Object> consolidator = new Consolidator<>();
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> first = pool.submit(() -> consolidator.run(KEY, () -> {
            release.await();
            throw new IOException("disk");
        }));
        await("leader running", () -> consolidator.inFlight() == 1);
        Future<Object> second = pool.submit(() -> consolidator.run(KEY, () -> "never"));
        await("waiter joined", () -> consolidator.stats().consolidated() == 1);
        release.countDown();
        Throwable a = assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS)).getCause();
        Throwable b = assertThrows(ExecutionException.class, () -> second.get(10, TimeUnit.SECONDS)).getCause();
        assertSame(a, b);
        assertEquals(ErrorCode.UNKNOWN, ((MosaicException) a).code());
        assertTrue(a.getCause() instanceof IOException);
    }

    @Test
    void differentKeysDoNotShare() throws Exception {
        Consolidator<Object> consolidator = new Consolidator<>();
        FakeQuery query = new FakeQuery();
        List<ConsolidationKey> keys = List.of(
                KEY,
                new ConsolidationKey("ks/-80@replica", KEY.sql(), BindVariables.of(Map.of("id", Value.of(2)))),
                new ConsolidationKey("ks/80-@replica", KEY.sql(), KEY.bindVars()),
                new ConsolidationKey(KEY.target(), "select * from t where id = :id limit 1", KEY.bindVars()));
        List<Future<Object>> calls = new ArrayList<>();
        for (ConsolidationKey key : keys) {
            calls.add(pool.submit(() -> consolidator.run(key, () -> query.call(key))));
        }
        await("all running", () -> query.runs.get() == keys.size());
        query.release.countDown();
        for (int i = 0; i < keys.size(); i++) {
            assertSame(keys.get(i), calls.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(keys.size(), consolidator.stats().executions());
        assertEquals(0, consolidator.stats().consolidated());
    }

    @Test
    void nothingIsKeptAfterCompletionSoTheNextCallRunsAgain() {
        Consolidator<Object> consolidator = new Consolidator<>();
        AtomicInteger runs = new AtomicInteger();
        assertEquals(1, consolidator.run(KEY, runs::incrementAndGet));
        assertEquals(0, consolidator.inFlight());
        assertEquals(2, consolidator.run(KEY, runs::incrementAndGet));
        assertThrows(MosaicException.class, () -> consolidator.run(KEY, () -> {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "x");
        }));
        assertEquals(3, consolidator.run(KEY, runs::incrementAndGet));
        ConsolidatorStats stats = consolidator.stats();
        assertEquals(4, stats.executions());
        assertEquals(0, stats.inFlight());
        assertEquals(0, stats.inFlightResultBytes());
    }

    @Test
    void manyRoundsLeaveNoEntryBehind() throws Exception {
        Consolidator<Object> consolidator = new Consolidator<>();
        List<Future<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            ConsolidationKey key = ConsolidationKey.of("t", "select " + (i % 7));
            calls.add(pool.submit(() -> consolidator.run(key, () -> key.sql())));
        }
        for (Future<Object> call : calls) {
            call.get(10, TimeUnit.SECONDS);
        }
        ConsolidatorStats stats = consolidator.stats();
        assertEquals(2_000, stats.executions() + stats.consolidated());
        assertEquals(0, stats.inFlight());
        // Every entry was removed: a new call for each key executes again.
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 7; i++) {
            consolidator.run(ConsolidationKey.of("t", "select " + i), runs::incrementAndGet);
        }
        assertEquals(7, runs.get());
    }

    @Test
    void theWaiterCapStartsASecondSharedExecution() throws Exception {
        Consolidator<Object> consolidator = new Consolidator<>(new ConsolidatorConfig(2, 0, 0));
        FakeQuery query = new FakeQuery();
        List<Future<Object>> calls = new ArrayList<>();
        calls.add(pool.submit(() -> consolidator.run(KEY, () -> query.call("r"))));
        await("leader running", () -> query.runs.get() == 1);
        for (int i = 0; i < 2; i++) {
            calls.add(pool.submit(() -> consolidator.run(KEY, () -> query.call("r"))));
        }
        await("two waiters", () -> consolidator.stats().consolidated() == 2);
        calls.add(pool.submit(() -> consolidator.run(KEY, () -> query.call("r"))));
        await("second execution", () -> query.runs.get() == 2);
        calls.add(pool.submit(() -> consolidator.run(KEY, () -> query.call("r"))));
        await("joins the second", () -> consolidator.stats().consolidated() == 3);
        query.release.countDown();
        for (Future<Object> call : calls) {
            assertEquals("r", call.get(10, TimeUnit.SECONDS));
        }
        ConsolidatorStats stats = consolidator.stats();
        assertEquals(2, stats.executions());
        assertEquals(1, stats.admissionsClosed());
    }

    @Test
    void aLargeResultTakesNoLateJoinersButEarlyOnesShareIt() throws Exception {
        Consolidator<Object> consolidator = new Consolidator<>(new ConsolidatorConfig(0, 1_000, 0));
        CountDownLatch early = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Consolidator.Execution<Object> bigQuery = size -> {
            int run = runs.incrementAndGet();
            if (run == 1) {
                early.await();
                size.add(600);
                size.add(600); // now over the bound
            }
            release.await();
            return "rows of run " + run;
        };
        Future<Object> leader = pool.submit(() -> consolidator.run(KEY, bigQuery));
        await("leader running", () -> runs.get() == 1);
        Future<Object> earlyJoiner = pool.submit(() -> consolidator.run(KEY, bigQuery));
        await("early joiner waiting", () -> consolidator.stats().consolidated() == 1);
        early.countDown();
        await("admission closed", () -> consolidator.stats().admissionsClosed() == 1);
        assertEquals(1_200, consolidator.stats().inFlightResultBytes());
        Future<Object> late = pool.submit(() -> consolidator.run(KEY, bigQuery));
        await("late caller runs its own", () -> runs.get() == 2);
        release.countDown();
        assertEquals("rows of run 1", leader.get(10, TimeUnit.SECONDS));
        assertEquals("rows of run 1", earlyJoiner.get(10, TimeUnit.SECONDS));
        assertEquals("rows of run 2", late.get(10, TimeUnit.SECONDS));
        assertEquals(0, consolidator.stats().inFlightResultBytes());
    }

    @Test
    void theTotalBoundClosesAdmissionAcrossExecutions() throws Exception {
        Consolidator<Object> consolidator = new Consolidator<>(new ConsolidatorConfig(0, 0, 1_000));
        CountDownLatch release = new CountDownLatch(1);
        ConsolidationKey other = ConsolidationKey.of("t", "select 2");
        List<ResultSize> sizes = new ArrayList<>();
        Consolidator.Execution<Object> query = size -> {
            synchronized (sizes) {
                sizes.add(size);
            }
            size.add(600);
            release.await();
            return "r";
        };
        Future<Object> a = pool.submit(() -> consolidator.run(KEY, query));
        await("first reported", () -> consolidator.stats().inFlightResultBytes() == 600);
        Future<Object> b = pool.submit(() -> consolidator.run(other, query));
        await("second reported", () -> consolidator.stats().inFlightResultBytes() == 1_200);
        synchronized (sizes) {
            assertTrue(sizes.get(0).sharable(), "the first stayed under the total");
            assertTrue(!sizes.get(1).sharable(), "the second pushed the total over");
        }
        release.countDown();
        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWaiterTimesOutWhileTheExecutionGoesOn() throws Exception {
        Consolidator<Object> consolidator = new Consolidator<>();
        FakeQuery query = new FakeQuery();
        Future<Object> leader = pool.submit(() -> consolidator.run(KEY, () -> query.call("r")));
        await("leader running", () -> query.runs.get() == 1);
        MosaicException e = assertThrows(MosaicException.class,
                () -> consolidator.run(KEY, Duration.ofMillis(20), size -> "never"));
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());
        query.release.countDown();
        assertEquals("r", leader.get(10, TimeUnit.SECONDS));
    }

    @Test
    void anInterruptedWaiterStopsWaitingWithCanceled() throws Exception {
        Consolidator<Object> consolidator = new Consolidator<>();
        FakeQuery query = new FakeQuery();
        Future<Object> leader = pool.submit(() -> consolidator.run(KEY, () -> query.call("r")));
        await("leader running", () -> query.runs.get() == 1);
        AtomicReference<ErrorCode> code = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try {
                consolidator.run(KEY, () -> "never");
            } catch (MosaicException e) {
                code.set(e.code());
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        await("waiter joined", () -> consolidator.stats().consolidated() == 1);
        waiter.interrupt();
        waiter.join(10_000);
        assertEquals(ErrorCode.CANCELED, code.get());
        assertTrue(flagKept.get(), "the interrupt flag stays set");
        assertEquals(1, consolidator.inFlight(), "the shared execution goes on");
        query.release.countDown();
        assertEquals("r", leader.get(10, TimeUnit.SECONDS));
    }
}
