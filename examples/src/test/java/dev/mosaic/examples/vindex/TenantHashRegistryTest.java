package dev.mosaic.examples.vindex;

import dev.mosaic.spi.PluginFactory;
import dev.mosaic.tck.RegistryContract;

/** The registry contract: discoverable, well named, configuration declared. */
class TenantHashRegistryTest extends RegistryContract {
    @Override
    protected PluginFactory<?> factory() {
        return new TenantHashVindexFactory();
    }
}
