/**
 * The tablet-manager gRPC service: role changes, replication control and administrative SQL on
 * the tablet's own mysqld, for the control daemon and the orchestrator; {@code ChangeType} keeps
 * read-only, the topology record and health in step through
 * {@link dev.mosaic.server.tablet.manager.TabletState}.
 */
package dev.mosaic.server.tablet.manager;
