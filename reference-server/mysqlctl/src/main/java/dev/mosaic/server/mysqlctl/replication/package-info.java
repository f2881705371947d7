/**
 * Replication value types shared by every flavor: GTID sets and positions (MariaDB
 * {@code domain-server-seq} lists, MySQL {@code uuid:1-5} sets), replica status, replication
 * source and semi-sync status. Pure values, no I/O.
 */
package dev.mosaic.server.mysqlctl.replication;
