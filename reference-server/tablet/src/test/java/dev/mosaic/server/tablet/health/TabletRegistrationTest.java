package dev.mosaic.server.tablet.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.ShardReplication;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.server.topo.memory.MemoryTopoFactory;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tablet record in a memory topology: published, type updated, removed. */
class TabletRegistrationTest {
    private static final TabletAlias ALIAS = TabletAlias.parse("zone1-100");
    private TopoServer topo;

    @BeforeEach
    void open() {
        String cluster = "reg-" + UUID.randomUUID();
        TopoConnector connector = new TopoConnector(Plugins.of(List.of(new MemoryTopoFactory())));
        topo = connector.openServer(connector.target("memory:" + cluster, Map.of()), TopoServer.Options.defaults());
        topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(cluster + "-zone1").build());
        topo.createKeyspace("commerce", Keyspace.getDefaultInstance());
        topo.createShard("commerce", "0");
    }

    @AfterEach
    void close() {
        topo.close();
    }

    private List<dev.mosaic.proto.topo.TabletAlias> graph() {
        try {
            return topo.getShardReplication("zone1", "commerce", "0").value().getNodesList().stream()
                    .map(ShardReplication.Node::getTabletAlias).toList();
        } catch (TopoException e) {
            if (e.error() == TopoError.NO_NODE) {
                return List.of();
            }
            throw e;
        }
    }

    @Test
    void publishUpdateRemove() {
        Tablet record = TabletRegistration.record(ALIAS, "host-a", 15991, "127.0.0.1", 3306, "commerce", "0",
                TabletType.REPLICA);
        TabletRegistration reg = new TabletRegistration(topo, record).start();

        Tablet stored = topo.getTablet(ALIAS).value();
        assertEquals(ProtoConversions.toProto(ALIAS), stored.getAlias());
        assertEquals("host-a", stored.getHostname());
        assertEquals(15991, stored.getPortMapOrThrow("grpc"));
        assertEquals("127.0.0.1", stored.getMysqlHostname());
        assertEquals(3306, stored.getMysqlPort());
        assertEquals("commerce", stored.getKeyspace());
        assertEquals("0", stored.getShard());
        assertEquals(TabletType.REPLICA, stored.getType());
        assertEquals(List.of(ProtoConversions.toProto(ALIAS)), graph());
        assertEquals(List.of(ALIAS), topo.getTabletAliasesByCell("zone1"));

        reg.updateType(TabletType.PRIMARY);
        Tablet primary = topo.getTablet(ALIAS).value();
        assertEquals(TabletType.PRIMARY, primary.getType());
        assertTrue(primary.hasPrimaryTermStartTime());
        assertEquals("host-a", primary.getHostname(), "other fields kept");

        reg.updateType(TabletType.RDONLY);
        assertEquals(TabletType.RDONLY, topo.getTablet(ALIAS).value().getType());
        assertFalse(topo.getTablet(ALIAS).value().hasPrimaryTermStartTime());

        reg.close();
        assertEquals(TopoError.NO_NODE, assertThrows(TopoException.class, () -> topo.getTablet(ALIAS)).error());
        assertEquals(List.of(), topo.getTabletAliasesByCell("zone1"));
        assertEquals(List.of(), graph());
        reg.close(); // twice is fine
    }

    @Test
    void theRecordIsCompletedBeforePublishingOnly() {
        TabletRegistration reg = new TabletRegistration(topo, TabletRegistration.record(ALIAS, "host-a", 0,
                "127.0.0.1", 3306, "commerce", "0", TabletType.REPLICA));
        reg.updateType(TabletType.RDONLY); // a type change before publishing is kept
        reg.completeRecord(t -> t.toBuilder().putPortMap("grpc", 16101).putPortMap("vt", 15101).build());
        assertThrows(IllegalArgumentException.class, () -> reg.completeRecord(t -> t.toBuilder()
                .setAlias(ProtoConversions.toProto(new TabletAlias("zone1", 999))).build()));
        reg.start();
        Tablet stored = topo.getTablet(ALIAS).value();
        assertEquals(16101, stored.getPortMapOrThrow("grpc"));
        assertEquals(15101, stored.getPortMapOrThrow("vt"));
        assertEquals(TabletType.RDONLY, stored.getType());
        assertThrows(IllegalStateException.class, () -> reg.completeRecord(t -> t));
        reg.close();
    }

    @Test
    void aLeftoverRecordIsReplaced() {
        new TabletRegistration(topo, TabletRegistration.record(ALIAS, "old-host", 1, "10.0.0.1", 1, "commerce", "0",
                TabletType.SPARE)).start(); // never closed: a crashed run
        TabletRegistration reg = new TabletRegistration(topo, TabletRegistration.record(ALIAS, "new-host", 2,
                "127.0.0.1", 3307, "commerce", "0", TabletType.REPLICA)).start();
        Tablet stored = topo.getTablet(ALIAS).value();
        assertEquals("new-host", stored.getHostname());
        assertEquals(TabletType.REPLICA, stored.getType());
        assertEquals(List.of(ProtoConversions.toProto(ALIAS)), graph());
        reg.close();
        assertEquals(List.of(), topo.getTabletAliasesByCell("zone1"));
    }
}
