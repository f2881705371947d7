package dev.mosaic.server.process.config;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigException;
import dev.mosaic.spi.config.ConfigException.Problem;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.topo.TopoStoreFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code topo:} section of a process config: {@code topo.type} (required), the shorthands
 * {@code topo.global-server-address} and {@code topo.global-root}, and the plugin's own keys under
 * {@code topo.config.}, checked against the plugin's ConfigSpec.
 */
public final class TopoSection {
    /** Prefix of the topology plugin's own keys. */
    public static final String CONFIG_PREFIX = "topo.config.";
    /** The section's keys besides those under {@link #CONFIG_PREFIX}. */
    public static final List<String> KEYS = List.of("topo.type", "topo.global-server-address", "topo.global-root");

    private TopoSection() {
    }

    /**
     * Reads the section; null (with the problems added to {@code r}) if it is not valid.
     *
     * @param plugins where the topology plugin named by {@code topo.type} is looked up
     */
    public static TopoSettings read(ConfigReader r, Plugins plugins) {
        String type = r.required("topo.type", s -> s);
        if (type == null) {
            return null;
        }
        TopoStoreFactory factory;
        try {
            factory = plugins.factory(PluginKind.TOPO, type);
        } catch (MosaicException e) {
            r.problem("topo.type", e.getMessage());
            return null;
        }
        Map<String, String> values = r.values();
        Map<String, String> config = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(CONFIG_PREFIX)) {
                config.put(k.substring(CONFIG_PREFIX.length()), v);
            }
        });
        List<ConfigKey> declared = factory.configSpec().keys();
        String address = values.get("topo.global-server-address");
        if (address != null) {
            String key;
            try {
                key = new TopoConnector(plugins).addressKey(type);
            } catch (IllegalArgumentException e) {
                r.problem("topo.global-server-address", e.getMessage());
                key = null;
            }
            if (key != null && config.putIfAbsent(key, address) != null) {
                r.problem("topo.global-server-address", "also given as " + CONFIG_PREFIX + key);
            }
        }
        String root = values.get("topo.global-root");
        if (root != null) {
            if (declared.stream().noneMatch(k -> k.name().equals("root"))) {
                r.problem("topo.global-root", "topology plugin '" + type + "' has no root key");
            } else if (config.putIfAbsent("root", root) != null) {
                r.problem("topo.global-root", "also given as " + CONFIG_PREFIX + "root");
            }
        }
        try {
            factory.configSpec().validate(config, "topology plugin '" + type + "'");
        } catch (ConfigException e) {
            for (Problem p : e.problems()) {
                r.problem(CONFIG_PREFIX + p.key(), p.reason());
            }
            return null;
        }
        return new TopoSettings(type, config);
    }
}
