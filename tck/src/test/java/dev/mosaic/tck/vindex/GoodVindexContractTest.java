package dev.mosaic.tck.vindex;

import dev.mosaic.spi.vindex.VindexFactory;
import dev.mosaic.tck.vindex.fixtures.VindexFixtures;

/** The vindex contract used as a plugin author uses it: extended, run by surefire. */
class GoodVindexContractTest extends VindexContract {
    @Override
    protected VindexFactory factory() {
        return new VindexFixtures.Good();
    }
}
