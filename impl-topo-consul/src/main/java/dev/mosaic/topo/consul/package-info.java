/**
 * The {@code consul} topology store: Mosaic's {@link dev.mosaic.spi.topo.TopoStore} on Consul's
 * KV store, sessions and blocking queries, through the consul-api client. Modeled on Vitess's
 * {@code go/vt/topo/consultopo}; see {@code docs/topology-consul.md} for the mapping and for what
 * has and has not been validated against a real Consul server.
 */
package dev.mosaic.topo.consul;
