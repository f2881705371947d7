package dev.mosaic.tck.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.spi.PluginFactory;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.Clauses;
import dev.mosaic.tck.RegistryContract;
import dev.mosaic.tck.fixtures.Fixtures;
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
 * Runs the registry contract through the launcher against each broken provider and checks that
 * exactly the clause it breaks fails, with a message starting with the clause id.
 */
class ContractRunnerTest {
    /** The registry contract alone: these providers are checked for registry behaviour only. */
    private static final ContractCatalog REGISTRY_ONLY = ContractCatalog.empty().withEveryKind(BoundRegistryContract.class);
    private static final int REGISTRY_CLAUSES = Clauses.declaredBy(RegistryContract.class).size();

    static Stream<Arguments> brokenProviders() {
        return Stream.of(
                Arguments.of(new Fixtures.BadTypeName(), "registry.type-name", "does not match"),
                Arguments.of(new Fixtures.UnstableTypeName(), "registry.type-name", "changed"),
                Arguments.of(new Fixtures.OldSpiVersion(), "registry.spi-version", "0.9"),
                Arguments.of(new Fixtures.BlankDescription(), "registry.description", "blank"),
                Arguments.of(new Fixtures.ReadsUndeclaredKey(), "registry.create", "secret"),
                Arguments.of(new Fixtures.ReturnsNull(), "registry.create", "null"),
                Arguments.of(new Fixtures.ReturnsSingleton(), "registry.create", "same object"),
                Arguments.of(new Fixtures.DuplicateA(), "registry.unique", "Fixtures$DuplicateB"),
                Arguments.of(new Fixtures.DuplicateB(), "registry.unique", "Fixtures$DuplicateA"),
                Arguments.of(new Fixtures.Unlisted(), "registry.discoverable", "not listed"));
    }

    @ParameterizedTest(name = "{1} fails for {0}")
    @MethodSource("brokenProviders")
    void brokenProviderFailsExactlyItsClause(PluginFactory<?> provider, String clause, String reasonPart) {
        RawMessages raw = new RawMessages();
        List<ClauseResult> results = new ContractRunner(REGISTRY_ONLY).run(provider, Map.of(), raw);

        assertEquals(REGISTRY_CLAUSES, results.size(), () -> "one result per clause: " + results);
        Set<String> failed = results.stream().filter(r -> r.status() == ClauseResult.Status.FAIL)
                .map(ClauseResult::clause).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(clause), failed, () -> "results: " + lines(results));
        ClauseResult failure = results.stream().filter(r -> r.clause().equals(clause)).findFirst().orElseThrow();
        assertTrue(failure.reason().contains(reasonPart), failure::line);
        assertTrue(failure.line().startsWith("FAIL  durability/"), failure::line);
        assertEquals(List.of(clause), raw.failedClauses);
        raw.failureMessages.forEach(m -> assertTrue(m.startsWith(clause + ": "), m));
    }

    @Test
    void registryRefusalSkipsTheConfigurationClausesInsteadOfFailingThemAgain() {
        List<ClauseResult> results = new ContractRunner(REGISTRY_ONLY).run(new Fixtures.BadTypeName(), Map.of());
        Set<String> skipped = results.stream().filter(r -> r.status() == ClauseResult.Status.SKIP)
                .map(ClauseResult::clause).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("registry.config-missing-required", "registry.config-unknown-key", "registry.create"), skipped);
        results.stream().filter(r -> r.status() == ClauseResult.Status.SKIP)
                .forEach(r -> assertTrue(r.reason().contains("registry refuses"), r::line));
    }

    @Test
    void goodProviderPassesEveryClause() {
        List<ClauseResult> results = new ContractRunner(REGISTRY_ONLY).run(new Fixtures.Good(), Map.of());
        assertEquals(REGISTRY_CLAUSES, results.size());
        results.forEach(r -> assertEquals(ClauseResult.Status.PASS, r.status(), r::line));
        assertEquals("PASS  durability/tck_good  registry.create",
                results.stream().filter(r -> r.clause().equals("registry.create")).findFirst().orElseThrow().line());
    }

    @Test
    void providerWithRequiredKeysIsSkippedAtCreateUntilGivenSampleValues() {
        ContractRunner runner = new ContractRunner(REGISTRY_ONLY);
        List<ClauseResult> without = runner.run(new Fixtures.NeedsBackend(), Map.of());
        ClauseResult create = without.stream().filter(r -> r.clause().equals("registry.create")).findFirst().orElseThrow();
        assertEquals(ClauseResult.Status.SKIP, create.status());
        assertEquals("needs --set KEY=VALUE for required keys: endpoint", create.reason());
        assertEquals(REGISTRY_CLAUSES - 1, without.stream().filter(r -> r.status() == ClauseResult.Status.PASS).count(),
                () -> lines(without));

        List<ClauseResult> with = runner.run(new Fixtures.NeedsBackend(), Map.of("endpoint", "localhost:1", "other", "x"));
        with.forEach(r -> assertEquals(ClauseResult.Status.PASS, r.status(), r::line));
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
