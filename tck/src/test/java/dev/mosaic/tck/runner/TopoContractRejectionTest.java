package dev.mosaic.tck.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.topo.memory.MemoryTopoFactory;
import dev.mosaic.spi.PluginFactory;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.Clauses;
import dev.mosaic.tck.RegistryContract;
import dev.mosaic.tck.fixtures.TopoFixtures;
import dev.mosaic.tck.topo.TopoStoreContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Runs the standard catalog (registry + topology contracts) through the runner against the memory
 * store, which must keep every clause, and against broken stores, each of which must fail exactly
 * the clauses its defect breaks, with messages that start with the clause id.
 */
class TopoContractRejectionTest {
    private static final int CLAUSES = Clauses.declaredBy(RegistryContract.class).size()
            + Clauses.declaredBy(TopoStoreContract.class).size();

    static Stream<Arguments> brokenStores() {
        return Stream.of(
                Arguments.of(new TopoFixtures.CasIgnoresVersion(), Set.of("topo.update-cas", "topo.cas-race"),
                        "stale writer"),
                Arguments.of(new TopoFixtures.WatchDropsDeletion(), Set.of("topo.watch-delete"), "final event"),
                Arguments.of(new TopoFixtures.LockTwoHolders(), Set.of("topo.lock-exclusion"), "lock"),
                Arguments.of(new TopoFixtures.LockSurvivesSession(), Set.of("topo.lock-session-death"),
                        "not released"),
                Arguments.of(new TopoFixtures.ClaimsRecursiveWatch(), Set.of("topo.watch-recursive"),
                        "NO_IMPLEMENTATION"),
                Arguments.of(new TopoFixtures.HidesRecursiveWatch(), Set.of("topo.watch-recursive"),
                        "without the RECURSIVE_WATCH capability succeeded"),
                Arguments.of(new TopoFixtures.UnsortedListDir(), Set.of("topo.list-dir"), "listDir returned"),
                Arguments.of(new TopoFixtures.TtlNeverExpires(), Set.of("topo.lock-ttl"), "TTL"),
                Arguments.of(new TopoFixtures.LockLostWhileAlive(), Set.of("topo.lock-held"), "lost after 3 checks"),
                Arguments.of(new TopoFixtures.ResignIgnored(), Set.of("topo.election-resign", "topo.election-watch-leader"),
                        "resign"));
    }

    @ParameterizedTest(name = "{1} fails for {0}")
    @MethodSource("brokenStores")
    void brokenStoreFailsExactlyItsClauses(PluginFactory<?> store, Set<String> clauses, String reasonPart) {
        RawMessages raw = new RawMessages();
        List<ClauseResult> results = new ContractRunner(ContractCatalog.standard()).run(store, Map.of(), raw);

        assertEquals(CLAUSES, results.size(), () -> "one result per clause: " + lines(results));
        Set<String> failed = results.stream().filter(r -> r.status() == ClauseResult.Status.FAIL)
                .map(ClauseResult::clause).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(clauses), failed, () -> "results: " + lines(results));
        String first = new TreeSet<>(clauses).first();
        ClauseResult failure = results.stream().filter(r -> r.clause().equals(first)).findFirst().orElseThrow();
        assertTrue(failure.reason().contains(reasonPart), failure::line);
        assertTrue(failure.line().startsWith("FAIL  topo/tck_"), failure::line);
        assertEquals(new TreeSet<>(clauses), new TreeSet<>(raw.failedClauses));
        raw.failureMessages.forEach(m -> assertTrue(clauses.stream().anyMatch(c -> m.startsWith(c + ": ")), m));
    }

    @Test
    void memoryStorePassesEveryClauseThroughTheRunner() {
        List<ClauseResult> results = new ContractRunner(ContractCatalog.standard()).run(new MemoryTopoFactory(), Map.of());
        assertEquals(CLAUSES, results.size(), () -> lines(results));
        for (ClauseResult r : results) {
            if (r.clause().equals("topo.watch-backend-restart")) {
                assertEquals(ClauseResult.Status.SKIP, r.status(), r::line);
                assertTrue(r.reason().contains("restartBackend"), r::line);
            } else {
                assertEquals(ClauseResult.Status.PASS, r.status(), r::line);
            }
        }
        assertFalse(results.stream().noneMatch(r -> r.line().equals("PASS  topo/memory  topo.lock-session-death")),
                () -> lines(results));
    }

    private static String lines(List<ClauseResult> results) {
        return results.stream().map(ClauseResult::line).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    /** Captures the raw JUnit failures, before the runner strips the clause prefix. */
    private static final class RawMessages implements TestExecutionListener {
        final List<String> failedClauses = new ArrayList<>();
        final List<String> failureMessages = new ArrayList<>();

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED) {
                id.getSource().filter(org.junit.platform.engine.support.descriptor.MethodSource.class::isInstance)
                        .map(s -> ((org.junit.platform.engine.support.descriptor.MethodSource) s).getJavaMethod())
                        .map(m -> m.getAnnotation(Clause.class).value())
                        .ifPresent(failedClauses::add);
                failureMessages.add(result.getThrowable().orElseThrow().getMessage());
            }
        }
    }
}
