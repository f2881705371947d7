/**
 * The gate's transaction modes and atomic (two-phase) commit across shards: the session's
 * {@link dev.mosaic.server.gate.tx.TransactionMode}, the commit coordinator
 * {@link dev.mosaic.server.gate.tx.TwoPhaseCommit} and the
 * {@link dev.mosaic.server.gate.tx.TransactionResolver} that finishes what a coordinator left.
 */
package dev.mosaic.server.gate.tx;
