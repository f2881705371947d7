/**
 * The topology-store contract ({@link dev.mosaic.tck.topo.TopoStoreContract}) and its watch
 * recorder ({@link dev.mosaic.tck.topo.TopoEvents}).
 */
package dev.mosaic.tck.topo;
