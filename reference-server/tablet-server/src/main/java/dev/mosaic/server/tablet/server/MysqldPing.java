package dev.mosaic.server.tablet.server;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.tablet.health.TabletHealth;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The health check's question to a primary's mysqld: {@code SELECT 1} on one connection kept
 * between checks (not a new login every interval), opened again after any failure. Called from
 * one health check at a time (TabletHealth.check is synchronized).
 */
final class MysqldPing implements TabletHealth.MysqlProbe {
    private final Mysqld mysqld;
    private final int timeoutSeconds;
    private Connection connection;

    MysqldPing(Mysqld mysqld, Duration timeout) {
        this.mysqld = mysqld;
        this.timeoutSeconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    @Override
    public void check() {
        try {
            if (connection == null) {
                connection = mysqld.connect();
            }
            try (Statement s = connection.createStatement()) {
                s.setQueryTimeout(timeoutSeconds);
                s.execute("SELECT 1");
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
            if (e instanceof MosaicException m) {
                throw m;
            }
            throw new MosaicException(ErrorCode.UNAVAILABLE, "SELECT 1 failed on mysqld at "
                    + mysqld.connectionParams() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is being dropped because it failed
            }
            connection = null;
        }
    }
}
