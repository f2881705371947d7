package dev.mosaic.server.gate.testing;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * A gate in front of real tablets on real MariaDB, for integration tests: keyspace {@code customer}
 * sharded {@code -80}/{@code 80-}, each shard a PRIMARY and a REPLICA tablet (the replica's mysqld
 * replicates from the primary's), keyspace {@code commerce} unsharded (shard {@code 0}, one
 * PRIMARY), and one more plain MariaDB, the <em>oracle</em>, with a database {@link #ORACLE_DB}
 * that a test fills with the same rows as both keyspaces to compare answers against.
 *
 * <p>Six mysqld processes (uids 1..6): 1/2 = {@code -80} primary/replica, 3/4 = {@code 80-}
 * primary/replica, 5 = commerce, 6 = oracle. Tablets run in this JVM; the topology is in memory.
 * Close it to stop everything.
 */
public final class ShardedTestCluster implements AutoCloseable {
    /** The sharded keyspace. */
    public static final String SHARDED = "customer";
    /** The unsharded keyspace. */
    public static final String UNSHARDED = "commerce";
    /** The shards of {@link #SHARDED}. */
    public static final List<String> SHARDS = List.of("-80", "80-");
    /** The oracle's database. */
    public static final String ORACLE_DB = "oracle";
    /**
     * MariaDB backends have no {@code transaction_isolation}; the gate advertises a MariaDB version
     * so Connector/J asks for what the shards know.
     */
    public static final String VERSION = GateFront.VERSION;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** One tablet: its mysqld, keyspace, shard, type and health (whose QPS counter counts its queries). */
    public record Tablet(Mysqld mysqld, String keyspace, String shard, TabletType type, TabletHealth health) {
        /** Queries this tablet has served so far. */
        public long served() {
            return health.qpsCounter().total();
        }
    }

    private final MysqldCluster cluster;
    private final TopoServer topo;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Tablet> tablets = new ArrayList<>();
    private GateFront gate;
    private final java.util.function.UnaryOperator<TabletConfig.Builder> tabletConfig;

    private ShardedTestCluster(MysqldCluster cluster, TopoServer topo,
            java.util.function.UnaryOperator<TabletConfig.Builder> tabletConfig) {
        this.cluster = cluster;
        this.topo = topo;
        this.tabletConfig = tabletConfig;
    }

    /**
     * Starts the mysqlds, replication, tablets and the gate, with {@code vschemas} (keyspace name to
     * vschema JSON; must name {@link #SHARDED} and {@link #UNSHARDED}).
     */
    public static ShardedTestCluster start(Map<String, String> vschemas) throws Exception {
        return start(vschemas, b -> b);
    }

    /**
     * As {@link #start(Map)}, with {@code tabletConfig} applied to every tablet's configuration
     * after the fixture's small defaults (query pool 4, stream pool 2, 2 transactions).
     */
    public static ShardedTestCluster start(Map<String, String> vschemas,
            java.util.function.UnaryOperator<TabletConfig.Builder> tabletConfig) throws Exception {
        MysqldCluster cluster = MysqldCluster.start(6, c -> c.withOption("innodb_log_file_size", "16M")
                .withOption("innodb_buffer_pool_size", "32M"));
        String name = "sharded-" + UUID.randomUUID();
        TopoServer topo;
        try {
            TopoConnector connector = new TopoConnector(Plugins.of(List.of(new MemoryTopoFactory())));
            topo = connector.openServer(connector.target("memory:" + name, Map.of()), TopoServer.Options.defaults());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        ShardedTestCluster c = new ShardedTestCluster(cluster, topo, tabletConfig);
        try {
            c.wire(name, vschemas);
            return c;
        } catch (Exception | Error e) {
            try {
                c.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void wire(String name, Map<String, String> vschemas) throws Exception {
        topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(name + "-zone1").build());
        // Replication first, so the primaries' CREATE DATABASE and all later DDL reach the replicas.
        for (int s = 0; s < SHARDS.size(); s++) {
            Mysqld primary = cluster.get(2 * s);
            Mysqld replica = cluster.get(2 * s + 1);
            primary.replication().makePrimary();
            replica.replication().setReplicationSource(new ReplicationSource("127.0.0.1",
                    primary.connectionParams().port(), "root", "", Duration.ofSeconds(1), Duration.ofMillis(500)), false);
            primary.executeAll(List.of("SET GLOBAL read_only = 0", "CREATE DATABASE IF NOT EXISTS " + dbName(SHARDED)));
            replica.replication().waitForPosition(primary.replication().primaryPosition(), DEADLINE);
            topo.createShard(SHARDED, SHARDS.get(s));
            startTablet(100 + 2 * s, primary, SHARDED, SHARDS.get(s), TabletType.PRIMARY);
            startTablet(101 + 2 * s, replica, SHARDED, SHARDS.get(s), TabletType.REPLICA);
        }
        Mysqld commerce = cluster.get(4);
        commerce.replication().makePrimary();
        commerce.executeAll(List.of("SET GLOBAL read_only = 0", "CREATE DATABASE IF NOT EXISTS " + dbName(UNSHARDED)));
        topo.createShard(UNSHARDED, "0");
        startTablet(200, commerce, UNSHARDED, "0", TabletType.PRIMARY);
        oracle().executeAll(List.of("SET GLOBAL read_only = 0", "CREATE DATABASE IF NOT EXISTS " + ORACLE_DB));

        Map<String, KeyspaceVSchema> keyspaces = new LinkedHashMap<>();
        vschemas.forEach((ks, json) -> keyspaces.put(ks, KeyspaceVSchema.fromJson(json)));
        gate = GateFront.start(topo, keyspaces, tablets.stream().map(t -> Target.newBuilder().setKeyspace(t.keyspace())
                .setShard(t.shard()).setTabletType(t.type()).build()).toList(), new SimpleMeterRegistry());
    }

    private void startTablet(int uid, Mysqld mysqld, String keyspace, String shard, TabletType type) {
        TabletAlias alias = new TabletAlias("zone1", uid);
        TabletConfig config = tabletConfig.apply(TabletConfig.defaults().toBuilder().dbName(dbName(keyspace))
                .queryPoolSize(4).streamPoolSize(2).txPoolSize(2).maxOpenTransactions(2)).build();
        TabletQueryServer engines = TabletQueryServer.open(config, mysqld.connectionParams(), new SimpleMeterRegistry(),
                TabletExtensions.NONE);
        closeables.add(0, engines::close);
        TabletHealth.ReplicationProbe probe = type == TabletType.PRIMARY ? Optional::empty
                : mysqld.replication()::replicationStatus;
        TabletHealth health = new TabletHealth(alias, keyspace, shard, type, probe,
                TabletHealth.Settings.defaults().withInterval(Duration.ofMillis(100))
                        .withHeartbeat(Duration.ofMillis(500))).start();
        closeables.add(0, health::close);
        TabletGrpcServer grpc = TabletGrpcServer.start(engines, health, new InetSocketAddress(0), 4);
        closeables.add(0, grpc::close);
        topo.createTablet(TabletRegistration.record(alias, "localhost", grpc.port(), "127.0.0.1",
                mysqld.connectionParams().port(), keyspace, shard, type));
        tablets.add(new Tablet(mysqld, keyspace, shard, type, health));
    }

    /** The database a keyspace's tablets use. */
    public static String dbName(String keyspace) {
        return "vt_" + keyspace;
    }

    /** The gate's MySQL port. */
    public int port() {
        return gate.port();
    }

    /** The vschema the gate plans with. */
    public VSchemaSnapshot vschema() {
        return gate.vschema();
    }

    /** Every tablet, in start order. */
    public List<Tablet> tablets() {
        return List.copyOf(tablets);
    }

    /** The tablets of {@code keyspace} of {@code type}. */
    public List<Tablet> tablets(String keyspace, TabletType type) {
        return tablets.stream().filter(t -> t.keyspace().equals(keyspace) && t.type() == type).toList();
    }

    /** The oracle mysqld (no tablet, no gate). */
    public Mysqld oracle() {
        return cluster.get(5);
    }

    /** A new Connector/J connection to the gate as {@code app}, default schema {@code db} (may be empty). */
    public Connection connectGate(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port() + "/" + db
                + "?user=app&password=&useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000"
                + "&socketTimeout=60000");
    }

    /**
     * A new Connector/J connection to the gate as {@code app} that prepares statements on the
     * server ({@code useServerPrepStmts=true}, no client-side fallback): results come in the binary
     * protocol.
     */
    public Connection connectGatePrepared(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port() + "/" + db
                + "?user=app&password=&useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000"
                + "&socketTimeout=60000&useServerPrepStmts=true&emulateUnsupportedPstmts=false");
    }

    /** A new connection to the oracle, {@link #ORACLE_DB} as its schema, preparing on the server. */
    public Connection connectOraclePrepared() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + oracle().connectionParams().port() + "/"
                + ORACLE_DB + "?user=" + oracle().connectionParams().user() + "&password="
                + oracle().connectionParams().password() + "&sslMode=DISABLED&allowPublicKeyRetrieval=true"
                + "&useServerPrepStmts=true&emulateUnsupportedPstmts=false&characterEncoding=UTF-8");
    }

    /** A new connection to the oracle with {@link #ORACLE_DB} as the default schema. */
    public Connection connectOracle() throws SQLException {
        Connection c = oracle().connect();
        c.setCatalog(ORACLE_DB);
        return c;
    }

    /** Waits until every replica has applied everything its primary has written so far. */
    public void awaitReplicasCaughtUp() {
        for (int s = 0; s < SHARDS.size(); s++) {
            Mysqld primary = cluster.get(2 * s);
            cluster.get(2 * s + 1).replication().waitForPosition(primary.replication().primaryPosition(), DEADLINE);
        }
    }

    /**
     * The path of a client binary on {@code PATH}; aborts the calling test if it is missing, except
     * under {@code CI=true}, where a missing binary is a failure.
     */
    public static String requireBinary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            java.io.File f = new java.io.File(dir, name);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        String why = "'" + name + "' not found on PATH";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            org.junit.jupiter.api.Assertions.fail("CI=true and " + why);
        }
        org.junit.jupiter.api.Assumptions.abort(why);
        return null;
    }

    /** Waits for {@code condition} with a deadline. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + DEADLINE + " waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        List<AutoCloseable> all = new ArrayList<>();
        all.add(gate);
        all.addAll(closeables);
        all.add(topo);
        all.add(cluster);
        for (AutoCloseable c : all) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
