package dev.mosaic.tck.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.PluginFactory;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.backup.BackupEngine;
import dev.mosaic.spi.backup.BackupEngineFactory;
import dev.mosaic.spi.backup.BackupHandle;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.tck.Clause;
import dev.mosaic.tck.Clauses;
import dev.mosaic.tck.RegistryContract;
import dev.mosaic.tck.backup.fixtures.BackupFixtures;
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
 * Runs the registry and backup-storage contracts through the launcher, as {@code mosaic-tck} does,
 * against deliberately broken storages and checks that exactly the clause each breaks fails; a
 * good storage passes every clause. The engine contract needs a mysqld: here only its runner
 * binding is checked (every engine clause SKIPs, naming the missing fixture); the broken engines
 * are rejected by {@code BackupEngineContractSelfIT} in reference-server/backup, against MariaDB.
 */
class BackupContractSelfTest {
    private static final int STORAGE_CLAUSES = Clauses.declaredBy(RegistryContract.class).size()
            + Clauses.declaredBy(BackupStorageContract.class).size();

    @Test
    void contractsDeclareTheSpecifiedClauses() {
        assertEquals(List.of("backup_storage.abort", "backup_storage.concurrent", "backup_storage.duplicate",
                        "backup_storage.in-progress-hidden", "backup_storage.list-order", "backup_storage.read-back",
                        "backup_storage.read-only", "backup_storage.remove"),
                Clauses.declaredBy(BackupStorageContract.class).stream().map(Clause::value).toList());
        assertEquals(List.of("backup_engine.concurrent", "backup_engine.position", "backup_engine.restores-given-backup",
                        "backup_engine.round-trip", "backup_engine.source-kept", "backup_engine.storage-failure"),
                Clauses.declaredBy(BackupEngineContract.class).stream().map(Clause::value).toList());
    }

    @Test
    void goodStoragePassesEveryClause() {
        List<ClauseResult> results = new ContractRunner(ContractCatalog.standard()).run(new BackupFixtures.GoodMemory(), Map.of());
        assertEquals(STORAGE_CLAUSES, results.size(), () -> lines(results));
        assertTrue(results.stream().allMatch(r -> r.status() == ClauseResult.Status.PASS), () -> lines(results));
    }

    static Stream<Arguments> brokenStorages() {
        return Stream.of(
                Arguments.of(new BackupFixtures.ListsInProgress(), "backup_storage.in-progress-hidden",
                        "right after startBackup, listBackups is"),
                Arguments.of(new BackupFixtures.NewestFirst(), "backup_storage.list-order", "expected oldest first"),
                Arguments.of(new BackupFixtures.WritableAfterEnd(), "backup_storage.read-only",
                        "addFile on the ended handle succeeded; expected FAILED_PRECONDITION"));
    }

    @ParameterizedTest(name = "{1} fails for {0}")
    @MethodSource("brokenStorages")
    void brokenStorageFailsExactlyItsClause(PluginFactory<?> provider, String clause, String reasonPart) {
        List<ClauseResult> results = new ContractRunner(ContractCatalog.standard()).run(provider, Map.of());
        assertEquals(STORAGE_CLAUSES, results.size(), () -> "one result per clause:" + lines(results));
        Set<String> failed = results.stream().filter(r -> r.status() != ClauseResult.Status.PASS)
                .map(ClauseResult::clause).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(clause), failed, () -> "results:" + lines(results));
        ClauseResult failure = results.stream().filter(r -> r.clause().equals(clause)).findFirst().orElseThrow();
        assertEquals(ClauseResult.Status.FAIL, failure.status(), failure::line);
        assertTrue(failure.reason().contains(reasonPart), failure::line);
        assertTrue(failure.line().startsWith("FAIL  backup_storage/"), failure::line);
    }

    @Test
    void runnerSkipsEngineClausesForWantOfAMysqldButRunsTheRegistryClauses() {
        List<ClauseResult> results = new ContractRunner(ContractCatalog.standard()).run(new NoMysqldEngine(), Map.of());
        Set<String> engineClauses = Clauses.declaredBy(BackupEngineContract.class).stream().map(Clause::value)
                .collect(Collectors.toSet());
        for (ClauseResult r : results) {
            if (engineClauses.contains(r.clause())) {
                assertEquals(ClauseResult.Status.SKIP, r.status(), r::line);
                assertTrue(r.reason().contains("needs a mysqld fixture"), r::line);
            } else {
                assertEquals(ClauseResult.Status.PASS, r.status(), r::line);
            }
        }
        assertEquals(engineClauses, results.stream().map(ClauseResult::clause).filter(engineClauses::contains)
                .collect(Collectors.toSet()), () -> lines(results));
    }

    /** A well-formed engine provider whose engine must never be reached without a fixture. */
    public static final class NoMysqldEngine implements BackupEngineFactory {
        /** For the runner. */
        public NoMysqldEngine() {
        }

        @Override
        public String type() {
            return "tck_no_mysqld";
        }

        @Override
        public String description() {
            return "Engine for the runner binding test.";
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
            return new BackupEngine() {
                @Override
                public BackupResult backup(BackupParams params, BackupHandle handle) {
                    throw new AssertionError("reached without a fixture");
                }

                @Override
                public void restore(BackupParams params, BackupHandle handle, Map<String, String> manifestDetails) {
                    throw new AssertionError("reached without a fixture");
                }

                @Override
                public boolean shouldDrainForBackup() {
                    return false;
                }
            };
        }
    }

    private static String lines(List<ClauseResult> results) {
        return results.stream().map(r -> "\n  " + r.line()).collect(Collectors.joining());
    }
}
