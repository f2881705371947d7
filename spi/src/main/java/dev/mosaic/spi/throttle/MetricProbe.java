package dev.mosaic.spi.throttle;

import dev.mosaic.api.cluster.TabletType;
import java.util.List;
import java.util.OptionalDouble;

/** What a metric may read on its tablet, provided by the tablet. */
public interface MetricProbe {
    /** The tablet's current type. */
    TabletType tabletType();

    /**
     * Runs a read-only query on the tablet's mysqld and returns the rows as text (NULL as null).
     *
     * @throws dev.mosaic.api.error.MosaicException {@code UNAVAILABLE} if mysqld cannot be queried
     */
    List<List<String>> query(String sql);

    /** The replication lag in seconds as the tablet measures it; empty on a primary or when unknown. */
    OptionalDouble replicationLagSeconds();

    /** The host's one-minute load average divided by its core count, if the OS reports it. */
    OptionalDouble loadAveragePerCore();
}
