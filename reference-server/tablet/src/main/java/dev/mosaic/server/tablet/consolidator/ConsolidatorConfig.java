package dev.mosaic.server.tablet.consolidator;

/**
 * Limits of a {@link Consolidator}, validated on construction.
 *
 * @param waiterCap the most callers that may wait on one execution (Vitess
 *     {@code --consolidator-query-waiter-cap}); {@code 0} means no cap. A caller arriving when the
 *     cap is reached starts its own execution, which later identical callers then share.
 * @param maxResultBytes once an execution has reported more than this many result bytes through
 *     {@link ResultSize#add}, it takes no further joiners (Vitess's per-query size bound of the
 *     stream consolidator, {@code --consolidator-stream-query-size}); {@code 0} means no bound.
 *     Callers that already joined still receive the result: they share one reference, so it
 *     costs no extra memory, but no new caller extends the life of a large result.
 * @param maxTotalResultBytes the bound on result bytes reported by all executions in flight
 *     together ({@code --consolidator-stream-total-size}); an execution whose report pushes the
 *     total over it takes no further joiners. {@code 0} means no bound.
 */
public record ConsolidatorConfig(int waiterCap, long maxResultBytes, long maxTotalResultBytes) {
    /** Vitess's defaults: no waiter cap, 2 MiB per result, 128 MiB in total. */
    public static final ConsolidatorConfig DEFAULT = new ConsolidatorConfig(0, 2L << 20, 128L << 20);

    /** Rejects negative limits. */
    public ConsolidatorConfig {
        if (waiterCap < 0) {
            throw new IllegalArgumentException("waiterCap must be >= 0, got " + waiterCap);
        }
        if (maxResultBytes < 0) {
            throw new IllegalArgumentException("maxResultBytes must be >= 0, got " + maxResultBytes);
        }
        if (maxTotalResultBytes < 0) {
            throw new IllegalArgumentException("maxTotalResultBytes must be >= 0, got " + maxTotalResultBytes);
        }
    }
}
