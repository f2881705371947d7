package dev.mosaic.tck.runner;

import dev.mosaic.spi.PluginFactory;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.ClauseWarning;
import dev.mosaic.tck.Clauses;
import dev.mosaic.tck.PluginContract;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the applicable contracts of a {@link ContractCatalog} against one provider through the
 * JUnit Platform Launcher, and returns one {@link ClauseResult} per clause.
 *
 * <p>Bound contracts find the provider through a process-wide holder, so runs are serialized: a
 * call blocks while another run (in any thread) is in progress. Clauses run sequentially.
 */
public final class ContractRunner {
    private static final Object LOCK = new Object();

    private final ContractCatalog catalog;
    private final Launcher launcher;

    /**
     * A runner over {@code catalog}.
     *
     * @param catalog which contracts apply to which kind
     */
    public ContractRunner(ContractCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.launcher = LauncherFactory.create();
    }

    /**
     * Runs every contract applicable to {@code provider}'s kind.
     *
     * @param provider     the factory under test
     * @param sampleConfig raw configuration offered to the provider ({@code sampleConfig()}); keys
     *                     it does not declare are ignored
     * @param listeners    additional listeners (e.g. an XML report writer)
     * @return the results in execution order; a contract that could not run at all yields a FAIL
     *         named after the contract class
     */
    public List<ClauseResult> run(PluginFactory<?> provider, Map<String, String> sampleConfig,
                                  TestExecutionListener... listeners) {
        Objects.requireNonNull(provider, "provider");
        String label = PluginContract.label(provider);
        List<Class<? extends PluginContract<?>>> contracts = catalog.contractsFor(PluginKind.of(provider).orElse(null));
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "false");
        for (Class<?> c : contracts) {
            request.selectors(DiscoverySelectors.selectClass(c));
        }
        LauncherDiscoveryRequest built = request.build();
        Collector collector = new Collector(label);
        TestExecutionListener[] all = new TestExecutionListener[listeners.length + 1];
        all[0] = collector;
        System.arraycopy(listeners, 0, all, 1, listeners.length);
        synchronized (LOCK) {
            ProviderUnderTest.set(new ProviderUnderTest.Binding(provider, Map.copyOf(sampleConfig)));
            try {
                launcher.execute(built, all);
            } finally {
                ProviderUnderTest.clear();
            }
        }
        return collector.results();
    }

    /** Turns launcher events into clause results. */
    private static final class Collector implements TestExecutionListener {
        private final String provider;
        private final List<ClauseResult> results = Collections.synchronizedList(new ArrayList<>());

        Collector(String provider) {
            this.provider = provider;
        }

        List<ClauseResult> results() {
            return List.copyOf(results);
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            results.add(new ClauseResult(provider, clauseOf(id), ClauseResult.Status.SKIP, flatten(reason)));
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            String clause = clauseOf(id);
            String reason = result.getThrowable().map(t -> strip(clause, t)).orElse("");
            switch (result.getStatus()) {
                case SUCCESSFUL -> {
                    if (id.isTest()) {
                        results.add(new ClauseResult(provider, clause, ClauseResult.Status.PASS, ""));
                    }
                }
                case ABORTED -> results.add(new ClauseResult(provider, clause,
                        result.getThrowable().filter(ClauseWarning.class::isInstance).isPresent()
                                ? ClauseResult.Status.WARN : ClauseResult.Status.SKIP, reason));
                case FAILED -> results.add(new ClauseResult(provider, clause, ClauseResult.Status.FAIL, reason));
            }
        }

        private static String clauseOf(TestIdentifier id) {
            Optional<String> fromMethod = id.getSource()
                    .filter(MethodSource.class::isInstance)
                    .map(MethodSource.class::cast)
                    .flatMap(ms -> {
                        try {
                            return Clauses.of(ms.getJavaMethod()).map(Clause::value);
                        } catch (RuntimeException e) {
                            return Optional.empty();
                        }
                    });
            return fromMethod.orElse(id.getLegacyReportingName());
        }

        private static String strip(String clause, Throwable t) {
            String msg = t.getMessage() == null ? t.toString() : t.getMessage();
            if (msg.startsWith(clause + ": ")) {
                msg = msg.substring(clause.length() + 2);
            }
            return flatten(msg);
        }

        private static String flatten(String s) {
            return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
        }
    }
}
