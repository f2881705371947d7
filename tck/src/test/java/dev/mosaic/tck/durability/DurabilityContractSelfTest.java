package dev.mosaic.tck.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.spi.PluginFactory;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.Clauses;
import dev.mosaic.tck.RegistryContract;
import dev.mosaic.tck.durability.fixtures.DurabilityFixtures;
import dev.mosaic.tck.fixtures.Fixtures;
import dev.mosaic.tck.runner.ClauseResult;
import dev.mosaic.tck.runner.ContractCatalog;
import dev.mosaic.tck.runner.ContractRunner;
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
 * Runs the registry and durability contracts through the launcher, as {@code mosaic-tck} does,
 * against deliberately broken policies, and checks that exactly the clause each breaks fails,
 * naming it; that the warning clause warns without failing; and that good policies pass.
 */
class DurabilityContractSelfTest {
    private static final int CLAUSES = Clauses.declaredBy(RegistryContract.class).size()
            + Clauses.declaredBy(DurabilityContract.class).size();

    @Test
    void durabilityContractDeclaresTheSpecifiedClauses() {
        assertEquals(List.of("durability.ack-count", "durability.acks-reachable", "durability.deterministic",
                        "durability.has-semi-sync", "durability.must-not-non-serving", "durability.total"),
                Clauses.declaredBy(DurabilityContract.class).stream().map(Clause::value).toList());
    }

    static Stream<Arguments> brokenPolicies() {
        return Stream.of(
                Arguments.of(new DurabilityFixtures.ThrowsOnRestore(), "durability.total",
                        "isReplicaSemiSync(primary@zone1-100, restore@zone1-104) threw java.lang.IllegalArgumentException"),
                Arguments.of(new DurabilityFixtures.PromotesSpare(), "durability.must-not-non-serving",
                        "promotionRule(spare@zone1-105) is PREFER_NOT"),
                Arguments.of(new DurabilityFixtures.NegativeAcks(), "durability.ack-count",
                        "semiSyncAckers(primary@zone1-100) is -1"),
                Arguments.of(new DurabilityFixtures.HidesSemiSync(), "durability.has-semi-sync",
                        "hasSemiSync() is false but semiSyncAckers(primary@zone1-100) is 1"),
                Arguments.of(new DurabilityFixtures.CoinToss(), "durability.deterministic", "different answers"));
    }

    @ParameterizedTest(name = "{1} fails for {0}")
    @MethodSource("brokenPolicies")
    void brokenPolicyFailsExactlyItsClause(PluginFactory<?> provider, String clause, String reasonPart) {
        List<ClauseResult> results = new ContractRunner(ContractCatalog.standard()).run(provider, Map.of());
        assertEquals(CLAUSES, results.size(), () -> "one result per clause:" + lines(results));
        Set<String> failed = results.stream().filter(r -> r.status() != ClauseResult.Status.PASS)
                .map(ClauseResult::clause).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(clause), failed, () -> "results:" + lines(results));
        ClauseResult failure = results.stream().filter(r -> r.clause().equals(clause)).findFirst().orElseThrow();
        assertEquals(ClauseResult.Status.FAIL, failure.status(), failure::line);
        assertTrue(failure.reason().contains(reasonPart), failure::line);
        assertTrue(failure.line().startsWith("FAIL  durability/"), failure::line);
    }

    @Test
    void policyNeedingAcksNobodySendsIsWarnedNotFailed() {
        List<ClauseResult> results = new ContractRunner(ContractCatalog.standard()).run(new DurabilityFixtures.NobodyAcks(), Map.of());
        Set<String> notPassed = results.stream().filter(r -> r.status() != ClauseResult.Status.PASS)
                .map(ClauseResult::clause).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("durability.acks-reachable"), notPassed, () -> lines(results));
        ClauseResult warning = results.stream().filter(r -> r.clause().equals("durability.acks-reachable")).findFirst().orElseThrow();
        assertEquals("WARN  durability/tck_nobody_acks  durability.acks-reachable: primary@zone1-100 needs 1 acks but only 0 of 6"
                + " replica and rdonly tablets in [zone1, zone2, zone3] ack for it: every commit would wait for the semi-sync timeout",
                warning.line());
    }

    static Stream<PluginFactory<?>> goodPolicies() {
        return Stream.of(new DurabilityFixtures.GoodCrossCell(), new Fixtures.Good());
    }

    @ParameterizedTest(name = "{0} passes every clause")
    @MethodSource("goodPolicies")
    void goodPolicyPassesEveryClause(PluginFactory<?> provider) {
        List<ClauseResult> results = new ContractRunner(ContractCatalog.standard()).run(provider, Map.of());
        assertEquals(CLAUSES, results.size(), () -> lines(results));
        results.forEach(r -> assertEquals(ClauseResult.Status.PASS, r.status(), r::line));
    }

    private static String lines(List<ClauseResult> results) {
        return results.stream().map(ClauseResult::line).collect(Collectors.joining("\n  ", "\n  ", ""));
    }
}
