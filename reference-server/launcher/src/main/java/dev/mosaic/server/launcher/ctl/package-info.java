/**
 * {@code mosaic ctl}: the client of ctld's Vtctld gRPC API (Vitess's {@code vtctldclient}), one
 * subcommand per verb with vtctldclient's names, flags and positionals.
 */
package dev.mosaic.server.launcher.ctl;
