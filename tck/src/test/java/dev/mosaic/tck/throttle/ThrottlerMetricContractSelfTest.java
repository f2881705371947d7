package dev.mosaic.tck.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.PluginFactory;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.Clauses;
import dev.mosaic.tck.RegistryContract;
import dev.mosaic.tck.runner.ClauseResult;
import dev.mosaic.tck.runner.ContractCatalog;
import dev.mosaic.tck.runner.ContractRunner;
import dev.mosaic.tck.throttle.fixtures.ThrottleFixtures;
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

/**
 * Runs the registry and throttler-metric contracts through the launcher, as {@code mosaic-tck}
 * does, against deliberately broken metrics, and checks that exactly the clause each breaks fails,
 * naming it; and that the good metric passes every clause.
 */
class ThrottlerMetricContractSelfTest {
    private static final int CLAUSES = Clauses.declaredBy(RegistryContract.class).size()
            + Clauses.declaredBy(ThrottlerMetricContract.class).size();

    @Test
    void contractDeclaresTheSpecifiedClauses() {
        assertEquals(List.of("throttle.name", "throttle.name-unique", "throttle.no-fake-zero", "throttle.read-deadline",
                        "throttle.read-value", "throttle.sane"),
                Clauses.declaredBy(ThrottlerMetricContract.class).stream().map(Clause::value).toList());
    }

    static Stream<Arguments> brokenMetrics() {
        return Stream.of(
                Arguments.of(new ThrottleFixtures.ZeroWhenUnreachable(), "throttle.no-fake-zero",
                        "read() returned 0.0 although the probe could not answer"),
                Arguments.of(new ThrottleFixtures.ReturnsNaN(), "throttle.read-value", "read() returned NaN"),
                Arguments.of(new ThrottleFixtures.NegativeThreshold(), "throttle.sane", "defaultThreshold() is -1.0"),
                Arguments.of(new ThrottleFixtures.InfiniteThreshold(), "throttle.sane", "defaultThreshold() is Infinity"),
                Arguments.of(new ThrottleFixtures.BadName(), "throttle.name", "name() 'Bad-Name' does not match"),
                Arguments.of(new ThrottleFixtures.DuplicateNameA(), "throttle.name-unique", "ThrottleFixtures$DuplicateNameB"),
                Arguments.of(new ThrottleFixtures.DuplicateNameB(), "throttle.name-unique", "ThrottleFixtures$DuplicateNameA"),
                Arguments.of(new ThrottleFixtures.Sleeper(), "throttle.read-deadline", "did not return within 2000ms"));
    }

    @ParameterizedTest(name = "{1} fails for {0}")
    @MethodSource("brokenMetrics")
    void brokenMetricFailsExactlyItsClause(PluginFactory<?> provider, String clause, String reasonPart) {
        List<ClauseResult> results = new ContractRunner(ContractCatalog.standard()).run(provider, Map.of());
        assertEquals(CLAUSES, results.size(), () -> "one result per clause:" + lines(results));
        Set<String> failed = results.stream().filter(r -> r.status() != ClauseResult.Status.PASS)
                .map(ClauseResult::clause).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(clause), failed, () -> "results:" + lines(results));
        ClauseResult failure = results.stream().filter(r -> r.clause().equals(clause)).findFirst().orElseThrow();
        assertEquals(ClauseResult.Status.FAIL, failure.status(), failure::line);
        assertTrue(failure.reason().contains(reasonPart), failure::line);
        assertTrue(failure.line().startsWith("FAIL  throttler_metric/"), failure::line);
    }

    @Test
    void goodMetricPassesEveryClause() {
        List<ClauseResult> results = new ContractRunner(ContractCatalog.standard()).run(new ThrottleFixtures.Good(), Map.of());
        assertEquals(CLAUSES, results.size(), () -> lines(results));
        results.forEach(r -> assertEquals(ClauseResult.Status.PASS, r.status(), r::line));
    }

    @Test
    void failingProbeThrowsUnavailableAndRecordsWhatWasAsked() {
        ScriptedMetricProbe p = ScriptedMetricProbe.failing();
        MosaicException e = assertThrows(MosaicException.class, () -> p.query("SELECT 1"));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertEquals(List.of("SELECT 1"), p.asked());
        assertTrue(p.replicationLagSeconds().isEmpty());
    }

    private static String lines(List<ClauseResult> results) {
        return results.stream().map(ClauseResult::line).collect(Collectors.joining("\n  ", "\n  ", ""));
    }
}
