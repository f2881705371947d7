/**
 * Tablet health: {@link dev.mosaic.server.tablet.health.TabletHealth} checks the tablet every
 * interval (serving, type, replication lag, QPS) and streams snapshots to listeners such as the
 * Query service's StreamHealth; {@link dev.mosaic.server.tablet.health.TabletRegistration}
 * publishes the tablet's record in the topology. Snapshots also carry the table names the schema
 * engine found changed ({@link dev.mosaic.server.tablet.health.TabletHealth#schemaChanged}).
 */
package dev.mosaic.server.tablet.health;
