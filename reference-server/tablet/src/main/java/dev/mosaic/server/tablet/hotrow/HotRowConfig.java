package dev.mosaic.server.tablet.hotrow;

/**
 * Settings of {@link HotRowProtection}, validated on construction. Names follow Vitess's
 * {@code --hot_row_protection_*} flags (there enabled by {@code --enable_hot_row_protection}).
 *
 * @param dryRun only count and report the transactions that would have waited or been rejected;
 *     never block nor reject ({@code --enable_hot_row_protection_dry_run})
 * @param maxQueueSize the most transactions per row, running or waiting; one more is rejected
 *     ({@code --hot_row_protection_max_queue_size}, Vitess default 20)
 * @param maxGlobalQueueSize the most transactions over all rows, counting each row's first one;
 *     one more is rejected ({@code --hot_row_protection_max_global_queue_size}, Vitess default 1000)
 * @param concurrency how many transactions per row may run at once
 *     ({@code --hot_row_protection_concurrent_transactions}; Vitess defaults to 5, Mosaic to 1, strict
 *     serialization)
 */
public record HotRowConfig(boolean dryRun, int maxQueueSize, int maxGlobalQueueSize, int concurrency) {
    /** Enforcing, 20 per row, 1000 in total, one at a time per row. */
    public static final HotRowConfig DEFAULT = new HotRowConfig(false, 20, 1000, 1);

    /** Rejects limits that could never admit a transaction or that contradict each other. */
    public HotRowConfig {
        if (maxQueueSize < 1) {
            throw new IllegalArgumentException("maxQueueSize must be >= 1, got " + maxQueueSize);
        }
        if (maxGlobalQueueSize < maxQueueSize) {
            throw new IllegalArgumentException("maxGlobalQueueSize (" + maxGlobalQueueSize
                    + ") must be >= maxQueueSize (" + maxQueueSize + ")");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
    }

    /** This config with {@code dryRun} set. */
    public HotRowConfig withDryRun(boolean dryRun) {
        return new HotRowConfig(dryRun, maxQueueSize, maxGlobalQueueSize, concurrency);
    }
}
