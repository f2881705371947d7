package dev.mosaic.server.tablet.throttle;

import dev.mosaic.api.cluster.TabletType;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.spi.throttle.MetricProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The throttler metrics' view of the tablet: one MySQL connection of its own (opened on first use,
 * re-opened after an error, every query bounded by the read timeout), the heartbeat reader's lag,
 * and {@code /proc/loadavg} divided by the core count. Used from the throttler's reader thread only.
 */
public final class TabletMetricProbe implements MetricProbe, AutoCloseable {
    private final Mysqld mysqld;
    private final Supplier<TabletType> type;
    private final Supplier<OptionalDouble> lag;
    private final Path loadavg;
    private final int queryTimeoutSeconds;
    private Connection conn;

    /**
     * @param mysqld       the tablet's mysqld
     * @param type         the tablet's current type
     * @param lag          the heartbeat reader's lag in seconds, empty when unknown or on a primary
     * @param queryTimeout how long one query may run (rounded up to whole seconds, JDBC's unit)
     */
    public TabletMetricProbe(Mysqld mysqld, Supplier<TabletType> type, Supplier<OptionalDouble> lag, Duration queryTimeout) {
        this(mysqld, type, lag, queryTimeout, Path.of("/proc/loadavg"));
    }

    TabletMetricProbe(Mysqld mysqld, Supplier<TabletType> type, Supplier<OptionalDouble> lag, Duration queryTimeout,
            Path loadavg) {
        this.mysqld = Objects.requireNonNull(mysqld, "mysqld");
        this.type = Objects.requireNonNull(type, "type");
        this.lag = Objects.requireNonNull(lag, "lag");
        this.loadavg = Objects.requireNonNull(loadavg, "loadavg");
        this.queryTimeoutSeconds = (int) Math.max(1, (queryTimeout.toMillis() + 999) / 1000);
    }

    @Override
    public TabletType tabletType() {
        return type.get();
    }

    @Override
    public synchronized List<List<String>> query(String sql) {
        try {
            if (conn == null || conn.isClosed()) {
                conn = mysqld.connect();
            }
            try (Statement s = conn.createStatement()) {
                s.setQueryTimeout(queryTimeoutSeconds);
                try (ResultSet rs = s.executeQuery(sql)) {
                    int n = rs.getMetaData().getColumnCount();
                    List<List<String>> rows = new ArrayList<>();
                    while (rs.next()) {
                        List<String> row = new ArrayList<>(n);
                        for (int i = 1; i <= n; i++) {
                            row.add(rs.getString(i));
                        }
                        rows.add(row);
                    }
                    return rows;
                }
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
            throw new MosaicException(ErrorCode.UNAVAILABLE, "throttler probe: cannot run [" + sql + "]: " + e.getMessage(), e);
        }
    }

    @Override
    public OptionalDouble replicationLagSeconds() {
        return lag.get();
    }

    @Override
    public OptionalDouble loadAveragePerCore() {
        try {
            String first = Files.readString(loadavg).trim().split("\\s+")[0];
            return OptionalDouble.of(Double.parseDouble(first) / Runtime.getRuntime().availableProcessors());
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    private void closeQuietly() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException e) {
                // the connection is being dropped because it failed; nothing more to do
            }
            conn = null;
        }
    }

    /** Closes the connection. */
    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
