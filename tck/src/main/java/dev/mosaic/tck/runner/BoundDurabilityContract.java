package dev.mosaic.tck.runner;

import dev.mosaic.spi.durability.DurabilityPolicyFactory;
import dev.mosaic.tck.durability.DurabilityContract;
import java.util.Map;

/** {@link DurabilityContract} bound to the runner's provider under test; {@code --set} gives the config. */
final class BoundDurabilityContract extends DurabilityContract {
    @Override
    protected DurabilityPolicyFactory factory() {
        return ProviderUnderTest.factory(DurabilityPolicyFactory.class);
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return ProviderUnderTest.sampleConfig();
    }
}
