/** The local cluster: topology, mysqlds, tablets, ctld and a gate on one machine. */
package dev.mosaic.server.local;
