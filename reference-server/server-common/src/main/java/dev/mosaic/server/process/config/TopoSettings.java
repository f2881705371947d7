package dev.mosaic.server.process.config;

import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The topology store a process connects to.
 *
 * @param type the topology plugin's type name (Vitess {@code --topo_implementation})
 * @param pluginConfig the plugin's configuration, already checked against its ConfigSpec
 */
public record TopoSettings(String type, Map<String, String> pluginConfig) {
    public TopoSettings {
        Objects.requireNonNull(type, "type");
        pluginConfig = Collections.unmodifiableMap(new LinkedHashMap<>(pluginConfig));
    }

    /** Connects to the store with the default options, the plugin found in {@code plugins}. */
    public TopoServer open(Plugins plugins) {
        return new TopoConnector(plugins).openServer(new TopoConnector.Target(type, pluginConfig),
                TopoServer.Options.defaults());
    }
}
