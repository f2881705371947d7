package dev.mosaic.server.gate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.sql.Value;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.RoutingRules;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.gate.executor.Executor;
import dev.mosaic.server.gate.executor.ShardMap;
import dev.mosaic.server.gate.gateway.GatewayConfig;
import dev.mosaic.server.gate.gateway.TabletGateway;
import dev.mosaic.server.mysql.protocol.MysqlServer;
import dev.mosaic.server.mysql.protocol.MysqlServerConfig;
import dev.mosaic.server.mysql.protocol.auth.Account;
import dev.mosaic.server.mysql.protocol.auth.AuthMethod;
import dev.mosaic.server.mysql.protocol.auth.Authentication;
import dev.mosaic.server.mysql.protocol.auth.Authenticator;
import dev.mosaic.server.mysql.protocol.auth.RsaKey;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import dev.mosaic.server.tablet.TabletExtensions;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.grpc.TabletGrpcServer;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.health.TabletRegistration;
import dev.mosaic.server.topo.TopoConnector;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.server.topo.memory.MemoryTopoFactory;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.VindexCursor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sequences, SHOW, information_schema and shard targeting through the gate, with
 * mysql-connector-j against real tablets: keyspace {@code customer} (shards {@code -80}, {@code 80-},
 * vindex {@code hash} on {@code id}, {@code corder.id} filled from {@code customer_seq}) and the
 * unsharded keyspace {@code commerce} (shard {@code 0}) holding the sequence table, each shard on
 * its own MariaDB.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GateMetadataIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String KS = "customer";
    private static final String SEQ_KS = "commerce";
    private static final List<String> SHARDS = List.of("-80", "80-");
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"corder": {"column_vindexes": [{"column": "id", "name": "hash"}],
                                   "auto_increment": {"column": "id", "sequence": "commerce.customer_seq"}}}}
            """;
    private static final String SEQ_VSCHEMA = """
            {"tables": {"customer_seq": {"type": "sequence"}}}
            """;
    private static final String VERSION = "5.5.5-10.11.0-MariaDB-Mosaic";

    private static MysqldCluster cluster;
    private static TopoServer topo;
    private static final List<AutoCloseable> closeables = new ArrayList<>();
    private static TabletGateway gateway;
    private static VSchemaSnapshot vschema;
    private static ThreadPoolExecutor shardCalls;
    private static MysqlServer server;

    @BeforeAll
    static void start() throws Exception {
        cluster = MysqldCluster.start(3);
        String name = "gate-meta-" + UUID.randomUUID();
        TopoConnector connector = new TopoConnector(Plugins.of(List.of(new MemoryTopoFactory())));
        topo = connector.openServer(connector.target("memory:" + name, Map.of()), TopoServer.Options.defaults());
        topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(name + "-zone1").build());
        for (int i = 0; i < 3; i++) {
            String ks = i < 2 ? KS : SEQ_KS;
            String shard = i < 2 ? SHARDS.get(i) : "0";
            Mysqld mysqld = cluster.get(i);
            mysqld.replication().makePrimary();
            mysqld.executeAll(List.of("SET GLOBAL read_only = 0", "CREATE DATABASE IF NOT EXISTS vt_" + ks));
            if (i < 2) {
                mysqld.executeAll(List.of("CREATE TABLE vt_customer.corder (id BIGINT PRIMARY KEY, name VARCHAR(20))"));
            } else {
                mysqld.executeAll(List.of(
                        "CREATE TABLE vt_commerce.customer_seq (id INT, next_id BIGINT, cache BIGINT, PRIMARY KEY (id))",
                        "INSERT INTO vt_commerce.customer_seq VALUES (0, 1, 10)"));
            }
            topo.createShard(ks, shard);
            startTablet(100 + i, mysqld, ks, shard);
        }
        gateway = TabletGateway.start(topo, GatewayConfig.defaults(List.of("zone1"))
                .withTabletRefreshInterval(Duration.ofMillis(200)).withHealthCheckTimeout(Duration.ofSeconds(5))
                .withHealthRetry(Duration.ofMillis(50), Duration.ofMillis(500)), new SimpleMeterRegistry());
        await("all primaries healthy", () -> gateway.tablets().size() == 3
                && gateway.tablets().stream().allMatch(t -> t.healthy()));

        vschema = VSchemaSnapshot.build(Map.of(KS, KeyspaceVSchema.fromJson(VSCHEMA),
                        SEQ_KS, KeyspaceVSchema.fromJson(SEQ_VSCHEMA)), RoutingRules.EMPTY,
                Plugins.load(GateMetadataIT.class.getClassLoader()));
        CachingPlanner planner = new CachingPlanner(vschema, 1000, new SimpleMeterRegistry());
        ShardMap shardMap = ShardMap.fromTopology(topo, List.of(KS, SEQ_KS));
        shardCalls = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64));
        MysqlServerConfig base = MysqlServerConfig.local(0);
        MysqlServerConfig config = new MysqlServerConfig(base.host(), 0, base.handshake().withServerVersion(VERSION),
                base.commands(), base.ioThreads(), base.commandThreads(), base.commandQueue(), base.maxConnections());
        Executor executor = new Executor(planner, gateway, shardMap, shardCalls, VERSION);
        Authenticator accounts = Authenticator.of(AuthMethod.MYSQL_NATIVE_PASSWORD,
                List.of(Account.withPassword("app", "", AuthMethod.MYSQL_NATIVE_PASSWORD)));
        server = new MysqlServer(config, new Authentication(accounts, RsaKey.generate()),
                new GateSessionHandler(executor, planner, new SimpleMeterRegistry())).start();
    }

    private static void startTablet(int uid, Mysqld mysqld, String ks, String shard) {
        TabletAlias alias = new TabletAlias("zone1", uid);
        TabletConfig config = TabletConfig.defaults().toBuilder().dbName("vt_" + ks).queryPoolSize(4).streamPoolSize(2)
                .txPoolSize(2).maxOpenTransactions(2).build();
        TabletQueryServer engines = TabletQueryServer.open(config, mysqld.connectionParams(), new SimpleMeterRegistry(),
                TabletExtensions.NONE);
        closeables.add(engines::close);
        TabletHealth health = new TabletHealth(alias, ks, shard, TabletType.PRIMARY, Optional::empty,
                TabletHealth.Settings.defaults().withInterval(Duration.ofMillis(100))
                        .withHeartbeat(Duration.ofMillis(500))).start();
        closeables.add(0, health::close);
        TabletGrpcServer grpc = TabletGrpcServer.start(engines, health, new InetSocketAddress(0), 4);
        closeables.add(0, grpc::close);
        topo.createTablet(TabletRegistration.record(alias, "localhost", grpc.port(), "127.0.0.1",
                mysqld.connectionParams().port(), ks, shard, TabletType.PRIMARY));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (shardCalls != null) {
            shardCalls.shutdownNow();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (topo != null) {
            topo.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + DEADLINE + " waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static Connection connect(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.port() + "/" + db
                + "?user=app&password=&useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=30000");
    }

    private static List<List<String>> rows(Statement st, String sql) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static List<String> column(Statement st, String sql) throws SQLException {
        return rows(st, sql).stream().map(r -> r.get(0)).toList();
    }

    private static long lastInsertId(Statement st) throws SQLException {
        return Long.parseLong(column(st, "SELECT LAST_INSERT_ID()").get(0));
    }

    /** The shard the hash vindex names for {@code id}. */
    private static String shardOf(long id) {
        SingleColumnVindex hash = (SingleColumnVindex) vschema.keyspace(KS).orElseThrow().tables().get("corder")
                .primaryVindex().orElseThrow().vindex();
        Destination d = hash.map(VindexCursor.NONE, List.of(Value.of(id))).get(0);
        return ((Destination.One) d).id().byteAt(0) < 0x80 ? "-80" : "80-";
    }

    private static List<Long> idsOnShard(int i) {
        return cluster.get(i).fetch("SELECT id FROM vt_customer.corder ORDER BY id").stream()
                .map(r -> Long.parseLong(r.values().iterator().next())).toList();
    }

    @Test
    @Order(1)
    void insertsTakeIdsFromTheSequence() throws Exception {
        try (Connection c = connect(KS); Statement st = c.createStatement()) {
            assertEquals(1, st.executeUpdate("INSERT INTO corder (name) VALUES ('a')", Statement.RETURN_GENERATED_KEYS));
            try (ResultSet keys = st.getGeneratedKeys()) {
                assertTrue(keys.next());
                assertEquals(1, keys.getLong(1), "the OK packet carries the generated id");
            }
            assertEquals(1, lastInsertId(st));

            assertEquals(8, st.executeUpdate("INSERT INTO corder (name) VALUES ('b'), ('c'), ('d'), ('e'), ('f'), ('g'),"
                    + " ('h'), ('i')"));
            assertEquals(2, lastInsertId(st), "LAST_INSERT_ID() is the first id the statement generated");

            assertEquals(2, st.executeUpdate("INSERT INTO corder (id, name) VALUES (1000, 'explicit'), (NULL, 'j')"));
            assertEquals(10, lastInsertId(st), "explicit ids are kept; the NULL row took the next id");
            assertEquals(1, st.executeUpdate("INSERT INTO corder (id, name) VALUES (2000, 'explicit2')"));
            assertEquals(10, lastInsertId(st), "a statement that generated nothing leaves LAST_INSERT_ID()");

            assertEquals(List.of(List.of("1", "a"), List.of("2", "b"), List.of("9", "i"), List.of("10", "j"),
                    List.of("1000", "explicit"), List.of("2000", "explicit2")),
                    rows(st, "SELECT id, name FROM corder WHERE id IN (1, 2, 9, 10, 1000, 2000) ORDER BY id"));
        }
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<Long> ids = idsOnShard(i);
            assertFalse(ids.isEmpty(), "shard " + SHARDS.get(i) + " got rows");
            for (long id : ids) {
                assertEquals(shardOf(id), SHARDS.get(i), "row " + id + " is on the shard the hash vindex names");
            }
            all.addAll(ids);
        }
        all.sort(null);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 1000L, 2000L), all);
    }

    @Test
    @Order(2)
    void selectNextValues() throws Exception {
        try (Connection c = connect(KS); Statement st = c.createStatement()) {
            long first = Long.parseLong(column(st, "SELECT NEXT 5 VALUES FROM commerce.customer_seq").get(0));
            assertEquals(11, first, "ids 1..10 went to the inserts");
            try (Connection seq = connect(SEQ_KS); Statement s2 = seq.createStatement();
                    ResultSet rs = s2.executeQuery("select next value from customer_seq")) {
                assertEquals("nextval", rs.getMetaData().getColumnLabel(1));
                assertTrue(rs.next());
                assertEquals(first + 5, rs.getLong(1));
            }
            assertEquals(1, st.executeUpdate("INSERT INTO corder (name) VALUES ('k')"));
            assertEquals(first + 6, lastInsertId(st), "inserts continue after the ids NEXT handed out");
            assertEquals(1, st.executeUpdate("INSERT INTO corder (id, name) VALUES (0, 'zero')"));
            assertEquals(first + 7, lastInsertId(st), "0 takes the next id, as in MySQL");
            assertEquals(List.of("zero"), column(st, "SELECT name FROM corder WHERE id = " + (first + 7)));
        }
        long reserved = Long.parseLong(cluster.get(2).fetchValue("SELECT next_id FROM vt_commerce.customer_seq WHERE id = 0")
                .orElseThrow());
        assertTrue(reserved > 18, "the table's next_id is past every id handed out: " + reserved);
    }

    @Test
    @Order(3)
    void showAnsweredByTheGate() throws Exception {
        try (Connection c = connect(KS); Statement st = c.createStatement()) {
            assertEquals(List.of("commerce", "customer", "information_schema", "mysql", "sys", "performance_schema"),
                    column(st, "SHOW DATABASES"));
            assertEquals(List.of("commerce", "customer"), column(st, "SHOW VITESS_KEYSPACES"));
            assertEquals(List.of("commerce/0", "customer/-80", "customer/80-"), column(st, "SHOW VITESS_SHARDS"));
            assertEquals(List.of("customer/-80", "customer/80-"), column(st, "SHOW VITESS_SHARDS LIKE 'customer/%'"));
            try (ResultSet rs = st.executeQuery("SHOW VITESS_TABLETS")) {
                List<String> labels = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    labels.add(rs.getMetaData().getColumnLabel(i));
                }
                assertEquals(List.of("Cell", "Keyspace", "Shard", "TabletType", "State", "Alias", "Hostname",
                        "PrimaryTermStartTime"), labels);
                List<String> tablets = new ArrayList<>();
                while (rs.next()) {
                    tablets.add(String.join(" ", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                    String term = rs.getString(8);
                    assertTrue(term.isEmpty() || term.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"), term);
                }
                assertEquals(List.of("zone1 commerce 0 PRIMARY SERVING zone1-0000000102 localhost",
                        "zone1 customer -80 PRIMARY SERVING zone1-0000000100 localhost",
                        "zone1 customer 80- PRIMARY SERVING zone1-0000000101 localhost"), tablets);
            }
            try (ResultSet rs = st.executeQuery("SHOW WARNINGS")) {
                assertEquals("Level", rs.getMetaData().getColumnLabel(1));
                assertEquals("Code", rs.getMetaData().getColumnLabel(2));
                assertEquals("Message", rs.getMetaData().getColumnLabel(3));
                assertFalse(rs.next());
            }
        }
    }

    @Test
    @Order(4)
    void informationSchemaShowsKeyspaceNames() throws Exception {
        try (Connection c = connect(KS); Statement st = c.createStatement()) {
            assertEquals(List.of(List.of("corder", "id", "bigint"), List.of("corder", "name", "varchar")),
                    rows(st, "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS"
                            + " WHERE TABLE_SCHEMA = 'customer' ORDER BY TABLE_NAME, ORDINAL_POSITION"));
            assertEquals(List.of(List.of("commerce", "customer_seq")),
                    rows(st, "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'commerce'"),
                    "the keyspace named in table_schema is asked, whatever the session's keyspace");
            try (ResultSet rs = st.executeQuery("SELECT * FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")) {
                assertTrue(rs.next());
                assertEquals("customer", rs.getString("TABLE_SCHEMA"));
                assertEquals("corder", rs.getString("TABLE_NAME"));
                assertFalse(rs.next());
            }
            List<String> schemas = column(st, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME");
            assertTrue(schemas.contains("customer") && !schemas.contains("vt_customer"), schemas.toString());
            assertEquals(List.of(), column(st, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'customer'"
                    + " AND TABLE_NAME = 'customer_seq'"));
        }
    }

    @Test
    @Order(5)
    void useKeyspaceSlashShardTargetsOneShard() throws Exception {
        List<String> onLow = idsOnShard(0).stream().map(String::valueOf).toList();
        List<String> onHigh = idsOnShard(1).stream().map(String::valueOf).toList();
        try (Connection c = connect(KS); Statement st = c.createStatement()) {
            st.execute("USE customer/-80");
            assertEquals(onLow, column(st, "SELECT id FROM corder ORDER BY id"));
            assertEquals(List.of(String.valueOf(onLow.size())), column(st, "SELECT COUNT(*) FROM corder"));
            st.execute("USE `customer/80-`");
            assertEquals(onHigh, column(st, "SELECT id FROM corder ORDER BY id"));
            assertEquals(1, st.executeUpdate("UPDATE corder SET name = 'high' WHERE id = " + onHigh.get(0)));
            SQLException unknown = assertThrows(SQLException.class, () -> st.execute("USE customer/-40"));
            assertEquals(1049, unknown.getErrorCode(), unknown.getMessage());
            st.execute("USE customer");
            assertEquals(onLow.size() + onHigh.size(), column(st, "SELECT id FROM corder").size());
            assertEquals(List.of("high"), column(st, "SELECT name FROM corder WHERE id = " + onHigh.get(0)));
        }
        try (Connection c = connect("customer/-80"); Statement st = c.createStatement()) {
            assertEquals(onLow, column(st, "SELECT id FROM corder ORDER BY id"), "the connect-time database targets too");
        }
    }
}
