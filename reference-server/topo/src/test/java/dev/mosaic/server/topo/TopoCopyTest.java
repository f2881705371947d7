package dev.mosaic.server.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.RoutingRule;
import dev.mosaic.proto.topo.RoutingRules;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopoCopyTest {
    static void populate(TopoServer ts) {
        ts.createKeyspace("commerce", Keyspace.newBuilder().setDurabilityPolicy("semi_sync").build());
        ts.saveVSchema("commerce", Fixtures.SHARDED);
        ts.createShard("commerce", "-80");
        ts.createShard("commerce", "80-");
        ts.saveRoutingRules(RoutingRules.newBuilder().addRules(RoutingRule.newBuilder()
                .setFromTable("c").addToTables("commerce.customer")).build());
        ts.createTablet(Tablet.newBuilder().setAlias(ProtoConversions.toProto(TabletAlias.parse("zone1-100")))
                .setKeyspace("commerce").setShard("-80").setType(TabletType.PRIMARY).setHostname("h1").build());
        ts.updateSrvKeyspace("zone1", "commerce", Fixtures.srvKeyspace("-80", "80-"));
        ts.rebuildSrvVSchema(java.util.List.of());
    }

    @Test
    void copiesEverythingOnceAndIsIdempotent() {
        String src = Fixtures.unique("src");
        String dst = Fixtures.unique("dst");
        try (TopoServer from = Fixtures.server(src);
             TopoServer to = Fixtures.CONNECTOR.openServer(Fixtures.memory(dst), TopoServer.Options.defaults())) {
            populate(from);
            Map<String, CellInfo> cells = Map.of("zone1", CellInfo.newBuilder().setServerAddress(dst + "-zone1").build());

            TopoCopy.Report dry = TopoCopy.copy(from, to, cells, true);
            assertEquals(0, to.getKeyspaceNames().size(), "a dry run writes nothing");
            assertEquals(0, to.getCellInfoNames().size());

            TopoCopy.Report first = TopoCopy.copy(from, to, cells, false);
            assertEquals(dry.changes(), first.changes(), "the dry run predicted the real run");
            assertEquals(0, first.count(TopoCopy.Action.UNCHANGED));
            assertEquals(10, first.count(TopoCopy.Action.CREATE), first.changes().toString());
            assertEquals(from.getKeyspace("commerce").value(), to.getKeyspace("commerce").value());
            assertEquals(Fixtures.SHARDED, to.getVSchema("commerce"));
            assertEquals(from.getShard("commerce", "80-").value(), to.getShard("commerce", "80-").value());
            assertEquals(from.getRoutingRules(), to.getRoutingRules());
            assertEquals(from.getTablet(TabletAlias.parse("zone1-100")).value(),
                    to.getTablet(TabletAlias.parse("zone1-100")).value());
            assertEquals(from.getSrvVSchema("zone1").value(), to.getSrvVSchema("zone1").value());
            assertEquals(from.getShardReplication("zone1", "commerce", "-80").value(),
                    to.getShardReplication("zone1", "commerce", "-80").value());
            assertEquals(dst + "-zone1", to.getCellInfo("zone1").value().getServerAddress());

            TopoCopy.Report again = TopoCopy.copy(from, to, Map.of(), false);
            assertEquals(first.changes().size() - 1, again.count(TopoCopy.Action.UNCHANGED), again.changes().toString());

            from.updateShardFields("commerce", "80-", s -> s.toBuilder().setIsPrimaryServing(false).build());
            TopoCopy.Report third = TopoCopy.copy(from, to, Map.of(), false);
            assertEquals(1, third.count(TopoCopy.Action.UPDATE));
            assertEquals(false, to.getShard("commerce", "80-").value().getIsPrimaryServing());
        }
    }

    @Test
    void cellsTheDestinationCannotReachAreSkippedWithAWarning() {
        try (TopoServer from = Fixtures.server(Fixtures.unique("src"));
             TopoServer to = Fixtures.CONNECTOR.openServer(Fixtures.memory(Fixtures.unique("dst")),
                     TopoServer.Options.defaults())) {
            populate(from);
            TopoCopy.Report r = TopoCopy.copy(from, to, Map.of(), false);
            assertEquals(1, r.warnings().size());
            assertTrue(r.warnings().get(0).contains("--cell-address zone1=ADDR"), r.warnings().get(0));
            assertEquals(from.getShardNames("commerce"), to.getShardNames("commerce"));
        }
    }

    @Test
    void theShorthandFillsThePluginsAddressKey() {
        assertEquals("cluster", Fixtures.CONNECTOR.addressKey("memory"));
        assertEquals(Map.of("cluster", "a"), Fixtures.CONNECTOR.target("memory:a", Map.of()).config());
        assertEquals(Map.of("cluster", "b"), Fixtures.CONNECTOR.target("memory:a", Map.of("cluster", "b")).config());
        assertEquals(Map.of(), Fixtures.CONNECTOR.target("memory", Map.of()).config());
        assertEquals(Map.of("cluster", "c1"), Fixtures.CONNECTOR.cellTarget(Fixtures.memory("g"),
                CellInfo.newBuilder().setServerAddress("c1").setRoot("/r").build()).config());
    }
}
