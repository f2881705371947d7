package dev.mosaic.topo.etcd;

import dev.mosaic.spi.PluginContext;
import dev.mosaic.spi.SpiVersion;
import dev.mosaic.spi.config.Config;
import dev.mosaic.spi.config.ConfigSpec;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.TopoStoreFactory;

/**
 * The {@code etcd} topology store: Mosaic's tree as keys under a root prefix in etcd v3, with
 * compare-and-set on mod revisions, watches that resume from the last revision seen, and locks and
 * elections held by a session lease that a background keep-alive renews (as Vitess's
 * {@code etcd2topo}). Each {@link #create} opens one client and one session.
 *
 * <p>Configuration keys: {@code endpoints} (required), {@code root}, {@code lease_ttl},
 * {@code dial_timeout}, {@code request_timeout}; see {@link #configSpec()}.
 */
public final class EtcdTopoFactory implements TopoStoreFactory {
    /** Used by {@link java.util.ServiceLoader}. */
    public EtcdTopoFactory() {
    }

    @Override
    public String type() {
        return "etcd";
    }

    @Override
    public String description() {
        return "Topology store on etcd v3 (jetcd): revisions as versions, lease-backed locks and elections, resuming watches.";
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public ConfigSpec configSpec() {
        return EtcdConfig.SPEC;
    }

    /**
     * Connects to etcd and checks it answers within {@code dial_timeout}.
     *
     * @throws dev.mosaic.api.error.MosaicException {@code INVALID_ARGUMENT} naming the key for an
     *         unusable value; {@link dev.mosaic.spi.topo.TopoException} {@code UNAVAILABLE} if etcd
     *         cannot be reached
     */
    @Override
    public TopoStore create(Config config, PluginContext context) {
        return EtcdTopoStore.connect(EtcdConfig.from(config), context.instanceName());
    }
}
