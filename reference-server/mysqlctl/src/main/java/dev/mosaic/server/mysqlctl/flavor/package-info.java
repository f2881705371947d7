/**
 * What differs between MariaDB and MySQL 8: GTID syntax, replication statements, semi-sync
 * variables, read-only, data directory creation. Flavors produce SQL text and parse results; they
 * run nothing.
 */
package dev.mosaic.server.mysqlctl.flavor;
