/**
 * Hot-row protection: transactions that update the same row are queued and let through a few at a
 * time, so that they do not pile up on one InnoDB row lock and exhaust the transaction pool (Vitess's
 * {@code txserializer.TxSerializer}). Independent of the query engine: it sees only {@link
 * dev.mosaic.server.tablet.hotrow.RowKey}s.
 */
package dev.mosaic.server.tablet.hotrow;
