package dev.mosaic.server.tablet.consolidator;

/**
 * A snapshot of a {@link Consolidator}'s counters, for the status page and for binding to
 * Micrometer ({@code FunctionCounter}/{@code Gauge} over the consolidator's methods).
 *
 * @param executions executions started (each ran the callback once)
 * @param consolidated callers that shared another caller's execution instead of running their own
 * @param admissionsClosed executions that stopped taking joiners because of the waiter cap or a
 *     result size bound
 * @param inFlight executions currently running
 * @param inFlightResultBytes result bytes reported by the executions currently running
 */
public record ConsolidatorStats(long executions, long consolidated, long admissionsClosed, int inFlight,
        long inFlightResultBytes) {
}
