/**
 * The tablet-manager gRPC service: role changes, replication control and administrative SQL on
 * the tablet's own mysqld, for the control daemon and the orchestrator.
 */
package dev.mosaic.server.tablet.manager;
