/**
 * Replication tracking: the heartbeat the primary writes into the sidecar and replicas read to
 * measure their replication lag.
 */
package dev.mosaic.server.tablet.repltracker;
