package dev.mosaic.topo.consul;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigKey;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.config.ConfigType;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.TopoStoreFactory;

/**
 * The {@code consul} topology store: files are Consul KV entries under {@code root} (version =
 * ModifyIndex), locks and elections are KV keys acquired by a Consul session that this connection
 * keeps alive, watches are blocking queries. Each {@link #create} call is one connection with its
 * own session.
 */
public final class ConsulTopoFactory implements TopoStoreFactory {
    private static final ConfigSpec SPEC = ConfigSpec.of(
            ConfigKey.required("address", ConfigType.STRING,
                    "Consul agent HTTP address, host:port (e.g. 127.0.0.1:8500)."),
            ConfigKey.optional("root", ConfigType.STRING, "mosaic/global",
                    "KV prefix under which this store's tree lives (global topo or one cell)."),
            ConfigKey.optional("session_ttl", ConfigType.DURATION, "15s",
                    "TTL of this connection's Consul session; a dead holder's locks free within 2x this (Consul's minimum is 10s)."),
            ConfigKey.optional("lock_delay", ConfigType.DURATION, "0s",
                    "Consul lock-delay of the session, whole seconds; 0s so a lock freed by a dead holder is available at once."),
            ConfigKey.optional("token", ConfigType.STRING,
                    "Consul ACL token sent as X-Consul-Token; absent means the agent's default token."),
            ConfigKey.optional("request_timeout", ConfigType.DURATION, "10s",
                    "Read timeout of one ordinary Consul request; a request that exceeds it fails with TIMEOUT."),
            ConfigKey.optional("watch_wait", ConfigType.DURATION, "30s",
                    "Wait of a watch's blocking query before it is re-issued (1s..10m)."),
            ConfigKey.optional("watch_retry_timeout", ConfigType.DURATION, "30s",
                    "How long a watch keeps retrying an unreachable Consul before it ends with a Failed event."));

    /** For {@link java.util.ServiceLoader}. */
    public ConsulTopoFactory() {
    }

    @Override
    public String type() {
        return "consul";
    }

    @Override
    public String description() {
        return "Topology store on Consul KV, sessions and blocking queries (consul-api).";
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
        return new ConsulTopoStore(ConsulSettings.from(config), context.instanceName());
    }
}
