package dev.mosaic.examples.vindex;

import dev.mosaic.spi.vindex.VindexFactory;
import dev.mosaic.tck.vindex.VindexContract;
import java.util.Map;

/** The vindex contract, with a salt. */
class TenantHashVindexContractTest extends VindexContract {
    @Override
    protected VindexFactory factory() {
        return new TenantHashVindexFactory();
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return Map.of("salt", "acme");
    }
}
