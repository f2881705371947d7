package dev.mosaic.tck.topo;

import dev.mosaic.server.topo.memory.MemoryTopoFactory;
import dev.mosaic.spi.topo.TopoStoreFactory;
import java.util.Map;

/** The in-memory reference store proves the topology contract can be kept: every clause passes. */
class MemoryTopoStoreContractTest extends TopoStoreContract {
    @Override
    protected TopoStoreFactory factory() {
        return new MemoryTopoFactory();
    }

    @Override
    protected Map<String, String> sampleConfig() {
        return Map.of("cluster", "tck-self-test");
    }
}
