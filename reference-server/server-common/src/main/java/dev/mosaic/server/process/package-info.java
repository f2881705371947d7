/**
 * What a server process does around its parts: start them in order and, on failure or at
 * shutdown, stop them in reverse ({@link dev.mosaic.server.process.OrderedShutdown}), and the
 * process-wide metrics registry ({@link dev.mosaic.server.process.ProcessMetrics}).
 */
package dev.mosaic.server.process;
