/**
 * mysqld management for the tablet (Vitess's {@code go/vt/mysqlctl}): a managed or attached
 * {@link dev.mosaic.server.mysqlctl.Mysqld}, its file layout and my.cnf, and
 * {@link dev.mosaic.server.mysqlctl.Replication} control built on the server's
 * {@link dev.mosaic.server.mysqlctl.flavor.Flavor}.
 */
package dev.mosaic.server.mysqlctl;
