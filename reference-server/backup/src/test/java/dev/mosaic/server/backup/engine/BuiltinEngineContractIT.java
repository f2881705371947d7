package dev.mosaic.server.backup.engine;

import dev.mosaic.server.backup.MariaDbFixture;
import dev.mosaic.spi.backup.BackupEngineFactory;
import dev.mosaic.spi.backup.MysqldControl;
import dev.mosaic.tck.backup.BackupEngineContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@code builtin} engine (method auto: mariabackup, as it is installed) keeps the TCK's engine contract against real MariaDB. */
class BuiltinEngineContractIT extends BackupEngineContract {
    private static MariaDbFixture fixture;

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

    @Override
    protected BackupEngineFactory factory() {
        return new BuiltinBackupEngineFactory();
    }

    @Override
    protected MysqldControl source() {
        return fixture.source();
    }

    @Override
    protected MysqldControl newTarget() {
        return fixture.resetTarget();
    }
}
