package dev.mosaic.spi;

import dev.mosaic.spi.backup.BackupEngine;
import dev.mosaic.spi.backup.BackupEngineFactory;
import dev.mosaic.spi.backup.BackupStorage;
import dev.mosaic.spi.backup.BackupStorageFactory;
import dev.mosaic.spi.durability.DurabilityPolicy;
import dev.mosaic.spi.durability.DurabilityPolicyFactory;
import dev.mosaic.spi.throttle.ThrottlerMetric;
import dev.mosaic.spi.throttle.ThrottlerMetricFactory;
import dev.mosaic.spi.topo.TopoStore;
import dev.mosaic.spi.topo.TopoStoreFactory;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexFactory;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One kind of plugin: the factory interface {@link java.util.ServiceLoader} looks up, and the
 * short name used in messages and on the command line ({@code --spi vindex}).
 *
 * @param <F> the factory interface
 */
public final class PluginKind<F extends PluginFactory<?>> {
    /** Topology stores. */
    public static final PluginKind<TopoStoreFactory> TOPO = new PluginKind<>("topo", TopoStoreFactory.class, TopoStore.class);
    /** Vindexes. */
    public static final PluginKind<VindexFactory> VINDEX = new PluginKind<>("vindex", VindexFactory.class, Vindex.class);
    /** Durability policies. */
    public static final PluginKind<DurabilityPolicyFactory> DURABILITY =
            new PluginKind<>("durability", DurabilityPolicyFactory.class, DurabilityPolicy.class);
    /** Backup engines. */
    public static final PluginKind<BackupEngineFactory> BACKUP_ENGINE =
            new PluginKind<>("backup_engine", BackupEngineFactory.class, BackupEngine.class);
    /** Backup storages. */
    public static final PluginKind<BackupStorageFactory> BACKUP_STORAGE =
            new PluginKind<>("backup_storage", BackupStorageFactory.class, BackupStorage.class);
    /** Throttler metrics. */
    public static final PluginKind<ThrottlerMetricFactory> THROTTLER_METRIC =
            new PluginKind<>("throttler_metric", ThrottlerMetricFactory.class, ThrottlerMetric.class);

    private static final List<PluginKind<?>> ALL =
            List.of(TOPO, VINDEX, DURABILITY, BACKUP_ENGINE, BACKUP_STORAGE, THROTTLER_METRIC);

    private final String name;
    private final Class<F> factoryType;
    private final Class<?> serviceType;

    private PluginKind(String name, Class<F> factoryType, Class<?> serviceType) {
        this.name = name;
        this.factoryType = factoryType;
        this.serviceType = serviceType;
    }

    /** Every kind, in a fixed order. */
    public static List<PluginKind<?>> all() {
        return ALL;
    }

    /** The kind called {@code name}, if any. */
    public static Optional<PluginKind<?>> byName(String name) {
        Objects.requireNonNull(name, "name");
        return ALL.stream().filter(k -> k.name.equals(name)).findFirst();
    }

    /** The kind whose factory interface {@code factory} implements, if any. */
    public static Optional<PluginKind<?>> of(PluginFactory<?> factory) {
        return ALL.stream().filter(k -> k.factoryType.isInstance(factory)).findFirst();
    }

    /** The short name, e.g. {@code vindex}. */
    public String name() {
        return name;
    }

    /** The factory interface providers implement. */
    public Class<F> factoryType() {
        return factoryType;
    }

    /** The service interface every instance made by this kind's factories implements. */
    public Class<?> serviceType() {
        return serviceType;
    }

    @Override
    public String toString() {
        return name;
    }
}
