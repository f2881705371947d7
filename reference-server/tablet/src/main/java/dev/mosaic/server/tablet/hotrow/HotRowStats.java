package dev.mosaic.server.tablet.hotrow;

import java.util.Map;

/**
 * A snapshot of {@link HotRowProtection}'s counters, per table where Vitess keeps them per table.
 * In dry-run mode the "would have" counters move instead of the enforcing ones.
 *
 * @param waits transactions that had to wait for others on the same row, by table
 * @param queueExceeded transactions rejected because their row's queue was full, by table
 * @param globalQueueExceeded transactions rejected because the global queue was full
 * @param waitsDryRun transactions that would have waited, by table
 * @param queueExceededDryRun transactions that would have been rejected for their row, by table
 * @param globalQueueExceededDryRun transactions that would have been rejected globally
 * @param queued transactions currently admitted (running or waiting) over all rows
 * @param rows rows that currently have at least one admitted transaction
 */
public record HotRowStats(Map<String, Long> waits, Map<String, Long> queueExceeded, long globalQueueExceeded,
        Map<String, Long> waitsDryRun, Map<String, Long> queueExceededDryRun, long globalQueueExceededDryRun,
        int queued, int rows) {
    /** Copies the maps. */
    public HotRowStats {
        waits = Map.copyOf(waits);
        queueExceeded = Map.copyOf(queueExceeded);
        waitsDryRun = Map.copyOf(waitsDryRun);
        queueExceededDryRun = Map.copyOf(queueExceededDryRun);
    }
}
