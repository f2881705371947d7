/** The control daemon process: config file, gRPC server, status page and metrics. */
package dev.mosaic.server.ctld.process;
