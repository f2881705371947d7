package dev.mosaic.tck.runner;

import dev.mosaic.spi.PluginFactory;
import dev.mosaic.tck.RegistryContract;
import java.util.Map;

/** {@link RegistryContract} bound to the runner's provider under test. */
final class BoundRegistryContract extends RegistryContract {
    @Override
    protected PluginFactory<?> factory() {
        return ProviderUnderTest.get().factory();
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return ProviderUnderTest.sampleConfig();
    }
}
