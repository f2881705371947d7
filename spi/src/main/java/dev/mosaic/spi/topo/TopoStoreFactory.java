package dev.mosaic.spi.topo;

import dev.mosaic.spi.PluginFactory;

/**
 * Provider of a topology store backend ({@code etcd}, {@code zk}, {@code consul}, {@code memory}).
 * Configuration typically carries the server addresses and the root path under which this
 * store's tree lives (so one backend can host several clusters or cells).
 */
public interface TopoStoreFactory extends PluginFactory<TopoStore> {
}
