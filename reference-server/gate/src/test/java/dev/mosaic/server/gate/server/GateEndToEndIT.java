package dev.mosaic.server.gate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The first end-to-end path: mysql-connector-j talks to the gate's MySQL server; the gate plans
 * with the SQL layer and executes on two real tablets, PRIMARY of shards {@code -80} and {@code 80-}
 * of keyspace {@code customer} (vindex {@code hash} on {@code id}), each on its own MariaDB.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GateEndToEndIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String KS = "customer";
    private static final String DB = "vt_customer";
    private static final List<String> SHARDS = List.of("-80", "80-");
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
            """;

    private static MysqldCluster cluster;
    private static TopoServer topo;
    private static final List<AutoCloseable> closeables = new ArrayList<>();
    /** Per shard, in {@link #SHARDS} order: the tablet's health, whose QPS counter counts its queries. */
    private static final List<TabletHealth> healths = new ArrayList<>();
    private static TabletGateway gateway;
    private static VSchemaSnapshot vschema;
    private static ThreadPoolExecutor shardCalls;
    private static MysqlServer server;
    /**
     * The backends are MariaDB 10.x, which has no {@code transaction_isolation}: the gate must
     * advertise a version of that flavor (as MariaDB does, {@code 5.5.5-} first), or Connector/J's
     * connect-time variables query, which the gate sends to a shard, asks for a variable the
     * shard does not know.
     */
    private static final String VERSION = "5.5.5-10.11.0-MariaDB-Mosaic";

    @BeforeAll
    static void start() throws Exception {
        cluster = MysqldCluster.start(2);
        String name = "gate-e2e-" + UUID.randomUUID();
        TopoConnector connector = new TopoConnector(Plugins.of(List.of(new MemoryTopoFactory())));
        topo = connector.openServer(connector.target("memory:" + name, Map.of()), TopoServer.Options.defaults());
        topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(name + "-zone1").build());
        for (int i = 0; i < 2; i++) {
            Mysqld mysqld = cluster.get(i);
            mysqld.replication().makePrimary();
            mysqld.executeAll(List.of("SET GLOBAL read_only = 0", "CREATE DATABASE IF NOT EXISTS " + DB));
            topo.createShard(KS, SHARDS.get(i));
            healths.add(startTablet(100 + i, mysqld, SHARDS.get(i)));
        }
        gateway = TabletGateway.start(topo, GatewayConfig.defaults(List.of("zone1"))
                .withTabletRefreshInterval(Duration.ofMillis(200)).withHealthCheckTimeout(Duration.ofSeconds(5))
                .withHealthRetry(Duration.ofMillis(50), Duration.ofMillis(500)), new SimpleMeterRegistry());
        await("both primaries healthy", () -> SHARDS.stream().allMatch(s -> !gateway.healthyTablets(
                Target.newBuilder().setKeyspace(KS).setShard(s).setTabletType(TabletType.PRIMARY).build()).isEmpty()));

        vschema = VSchemaSnapshot.build(Map.of(KS, KeyspaceVSchema.fromJson(VSCHEMA)), RoutingRules.EMPTY,
                Plugins.load(GateEndToEndIT.class.getClassLoader()));
        CachingPlanner planner = new CachingPlanner(vschema, 1000, new SimpleMeterRegistry());
        ShardMap shardMap = ShardMap.fromTopology(topo, List.of(KS));
        assertEquals(SHARDS, shardMap.shards(KS).stream().map(ShardTarget::name).toList());
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

    private static TabletHealth startTablet(int uid, Mysqld mysqld, String shard) {
        TabletAlias alias = new TabletAlias("zone1", uid);
        TabletConfig config = TabletConfig.defaults().toBuilder().dbName(DB).queryPoolSize(4).streamPoolSize(2)
                .txPoolSize(2).maxOpenTransactions(2).build();
        TabletQueryServer engines = TabletQueryServer.open(config, mysqld.connectionParams(), new SimpleMeterRegistry(),
                TabletExtensions.NONE);
        closeables.add(engines::close);
        TabletHealth health = new TabletHealth(alias, KS, shard, TabletType.PRIMARY, Optional::empty,
                TabletHealth.Settings.defaults().withInterval(Duration.ofMillis(100))
                        .withHeartbeat(Duration.ofMillis(500))).start();
        closeables.add(0, health::close);
        TabletGrpcServer grpc = TabletGrpcServer.start(engines, health, new InetSocketAddress(0), 4);
        closeables.add(0, grpc::close);
        topo.createTablet(TabletRegistration.record(alias, "localhost", grpc.port(), "127.0.0.1",
                mysqld.connectionParams().port(), KS, shard, TabletType.PRIMARY));
        return health;
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

    private static List<String> column(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The path of a client binary; skips the test if it is missing, except under {@code CI=true}. */
    private static String requireBinary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            java.io.File f = new java.io.File(dir, name);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        String why = "'" + name + "' not found on PATH (apt-get install -y mariadb-client)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            org.junit.jupiter.api.Assertions.fail("CI=true and " + why);
        }
        org.junit.jupiter.api.Assumptions.abort(why);
        return null;
    }

    private static long[] served() {
        return healths.stream().mapToLong(h -> h.qpsCounter().total()).toArray();
    }

    /** The shard the hash vindex names for {@code id}. */
    private static String shardOf(long id) {
        SingleColumnVindex hash = (SingleColumnVindex) vschema.keyspace(KS).orElseThrow().tables().get("t")
                .primaryVindex().orElseThrow().vindex();
        Destination d = hash.map(VindexCursor.NONE, List.of(Value.of(id))).get(0);
        return ((Destination.One) d).id().byteAt(0) < 0x80 ? "-80" : "80-";
    }

    @Test
    @Order(1)
    void ddlAndInsertsLandOnTheShardsTheVindexNames() throws Exception {
        try (Connection c = connect(KS); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(20), n INT)");
            StringBuilder values = new StringBuilder();
            for (int id = 1; id <= 20; id++) {
                values.append(id == 1 ? "" : ", ").append("(").append(id).append(", 'name").append(id).append("', ")
                        .append(id * 10).append(")");
            }
            assertEquals(20, st.executeUpdate("INSERT INTO t (id, name, n) VALUES " + values));
        }
        int total = 0;
        for (int i = 0; i < 2; i++) {
            String shard = SHARDS.get(i);
            List<Map<String, String>> rows = cluster.get(i).fetch("SELECT id FROM " + DB + ".t ORDER BY id");
            assertTrue(!rows.isEmpty(), "shard " + shard + " got rows");
            for (Map<String, String> r : rows) {
                long id = Long.parseLong(r.values().iterator().next());
                assertEquals(shardOf(id), shard, "row " + id + " is on the shard the hash vindex names");
            }
            total += rows.size();
        }
        assertEquals(20, total);
    }

    @Test
    @Order(2)
    void pointSelectGoesToOneShard() throws Exception {
        try (Connection c = connect(KS); Statement st = c.createStatement()) {
            long[] before = served();
            try (ResultSet rs = st.executeQuery("SELECT id, name, n FROM t WHERE id = 7")) {
                assertTrue(rs.next());
                assertEquals(7, rs.getLong(1));
                assertEquals("name7", rs.getString(2));
                assertEquals(70, rs.getInt(3));
                assertTrue(!rs.next());
            }
            long[] after = served();
            int owner = SHARDS.indexOf(shardOf(7));
            assertEquals(1, after[owner] - before[owner], "the owning shard ran the query");
            assertEquals(0, after[1 - owner] - before[1 - owner], "the other shard was not asked");
            assertEquals(List.of(), column(st, "SELECT name FROM t WHERE id = 12345"));
        }
    }

    @Test
    @Order(3)
    void scatterOrderByLimitAndCountMergeAcrossShards() throws Exception {
        try (Connection c = connect(KS); Statement st = c.createStatement()) {
            assertEquals(List.of("1", "2", "3", "4", "5"), column(st, "SELECT id FROM t ORDER BY id LIMIT 5"));
            assertEquals(List.of("20", "19", "18"), column(st, "SELECT id FROM t ORDER BY id DESC LIMIT 3"));
            assertEquals(List.of("20"), column(st, "SELECT COUNT(*) FROM t"));
            assertEquals(List.of("2100"), column(st, "SELECT SUM(n) FROM t"));
            assertEquals(List.of("3", "4"), column(st, "SELECT id FROM t WHERE id IN (3, 4, 99) ORDER BY id"));
            // Text order through the hidden weight_string column, dropped before the client sees it.
            assertEquals(List.of("name1", "name10", "name11"), column(st, "SELECT name FROM t ORDER BY name LIMIT 3"));
            try (ResultSet rs = st.executeQuery("SELECT name FROM t ORDER BY name LIMIT 1")) {
                assertEquals(1, rs.getMetaData().getColumnCount());
            }
            assertEquals(List.of("10"), column(st, "SELECT COUNT(*) FROM t WHERE n > 100"));
        }
    }

    @Test
    @Order(4)
    void gateAnswersVersionDatabaseAndUse() throws Exception {
        try (Connection c = connect(KS); Statement st = c.createStatement()) {
            assertEquals(List.of(KS), column(st, "SELECT DATABASE()"));
            assertEquals(List.of(VERSION), column(st, "SELECT @@version"));
            st.execute("USE " + KS);
            assertEquals(List.of("20"), column(st, "SELECT COUNT(*) FROM t"));
        }
    }

    @Test
    @Order(5)
    void unsupportedStatementFailsWithMysqlErrorAndTheConnectionKeepsWorking() throws Exception {
        try (Connection c = connect(KS); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> st.executeQuery("SELECT id FROM t WHERE id IN (SELECT id FROM t)"));
            assertEquals(1235, e.getErrorCode(), e.getMessage());
            assertEquals("42000", e.getSQLState());
            assertTrue(e.getMessage().contains("VT12001"), e.getMessage());

            SQLException shardError = assertThrows(SQLException.class,
                    () -> st.executeQuery("SELECT nosuch FROM t WHERE id = 1"));
            assertEquals(1054, shardError.getErrorCode(), shardError.getMessage());
            assertEquals("42S22", shardError.getSQLState(), shardError.getMessage());

            SQLException unknown = assertThrows(SQLException.class, () -> st.execute("USE nosuch"));
            assertEquals(1049, unknown.getErrorCode(), unknown.getMessage());

            assertEquals(List.of("name3"), column(st, "SELECT name FROM t WHERE id = 3"));
        }
    }

    @Test
    @Order(6)
    void mariadbCliInBatchMode() throws Exception {
        String cli = requireBinary("mariadb");
        Process p = new ProcessBuilder(cli, "--batch", "--skip-ssl", "-h", "127.0.0.1", "-P", String.valueOf(server.port()),
                "-u", "app", KS, "-e", "SELECT id, name FROM t ORDER BY id LIMIT 2")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "mariadb finished");
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertEquals("id\tname\n1\tname1\n2\tname2\n", out);
    }
}
