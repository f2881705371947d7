package dev.mosaic.tck.runner;

import dev.mosaic.spi.PluginKind;
import dev.mosaic.tck.PluginContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which contracts the runner applies to a provider of each kind. Every entry is a concrete
 * <em>bound</em> contract class: a subclass of a contract whose {@code factory()} and
 * {@code sampleConfig()} return the runner's provider under test (see
 * {@link BoundRegistryContract}). Immutable; thread-safe.
 *
 * <p>To add the contract of a kind, e.g. a {@code VindexContract}: write
 * {@code final class BoundVindexContract extends VindexContract} in this package, delegating
 * {@code factory()} to {@code ProviderUnderTest.factory(VindexFactory.class)} and
 * {@code sampleConfig()} to {@code ProviderUnderTest.sampleConfig()}; then add
 * {@code .with(PluginKind.VINDEX, BoundVindexContract.class)} to {@link #standard()}.
 */
public final class ContractCatalog {
    private final List<Class<? extends PluginContract<?>>> everyKind;
    private final Map<PluginKind<?>, List<Class<? extends PluginContract<?>>>> byKind;

    private ContractCatalog(List<Class<? extends PluginContract<?>>> everyKind,
                            Map<PluginKind<?>, List<Class<? extends PluginContract<?>>>> byKind) {
        this.everyKind = List.copyOf(everyKind);
        Map<PluginKind<?>, List<Class<? extends PluginContract<?>>>> copy = new LinkedHashMap<>();
        byKind.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.byKind = Map.copyOf(copy);
    }

    /**
     * The contracts of this TCK: the registry contract for every kind, plus each kind's own
     * contract where it exists (topology, vindex, durability, backup storage, backup engine,
     * throttler metric; the engine contract's clauses are skipped by the runner, which has no
     * mysqld fixture).
     *
     * @return the standard catalog
     */
    public static ContractCatalog standard() {
        return empty().withEveryKind(BoundRegistryContract.class)
                .with(PluginKind.TOPO, BoundTopoStoreContract.class)
                .with(PluginKind.VINDEX, BoundVindexContract.class)
                .with(PluginKind.DURABILITY, BoundDurabilityContract.class)
                .with(PluginKind.BACKUP_STORAGE, BoundBackupStorageContract.class)
                .with(PluginKind.BACKUP_ENGINE, BoundBackupEngineContract.class)
                .with(PluginKind.THROTTLER_METRIC, BoundThrottlerMetricContract.class);
    }

    /**
     * A catalog with no contracts, to build on.
     *
     * @return an empty catalog
     */
    public static ContractCatalog empty() {
        return new ContractCatalog(List.of(), Map.of());
    }

    /**
     * This catalog plus a contract applied to providers of every kind.
     *
     * @param contract a concrete, bound contract class
     * @return a new catalog
     */
    public ContractCatalog withEveryKind(Class<? extends PluginContract<?>> contract) {
        Objects.requireNonNull(contract, "contract");
        List<Class<? extends PluginContract<?>>> all = new ArrayList<>(everyKind);
        all.add(contract);
        return new ContractCatalog(all, byKind);
    }

    /**
     * This catalog plus a contract applied to providers of {@code kind}.
     *
     * @param kind     the kind
     * @param contract a concrete, bound contract class
     * @return a new catalog
     */
    public ContractCatalog with(PluginKind<?> kind, Class<? extends PluginContract<?>> contract) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(contract, "contract");
        Map<PluginKind<?>, List<Class<? extends PluginContract<?>>>> m = new LinkedHashMap<>(byKind);
        List<Class<? extends PluginContract<?>>> l = new ArrayList<>(m.getOrDefault(kind, List.of()));
        l.add(contract);
        m.put(kind, l);
        return new ContractCatalog(everyKind, m);
    }

    /**
     * The contracts to run for a provider of {@code kind} (those for every kind first), or only
     * those for every kind when {@code kind} is null (a provider implementing no SPI interface).
     *
     * @param kind the provider's kind, may be null
     * @return contract classes in run order
     */
    public List<Class<? extends PluginContract<?>>> contractsFor(PluginKind<?> kind) {
        List<Class<? extends PluginContract<?>>> out = new ArrayList<>(everyKind);
        if (kind != null) {
            out.addAll(byKind.getOrDefault(kind, List.of()));
        }
        return List.copyOf(out);
    }
}
