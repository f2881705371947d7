package dev.mosaic.server.tablet.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.server.topo.memory.MemoryTopoFactory;
import dev.mosaic.spi.Plugins;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The keyspace record's sidecar_db_name wins over the configured name; a silent or missing record does not. */
class SidecarNameTest {
    @Test
    void keyspaceRecordWins() {
        TopoConnector connector = new TopoConnector(Plugins.of(List.of(new MemoryTopoFactory())));
        try (TopoServer topo = connector.openServer(connector.target("memory:side-" + UUID.randomUUID(), Map.of()),
                TopoServer.Options.defaults())) {
            topo.createKeyspace("named", Keyspace.newBuilder().setSidecarDbName("_side").build());
            topo.createKeyspace("silent", Keyspace.getDefaultInstance());
            assertEquals("_side", Sidecar.resolveName(topo, "named", "_vt"));
            assertEquals("_vt", Sidecar.resolveName(topo, "silent", "_vt"));
            assertEquals("_cfg", Sidecar.resolveName(topo, "missing", "_cfg"));
        }
    }
}
