package dev.mosaic.tck.runner;

import dev.mosaic.spi.backup.BackupEngineFactory;
import dev.mosaic.spi.backup.MysqldControl;
import dev.mosaic.tck.backup.BackupEngineContract;
import java.util.Map;

/**
 * {@link BackupEngineContract} bound to the runner's provider under test. The runner has no mysqld
 * fixture, so every engine clause is reported as SKIP ({@code needs a mysqld fixture ...}); the
 * registry clauses still run. An engine proves the engine clauses by extending the contract in
 * its own tests with real servers.
 */
final class BoundBackupEngineContract extends BackupEngineContract {
    @Override
    protected BackupEngineFactory factory() {
        return ProviderUnderTest.factory(BackupEngineFactory.class);
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return ProviderUnderTest.sampleConfig();
    }

    @Override
    protected MysqldControl source() {
        return noFixture();
    }

    @Override
    protected MysqldControl newTarget() {
        return noFixture();
    }
}
