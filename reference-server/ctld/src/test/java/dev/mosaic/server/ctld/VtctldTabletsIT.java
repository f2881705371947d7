package dev.mosaic.server.ctld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Rows;
import dev.mosaic.proto.tabletmanager.TableDefinition;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.proto.vtctldata.ApplySchemaRequest;
import dev.mosaic.proto.vtctldata.ApplySchemaResponse;
import dev.mosaic.proto.vtctldata.ApplyVSchemaRequest;
import dev.mosaic.proto.vtctldata.ChangeTabletTypeRequest;
import dev.mosaic.proto.vtctldata.ChangeTabletTypeResponse;
import dev.mosaic.proto.vtctldata.CreateKeyspaceRequest;
import dev.mosaic.proto.vtctldata.CreateShardRequest;
import dev.mosaic.proto.vtctldata.ExecuteFetchAsDBARequest;
import dev.mosaic.proto.vtctldata.GetClusterStatusRequest;
import dev.mosaic.proto.vtctldata.GetClusterStatusResponse;
import dev.mosaic.proto.vtctldata.GetSchemaRequest;
import dev.mosaic.proto.vtctldata.InitShardPrimaryRequest;
import dev.mosaic.proto.vtctldata.InitShardPrimaryResponse;
import dev.mosaic.proto.vtctldata.InitializeSequencesRequest;
import dev.mosaic.proto.vtctldata.InitializeSequencesResponse;
import dev.mosaic.proto.vtctldata.SequenceState;
import dev.mosaic.proto.vtctldata.ShardSchemaResult;
import dev.mosaic.proto.vtctldata.TabletStatus;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.server.TabletProcess;
import dev.mosaic.server.tablet.server.testing.TabletTesting;
import dev.mosaic.server.topo.ProtoConversions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The tablet verbs against real tablet processes on real MariaDB, through ctld's gRPC service:
 * an unsharded keyspace {@code commerce} (shard 0: primary zone1-100 and replica zone1-101) and a
 * sharded keyspace {@code customer} (shards -80 and 80-, one tablet each: zone1-200, zone1-300),
 * on the in-memory topology the tablets share with ctld in this JVM. The tests build on each
 * other, in order: InitShardPrimary, ApplySchema, GetSchema, ExecuteFetchAsDBA,
 * ChangeTabletType, InitializeSequences, GetClusterStatus.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VtctldTabletsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TabletAlias COMMERCE_PRIMARY = new TabletAlias("zone1", 100);
    private static final TabletAlias COMMERCE_REPLICA = new TabletAlias("zone1", 101);
    private static final TabletAlias CUSTOMER_LOW = new TabletAlias("zone1", 200);
    private static final TabletAlias CUSTOMER_HIGH = new TabletAlias("zone1", 300);

    private static MysqldCluster mysqlds;
    private static InProcessCtld ctld;
    private static final List<TabletProcess> tablets = new ArrayList<>();
    private static Path configDir;

    @BeforeAll
    static void startCluster() throws Exception {
        MysqldCluster.requireBinaries();
        mysqlds = MysqldCluster.start(4);
        ctld = new InProcessCtld(Duration.ofSeconds(10));
        ctld.stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("commerce").build());
        ctld.stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("customer").build());
        for (String[] ks : new String[][]{{"commerce", "0"}, {"customer", "-80"}, {"customer", "80-"}}) {
            ctld.stub.createShard(CreateShardRequest.newBuilder().setKeyspace(ks[0]).setShardName(ks[1]).build());
        }
        configDir = Files.createTempDirectory("ctld-it");
        tablets.add(startTablet(COMMERCE_PRIMARY, 0, "commerce", "0"));
        tablets.add(startTablet(COMMERCE_REPLICA, 1, "commerce", "0"));
        tablets.add(startTablet(CUSTOMER_LOW, 2, "customer", "-80"));
        tablets.add(startTablet(CUSTOMER_HIGH, 3, "customer", "80-"));
    }

    @AfterAll
    static void stopCluster() {
        for (TabletProcess t : tablets) {
            t.close();
        }
        if (ctld != null) {
            ctld.close();
        }
        if (mysqlds != null) {
            mysqlds.close();
        }
    }

    private static TabletProcess startTablet(TabletAlias alias, int mysqld, String keyspace, String shard)
            throws Exception {
        String yaml = String.join("\n",
                "tablet:",
                "  alias: " + alias,
                "  keyspace: " + keyspace,
                "  shard: \"" + shard + "\"",
                "  type: replica",
                "  hostname: localhost",
                "ports:",
                "  grpc: 0",
                "  status: 0",
                "  mysql: " + mysqlds.get(mysqld).connectionParams().port(),
                "mysqld:",
                "  mode: attached",
                "  host: 127.0.0.1",
                "  user: root",
                "  password: \"\"",
                "topo:",
                "  type: memory",
                "  global-server-address: " + ctld.cluster,
                "query:",
                "  db:",
                "    name: vt_" + keyspace,
                "  pool:",
                "    query:",
                "      size: 2",
                "    stream.size: 2",
                "    tx.size: 2",
                "health:",
                "  interval: 200ms",
                "");
        Path file = configDir.resolve(alias + ".yaml");
        Files.writeString(file, yaml);
        return TabletProcess.start(TabletProcess.loadConfig(file));
    }

    private static com.google.protobuf.Duration seconds(long s) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(s).build();
    }

    private static dev.mosaic.proto.topo.TabletAlias proto(TabletAlias a) {
        return ProtoConversions.toProto(a);
    }

    private static QueryResult dba(TabletAlias tablet, String sql) {
        return ctld.stub.executeFetchAsDBA(ExecuteFetchAsDBARequest.newBuilder().setTabletAlias(proto(tablet))
                .setQuery(sql).build()).getResult();
    }

    private static List<String> column(QueryResult r) {
        List<String> out = new ArrayList<>();
        for (var row : r.getRowsList()) {
            byte[] v = Rows.decode(row).get(0);
            out.add(v == null ? null : new String(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static InitShardPrimaryResponse initShardPrimary(String ks, String shard, TabletAlias elect) {
        return ctld.stub.initShardPrimary(InitShardPrimaryRequest.newBuilder().setKeyspace(ks).setShard(shard)
                .setPrimaryElectTabletAlias(proto(elect)).setWaitReplicasTimeout(seconds(30)).build());
    }

    private static Tablet record(TabletAlias a) {
        return ctld.topo.getTablet(a).value();
    }

    @Test
    @Order(1)
    void initShardPrimaryMakesThePrimaryAndItsReplicaAndIsRepeatable() {
        InitShardPrimaryResponse r = initShardPrimary("commerce", "0", COMMERCE_PRIMARY);
        String events = String.join("\n", r.getEventsList());
        assertTrue(events.contains("InitPrimary on zone1-0000000100"), events);
        assertTrue(events.contains("SetReplicationSource on zone1-0000000101: replicating from zone1-0000000100"),
                events);
        var shard = ctld.topo.getShard("commerce", "0").value();
        assertEquals(proto(COMMERCE_PRIMARY), shard.getPrimaryAlias());
        assertTrue(shard.hasPrimaryTermStartTime());
        assertEquals(TabletType.PRIMARY, record(COMMERCE_PRIMARY).getType());
        assertEquals(TabletType.REPLICA, record(COMMERCE_REPLICA).getType());

        // a row written on the primary appears on the replica
        dba(COMMERCE_PRIMARY, "CREATE TABLE IF NOT EXISTS probe (id INT PRIMARY KEY)");
        dba(COMMERCE_PRIMARY, "INSERT INTO probe VALUES (1)");
        TabletTesting.await("row 1 replicated to zone1-101", WAIT, () -> replicaHasProbe(1));

        // the same elect again: nothing is re-initialized, replication keeps going
        var term = shard.getPrimaryTermStartTime();
        InitShardPrimaryResponse again = initShardPrimary("commerce", "0", COMMERCE_PRIMARY);
        String againEvents = String.join("\n", again.getEventsList());
        assertTrue(againEvents.contains("is already the primary"), againEvents);
        assertTrue(againEvents.contains("zone1-0000000101 already replicates from zone1-0000000100"), againEvents);
        assertEquals(term, ctld.topo.getShard("commerce", "0").value().getPrimaryTermStartTime());
        dba(COMMERCE_PRIMARY, "INSERT INTO probe VALUES (2)");
        TabletTesting.await("row 2 replicated to zone1-101", WAIT, () -> replicaHasProbe(2));
        assertEquals(List.of("1", "2"), column(dba(COMMERCE_PRIMARY, "SELECT id FROM probe ORDER BY id")));

        // another elect while the shard has a primary is refused without force
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> initShardPrimary("commerce", "0", COMMERCE_REPLICA));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());

        initShardPrimary("customer", "-80", CUSTOMER_LOW);
        initShardPrimary("customer", "80-", CUSTOMER_HIGH);
        assertEquals(TabletType.PRIMARY, record(CUSTOMER_LOW).getType());
        assertEquals(TabletType.PRIMARY, record(CUSTOMER_HIGH).getType());
    }

    private static boolean replicaHasProbe(int id) {
        try {
            return column(dba(COMMERCE_REPLICA, "SELECT id FROM probe WHERE id = " + id)).equals(List.of("" + id));
        } catch (StatusRuntimeException e) {
            return false; // the table has not arrived yet
        }
    }

    @Test
    @Order(2)
    void applySchemaRunsOnEveryShardPrimaryAndReplicates() {
        ApplySchemaResponse r = ctld.stub.applySchema(ApplySchemaRequest.newBuilder().setKeyspace("customer")
                .addSql("CREATE TABLE customer (customer_id BIGINT NOT NULL, email VARBINARY(128), "
                        + "PRIMARY KEY (customer_id)); -- a comment; with a semicolon\n"
                        + "CREATE TABLE corder (order_id BIGINT NOT NULL, note VARCHAR(64) DEFAULT 'a;b', "
                        + "PRIMARY KEY (order_id))")
                .build());
        assertEquals(List.of("-80", "80-"), r.getShardResultsList().stream().map(ShardSchemaResult::getShard).toList());
        for (ShardSchemaResult s : r.getShardResultsList()) {
            assertEquals("", s.getError());
        }
        assertEquals(proto(CUSTOMER_HIGH), r.getShardResults(1).getTabletAlias());
        assertEquals(2, r.getRowsAffectedByShardCount());

        ApplySchemaResponse c = ctld.stub.applySchema(ApplySchemaRequest.newBuilder().setKeyspace("commerce")
                .setDdlStrategy("direct").setWaitReplicasTimeout(seconds(30))
                .addSql("CREATE TABLE product (sku VARBINARY(128) NOT NULL, price BIGINT, PRIMARY KEY (sku))").build());
        assertEquals("", c.getShardResults(0).getError());
        // waited for the replica: the table is there already
        assertEquals(List.of("product"), column(dba(COMMERCE_REPLICA,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
                        + "AND table_name = 'product'")));
    }

    @Test
    @Order(3)
    void applySchemaTriesEveryShardAndNamesTheFailingOne() {
        dba(CUSTOMER_HIGH, "CREATE TABLE clash (id INT)");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ctld.stub.applySchema(
                ApplySchemaRequest.newBuilder().setKeyspace("customer").addSql("CREATE TABLE clash (id INT)").build()));
        String message = e.getStatus().getDescription();
        assertTrue(message.contains("failed on 1 of 2 shard(s)"), message);
        assertTrue(message.contains("80-: statement 1 of 1 (CREATE TABLE clash (id INT)): "), message);
        assertTrue(message.contains("already exists"), message);
        assertFalse(message.contains("-80:"), message);
        // the healthy shard got it
        assertEquals(List.of("clash"), column(dba(CUSTOMER_LOW, "SHOW TABLES LIKE 'clash'")));
    }

    @Test
    @Order(4)
    void getSchemaReadsTheTabletsTables() {
        var schema = ctld.stub.getSchema(GetSchemaRequest.newBuilder().setTabletAlias(proto(CUSTOMER_LOW))
                .addTables("customer").addTables("corder").build()).getSchema();
        assertEquals(List.of("corder", "customer"), schema.getTableDefinitionsList().stream()
                .map(TableDefinition::getName).toList());
        TableDefinition customer = schema.getTableDefinitions(1);
        assertTrue(customer.getSchema().startsWith("CREATE TABLE `customer`"), customer.getSchema());
        assertEquals(List.of("customer_id", "email"), customer.getColumnsList());
        assertEquals(List.of("customer_id"), customer.getPrimaryKeyColumnsList());

        var names = ctld.stub.getSchema(GetSchemaRequest.newBuilder().setTabletAlias(proto(CUSTOMER_LOW))
                .addExcludeTables("clash").setTableNamesOnly(true).build()).getSchema();
        assertEquals(List.of("corder", "customer"), names.getTableDefinitionsList().stream()
                .map(TableDefinition::getName).toList());
        assertEquals("", names.getTableDefinitions(0).getSchema());
    }

    @Test
    @Order(5)
    void executeFetchAsDbaReturnsRowsAndFields() {
        dba(CUSTOMER_LOW, "INSERT INTO customer (customer_id, email) VALUES (5, 'a@x'), (7, 'b@x')");
        QueryResult r = dba(CUSTOMER_LOW, "SELECT customer_id, email FROM customer ORDER BY customer_id");
        assertEquals(List.of("customer_id", "email"), r.getFieldsList().stream().map(f -> f.getName()).toList());
        assertEquals(List.of("5", "7"), column(r));
        assertEquals(1, dba(CUSTOMER_LOW, "DELETE FROM customer WHERE customer_id = 7").getRowsAffected());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> dba(CUSTOMER_LOW, "SELECT * FROM no_such_table"));
        assertTrue(e.getStatus().getDescription().startsWith("tablet zone1-0000000200 ExecuteFetchAsDba: "),
                e.getStatus().getDescription());
    }

    @Test
    @Order(6)
    void changeTabletTypeMovesAReplicaToRdonlyAndBack() {
        ChangeTabletTypeResponse r = ctld.stub.changeTabletType(ChangeTabletTypeRequest.newBuilder()
                .setTabletAlias(proto(COMMERCE_REPLICA)).setDbType(TabletType.RDONLY).build());
        assertFalse(r.getWasDryRun());
        assertEquals(TabletType.REPLICA, r.getBeforeTablet().getType());
        assertEquals(TabletType.RDONLY, r.getAfterTablet().getType());
        assertEquals(TabletType.RDONLY, record(COMMERCE_REPLICA).getType());
        ctld.stub.changeTabletType(ChangeTabletTypeRequest.newBuilder().setTabletAlias(proto(COMMERCE_REPLICA))
                .setDbType(TabletType.REPLICA).build());
        assertEquals(TabletType.REPLICA, record(COMMERCE_REPLICA).getType());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ctld.stub.changeTabletType(
                ChangeTabletTypeRequest.newBuilder().setTabletAlias(proto(COMMERCE_PRIMARY))
                        .setDbType(TabletType.REPLICA).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals(TabletType.PRIMARY, record(COMMERCE_PRIMARY).getType());
    }

    @Test
    @Order(7)
    void initializeSequencesCreatesTheTableAndNeverLowersNextId() {
        ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("commerce").setVSchemaJson(
                "{\"tables\": {\"customer_seq\": {\"type\": \"sequence\"}, \"product\": {}}}").build());
        ctld.stub.applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("customer").setVSchemaJson("""
                {"sharded": true,
                 "vindexes": {"hash": {"type": "hash"}},
                 "tables": {"customer": {"column_vindexes": [{"column": "customer_id", "name": "hash"}],
                                         "auto_increment": {"column": "customer_id", "sequence": "customer_seq"}},
                            "corder": {"column_vindexes": [{"column": "order_id", "name": "hash"}]}}}""").build());
        dba(CUSTOMER_HIGH, "INSERT INTO customer (customer_id, email) VALUES (42, 'c@x')");

        InitializeSequencesResponse first = ctld.stub.initializeSequences(InitializeSequencesRequest.newBuilder()
                .setKeyspace("customer").build());
        assertEquals(1, first.getSequencesCount());
        SequenceState s = first.getSequences(0);
        assertEquals("commerce.customer_seq", s.getSequence());
        assertEquals("customer.customer.customer_id", s.getColumn());
        assertEquals(43, s.getNextId());
        assertTrue(s.getCreatedTable());
        assertTrue(s.getCreatedRow());
        assertEquals(List.of("43"), column(dba(COMMERCE_PRIMARY, "SELECT next_id FROM customer_seq WHERE id = 0")));
        assertEquals(List.of("1000"), column(dba(COMMERCE_PRIMARY, "SELECT cache FROM customer_seq WHERE id = 0")));
        assertTrue(dba(COMMERCE_PRIMARY, "SHOW CREATE TABLE customer_seq").getRows(0).toString()
                .contains("vitess_sequence"));

        SequenceState again = ctld.stub.initializeSequences(InitializeSequencesRequest.newBuilder()
                .setKeyspace("customer").setCache(500).build()).getSequences(0);
        assertEquals(43, again.getNextId());
        assertFalse(again.getCreatedTable());
        assertFalse(again.getCreatedRow());
        assertEquals(List.of("500"), column(dba(COMMERCE_PRIMARY, "SELECT cache FROM customer_seq WHERE id = 0")));

        // a gate has handed out ids up to 99: the sequence is not moved back
        dba(COMMERCE_PRIMARY, "UPDATE customer_seq SET next_id = 100 WHERE id = 0");
        assertEquals(100, ctld.stub.initializeSequences(InitializeSequencesRequest.newBuilder()
                .setKeyspace("customer").build()).getSequences(0).getNextId());
        TabletTesting.await("the sequence row replicated", WAIT, () -> {
            try {
                return column(dba(COMMERCE_REPLICA, "SELECT next_id FROM customer_seq WHERE id = 0"))
                        .equals(List.of("100"));
            } catch (StatusRuntimeException e) {
                return false;
            }
        });
    }

    @Test
    @Order(8)
    void clusterStatusProbesEveryTablet() {
        TabletTesting.await("every tablet serving", WAIT, () -> {
            GetClusterStatusResponse r = ctld.stub.getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
            return r.getKeyspacesList().stream().flatMap(k -> k.getShardsList().stream())
                    .flatMap(s -> s.getTabletsList().stream()).allMatch(TabletStatus::getServing);
        });
        GetClusterStatusResponse r = ctld.stub.getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
        assertEquals(List.of("commerce", "customer"), r.getKeyspacesList().stream()
                .map(k -> k.getKeyspace().getName()).toList());
        var commerce = r.getKeyspaces(0);
        assertFalse(commerce.getSharded());
        assertTrue(r.getKeyspaces(1).getSharded());
        List<TabletStatus> shard0 = commerce.getShards(0).getTabletsList();
        assertEquals(2, shard0.size());
        for (TabletStatus t : shard0) {
            assertTrue(t.getReachable(), t.toString());
            assertEquals("", t.getHealthError(), t.toString());
        }
        assertEquals(TabletType.PRIMARY, shard0.get(0).getTablet().getType());
        assertEquals(TabletType.REPLICA, shard0.get(1).getTablet().getType());
        assertEquals(2, r.getKeyspaces(1).getShardsCount());
    }
}
