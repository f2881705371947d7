/**
 * The gate as a process ({@code mosaic gate --config FILE}): its YAML config file
 * ({@link dev.mosaic.server.gate.process.GateServerConfigLoader}), its Guice wiring
 * ({@link dev.mosaic.server.gate.process.GateServerModule}), the topology refresh that keeps the
 * vschema and shards current ({@link dev.mosaic.server.gate.process.TopologyRefresher}) and its
 * startup and shutdown sequence ({@link dev.mosaic.server.gate.process.GateProcess}).
 */
package dev.mosaic.server.gate.process;
