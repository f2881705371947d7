/**
 * Query consolidation: identical read-only statements in flight at the same time share one MySQL
 * execution, as Vitess's {@code sync2.Consolidator} does for vttablet.
 *
 * <p>{@link dev.mosaic.server.tablet.consolidator.Consolidator} is independent of the query engine:
 * it knows a {@link dev.mosaic.server.tablet.consolidator.ConsolidationKey} and a callback that
 * performs the execution, nothing about JDBC or result formats.
 */
package dev.mosaic.server.tablet.consolidator;
