package dev.mosaic.server.backup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.backup.MariaDbFixture;
import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.backup.BackupEngine;
import dev.mosaic.spi.backup.BackupEngineFactory;
import dev.mosaic.spi.backup.BackupHandle;
import dev.mosaic.spi.backup.MysqldControl;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.Clauses;
import dev.mosaic.tck.backup.BackupEngineContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The TCK engine contract's self-test, here rather than in tck/ because it needs a mysqld: broken
 * twins of the logical engine are run through the contract against real MariaDB, and each must be
 * rejected by exactly the clauses it breaks, with a message saying why.
 */
class BackupEngineContractSelfIT {
    static MariaDbFixture fixture;

    @BeforeAll
    static void start() {
        fixture = MariaDbFixture.start();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Restores every table but {@code events}: it loses rows. */
    static final class LosesRows extends Twin {
        LosesRows() {
            super("tck_loses_rows");
        }

        @Override
        public void restore(BackupParams params, BackupHandle handle, Map<String, String> details) {
            super.restore(params, handle, details);
            Sql.execute(params.mysqld(), List.of("SET SESSION sql_log_bin = 0",
                    "DROP TABLE " + BackupEngineContract.DATABASE + ".events"));
        }
    }

    /** Records a position the source never had (and restores the right one). */
    static final class WrongPosition extends Twin {
        WrongPosition() {
            super("tck_wrong_position");
        }

        @Override
        public BackupResult backup(BackupParams params, BackupHandle handle) {
            BackupResult r = super.backup(params, handle);
            return new BackupResult(r.position() + ",9-9-9", r.details());
        }
    }

    /** The logical engine behind a provider of another name; subclasses break one thing. */
    abstract static class Twin implements BackupEngine, BackupEngineFactory {
        private final String type;
        private final LogicalBackupEngine engine = new LogicalBackupEngine(new LogicalBackupEngine.Settings(1, Duration.ofMinutes(10)));

        Twin(String type) {
            this.type = type;
        }

        @Override
        public BackupResult backup(BackupParams params, BackupHandle handle) {
            return engine.backup(params, handle);
        }

        @Override
        public void restore(BackupParams params, BackupHandle handle, Map<String, String> details) {
            engine.restore(params, handle, details);
        }

        @Override
        public boolean shouldDrainForBackup() {
            return false;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String description() {
            return "A broken twin of the logical engine.";
        }

        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.EMPTY;
        }

        @Override
        public BackupEngine create(Config config, PluginContext context) {
            return this;
        }
    }

    /** The contract bound to the twin in {@link #current}. */
    abstract static class Bound extends BackupEngineContract {
        @Override
        protected MysqldControl source() {
            return running().source();
        }

        @Override
        protected MysqldControl newTarget() {
            return running().resetTarget();
        }

        // These broken contracts are meant to fail; they run only inside the self-test, never alone.
        private static MariaDbFixture running() {
            org.junit.jupiter.api.Assumptions.assumeTrue(fixture != null,
                    "runs only inside BackupEngineContractSelfIT, which starts the servers");
            return fixture;
        }

        @Override
        protected int fixtureRows() {
            return 500;
        }
    }

    /** The contract run on {@link LosesRows}. */
    static final class LosesRowsContract extends Bound {
        @Override
        protected BackupEngineFactory factory() {
            return new LosesRows();
        }
    }

    /** The contract run on {@link WrongPosition}. */
    static final class WrongPositionContract extends Bound {
        @Override
        protected BackupEngineFactory factory() {
            return new WrongPosition();
        }
    }

    /** Runs {@code contract} through the launcher; clause id to "PASS" or the failure message. */
    private static Map<String, String> run(Class<?> contract) {
        Map<String, String> out = new TreeMap<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(contract)).build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (!id.isTest()) {
                            result.getThrowable().ifPresent(t -> out.put(id.getDisplayName(), "CONTAINER FAILED " + t));
                            return;
                        }
                        String clause = id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                                .flatMap(ms -> Clauses.of(ms.getJavaMethod())).map(Clause::value).orElse(id.getDisplayName());
                        out.put(clause, result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "PASS"
                                : result.getStatus() + " " + result.getThrowable().map(Throwable::getMessage).orElse(""));
                    }
                });
        return out;
    }

    private static void assertRejectedBy(Map<String, String> results, Map<String, String> expected) {
        assertEquals(Clauses.declaredBy(BackupEngineContract.class).size(), results.size(), results::toString);
        Map<String, String> failed = new TreeMap<>();
        results.forEach((k, v) -> {
            if (!v.equals("PASS")) {
                failed.put(k, v);
            }
        });
        assertEquals(expected.keySet(), failed.keySet(), results::toString);
        expected.forEach((clause, part) -> assertTrue(failed.get(clause).startsWith("FAILED " + clause + ": ")
                && failed.get(clause).contains(part), clause + ": " + failed.get(clause)));
    }

    @Test
    void anEngineThatLosesATableIsRejectedByTheRowClauses() {
        assertRejectedBy(run(LosesRowsContract.class), Map.of(
                "backup_engine.round-trip", "events=missing",
                "backup_engine.restores-given-backup", "events=missing",
                "backup_engine.concurrent", "events=missing"));
    }

    @Test
    void anEngineThatRecordsAWrongPositionIsRejectedByThePositionClause() {
        assertRejectedBy(run(WrongPositionContract.class), Map.of(
                "backup_engine.position", ",9-9-9' but the source was at"));
    }
}
