package dev.mosaic.tck.runner;

import dev.mosaic.spi.vindex.VindexFactory;
import dev.mosaic.tck.vindex.VindexContract;
import java.util.Map;

/** {@link VindexContract} bound to the runner's provider under test; {@code --set} gives the params. */
final class BoundVindexContract extends VindexContract {
    @Override
    protected VindexFactory factory() {
        return ProviderUnderTest.factory(VindexFactory.class);
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return ProviderUnderTest.sampleConfig();
    }
}
