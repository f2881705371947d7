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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
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

/**
 * A gate in front of two real tablets for ITs: PRIMARY of shards {@code -80} and {@code 80-} of
 * keyspace {@code customer}, each on its own MariaDB, behind the gate's MySQL server (user
 * {@code app}, empty password). Planner, executor and session handler publish their metrics to
 * {@link #registry}.
 */
final class GateTestCluster implements AutoCloseable {
    static final String KS = "customer";
    static final String DB = "vt_customer";
    static final List<String> SHARDS = List.of("-80", "80-");
    /** A MariaDB flavour of version, so Connector/J asks the shards only for variables MariaDB has. */
    static final String VERSION = "5.5.5-10.11.0-MariaDB-Mosaic";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    final MysqldCluster mysqlds;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final CachingPlanner planner;
    final MysqlServer server;
    private final TopoServer topo;
    private final TabletGateway gateway;
    private final ThreadPoolExecutor shardCalls;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<TabletHealth> healths = new ArrayList<>();

    /** Starts the MariaDBs, tablets and gate for the {@code customer} keyspace with {@code vschemaJson}. */
    GateTestCluster(String vschemaJson) throws Exception {
        mysqlds = MysqldCluster.start(2);
        closeables.add(mysqlds::close);
        String name = "gate-it-" + UUID.randomUUID();
        TopoConnector connector = new TopoConnector(Plugins.of(List.of(new MemoryTopoFactory())));
        topo = connector.openServer(connector.target("memory:" + name, Map.of()), TopoServer.Options.defaults());
        closeables.add(0, topo::close);
        topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(name + "-zone1").build());
        for (int i = 0; i < 2; i++) {
            Mysqld mysqld = mysqlds.get(i);
            mysqld.replication().makePrimary();
            mysqld.executeAll(List.of("SET GLOBAL read_only = 0",
                    "CREATE DATABASE IF NOT EXISTS " + DB + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"));
            topo.createShard(KS, SHARDS.get(i));
            startTablet(100 + i, mysqld, SHARDS.get(i));
        }
        gateway = TabletGateway.start(topo, GatewayConfig.defaults(List.of("zone1"))
                .withTabletRefreshInterval(Duration.ofMillis(200)).withHealthCheckTimeout(Duration.ofSeconds(5))
                .withHealthRetry(Duration.ofMillis(50), Duration.ofMillis(500)), new SimpleMeterRegistry());
        closeables.add(0, gateway::close);
        await("both primaries healthy", () -> SHARDS.stream().allMatch(s -> !gateway.healthyTablets(
                Target.newBuilder().setKeyspace(KS).setShard(s).setTabletType(TabletType.PRIMARY).build()).isEmpty()));
        VSchemaSnapshot vschema = VSchemaSnapshot.build(Map.of(KS, KeyspaceVSchema.fromJson(vschemaJson)), RoutingRules.EMPTY,
                Plugins.load(GateTestCluster.class.getClassLoader()));
        planner = new CachingPlanner(vschema, 1000, registry);
        ShardMap shardMap = ShardMap.fromTopology(topo, List.of(KS));
        shardCalls = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64));
        closeables.add(0, shardCalls::shutdownNow);
        MysqlServerConfig base = MysqlServerConfig.local(0);
        MysqlServerConfig config = new MysqlServerConfig(base.host(), 0, base.handshake().withServerVersion(VERSION),
                base.commands(), base.ioThreads(), base.commandThreads(), base.commandQueue(), base.maxConnections());
        Executor executor = new Executor(planner, gateway, shardMap, shardCalls, VERSION);
        Authenticator accounts = Authenticator.of(AuthMethod.MYSQL_NATIVE_PASSWORD,
                List.of(Account.withPassword("app", "", AuthMethod.MYSQL_NATIVE_PASSWORD)));
        server = new MysqlServer(config, new Authentication(accounts, RsaKey.generate()),
                new GateSessionHandler(executor, planner, registry)).start();
        closeables.add(0, server::close);
    }

    private void startTablet(int uid, Mysqld mysqld, String shard) {
        TabletAlias alias = new TabletAlias("zone1", uid);
        TabletConfig config = TabletConfig.defaults().toBuilder().dbName(DB).queryPoolSize(4).streamPoolSize(2)
                .txPoolSize(2).maxOpenTransactions(2).build();
        TabletQueryServer engines = TabletQueryServer.open(config, mysqld.connectionParams(), new SimpleMeterRegistry(),
                TabletExtensions.NONE);
        closeables.add(0, engines::close);
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

    /** The gate's MySQL port. */
    int port() {
        return server.port();
    }

    /** Per shard, in {@link #SHARDS} order, the queries its tablet has served. */
    long[] served() {
        return healths.stream().mapToLong(h -> h.qpsCounter().total()).toArray();
    }

    /** The shard the primary vindex of {@code table} (a single-column vindex) names for {@code id}. */
    String shardOf(String table, long id) {
        SingleColumnVindex v = (SingleColumnVindex) planner.vschema().keyspace(KS).orElseThrow().tables().get(table)
                .primaryVindex().orElseThrow().vindex();
        Destination d = v.map(VindexCursor.NONE, List.of(Value.of(id))).get(0);
        return ((Destination.One) d).id().byteAt(0) < 0x80 ? "-80" : "80-";
    }

    /** The value of a counter of {@link #registry}, 0 if it is not registered. */
    double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    static void await(String what, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + DEADLINE + " waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Closes everything, the gate first; the first failure is rethrown after all were tried. */
    @Override
    public void close() {
        Exception first = null;
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw new IllegalStateException("closing the gate test cluster failed", first);
        }
    }
}
