package dev.mosaic.tck.runner;

import dev.mosaic.spi.throttle.ThrottlerMetricFactory;
import dev.mosaic.tck.throttle.ThrottlerMetricContract;
import java.util.Map;

/** {@link ThrottlerMetricContract} bound to the runner's provider under test; {@code --set} gives the config. */
final class BoundThrottlerMetricContract extends ThrottlerMetricContract {
    @Override
    protected ThrottlerMetricFactory factory() {
        return ProviderUnderTest.factory(ThrottlerMetricFactory.class);
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return ProviderUnderTest.sampleConfig();
    }
}
