package dev.mosaic.tck.vindex;

import dev.mosaic.spi.vindex.VindexFactory;
import dev.mosaic.tck.vindex.fixtures.VindexFixtures;
import java.util.Map;

/** The vindex contract over a lookup, with its table given as sample params. */
class GoodLookupContractTest extends VindexContract {
    @Override
    protected VindexFactory factory() {
        return new VindexFixtures.GoodLookup();
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return VindexContractSelfTest.LOOKUP_PARAMS;
    }
}
