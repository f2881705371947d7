package dev.mosaic.tck.vindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.spi.PluginFactory;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.Clauses;
import dev.mosaic.tck.RegistryContract;
import dev.mosaic.tck.runner.ClauseResult;
import dev.mosaic.tck.runner.ContractCatalog;
import dev.mosaic.tck.runner.ContractRunner;
import dev.mosaic.tck.vindex.fixtures.VindexFixtures;
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
 * Runs the registry and vindex contracts through the launcher, as {@code mosaic-tck} does, against
 * deliberately broken vindexes, and checks that exactly the clause each breaks fails, naming it;
 * and that the good fixtures pass every clause.
 */
class VindexContractSelfTest {
    static final Map<String, String> LOOKUP_PARAMS = Map.of("table", "name_idx", "from", "name", "to", "keyspace_id");
    private static final int CLAUSES = Clauses.declaredBy(RegistryContract.class).size()
            + Clauses.declaredBy(VindexContract.class).size();

    @Test
    void vindexContractDeclaresTheSpecifiedClauses() {
        assertEquals(List.of("vindex.cost", "vindex.deterministic", "vindex.distribution", "vindex.hashing",
                        "vindex.lookup", "vindex.lookup-consistent", "vindex.null-and-wrong-type", "vindex.prefix",
                        "vindex.range", "vindex.reversible", "vindex.unique", "vindex.verify"),
                Clauses.declaredBy(VindexContract.class).stream().map(Clause::value).toList());
    }

    static Stream<Arguments> brokenVindexes() {
        return Stream.of(
                Arguments.of(new VindexFixtures.NonDeterministic(), "vindex.deterministic", "from another with the same configuration"),
                Arguments.of(new VindexFixtures.ManyButUnique(), "vindex.unique", "isUnique() is true but map("),
                Arguments.of(new VindexFixtures.VerifiesAnything(), "vindex.verify", "is true too"),
                Arguments.of(new VindexFixtures.LossyReverse(), "vindex.reversible", "the reverse is lossy"),
                Arguments.of(new VindexFixtures.SkewedHash(), "vindex.distribution", "2 shards: chi-square"),
                Arguments.of(new VindexFixtures.NpeOnNull(), "vindex.null-and-wrong-type",
                        "map(NULL) threw java.lang.NullPointerException"),
                Arguments.of(new VindexFixtures.DeletesTooEarly(), "vindex.lookup-consistent",
                        "after an owner delete and a crash after the PRE commit"));
    }

    @ParameterizedTest(name = "{1} fails for {0}")
    @MethodSource("brokenVindexes")
    void brokenVindexFailsExactlyItsClause(PluginFactory<?> provider, String clause, String reasonPart) {
        List<ClauseResult> results = new ContractRunner(ContractCatalog.standard()).run(provider, LOOKUP_PARAMS);
        assertEquals(CLAUSES, results.size(), () -> "one result per clause:" + lines(results));
        Set<String> failed = results.stream().filter(r -> r.status() == ClauseResult.Status.FAIL)
                .map(ClauseResult::clause).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(clause), failed, () -> "results:" + lines(results));
        ClauseResult failure = results.stream().filter(r -> r.clause().equals(clause)).findFirst().orElseThrow();
        assertTrue(failure.reason().contains(reasonPart), failure::line);
        assertTrue(failure.line().startsWith("FAIL  vindex/"), failure::line);
        results.stream().filter(r -> r.status() == ClauseResult.Status.SKIP)
                .forEach(r -> assertTrue(false, "nothing is skipped with the lookup params given: " + r.line()));
    }

    static Stream<PluginFactory<?>> goodVindexes() {
        return Stream.of(new VindexFixtures.Good(), new VindexFixtures.GoodOrdered(), new VindexFixtures.GoodLookup());
    }

    @ParameterizedTest(name = "{0} passes every clause")
    @MethodSource("goodVindexes")
    void goodVindexPassesEveryClause(PluginFactory<?> provider) {
        List<ClauseResult> results = new ContractRunner(ContractCatalog.standard()).run(provider, LOOKUP_PARAMS);
        assertEquals(CLAUSES, results.size(), () -> lines(results));
        results.forEach(r -> assertEquals(ClauseResult.Status.PASS, r.status(), r::line));
    }

    @Test
    void lookupWithoutItsParamsIsSkippedNamingThem() {
        List<ClauseResult> results = new ContractRunner(ContractCatalog.standard()).run(new VindexFixtures.GoodLookup(), Map.of());
        ClauseResult lookup = results.stream().filter(r -> r.clause().equals("vindex.lookup")).findFirst().orElseThrow();
        assertEquals(ClauseResult.Status.SKIP, lookup.status(), lookup::line);
        assertEquals("needs --set KEY=VALUE for required keys: table, from, to", lookup.reason());
        assertTrue(results.stream().noneMatch(r -> r.status() == ClauseResult.Status.FAIL), () -> lines(results));
    }

    private static String lines(List<ClauseResult> results) {
        return results.stream().map(ClauseResult::line).collect(Collectors.joining("\n  ", "\n  ", ""));
    }
}
