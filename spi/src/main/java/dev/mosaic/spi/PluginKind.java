package dev.mosaic.spi;

import dev.mosaic.spi.backup.BackupEngineFactory;
import dev.mosaic.spi.backup.BackupStorageFactory;
import dev.mosaic.spi.durability.DurabilityPolicyFactory;
import dev.mosaic.spi.throttle.ThrottlerMetricFactory;
import dev.mosaic.spi.topo.TopoStoreFactory;
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
    public static final PluginKind<TopoStoreFactory> TOPO = new PluginKind<>("topo", TopoStoreFactory.class);
    /** Vindexes. */
    public static final PluginKind<VindexFactory> VINDEX = new PluginKind<>("vindex", VindexFactory.class);
    /** Durability policies. */
    public static final PluginKind<DurabilityPolicyFactory> DURABILITY =
            new PluginKind<>("durability", DurabilityPolicyFactory.class);
    /** Backup engines. */
    public static final PluginKind<BackupEngineFactory> BACKUP_ENGINE =
            new PluginKind<>("backup_engine", BackupEngineFactory.class);
    /** Backup storages. */
    public static final PluginKind<BackupStorageFactory> BACKUP_STORAGE =
            new PluginKind<>("backup_storage", BackupStorageFactory.class);
    /** Throttler metrics. */
    public static final PluginKind<ThrottlerMetricFactory> THROTTLER_METRIC =
            new PluginKind<>("throttler_metric", ThrottlerMetricFactory.class);

    private static final List<PluginKind<?>> ALL =
            List.of(TOPO, VINDEX, DURABILITY, BACKUP_ENGINE, BACKUP_STORAGE, THROTTLER_METRIC);

    private final String name;
    private final Class<F> factoryType;

    private PluginKind(String name, Class<F> factoryType) {
        this.name = name;
        this.factoryType = factoryType;
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

    @Override
    public String toString() {
        return name;
    }
}
