package dev.mosaic.tck.runner;

import dev.mosaic.spi.topo.TopoStoreFactory;
import dev.mosaic.tck.topo.TopoStoreContract;
import java.util.Map;

/**
 * {@link TopoStoreContract} bound to the runner's provider under test. Its configuration comes
 * from {@code --set KEY=VALUE}; the hooks keep their defaults (a session is killed by closing it,
 * and the backend is not restarted).
 */
final class BoundTopoStoreContract extends TopoStoreContract {
    @Override
    protected TopoStoreFactory factory() {
        return ProviderUnderTest.factory(TopoStoreFactory.class);
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return ProviderUnderTest.sampleConfig();
    }
}
