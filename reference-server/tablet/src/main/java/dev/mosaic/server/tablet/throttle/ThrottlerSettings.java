package dev.mosaic.server.tablet.throttle;

import java.time.Duration;
import java.util.Objects;

/**
 * The tablet's own throttler settings (tablet config {@code throttler.*}); what to throttle on is
 * per keyspace, in the topology.
 *
 * @param pollInterval   how often metrics are read, and a primary asks its replicas ({@code throttler.poll-interval})
 * @param configRefresh  how often the keyspace record is re-read for config changes ({@code throttler.config-refresh})
 * @param staleness      a replica reading older than this counts as an error ({@code throttler.staleness})
 * @param readTimeout    how long one metric read may take ({@code throttler.read-timeout})
 * @param rpcTimeout     the deadline of a CheckThrottler call to a replica ({@code throttler.rpc-timeout})
 */
public record ThrottlerSettings(Duration pollInterval, Duration configRefresh, Duration staleness, Duration readTimeout,
                                Duration rpcTimeout) {
    /** Checks every duration is positive, and that staleness spans at least two polls. */
    public ThrottlerSettings {
        positive("throttler.poll-interval", pollInterval);
        positive("throttler.config-refresh", configRefresh);
        positive("throttler.staleness", staleness);
        positive("throttler.read-timeout", readTimeout);
        positive("throttler.rpc-timeout", rpcTimeout);
        if (staleness.compareTo(pollInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("throttler.staleness (" + staleness
                    + ") must be at least twice throttler.poll-interval (" + pollInterval + ")");
        }
    }

    private static void positive(String key, Duration d) {
        Objects.requireNonNull(d, key);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + " must be positive: " + d);
        }
    }

    /** Poll every second, re-read config every second, stale after 5 s (Vitess's aggregated-metric expiry), 1 s reads and calls. */
    public static ThrottlerSettings defaults() {
        return new ThrottlerSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(1));
    }
}
