package dev.mosaic.server.ctld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.proto.topo.KeyspaceType;
import dev.mosaic.proto.topo.RoutingRule;
import dev.mosaic.proto.topo.RoutingRules;
import dev.mosaic.proto.topo.SrvKeyspace;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.proto.vtctldata.ApplyRoutingRulesRequest;
import dev.mosaic.proto.vtctldata.ApplySchemaRequest;
import dev.mosaic.proto.vtctldata.ApplyVSchemaRequest;
import dev.mosaic.proto.vtctldata.ChangeTabletTypeRequest;
import dev.mosaic.proto.vtctldata.ChangeTabletTypeResponse;
import dev.mosaic.proto.vtctldata.CreateKeyspaceRequest;
import dev.mosaic.proto.vtctldata.CreateKeyspaceResponse;
import dev.mosaic.proto.vtctldata.CreateShardRequest;
import dev.mosaic.proto.vtctldata.CreateShardResponse;
import dev.mosaic.proto.vtctldata.DeleteKeyspaceRequest;
import dev.mosaic.proto.vtctldata.DeleteShardsRequest;
import dev.mosaic.proto.vtctldata.ExecuteFetchAsDBARequest;
import dev.mosaic.proto.vtctldata.GetClusterStatusRequest;
import dev.mosaic.proto.vtctldata.GetClusterStatusResponse;
import dev.mosaic.proto.vtctldata.GetKeyspaceRequest;
import dev.mosaic.proto.vtctldata.GetKeyspacesRequest;
import dev.mosaic.proto.vtctldata.GetRoutingRulesRequest;
import dev.mosaic.proto.vtctldata.GetSchemaRequest;
import dev.mosaic.proto.vtctldata.GetShardRequest;
import dev.mosaic.proto.vtctldata.GetTabletRequest;
import dev.mosaic.proto.vtctldata.GetTabletsRequest;
import dev.mosaic.proto.vtctldata.GetVSchemaRequest;
import dev.mosaic.proto.vtctldata.InitShardPrimaryRequest;
import dev.mosaic.proto.vtctldata.InitializeSequencesRequest;
import dev.mosaic.proto.vtctldata.RebuildKeyspaceGraphRequest;
import dev.mosaic.proto.vtctldata.RebuildVSchemaGraphRequest;
import dev.mosaic.proto.vtctldata.TabletStatus;
import dev.mosaic.server.topo.ActionLock;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.spi.topo.TopoException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every verb of the Vtctld service against the in-memory topology, through an in-process gRPC
 * channel: results, stored records, error codes and messages, and repeatability. Verbs that need a
 * live tablet are covered here for their checks before any tablet is called, and by
 * {@code VtctldTabletsIT} against real tablets.
 */
class VtctldServiceTest {
    private InProcessCtld ctld;

    @BeforeEach
    void start() {
        ctld = new InProcessCtld(Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        ctld.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static StatusRuntimeException assertStatus(Status.Code code, String fragment, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), "code of: " + e.getStatus());
        String description = String.valueOf(e.getStatus().getDescription());
        assertTrue(description.contains(fragment), "expected \"" + fragment + "\" in: " + description);
        return e;
    }

    private void createKeyspace(String name) {
        ctld.stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName(name).build());
    }

    private void createShard(String ks, String shard) {
        ctld.stub.createShard(CreateShardRequest.newBuilder().setKeyspace(ks).setShardName(shard).build());
    }

    /** A tablet record (no process behind it) on a port nothing listens on. */
    private Tablet addTablet(String cell, int uid, String ks, String shard, TabletType type) {
        Tablet t = Tablet.newBuilder().setAlias(alias(cell, uid)).setHostname("127.0.0.1")
                .putPortMap("grpc", closedPort()).setKeyspace(ks).setShard(shard).setType(type)
                .setMysqlHostname("127.0.0.1").setMysqlPort(3306).build();
        ctld.topo.createTablet(t);
        return t;
    }

    private static dev.mosaic.proto.topo.TabletAlias alias(String cell, int uid) {
        return ProtoConversions.toProto(new TabletAlias(cell, uid));
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> aliases(List<Tablet> tablets) {
        return tablets.stream().map(t -> ProtoConversions.fromProto(t.getAlias()).toString()).toList();
    }

    private boolean exists(Supplier<?> read) {
        try {
            read.get();
            return true;
        } catch (TopoException e) {
            return false;
        }
    }

    // ---- CreateKeyspace / GetKeyspace(s) ------------------------------------------------------

    @Test
    void createKeyspaceStoresTheRecordAndAnEmptyVSchemaAndIsServed() {
        CreateKeyspaceResponse r = ctld.stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("commerce")
                .setSidecarDbName("_mosaic").build());
        assertEquals("commerce", r.getKeyspace().getName());
        assertEquals("none", r.getKeyspace().getKeyspace().getDurabilityPolicy());
        assertEquals("_mosaic", r.getKeyspace().getKeyspace().getSidecarDbName());
        assertEquals(KeyspaceType.NORMAL, ctld.topo.getKeyspace("commerce").value().getKeyspaceType());
        assertEquals(KeyspaceVSchema.EMPTY, ctld.topo.getVSchema("commerce"));
        assertTrue(ctld.topo.getSrvVSchema("zone1").value().containsKeyspaces("commerce"));
        assertEquals("_vt", ctld.stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("other").build())
                .getKeyspace().getKeyspace().getSidecarDbName());
        assertEquals(List.of("commerce", "other"), ctld.stub.getKeyspaces(GetKeyspacesRequest.getDefaultInstance())
                .getKeyspacesList().stream().map(k -> k.getName()).toList());
        assertEquals("_mosaic", ctld.stub.getKeyspace(GetKeyspaceRequest.newBuilder().setKeyspace("commerce").build())
                .getKeyspace().getKeyspace().getSidecarDbName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"semi_sync", "semi_sync_with_rdonly_ack", "cross_cell", "cross_cell_with_rdonly_ack"})
    void createKeyspaceAcceptsEveryBuiltInDurabilityPolicy(String policy) {
        CreateKeyspaceResponse r = ctld.stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("durable")
                .setDurabilityPolicy(policy).build());
        assertEquals(policy, r.getKeyspace().getKeyspace().getDurabilityPolicy());
        assertEquals(policy, ctld.topo.getKeyspace("durable").value().getDurabilityPolicy());
    }

    @Test
    void createKeyspaceIsRefusedTwiceUnlessForcedAndForceOverwritesNothing() {
        createKeyspace("commerce");
        String stored = "{\"tables\": {\"product\": {}}}";
        ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("commerce").setVSchemaJson(stored).build());
        assertStatus(Status.Code.ALREADY_EXISTS, "keyspace commerce already exists", () -> createKeyspace("commerce"));
        CreateKeyspaceResponse again = ctld.stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("commerce")
                .setForce(true).setSidecarDbName("_other").build());
        assertEquals("_vt", again.getKeyspace().getKeyspace().getSidecarDbName());
        assertEquals(KeyspaceVSchema.fromJson(stored), ctld.topo.getVSchema("commerce"));
    }

    @Test
    void forcedCreateFillsTheFieldsOfABareRecordATabletCreated() {
        ctld.topo.createKeyspace("bare", dev.mosaic.proto.topo.Keyspace.getDefaultInstance());
        CreateKeyspaceResponse r = ctld.stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("bare")
                .setForce(true).setSidecarDbName("_side").build());
        assertEquals("none", r.getKeyspace().getKeyspace().getDurabilityPolicy());
        assertEquals("_side", ctld.topo.getKeyspace("bare").value().getSidecarDbName());
        assertEquals(KeyspaceVSchema.EMPTY, ctld.topo.getVSchema("bare"));
    }

    @Test
    void forcedCreateCompletesAKeyspaceLeftWithoutVSchema() {
        // what an interrupted CreateKeyspace leaves: the record, no vschema
        ctld.topo.createKeyspace("half", dev.mosaic.proto.topo.Keyspace.newBuilder().setDurabilityPolicy("none").build());
        ctld.stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("half").setForce(true).build());
        assertEquals(KeyspaceVSchema.EMPTY, ctld.topo.getVSchema("half"));
    }

    @Test
    void allowEmptyVSchemaStoresNone() {
        ctld.stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("bare").setAllowEmptyVSchema(true).build());
        assertFalse(exists(() -> ctld.topo.getVSchemaRecord("bare")));
        assertStatus(Status.Code.NOT_FOUND, "keyspace bare has no vschema",
                () -> ctld.stub.getVSchema(GetVSchemaRequest.newBuilder().setKeyspace("bare").build()));
    }

    @Test
    void snapshotKeyspaceCopiesItsBaseVSchemaWithExplicitRouting() {
        createKeyspace("base");
        ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("base")
                .setVSchemaJson("{\"tables\": {\"t\": {}}}").build());
        CreateKeyspaceResponse r = ctld.stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("snap")
                .setType(KeyspaceType.SNAPSHOT).setBaseKeyspace("base").build());
        assertEquals("base", r.getKeyspace().getKeyspace().getBaseKeyspace());
        assertTrue(r.getKeyspace().getKeyspace().hasSnapshotTime());
        KeyspaceVSchema v = ctld.topo.getVSchema("snap");
        assertTrue(v.requireExplicitRouting());
        assertTrue(v.tables().containsKey("t"));
    }

    static List<Object[]> badCreateKeyspace() {
        return List.of(
                new Object[]{"empty name", CreateKeyspaceRequest.newBuilder(), Status.Code.INVALID_ARGUMENT,
                        "keyspace name is required"},
                new Object[]{"slash in name", CreateKeyspaceRequest.newBuilder().setName("a/b"),
                        Status.Code.INVALID_ARGUMENT, "invalid character '/'"},
                new Object[]{"unknown durability", CreateKeyspaceRequest.newBuilder().setName("ks")
                        .setDurabilityPolicy("sometimes"), Status.Code.INVALID_ARGUMENT,
                        "durability policy \"sometimes\" is not a known durability plugin; known: cross_cell, cross_cell_with_rdonly_ack,"
                        + " none, semi_sync, semi_sync_with_rdonly_ack"},
                new Object[]{"snapshot without base", CreateKeyspaceRequest.newBuilder().setName("ks")
                        .setType(KeyspaceType.SNAPSHOT), Status.Code.INVALID_ARGUMENT, "needs base_keyspace"},
                new Object[]{"snapshot of a missing base", CreateKeyspaceRequest.newBuilder().setName("ks")
                        .setType(KeyspaceType.SNAPSHOT).setBaseKeyspace("nope"), Status.Code.NOT_FOUND,
                        "keyspace nope not found"},
                new Object[]{"normal with base", CreateKeyspaceRequest.newBuilder().setName("ks")
                        .setBaseKeyspace("x"), Status.Code.INVALID_ARGUMENT, "only for a SNAPSHOT keyspace"},
                new Object[]{"bad sidecar name", CreateKeyspaceRequest.newBuilder().setName("ks")
                        .setSidecarDbName("a b"), Status.Code.INVALID_ARGUMENT, "sidecar database name"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCreateKeyspace")
    void createKeyspaceRejects(String name, CreateKeyspaceRequest.Builder req, Status.Code code, String message) {
        assertStatus(code, message, () -> ctld.stub.createKeyspace(req.build()));
        assertEquals(List.of(), ctld.topo.getKeyspaceNames());
    }

    @Test
    void getKeyspaceOfAMissingKeyspaceIsNotFound() {
        assertStatus(Status.Code.NOT_FOUND, "keyspace nope not found",
                () -> ctld.stub.getKeyspace(GetKeyspaceRequest.newBuilder().setKeyspace("nope").build()));
    }

    // ---- CreateShard / GetShard ---------------------------------------------------------------

    @Test
    void createShardStoresTheKeyRangeAndIsRefusedTwiceUnlessForced() {
        createKeyspace("customer");
        CreateShardResponse r = ctld.stub.createShard(CreateShardRequest.newBuilder().setKeyspace("customer")
                .setShardName("-80").build());
        assertFalse(r.getShardAlreadyExists());
        assertEquals("-80", r.getShard().getName());
        assertEquals("customer", r.getKeyspace().getName());
        assertEquals(ProtoConversions.shardKeyRange("-80").orElseThrow(), r.getShard().getShard().getKeyRange());
        assertTrue(r.getShard().getShard().getIsPrimaryServing());
        assertStatus(Status.Code.ALREADY_EXISTS, "shard customer/-80 already exists", () -> createShard("customer", "-80"));
        CreateShardResponse forced = ctld.stub.createShard(CreateShardRequest.newBuilder().setKeyspace("customer")
                .setShardName("-80").setForce(true).build());
        assertTrue(forced.getShardAlreadyExists());
        assertEquals(r.getShard(), forced.getShard());
        assertEquals(r.getShard(), ctld.stub.getShard(GetShardRequest.newBuilder().setKeyspace("customer")
                .setShardName("-80").build()).getShard());
    }

    @Test
    void createShardWithIncludeParentCreatesTheKeyspace() {
        ctld.stub.createShard(CreateShardRequest.newBuilder().setKeyspace("fresh").setShardName("0")
                .setIncludeParent(true).build());
        assertEquals("none", ctld.topo.getKeyspace("fresh").value().getDurabilityPolicy());
        assertEquals(KeyspaceVSchema.EMPTY, ctld.topo.getVSchema("fresh"));
        assertEquals(List.of("0"), ctld.topo.getShardNames("fresh"));
        assertFalse(ctld.topo.getShard("fresh", "0").value().hasKeyRange());
    }

    static List<Object[]> badCreateShard() {
        return List.of(
                new Object[]{"missing keyspace", "nope", "0", Status.Code.NOT_FOUND, "keyspace nope not found"},
                new Object[]{"empty shard name", "ks", "", Status.Code.INVALID_ARGUMENT, "shard name is required"},
                new Object[]{"reversed range", "ks", "80-40", Status.Code.INVALID_ARGUMENT, "invalid shard name \"80-40\""},
                new Object[]{"not hex", "ks", "-8g", Status.Code.INVALID_ARGUMENT, "invalid shard name \"-8g\""},
                new Object[]{"slash", "ks", "a/b", Status.Code.INVALID_ARGUMENT, "invalid shard name \"a/b\""});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCreateShard")
    void createShardRejects(String name, String ks, String shard, Status.Code code, String message) {
        createKeyspace("ks");
        assertStatus(code, message, () -> createShard(ks, shard));
        assertEquals(List.of(), ctld.topo.getShardNames("ks"));
    }

    @Test
    void getShardOfMissingShardOrKeyspaceIsNotFound() {
        createKeyspace("ks");
        assertStatus(Status.Code.NOT_FOUND, "shard ks/0 not found",
                () -> ctld.stub.getShard(GetShardRequest.newBuilder().setKeyspace("ks").setShardName("0").build()));
        assertStatus(Status.Code.NOT_FOUND, "keyspace zz not found",
                () -> ctld.stub.getShard(GetShardRequest.newBuilder().setKeyspace("zz").setShardName("0").build()));
    }

    // ---- GetTablets / GetTablet ---------------------------------------------------------------

    private void threeTablets() {
        createKeyspace("customer");
        createShard("customer", "-80");
        createShard("customer", "80-");
        addTablet("zone1", 100, "customer", "-80", TabletType.PRIMARY);
        addTablet("zone1", 101, "customer", "-80", TabletType.REPLICA);
        addTablet("zone2", 200, "customer", "80-", TabletType.RDONLY);
    }

    static List<Object[]> tabletFilters() {
        return List.of(
                new Object[]{"all", GetTabletsRequest.newBuilder(), List.of("zone1-0000000100", "zone1-0000000101",
                        "zone2-0000000200")},
                new Object[]{"keyspace", GetTabletsRequest.newBuilder().setKeyspace("customer"),
                        List.of("zone1-0000000100", "zone1-0000000101", "zone2-0000000200")},
                new Object[]{"other keyspace", GetTabletsRequest.newBuilder().setKeyspace("commerce"), List.of()},
                new Object[]{"shard", GetTabletsRequest.newBuilder().setKeyspace("customer").setShard("-80"),
                        List.of("zone1-0000000100", "zone1-0000000101")},
                new Object[]{"cell", GetTabletsRequest.newBuilder().addCells("zone2"), List.of("zone2-0000000200")},
                new Object[]{"type", GetTabletsRequest.newBuilder().setTabletType(TabletType.REPLICA),
                        List.of("zone1-0000000101")},
                new Object[]{"aliases", GetTabletsRequest.newBuilder().addTabletAliases(alias("zone2", 200))
                        .addTabletAliases(alias("zone1", 100)), List.of("zone1-0000000100", "zone2-0000000200")},
                new Object[]{"aliases and type", GetTabletsRequest.newBuilder().addTabletAliases(alias("zone2", 200))
                        .addTabletAliases(alias("zone1", 100)).setTabletType(TabletType.PRIMARY),
                        List.of("zone1-0000000100")},
                new Object[]{"missing alias, not strict", GetTabletsRequest.newBuilder()
                        .addTabletAliases(alias("zone1", 999)).addTabletAliases(alias("zone1", 101)),
                        List.of("zone1-0000000101")},
                new Object[]{"unknown cell, not strict", GetTabletsRequest.newBuilder().addCells("mars")
                        .addCells("zone2"), List.of("zone2-0000000200")});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tabletFilters")
    void getTabletsFilters(String name, GetTabletsRequest.Builder req, List<String> expected) {
        threeTablets();
        assertEquals(expected, aliases(ctld.stub.getTablets(req.build()).getTabletsList()));
    }

    static List<Object[]> badGetTablets() {
        return List.of(
                new Object[]{"shard without keyspace", GetTabletsRequest.newBuilder().setShard("-80"),
                        Status.Code.INVALID_ARGUMENT, "needs a keyspace"},
                new Object[]{"strict, unknown cell", GetTabletsRequest.newBuilder().addCells("mars").setStrict(true),
                        Status.Code.NOT_FOUND, "cell mars is not registered"},
                new Object[]{"strict, missing alias", GetTabletsRequest.newBuilder().setStrict(true)
                        .addTabletAliases(alias("zone1", 999)), Status.Code.NOT_FOUND, "tablet zone1-0000000999 not found"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badGetTablets")
    void getTabletsRejects(String name, GetTabletsRequest.Builder req, Status.Code code, String message) {
        threeTablets();
        assertStatus(code, message, () -> ctld.stub.getTablets(req.build()));
    }

    @Test
    void getTabletReadsOneRecord() {
        threeTablets();
        assertEquals("80-", ctld.stub.getTablet(GetTabletRequest.newBuilder().setTabletAlias(alias("zone2", 200))
                .build()).getTablet().getShard());
        assertStatus(Status.Code.NOT_FOUND, "tablet zone1-0000000007 not found", () -> ctld.stub.getTablet(
                GetTabletRequest.newBuilder().setTabletAlias(alias("zone1", 7)).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "tablet alias", () -> ctld.stub.getTablet(
                GetTabletRequest.getDefaultInstance()));
    }

    // ---- RebuildKeyspaceGraph / RebuildVSchemaGraph -------------------------------------------

    @Test
    void rebuildKeyspaceGraphWritesOnePartitionPerServedTypeInEveryCell() {
        createKeyspace("customer");
        createShard("customer", "80-");
        createShard("customer", "-80");
        ctld.stub.rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("customer").build());
        for (String cell : List.of("zone1", "zone2")) {
            SrvKeyspace srv = ctld.topo.getSrvKeyspace(cell, "customer").value();
            assertEquals(List.of(TabletType.PRIMARY, TabletType.REPLICA, TabletType.RDONLY),
                    srv.getPartitionsList().stream().map(SrvKeyspace.KeyspacePartition::getServedType).toList());
            for (var p : srv.getPartitionsList()) {
                assertEquals(List.of("-80", "80-"), p.getShardReferencesList().stream().map(r -> r.getName()).toList());
                assertEquals(ProtoConversions.shardKeyRange("80-").orElseThrow(), p.getShardReferences(1).getKeyRange());
            }
        }
        // repeatable: the same graph again
        SrvKeyspace before = ctld.topo.getSrvKeyspace("zone1", "customer").value();
        ctld.stub.rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("customer").build());
        assertEquals(before, ctld.topo.getSrvKeyspace("zone1", "customer").value());
    }

    @Test
    void rebuildKeyspaceGraphRefusesAGapUnlessPartialAndHonorsCells() {
        createKeyspace("customer");
        createShard("customer", "-80");
        assertStatus(Status.Code.FAILED_PRECONDITION, "serving shard -80 is the last one but does not reach the end",
                () -> ctld.stub.rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("customer")
                        .build()));
        assertFalse(exists(() -> ctld.topo.getSrvKeyspace("zone1", "customer")));
        ctld.stub.rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("customer")
                .setAllowPartial(true).addCells("zone2").build());
        assertTrue(exists(() -> ctld.topo.getSrvKeyspace("zone2", "customer")));
        assertFalse(exists(() -> ctld.topo.getSrvKeyspace("zone1", "customer")));
        assertStatus(Status.Code.NOT_FOUND, "cells [mars] are not registered", () -> ctld.stub.rebuildKeyspaceGraph(
                RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("customer").addCells("mars").build()));
        assertStatus(Status.Code.NOT_FOUND, "keyspace nope not found", () -> ctld.stub.rebuildKeyspaceGraph(
                RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("nope").build()));
    }

    @Test
    void rebuildKeyspaceGraphNamesOverlappingShards() {
        createKeyspace("customer");
        createShard("customer", "-80");
        ctld.topo.createShard("customer", "-");          // overlapping, so created not serving ...
        ctld.topo.updateShardFields("customer", "-", s -> s.toBuilder().setIsPrimaryServing(true).build()); // ... forced
        assertStatus(Status.Code.FAILED_PRECONDITION, "overlap", () -> ctld.stub.rebuildKeyspaceGraph(
                RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("customer").build()));
    }

    @Test
    void rebuildVSchemaGraphRollsUpEveryKeyspaceInTheNamedCells() {
        createKeyspace("a");
        createKeyspace("b");
        String json = "{\"tables\": {\"t\": {}}}";
        ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("a").setVSchemaJson(json)
                .setSkipRebuild(true).build());
        assertEquals(KeyspaceVSchema.EMPTY.toJson(), ctld.topo.getSrvVSchema("zone2").value().getKeyspacesOrThrow("a")
                .getJson());
        ctld.stub.rebuildVSchemaGraph(RebuildVSchemaGraphRequest.newBuilder().addCells("zone2").build());
        assertEquals(KeyspaceVSchema.fromJson(json),
                KeyspaceVSchema.fromJson(ctld.topo.getSrvVSchema("zone2").value().getKeyspacesOrThrow("a").getJson()));
        assertEquals(KeyspaceVSchema.EMPTY,
                KeyspaceVSchema.fromJson(ctld.topo.getSrvVSchema("zone1").value().getKeyspacesOrThrow("a").getJson()));
        assertEquals(2, ctld.topo.getSrvVSchema("zone2").value().getKeyspacesCount());
        assertStatus(Status.Code.NOT_FOUND, "not registered", () -> ctld.stub.rebuildVSchemaGraph(
                RebuildVSchemaGraphRequest.newBuilder().addCells("mars").build()));
    }

    // ---- DeleteShards / DeleteKeyspace --------------------------------------------------------

    private void servedCustomer() {
        createKeyspace("customer");
        createShard("customer", "-80");
        createShard("customer", "80-");
        addTablet("zone1", 100, "customer", "-80", TabletType.PRIMARY);
        addTablet("zone2", 200, "customer", "-80", TabletType.REPLICA);
        addTablet("zone1", 101, "customer", "80-", TabletType.PRIMARY);
        ctld.stub.rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("customer").build());
    }

    private DeleteShardsRequest.Builder deleteShard(String ks, String shard) {
        return DeleteShardsRequest.newBuilder().addShards(dev.mosaic.proto.vtctldata.Shard.newBuilder()
                .setKeyspace(ks).setName(shard));
    }

    @Test
    void deleteShardsNeedsRecursiveForTabletsAndEvenIfServingForServedShards() {
        servedCustomer();
        assertStatus(Status.Code.FAILED_PRECONDITION, "shard customer/-80 still has tablets [zone1-0000000100, "
                + "zone2-0000000200]", () -> ctld.stub.deleteShards(deleteShard("customer", "-80").build()));
        assertStatus(Status.Code.FAILED_PRECONDITION, "is still serving in cells [zone1, zone2]",
                () -> ctld.stub.deleteShards(deleteShard("customer", "-80").setRecursive(true).build()));
        assertEquals(List.of("-80", "80-"), ctld.topo.getShardNames("customer"));
        assertEquals(3, ctld.stub.getTablets(GetTabletsRequest.getDefaultInstance()).getTabletsCount());

        ctld.stub.deleteShards(deleteShard("customer", "-80").setRecursive(true).setEvenIfServing(true).build());
        assertEquals(List.of("80-"), ctld.topo.getShardNames("customer"));
        assertEquals(List.of("zone1-0000000101"), aliases(ctld.stub.getTablets(GetTabletsRequest.getDefaultInstance())
                .getTabletsList()));
        assertFalse(exists(() -> ctld.topo.getShardReplication("zone2", "customer", "-80")));
        for (var p : ctld.topo.getSrvKeyspace("zone1", "customer").value().getPartitionsList()) {
            assertEquals(List.of("80-"), p.getShardReferencesList().stream().map(r -> r.getName()).toList());
        }
        // repeatable: the shard is already gone
        ctld.stub.deleteShards(deleteShard("customer", "-80").setRecursive(true).setEvenIfServing(true).build());
        assertStatus(Status.Code.INVALID_ARGUMENT, "no shards to delete",
                () -> ctld.stub.deleteShards(DeleteShardsRequest.getDefaultInstance()));
    }

    @Test
    void deleteKeyspaceRefusesShardsUnlessRecursiveThenRemovesEverything() {
        servedCustomer();
        addTablet("zone2", 201, "customer", "c0-", TabletType.SPARE); // its shard record never existed
        createKeyspace("commerce");
        assertStatus(Status.Code.FAILED_PRECONDITION, "keyspace customer still has 2 shard(s) [-80, 80-]",
                () -> ctld.stub.deleteKeyspace(DeleteKeyspaceRequest.newBuilder().setKeyspace("customer").build()));
        ctld.stub.deleteKeyspace(DeleteKeyspaceRequest.newBuilder().setKeyspace("customer").setRecursive(true).build());
        assertEquals(List.of("commerce"), ctld.topo.getKeyspaceNames());
        assertFalse(exists(() -> ctld.topo.getVSchemaRecord("customer")));
        assertFalse(exists(() -> ctld.topo.getSrvKeyspace("zone1", "customer")));
        assertEquals(List.of(), ctld.topo.getTabletAliasesByCell("zone1"));
        assertEquals(List.of(), ctld.topo.getTabletAliasesByCell("zone2"));
        assertFalse(ctld.topo.getSrvVSchema("zone1").value().containsKeyspaces("customer"));
        assertTrue(ctld.topo.getSrvVSchema("zone1").value().containsKeyspaces("commerce"));
        assertStatus(Status.Code.NOT_FOUND, "keyspace customer not found", () -> ctld.stub.deleteKeyspace(
                DeleteKeyspaceRequest.newBuilder().setKeyspace("customer").setRecursive(true).build()));
        // a keyspace without shards goes without recursive
        ctld.stub.deleteKeyspace(DeleteKeyspaceRequest.newBuilder().setKeyspace("commerce").build());
        assertEquals(List.of(), ctld.topo.getKeyspaceNames());
    }

    @Test
    void deleteKeyspaceWaitsForTheLockAndForceGoesOnWithoutIt() {
        createKeyspace("stuck");
        try (ActionLock held = ctld.topo.lockKeyspace("stuck", "SomeCrashedAction")) {
            assertEquals("SomeCrashedAction", held.descriptor().getAction());
            assertStatus(Status.Code.DEADLINE_EXCEEDED, "SomeCrashedAction", () -> ctld.stub.deleteKeyspace(
                    DeleteKeyspaceRequest.newBuilder().setKeyspace("stuck").build()));
            assertEquals(List.of("stuck"), ctld.topo.getKeyspaceNames());
            ctld.stub.deleteKeyspace(DeleteKeyspaceRequest.newBuilder().setKeyspace("stuck").setForce(true).build());
            assertEquals(List.of(), ctld.topo.getKeyspaceNames());
        }
    }

    // ---- ApplyVSchema / GetVSchema ------------------------------------------------------------

    private static final String CUSTOMER_VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"customer": {"column_vindexes": [{"column": "customer_id", "name": "hash"}],
                                     "auto_increment": {"column": "customer_id", "sequence": "customer_seq"}}}}""";

    @Test
    void applyVSchemaStoresAndServesAValidVSchema() {
        createKeyspace("customer");
        String stored = ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("customer")
                .setVSchemaJson(CUSTOMER_VSCHEMA).build()).getVSchemaJson();
        assertEquals(KeyspaceVSchema.fromJson(CUSTOMER_VSCHEMA), KeyspaceVSchema.fromJson(stored));
        assertEquals(KeyspaceVSchema.fromJson(CUSTOMER_VSCHEMA), ctld.topo.getVSchema("customer"));
        assertEquals(stored, ctld.stub.getVSchema(GetVSchemaRequest.newBuilder().setKeyspace("customer").build())
                .getVSchemaJson());
        for (String cell : List.of("zone1", "zone2")) {
            assertEquals(KeyspaceVSchema.fromJson(CUSTOMER_VSCHEMA), KeyspaceVSchema.fromJson(
                    ctld.topo.getSrvVSchema(cell).value().getKeyspacesOrThrow("customer").getJson()));
        }
        // repeatable
        assertEquals(stored, ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("customer")
                .setVSchemaJson(CUSTOMER_VSCHEMA).build()).getVSchemaJson());
    }

    @Test
    void applyVSchemaDryRunAndSkipRebuild() {
        createKeyspace("customer");
        ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("customer")
                .setVSchemaJson(CUSTOMER_VSCHEMA).setDryRun(true).build());
        assertEquals(KeyspaceVSchema.EMPTY, ctld.topo.getVSchema("customer"));
        ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("customer")
                .setVSchemaJson(CUSTOMER_VSCHEMA).setSkipRebuild(true).build());
        assertEquals(KeyspaceVSchema.fromJson(CUSTOMER_VSCHEMA), ctld.topo.getVSchema("customer"));
        assertEquals(KeyspaceVSchema.EMPTY, KeyspaceVSchema.fromJson(
                ctld.topo.getSrvVSchema("zone1").value().getKeyspacesOrThrow("customer").getJson()));
    }

    static List<Object[]> badVSchemas() {
        return List.of(
                new Object[]{"undefined vindex", """
                        {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                         "tables": {"customer": {"column_vindexes": [{"column": "id", "name": "hashh"}]}}}""",
                        "$.tables.customer.column_vindexes[0].name: vindex hashh not found for table customer"},
                new Object[]{"unknown vindex type", """
                        {"sharded": true, "vindexes": {"h": {"type": "hashh"}}}""",
                        "$.vindexes.h.type: vindex type \"hashh\" is not known; known types: "},
                new Object[]{"bad vindex params", """
                        {"sharded": true, "vindexes": {"lk": {"type": "lookup_unique", "params": {"from": "a"}}}}""",
                        "$.vindexes.lk.params: "},
                new Object[]{"unknown field", "{\"sharded\": true, \"tabels\": {}}", "$.tabels: unknown field"},
                new Object[]{"malformed JSON", "{\"sharded\": tru", "invalid vschema"},
                new Object[]{"vindex in unsharded keyspace", "{\"vindexes\": {\"h\": {\"type\": \"hash\"}}}",
                        "$.vindexes.h: vindexes are not allowed in an unsharded keyspace"},
                new Object[]{"non-unique primary vindex", """
                        {"sharded": true, "vindexes": {"l": {"type": "lookup", "params": {"table": "t_l", "from": "c", "to": "keyspace_id"}}},
                         "tables": {"t": {"column_vindexes": [{"column": "c", "name": "l"}]}}}""",
                        "$.tables.t.column_vindexes[0].name: primary vindex l is not Unique for table t"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badVSchemas")
    void applyVSchemaRejectsWithTheJsonPath(String name, String json, String message) {
        createKeyspace("customer");
        assertStatus(Status.Code.INVALID_ARGUMENT, message, () -> ctld.stub.applyVSchema(ApplyVSchemaRequest
                .newBuilder().setKeyspace("customer").setVSchemaJson(json).build()));
        assertEquals(KeyspaceVSchema.EMPTY, ctld.topo.getVSchema("customer"));
    }

    @Test
    void applyVSchemaNeedsAKeyspaceAndADocument() {
        assertStatus(Status.Code.NOT_FOUND, "keyspace nope not found", () -> ctld.stub.applyVSchema(
                ApplyVSchemaRequest.newBuilder().setKeyspace("nope").setVSchemaJson("{}").build()));
        createKeyspace("ks");
        assertStatus(Status.Code.INVALID_ARGUMENT, "v_schema_json is empty", () -> ctld.stub.applyVSchema(
                ApplyVSchemaRequest.newBuilder().setKeyspace("ks").build()));
        assertStatus(Status.Code.NOT_FOUND, "keyspace nope not found", () -> ctld.stub.getVSchema(
                GetVSchemaRequest.newBuilder().setKeyspace("nope").build()));
    }

    // ---- ApplyRoutingRules / GetRoutingRules --------------------------------------------------

    private static RoutingRules rules(String from, String... to) {
        return RoutingRules.newBuilder().addRules(RoutingRule.newBuilder().setFromTable(from)
                .addAllToTables(List.of(to))).build();
    }

    @Test
    void applyRoutingRulesStoresServesAndClears() {
        createKeyspace("customer");
        RoutingRules r = rules("customer", "customer.customer");
        ctld.stub.applyRoutingRules(ApplyRoutingRulesRequest.newBuilder().setRoutingRules(r).build());
        assertEquals(r, ctld.stub.getRoutingRules(GetRoutingRulesRequest.getDefaultInstance()).getRoutingRules());
        assertEquals(r, ctld.topo.getSrvVSchema("zone2").value().getRoutingRules());
        RoutingRules next = rules("product", "customer.product");
        ctld.stub.applyRoutingRules(ApplyRoutingRulesRequest.newBuilder().setRoutingRules(next).setSkipRebuild(true)
                .build());
        assertEquals(next, ctld.topo.getRoutingRules());
        assertEquals(r, ctld.topo.getSrvVSchema("zone2").value().getRoutingRules());
        ctld.stub.applyRoutingRules(ApplyRoutingRulesRequest.newBuilder().addRebuildCells("zone1").build());
        assertEquals(RoutingRules.getDefaultInstance(), ctld.topo.getRoutingRules());
        assertEquals(RoutingRules.getDefaultInstance(), ctld.topo.getSrvVSchema("zone1").value().getRoutingRules());
    }

    @Test
    void applyRoutingRulesRejectsBadRulesWithTheirPath() {
        assertStatus(Status.Code.INVALID_ARGUMENT, "$.rules[0].to_tables[0]", () -> ctld.stub.applyRoutingRules(
                ApplyRoutingRulesRequest.newBuilder().setRoutingRules(rules("t", "no_keyspace")).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "$.rules[0].from_table: from_table is empty",
                () -> ctld.stub.applyRoutingRules(ApplyRoutingRulesRequest.newBuilder()
                        .setRoutingRules(rules("", "ks.t")).build()));
        assertEquals(RoutingRules.getDefaultInstance(), ctld.topo.getRoutingRules());
    }

    // ---- tablet verbs: checks before any tablet is called -------------------------------------

    @Test
    void changeTabletTypeRefusesThePrimaryAndChecksTransitions() {
        threeTablets();
        ChangeTabletTypeRequest.Builder toRdonly = ChangeTabletTypeRequest.newBuilder()
                .setTabletAlias(alias("zone1", 101)).setDbType(TabletType.RDONLY);
        ChangeTabletTypeResponse dry = ctld.stub.changeTabletType(toRdonly.clone().setDryRun(true).build());
        assertTrue(dry.getWasDryRun());
        assertEquals(TabletType.REPLICA, dry.getBeforeTablet().getType());
        assertEquals(TabletType.RDONLY, dry.getAfterTablet().getType());
        assertEquals(TabletType.REPLICA, ctld.topo.getTablet(new TabletAlias("zone1", 101)).value().getType());

        assertStatus(Status.Code.FAILED_PRECONDITION, "PRIMARY -> REPLICA is not allowed", () -> ctld.stub
                .changeTabletType(ChangeTabletTypeRequest.newBuilder().setTabletAlias(alias("zone1", 100))
                        .setDbType(TabletType.REPLICA).setDryRun(true).build()));
        assertStatus(Status.Code.FAILED_PRECONDITION, "REPLICA -> PRIMARY is not allowed", () -> ctld.stub
                .changeTabletType(toRdonly.clone().setDbType(TabletType.PRIMARY).build()));
        assertStatus(Status.Code.FAILED_PRECONDITION, "REPLICA -> RESTORE is not an allowed transition",
                () -> ctld.stub.changeTabletType(toRdonly.clone().setDbType(TabletType.RESTORE).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "db_type is required", () -> ctld.stub.changeTabletType(
                toRdonly.clone().clearDbType().build()));
        assertStatus(Status.Code.NOT_FOUND, "tablet zone1-0000000009 not found", () -> ctld.stub.changeTabletType(
                toRdonly.clone().setTabletAlias(alias("zone1", 9)).build()));
        // a real change goes to the tablet, which is not running: the error names it
        assertStatus(Status.Code.UNAVAILABLE, "tablet zone1-0000000101 ChangeType: ",
                () -> ctld.stub.changeTabletType(toRdonly.build()));
    }

    @Test
    void tabletCallsToAnUnreachableTabletNameIt() {
        threeTablets();
        assertStatus(Status.Code.UNAVAILABLE, "tablet zone1-0000000100 GetSchema: ", () -> ctld.stub.getSchema(
                GetSchemaRequest.newBuilder().setTabletAlias(alias("zone1", 100)).build()));
        assertStatus(Status.Code.UNAVAILABLE, "tablet zone1-0000000100 ExecuteFetchAsDba: ", () -> ctld.stub
                .executeFetchAsDBA(ExecuteFetchAsDBARequest.newBuilder().setTabletAlias(alias("zone1", 100))
                        .setQuery("SELECT 1").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "query is empty", () -> ctld.stub.executeFetchAsDBA(
                ExecuteFetchAsDBARequest.newBuilder().setTabletAlias(alias("zone1", 100)).build()));
    }

    static List<Object[]> badApplySchema() {
        return List.of(
                new Object[]{"online ddl", ApplySchemaRequest.newBuilder().setKeyspace("customer")
                        .addSql("CREATE TABLE t (id int)").setDdlStrategy("vitess"), Status.Code.INVALID_ARGUMENT,
                        "ddl_strategy \"vitess\" is not supported"},
                new Object[]{"no statements", ApplySchemaRequest.newBuilder().setKeyspace("customer")
                        .addSql(" ; -- nothing\n"), Status.Code.INVALID_ARGUMENT, "no SQL statement to apply"},
                new Object[]{"missing keyspace", ApplySchemaRequest.newBuilder().setKeyspace("nope")
                        .addSql("CREATE TABLE t (id int)"), Status.Code.NOT_FOUND, "keyspace nope not found"},
                new Object[]{"shards without primary", ApplySchemaRequest.newBuilder().setKeyspace("customer")
                        .addSql("CREATE TABLE t (id int)"), Status.Code.FAILED_PRECONDITION,
                        "failed on 2 of 2 shard(s):\n  -80: shard customer/-80 has no primary"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badApplySchema")
    void applySchemaRejects(String name, ApplySchemaRequest.Builder req, Status.Code code, String message) {
        createKeyspace("customer");
        createShard("customer", "-80");
        createShard("customer", "80-");
        assertStatus(code, message, () -> ctld.stub.applySchema(req.build()));
    }

    @Test
    void initShardPrimaryChecksTheElectAndTheCurrentPrimary() {
        threeTablets();
        InitShardPrimaryRequest.Builder req = InitShardPrimaryRequest.newBuilder().setKeyspace("customer")
                .setShard("-80").setPrimaryElectTabletAlias(alias("zone1", 101));
        assertStatus(Status.Code.INVALID_ARGUMENT, "primary_elect_tablet_alias is required",
                () -> ctld.stub.initShardPrimary(req.clone().clearPrimaryElectTabletAlias().build()));
        assertStatus(Status.Code.FAILED_PRECONDITION, "zone2-0000000200 is in shard customer/80-, not in customer/-80",
                () -> ctld.stub.initShardPrimary(req.clone().setPrimaryElectTabletAlias(alias("zone2", 200)).build()));
        assertStatus(Status.Code.NOT_FOUND, "tablet zone1-0000000555 not found",
                () -> ctld.stub.initShardPrimary(req.clone().setPrimaryElectTabletAlias(alias("zone1", 555)).build()));
        assertStatus(Status.Code.NOT_FOUND, "shard customer/c0- not found",
                () -> ctld.stub.initShardPrimary(req.clone().setShard("c0-").build()));
        ctld.topo.updateShardFields("customer", "-80", s -> s.toBuilder().setPrimaryAlias(alias("zone1", 100)).build());
        assertStatus(Status.Code.FAILED_PRECONDITION, "shard customer/-80 already has primary zone1-0000000100; use "
                + "force", () -> ctld.stub.initShardPrimary(req.build()));
        // with force, the elect is asked to become primary: it is not running, and nothing changed
        assertStatus(Status.Code.UNAVAILABLE, "tablet zone1-0000000101 InitPrimary: ",
                () -> ctld.stub.initShardPrimary(req.clone().setForce(true).build()));
        assertEquals(alias("zone1", 100), ctld.topo.getShard("customer", "-80").value().getPrimaryAlias());
    }

    // ---- InitializeSequences: resolution, before any tablet is called ------------------------

    @Test
    void initializeSequencesNamesAnUndeclaredSequence() {
        createKeyspace("customer");
        ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("customer")
                .setVSchemaJson(CUSTOMER_VSCHEMA).build());
        assertStatus(Status.Code.FAILED_PRECONDITION, "auto_increment of customer.customer.customer_id names sequence "
                + "customer_seq, but no unsharded keyspace's vschema declares a table customer_seq with type \"sequence\"",
                () -> ctld.stub.initializeSequences(InitializeSequencesRequest.newBuilder().setKeyspace("customer")
                        .build()));
        for (String ks : List.of("seq1", "seq2")) {
            createKeyspace(ks);
            ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace(ks)
                    .setVSchemaJson("{\"tables\": {\"customer_seq\": {\"type\": \"sequence\"}}}").build());
        }
        assertStatus(Status.Code.FAILED_PRECONDITION, "which several unsharded keyspaces declare [seq1, seq2]",
                () -> ctld.stub.initializeSequences(InitializeSequencesRequest.newBuilder().setKeyspace("customer")
                        .build()));
        ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("customer")
                .setVSchemaJson(CUSTOMER_VSCHEMA.replace("\"customer_seq\"", "\"nope.customer_seq\"")).build());
        assertStatus(Status.Code.NOT_FOUND, "keyspace nope does not exist", () -> ctld.stub.initializeSequences(
                InitializeSequencesRequest.newBuilder().setKeyspace("customer").build()));
        ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("customer")
                .setVSchemaJson(CUSTOMER_VSCHEMA.replace("\"customer_seq\"", "\"seq1.customer_seq\"")).build());
        assertStatus(Status.Code.FAILED_PRECONDITION, "sequence keyspace seq1 must have exactly one shard, it has 0",
                () -> ctld.stub.initializeSequences(InitializeSequencesRequest.newBuilder().setKeyspace("customer")
                        .build()));
        // a keyspace without auto_increment has nothing to do
        assertEquals(0, ctld.stub.initializeSequences(InitializeSequencesRequest.newBuilder().setKeyspace("seq1")
                .build()).getSequencesCount());
    }

    // ---- GetClusterStatus ---------------------------------------------------------------------

    @Test
    void clusterStatusListsTheTopologyAndMarksDeadTabletsUnreachable() {
        threeTablets();
        createKeyspace("commerce");
        ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("customer")
                .setVSchemaJson(CUSTOMER_VSCHEMA).build());
        long start = System.nanoTime();
        GetClusterStatusResponse r = ctld.stub.getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
        assertEquals(List.of("commerce", "customer"), r.getKeyspacesList().stream()
                .map(k -> k.getKeyspace().getName()).toList());
        var commerce = r.getKeyspaces(0);
        assertTrue(commerce.getHasVSchema());
        assertFalse(commerce.getSharded());
        assertEquals(0, commerce.getShardsCount());
        var customer = r.getKeyspaces(1);
        assertTrue(customer.getSharded());
        assertEquals(List.of("-80", "80-"), customer.getShardsList().stream().map(s -> s.getShard().getName()).toList());
        List<TabletStatus> first = customer.getShards(0).getTabletsList();
        assertEquals(List.of("zone1-0000000100", "zone1-0000000101"),
                aliases(first.stream().map(TabletStatus::getTablet).toList()));
        for (var shard : customer.getShardsList()) {
            for (TabletStatus t : shard.getTabletsList()) {
                assertFalse(t.getReachable());
                assertFalse(t.getServing());
                assertTrue(t.getHealthError().startsWith("UNAVAILABLE"), t.getHealthError());
            }
        }
    }

    // ---- locks --------------------------------------------------------------------------------

    /** A mutating verb run while another holder has the lock it needs. */
    record Locked(String name, java.util.function.Consumer<VtctldServiceTest> verb) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Locked> keyspaceLockedVerbs() {
        return List.of(
                new Locked("CreateShard", t -> t.createShard("customer", "80-")),
                new Locked("DeleteShards", t -> t.ctld.stub.deleteShards(t.deleteShard("customer", "-80").build())),
                new Locked("DeleteKeyspace", t -> t.ctld.stub.deleteKeyspace(DeleteKeyspaceRequest.newBuilder()
                        .setKeyspace("customer").setRecursive(true).build())),
                new Locked("ApplyVSchema", t -> t.ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder()
                        .setKeyspace("customer").setVSchemaJson(CUSTOMER_VSCHEMA).build())),
                new Locked("RebuildKeyspaceGraph", t -> t.ctld.stub.rebuildKeyspaceGraph(
                        RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("customer").setAllowPartial(true).build())),
                new Locked("ApplySchema", t -> t.ctld.stub.applySchema(ApplySchemaRequest.newBuilder()
                        .setKeyspace("customer").addSql("CREATE TABLE t (id INT)").build())),
                new Locked("InitializeSequences", t -> t.ctld.stub.initializeSequences(
                        InitializeSequencesRequest.newBuilder().setKeyspace("customer").build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyspaceLockedVerbs")
    void mutatingVerbsWaitForTheKeyspaceLock(Locked verb) {
        createKeyspace("customer");
        createShard("customer", "-80");
        var before = ctld.topo.getShardNames("customer");
        var vschemaBefore = ctld.topo.getVSchema("customer");
        try (ActionLock held = ctld.topo.lockKeyspace("customer", "HeldByTest")) {
            assertEquals("customer", held.keyspace());
            assertStatus(Status.Code.DEADLINE_EXCEEDED, "HeldByTest", () -> verb.verb().accept(this));
        }
        assertEquals(before, ctld.topo.getShardNames("customer"));
        assertEquals(vschemaBefore, ctld.topo.getVSchema("customer"));
        assertFalse(exists(() -> ctld.topo.getSrvKeyspace("zone1", "customer")));
    }

    @Test
    void initShardPrimaryWaitsForTheShardLock() {
        threeTablets();
        try (ActionLock held = ctld.topo.lockShard("customer", "-80", "HeldByTest")) {
            assertEquals(java.util.Optional.of("-80"), held.shard());
            assertStatus(Status.Code.DEADLINE_EXCEEDED, "HeldByTest", () -> ctld.stub.initShardPrimary(
                    InitShardPrimaryRequest.newBuilder().setKeyspace("customer").setShard("-80")
                            .setPrimaryElectTabletAlias(alias("zone1", 100)).build()));
        }
        assertFalse(ctld.topo.getShard("customer", "-80").value().hasPrimaryAlias());
    }

    @Test
    void applyRoutingRulesWaitsForTheRoutingRulesLock() {
        var held = ctld.topo.globalStore().lockName(VSchemaVerbs.ROUTING_RULES_LOCK, "HeldByTest", Duration.ofSeconds(1));
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ctld.stub.applyRoutingRules(
                    ApplyRoutingRulesRequest.newBuilder().setRoutingRules(rules("t", "ks.t")).build()));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        } finally {
            held.unlock();
        }
        assertEquals(RoutingRules.getDefaultInstance(), ctld.topo.getRoutingRules());
    }
}
