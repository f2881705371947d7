package dev.mosaic.server.mysqlctl.replication;

/**
 * Semi-synchronous replication settings and state of one server.
 *
 * @param sourceEnabled the server, as a source, is configured to wait for replica acks
 * @param replicaEnabled the server, as a replica, is configured to ack
 * @param sourceActive the source side is currently waiting for acks (it falls back to
 *     asynchronous after a timeout with no ack, and back again when a replica catches up)
 * @param replicaActive the replica side is currently acking (its receiver is connected in semi-sync mode)
 * @param sourceClients how many semi-sync replicas are connected to this source
 * @param sourceTimeoutMillis how long a commit waits for an ack before falling back to asynchronous
 * @param sourceYesTx commits this source had acknowledged by a replica (since it started)
 * @param sourceNoTx commits this source returned without an ack: after the timeout, or while
 *     asynchronous; such a write may be lost if the source fails before a replica has it
 */
public record SemiSyncStatus(boolean sourceEnabled, boolean replicaEnabled, boolean sourceActive,
                             boolean replicaActive, long sourceClients, long sourceTimeoutMillis,
                             long sourceYesTx, long sourceNoTx) {
}
