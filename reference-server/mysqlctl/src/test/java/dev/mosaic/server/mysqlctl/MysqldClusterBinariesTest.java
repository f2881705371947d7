package dev.mosaic.server.mysqlctl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Missing MariaDB binaries skip a test locally and fail it under CI=true. */
class MysqldClusterBinariesTest {
    @Test
    void presentBinariesPass() {
        assertDoesNotThrow(() -> MysqldCluster.requireBinaries(null, true));
    }

    @Test
    void missingBinariesSkipLocally() {
        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> MysqldCluster.requireBinaries("mariadbd not found; apt-get install -y mariadb-server", false));
        assertTrue(e.getMessage().contains("apt-get install"), e.getMessage());
    }

    @Test
    void missingBinariesFailUnderCi() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> MysqldCluster.requireBinaries("mariadbd not found; apt-get install -y mariadb-server", true));
        assertTrue(e.getMessage().contains("CI=true"), e.getMessage());
    }
}
