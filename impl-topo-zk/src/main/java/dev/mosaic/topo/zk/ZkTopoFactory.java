package dev.mosaic.topo.zk;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.TopoStoreFactory;

/**
 * The {@code zk} topology store: Mosaic's topology on Apache ZooKeeper (3.6 or later) through
 * Curator, laid out like Vitess's {@code zk2topo}: files are znodes with data, directories are
 * container znodes, locks and elections are ephemeral sequential znodes.
 *
 * <p>Configuration: {@code servers} (required), {@code root}, {@code session_timeout},
 * {@code connection_timeout}, {@code retry_base_sleep}, {@code retry_max_sleep},
 * {@code retry_max_retries}, {@code watch_threads}; see {@link #configSpec()}.
 */
public final class ZkTopoFactory implements TopoStoreFactory {
    /** The type name: {@code zk}. */
    public static final String TYPE = "zk";

    /** For {@link java.util.ServiceLoader}. */
    public ZkTopoFactory() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Topology store on Apache ZooKeeper 3.6+ (Curator): znodes, ephemeral sequential locks and elections, persistent watches";
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public ConfigSpec configSpec() {
        return ZkConfig.SPEC;
    }

    /**
     * Connects, waiting up to {@code connection_timeout}, and makes sure the root znode exists.
     *
     * @throws dev.mosaic.spi.config.ConfigException for unusable values, naming the key
     * @throws dev.mosaic.spi.topo.TopoException {@code UNAVAILABLE} if no server answers in time
     */
    @Override
    public TopoStore create(Config config, PluginContext context) {
        ZkConfig zk = ZkConfig.from(config, "topology store '" + context.instanceName() + "' (type " + TYPE + ")");
        return ZkTopoStore.open(zk, context.instanceName());
    }
}
