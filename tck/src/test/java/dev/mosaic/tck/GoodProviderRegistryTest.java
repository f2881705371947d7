package dev.mosaic.tck;

import dev.mosaic.spi.PluginFactory;
import dev.mosaic.tck.fixtures.Fixtures;
import java.util.Map;

/** The registry contract used as a plugin author would use it: extended, run by surefire. */
class GoodProviderRegistryTest extends RegistryContract {
    @Override
    protected PluginFactory<?> factory() {
        return new Fixtures.NeedsBackend();
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return Map.of("endpoint", "localhost:1", "not_declared", "ignored");
    }
}
