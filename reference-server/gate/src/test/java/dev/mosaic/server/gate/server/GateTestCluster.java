package dev.mosaic.server.gate.server;

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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A gate in front of real tablets for integration tests: keyspace {@code customer} with shards
 * {@code -80} and {@code 80-} (by default vindex {@code hash} on column {@code id} of table {@code t};
 * or the given vschema), each a PRIMARY tablet on its own MariaDB, a tablet gateway, an
 * {@link Executor} and the gate's MySQL server, which clients reach with {@link #connect}. The
 * plan cache and the gate's metrics share {@link #registry}. Close it to stop everything.
 */
public final class GateTestCluster implements AutoCloseable {
    /** The keyspace. */
    public static final String KS = "customer";
    /** The MySQL database of the keyspace's tablets. */
    public static final String DB = "vt_customer";
    /** The shards, in key-range order. */
    public static final List<String> SHARDS = List.of("-80", "80-");
    /**
     * The backends are MariaDB 10.x: the gate advertises a version of that flavor so Connector/J
     * asks the shards only for variables they know (see GateEndToEndIT).
     */
    public static final String VERSION = "5.5.5-10.11.0-MariaDB-Mosaic";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
            """;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<TabletQueryServer> tablets = new ArrayList<>();
    private final List<TabletHealth> healths = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final String vschemaJson;
    private CachingPlanner planner;
    private MysqldCluster cluster;
    private TopoServer topo;
    private TabletGateway gateway;
    private VSchemaSnapshot vschema;
    private ThreadPoolExecutor shardCalls;
    private Executor executor;
    private MysqlServer server;

    private GateTestCluster(String vschemaJson) {
        this.vschemaJson = vschemaJson;
    }

    /**
     * Starts two MariaDBs, their tablets (with {@code tabletConfig} applied to the defaults) and a
     * gate in front of them.
     */
    public static GateTestCluster start(UnaryOperator<TabletConfig.Builder> tabletConfig) throws Exception {
        return start(VSCHEMA, tabletConfig);
    }

    /** As {@link #start(UnaryOperator)}, with {@code vschemaJson} as the keyspace's vschema. */
    public static GateTestCluster start(String vschemaJson, UnaryOperator<TabletConfig.Builder> tabletConfig)
            throws Exception {
        GateTestCluster c = new GateTestCluster(vschemaJson);
        try {
            c.startAll(tabletConfig);
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void startAll(UnaryOperator<TabletConfig.Builder> tabletConfig) throws Exception {
        cluster = MysqldCluster.start(SHARDS.size());
        String name = "gate-test-" + UUID.randomUUID();
        TopoConnector connector = new TopoConnector(Plugins.of(List.of(new MemoryTopoFactory())));
        topo = connector.openServer(connector.target("memory:" + name, Map.of()), TopoServer.Options.defaults());
        topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(name + "-zone1").build());
        for (int i = 0; i < SHARDS.size(); i++) {
            Mysqld mysqld = cluster.get(i);
            mysqld.replication().makePrimary();
            mysqld.executeAll(List.of("SET GLOBAL read_only = 0", "CREATE DATABASE IF NOT EXISTS " + DB
                    + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"));
            topo.createShard(KS, SHARDS.get(i));
            startTablet(100 + i, mysqld, SHARDS.get(i), tabletConfig);
        }
        gateway = TabletGateway.start(topo, GatewayConfig.defaults(List.of("zone1"))
                .withTabletRefreshInterval(Duration.ofMillis(200)).withHealthCheckTimeout(Duration.ofSeconds(5))
                .withHealthRetry(Duration.ofMillis(50), Duration.ofMillis(500)), new SimpleMeterRegistry());
        await("both primaries healthy", () -> SHARDS.stream().allMatch(s -> !gateway.healthyTablets(
                Target.newBuilder().setKeyspace(KS).setShard(s).setTabletType(TabletType.PRIMARY).build()).isEmpty()));
        vschema = VSchemaSnapshot.build(Map.of(KS, KeyspaceVSchema.fromJson(vschemaJson)), RoutingRules.EMPTY,
                Plugins.load(GateTestCluster.class.getClassLoader()));
        planner = new CachingPlanner(vschema, 1000, registry);
        shardCalls = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64));
        MysqlServerConfig base = MysqlServerConfig.local(0);
        MysqlServerConfig config = new MysqlServerConfig(base.host(), 0, base.handshake().withServerVersion(VERSION),
                base.commands(), base.ioThreads(), base.commandThreads(), base.commandQueue(), base.maxConnections());
        executor = new Executor(planner, gateway, ShardMap.fromTopology(topo, List.of(KS)), shardCalls, VERSION);
        Authenticator accounts = Authenticator.of(AuthMethod.MYSQL_NATIVE_PASSWORD,
                List.of(Account.withPassword("app", "", AuthMethod.MYSQL_NATIVE_PASSWORD)));
        server = new MysqlServer(config, new Authentication(accounts, RsaKey.generate()),
                new GateSessionHandler(executor, planner, registry)).start();
    }

    private void startTablet(int uid, Mysqld mysqld, String shard, UnaryOperator<TabletConfig.Builder> customize) {
        TabletAlias alias = new TabletAlias("zone1", uid);
        TabletConfig config = customize.apply(TabletConfig.defaults().toBuilder().dbName(DB).queryPoolSize(4)
                .streamPoolSize(2)).build();
        TabletQueryServer engines = TabletQueryServer.open(config, mysqld.connectionParams(), new SimpleMeterRegistry(),
                TabletExtensions.NONE);
        closeables.add(engines::close);
        tablets.add(engines);
        TabletHealth health = new TabletHealth(alias, KS, shard, TabletType.PRIMARY, Optional::empty,
                TabletHealth.Settings.defaults().withInterval(Duration.ofMillis(100))
                        .withHeartbeat(Duration.ofMillis(500))).start();
        closeables.add(0, health::close);
        healths.add(health);
        TabletGrpcServer grpc = TabletGrpcServer.start(engines, health, new InetSocketAddress(0), 4);
        closeables.add(0, grpc::close);
        topo.createTablet(TabletRegistration.record(alias, "localhost", grpc.port(), "127.0.0.1",
                mysqld.connectionParams().port(), KS, shard, TabletType.PRIMARY));
    }

    /** A Connector/J connection to the gate, with {@code db} as its database (may be empty). */
    public Connection connect(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.port() + "/" + db
                + "?user=app&password=&useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=30000");
    }

    /** The MariaDB of shard {@code SHARDS.get(i)}. */
    public Mysqld mysqld(int i) {
        return cluster.get(i);
    }

    /** The tablet engines of shard {@code SHARDS.get(i)}. */
    public TabletQueryServer tablet(int i) {
        return tablets.get(i);
    }

    /** The gate's MySQL port. */
    public int port() {
        return server.port();
    }

    /** The gate's plan cache. */
    public CachingPlanner planner() {
        return planner;
    }

    /** Per shard, in {@link #SHARDS} order, the queries its tablet has served. */
    public long[] served() {
        return healths.stream().mapToLong(h -> h.qpsCounter().total()).toArray();
    }

    /** The value of a counter of the gate's registry, 0 if it is not registered. */
    public double counter(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    /** The gate's executor. */
    public Executor executor() {
        return executor;
    }

    /** The shard the hash vindex of table {@code t} names for {@code id}. */
    public String shardOf(long id) {
        return shardOf("t", id);
    }

    /** The shard the primary vindex of {@code table} (a single-column vindex) names for {@code id}. */
    public String shardOf(String table, long id) {
        SingleColumnVindex v = (SingleColumnVindex) planner.vschema().keyspace(KS).orElseThrow().tables().get(table)
                .primaryVindex().orElseThrow().vindex();
        Destination d = v.map(VindexCursor.NONE, List.of(Value.of(id))).get(0);
        return ((Destination.One) d).id().byteAt(0) < 0x80 ? "-80" : "80-";
    }

    /** Waits until {@code condition} holds, failing after 30 seconds. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + DEADLINE + " waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Stops the gate, the tablets and the MariaDBs; everything is tried, the first failure thrown. */
    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>();
        all.add(server);
        all.add(gateway);
        all.add(shardCalls == null ? null : shardCalls::shutdownNow);
        all.addAll(closeables);
        all.add(topo);
        all.add(cluster);
        RuntimeException first = null;
        for (AutoCloseable c : all) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (first == null) {
                    first = new IllegalStateException("closing the gate test cluster failed", e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
