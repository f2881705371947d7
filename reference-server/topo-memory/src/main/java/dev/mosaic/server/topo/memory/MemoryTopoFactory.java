package dev.mosaic.server.topo.memory;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.TopoStoreFactory;

/**
 * The {@code memory} topology store: state lives in this JVM, shared by every connection opened
 * with the same {@code cluster} name. Each {@link #create} is an independent session, so locks,
 * ephemeral nodes and elections behave as with a real backend between connections; closing a
 * connection is its session's death. For tests and the one-process local cluster only: nothing
 * survives the process.
 */
public final class MemoryTopoFactory implements TopoStoreFactory {
    private static final ConfigSpec SPEC = ConfigSpec.of(
            ConfigKey.optional("cluster", ConfigType.STRING, "default",
                    "Name of the in-process backend; connections with the same name share one tree."));

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public String description() {
        return "In-process topology store for tests and the one-process local cluster; nothing is persisted.";
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public TopoStore create(Config config, PluginContext context) {
        return new MemoryTopoStore(MemoryBackend.named(config.getString("cluster")));
    }
}
