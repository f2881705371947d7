package dev.mosaic.server.topo;

import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.TopoStoreFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Opens topology stores and {@link TopoServer}s by plugin type name through the {@link Plugins}
 * registry, and understands the {@code TYPE:ADDR} shorthand of the command line.
 *
 * <p>The shorthand puts {@code ADDR} into the plugin's <i>address key</i>: the key named for the
 * type in {@link #ADDRESS_KEYS} if the plugin declares it, else the plugin's first required key,
 * else its first declared key. The same key receives a cell's {@code CellInfo.server_address}
 * when a cell store is opened, and {@code CellInfo.root} goes into the plugin's {@code root} key
 * if it declares one; every other key is inherited from the global store's configuration.
 */
public final class TopoConnector {
    /** The address key of the known backends; other plugins fall back to their declared keys. */
    public static final Map<String, String> ADDRESS_KEYS =
            Map.of("memory", "cluster", "etcd", "endpoints", "zk", "servers", "consul", "address");

    private static final String ROOT_KEY = "root";

    /**
     * Which store to open.
     *
     * @param type   the topology plugin's type name
     * @param config its raw configuration
     */
    public record Target(String type, Map<String, String> config) {
        /** Copies the configuration, keeping its order. */
        public Target {
            Objects.requireNonNull(type, "type");
            config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
        }

        /** {@code type:key=value,...} for messages. */
        @Override
        public String toString() {
            return type + (config.isEmpty() ? "" : " " + config);
        }
    }

    private final Plugins plugins;

    /** A connector over {@code plugins}. */
    public TopoConnector(Plugins plugins) {
        this.plugins = Objects.requireNonNull(plugins, "plugins");
    }

    /**
     * The target named by {@code spec} ({@code TYPE} or {@code TYPE:ADDR}) with {@code extra}
     * configuration added ({@code extra} wins over the shorthand address).
     *
     * @throws dev.mosaic.api.error.MosaicException {@code NOT_FOUND} for an unknown type
     */
    public Target target(String spec, Map<String, String> extra) {
        int colon = spec.indexOf(':');
        String type = colon < 0 ? spec : spec.substring(0, colon);
        Map<String, String> config = new LinkedHashMap<>();
        if (colon >= 0) {
            config.put(addressKey(type), spec.substring(colon + 1));
        }
        config.putAll(extra);
        return new Target(type, config);
    }

    /**
     * The configuration key that holds {@code type}'s server address.
     *
     * @throws dev.mosaic.api.error.MosaicException {@code NOT_FOUND} for an unknown type
     * @throws IllegalArgumentException if the plugin declares no configuration at all
     */
    public String addressKey(String type) {
        TopoStoreFactory f = plugins.factory(PluginKind.TOPO, type);
        List<ConfigKey> keys = f.configSpec().keys();
        String preferred = ADDRESS_KEYS.get(type);
        if (preferred != null && keys.stream().anyMatch(k -> k.name().equals(preferred))) {
            return preferred;
        }
        return keys.stream().filter(ConfigKey::required).findFirst()
                .or(() -> keys.stream().findFirst())
                .map(ConfigKey::name)
                .orElseThrow(() -> new IllegalArgumentException("topology plugin '" + type
                        + "' takes no configuration, so it has no address to give with TYPE:ADDR"));
    }

    /** Opens a store; {@code instanceName} is the role ({@code global} or a cell name). */
    public TopoStore openStore(Target target, String instanceName) {
        return plugins.create(PluginKind.TOPO, target.type(), instanceName, target.config());
    }

    /** Opens a server whose global store is {@code target} and whose cells use the same plugin. */
    public TopoServer openServer(Target target, TopoServer.Options options) {
        TopoStore global = openStore(target, TopoPaths.GLOBAL_CELL);
        return new TopoServer(global, info -> openStore(cellTarget(target, info), "cell"), options);
    }

    /** The target of a cell store: the global configuration with the cell's address and root. */
    public Target cellTarget(Target global, CellInfo info) {
        Map<String, String> config = new LinkedHashMap<>(global.config());
        config.put(addressKey(global.type()), info.getServerAddress());
        boolean hasRoot = plugins.factory(PluginKind.TOPO, global.type()).configSpec().key(ROOT_KEY).isPresent();
        if (hasRoot) {
            if (info.getRoot().isEmpty()) {
                config.remove(ROOT_KEY);
            } else {
                config.put(ROOT_KEY, info.getRoot());
            }
        }
        return new Target(global.type(), config);
    }
}
