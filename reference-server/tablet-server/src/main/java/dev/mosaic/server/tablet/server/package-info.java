/**
 * The tablet as a process ({@code mosaic tablet --config FILE}): its YAML config file
 * ({@link dev.mosaic.server.tablet.server.TabletServerConfigLoader}), its Guice wiring
 * ({@link dev.mosaic.server.tablet.server.TabletServerModule}) and its startup and shutdown
 * sequence ({@link dev.mosaic.server.tablet.server.TabletProcess}).
 */
package dev.mosaic.server.tablet.server;
