package dev.mosaic.tck.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.topo.memory.MemoryTopoFactory;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.TopoStoreFactory;
import dev.mosaic.spi.topo.Versioned;
import dev.mosaic.spi.topo.Watch;
import dev.mosaic.spi.topo.WatchEvent;
import dev.mosaic.spi.topo.WatchListener;
import dev.mosaic.tck.fixtures.TopoFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The {@code topo.watch-backend-restart} clause against simulated restarts of the memory store: a
 * watch that ends with Failed passes, a watch that resumes passes, a watch that goes silent fails
 * naming the clause (within the deadline, not by hanging).
 */
class WatchRestartClauseTest {
    enum Mode { FAIL_WATCHES, RESUME, GO_SILENT }

    /** Watches that obey {@link #restart}: the simulated backend restart. */
    static final class RestartingFactory extends TopoFixtures.Base {
        static volatile Mode mode = Mode.RESUME;
        private static final List<Runnable> RESTARTS = new CopyOnWriteArrayList<>();

        /** Creates the factory. */
        public RestartingFactory() {
            super("tck_restarting");
        }

        static void restart() {
            RESTARTS.forEach(Runnable::run);
            RESTARTS.clear();
        }

        @Override
        protected TopoStore wrap(TopoStore s, Config config, PluginContext context) {
            return new TopoFixtures.Delegating(s) {
                @Override
                public Watch watch(String p, WatchListener l) {
                    boolean[] dead = {false};
                    Watch w = d.watch(p, e -> {
                        synchronized (dead) {
                            if (!dead[0]) {
                                l.onEvent(e);
                            }
                        }
                    });
                    RESTARTS.add(() -> {
                        if (mode == Mode.RESUME) {
                            return;
                        }
                        synchronized (dead) {
                            dead[0] = true;
                            if (mode == Mode.FAIL_WATCHES) {
                                l.onEvent(new WatchEvent.Failed(p, new TopoException(TopoError.UNAVAILABLE, p, "backend restarted")));
                            }
                        }
                    });
                    return new Watch() {
                        @Override public Versioned initial() { return w.initial(); }
                        @Override public void cancel() { w.cancel(); }
                    };
                }
            };
        }
    }

    /** The contract with a restartable (simulated) backend and a short restart deadline. */
    static class Restartable extends TopoStoreContract {
        @Override
        protected TopoStoreFactory factory() {
            return new RestartingFactory();
        }

        @Override
        protected Map<String, String> sampleConfig() {
            return Map.of("cluster", "tck-restart");
        }

        @Override
        protected boolean restartBackend() {
            RestartingFactory.restart();
            return true;
        }

        @Override
        protected Duration restartDeadline() {
            return Duration.ofMillis(800);
        }
    }

    private static TestExecutionResult runClause(Mode mode) {
        RestartingFactory.mode = mode;
        TestExecutionResult[] result = {null};
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectMethod(Restartable.class, "watchBackendRestart")).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                        if (id.isTest()) {
                            result[0] = r;
                        }
                    }
                });
        return result[0];
    }

    @Test
    void aWatchEndingWithFailedPasses() {
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, runClause(Mode.FAIL_WATCHES).getStatus());
    }

    @Test
    void aWatchThatResumesPasses() {
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, runClause(Mode.RESUME).getStatus());
    }

    @Test
    void aWatchThatGoesSilentFailsTheClauseWithinTheDeadline() {
        long t0 = System.nanoTime();
        TestExecutionResult r = runClause(Mode.GO_SILENT);
        assertEquals(TestExecutionResult.Status.FAILED, r.getStatus());
        String msg = r.getThrowable().orElseThrow().getMessage();
        assertTrue(msg.startsWith("topo.watch-backend-restart: "), msg);
        assertTrue(msg.contains("resumed") && msg.contains("Failed"), msg);
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "the clause hung");
    }
}
