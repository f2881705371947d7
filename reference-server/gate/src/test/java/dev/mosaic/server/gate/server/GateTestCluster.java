package dev.mosaic.server.gate.server;


import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.sql.Value;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.gate.executor.Executor;
import dev.mosaic.server.gate.testing.GateFront;
import dev.mosaic.server.gate.executor.ShardMap;
import dev.mosaic.server.gate.gateway.TabletGateway;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.tablet.TabletExtensions;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.grpc.TabletGrpcServer;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.health.TabletRegistration;
import dev.mosaic.server.tablet.sidecar.Sidecar;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A gate in front of real tablets for integration tests: by default keyspace {@code customer} with
 * shards {@code -80} and {@code 80-} (vindex {@code hash} on column {@code id} of table {@code t},
 * or the given vschema); or the given {@link Keyspace}s. Each shard is a PRIMARY tablet on its own
 * MariaDB, behind a tablet gateway, an {@link Executor} and the gate's MySQL server, which clients
 * reach with {@link #connect}. The plan cache and the gate's metrics share one registry
 * ({@link #counter}). Close it to stop everything.
 */
public final class GateTestCluster implements AutoCloseable {
    /** The keyspace of the default layout. */
    public static final String KS = "customer";
    /** The MySQL database of the default keyspace's tablets. */
    public static final String DB = dbName(KS);
    /** The shards of the default keyspace, in key-range order. */
    public static final List<String> SHARDS = List.of("-80", "80-");
    /**
     * The backends are MariaDB 10.x, which has no {@code transaction_isolation}: the gate advertises
     * a version of that flavor (as MariaDB does, {@code 5.5.5-} first), or Connector/J's connect-time
     * variables query, which the gate sends to a shard, asks for a variable the shard does not know.
     */
    public static final String VERSION = GateFront.VERSION;
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
            """;
    private static final String URL_PROPERTIES =
            "user=app&password=&useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=30000";

    /**
     * A keyspace of the cluster: its shards (one MariaDB and PRIMARY tablet each, started in this
     * order), its vschema, and statements run on each of its MariaDBs once its database exists,
     * before the tablets start (tables a test expects to find, rows of a sequence table).
     */
    public record Keyspace(String name, List<String> shards, String vschemaJson, List<String> setupSql) {
        public Keyspace {
            shards = List.copyOf(shards);
            setupSql = List.copyOf(setupSql);
        }
    }

    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** In start order: every keyspace's shards, keyspaces in the order given. */
    private final List<TabletQueryServer> tablets = new ArrayList<>();
    private final List<TabletHealth> healths = new ArrayList<>();
    private final List<Target> primaries = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Keyspace> keyspaces;
    private MysqldCluster cluster;
    private TopoServer topo;
    private GateFront gate;

    private GateTestCluster(List<Keyspace> keyspaces) {
        this.keyspaces = List.copyOf(keyspaces);
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
        return start(List.of(new Keyspace(KS, SHARDS, vschemaJson, List.of())), tabletConfig);
    }

    /** Starts a MariaDB and a tablet per shard of {@code keyspaces}, and a gate in front of them. */
    public static GateTestCluster start(List<Keyspace> keyspaces, UnaryOperator<TabletConfig.Builder> tabletConfig)
            throws Exception {
        GateTestCluster c = new GateTestCluster(keyspaces);
        try {
            c.startAll(tabletConfig);
        } catch (Exception | Error e) {
            try {
                c.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return c;
    }

    private void startAll(UnaryOperator<TabletConfig.Builder> tabletConfig) throws Exception {
        cluster = MysqldCluster.start(keyspaces.stream().mapToInt(k -> k.shards().size()).sum());
        String name = "gate-test-" + UUID.randomUUID();
        TopoConnector connector = new TopoConnector(Plugins.of(List.of(new MemoryTopoFactory())));
        topo = connector.openServer(connector.target("memory:" + name, Map.of()), TopoServer.Options.defaults());
        topo.createCellInfo("zone1", CellInfo.newBuilder().setServerAddress(name + "-zone1").build());
        Map<String, KeyspaceVSchema> vschemas = new LinkedHashMap<>();
        for (Keyspace ks : keyspaces) {
            vschemas.put(ks.name(), KeyspaceVSchema.fromJson(ks.vschemaJson()));
            for (String shard : ks.shards()) {
                Mysqld mysqld = cluster.get(tablets.size());
                mysqld.replication().makePrimary();
                mysqld.executeAll(List.of("SET GLOBAL read_only = 0", "CREATE DATABASE IF NOT EXISTS "
                        + dbName(ks.name()) + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"));
                mysqld.executeAll(ks.setupSql());
                topo.createShard(ks.name(), shard);
                startTablet(100 + tablets.size(), mysqld, ks.name(), shard, tabletConfig);
            }
        }
        gate = GateFront.start(topo, vschemas, primaries, registry);
    }

    private void startTablet(int uid, Mysqld mysqld, String keyspace, String shard,
            UnaryOperator<TabletConfig.Builder> customize) {
        TabletAlias alias = new TabletAlias("zone1", uid);
        TabletConfig config = customize.apply(TabletConfig.defaults().toBuilder().dbName(dbName(keyspace))
                .queryPoolSize(4).streamPoolSize(2)).build();
        // The sidecar (two-phase commit's redo log and records) exists before a primary serves, as in a tablet process.
        Sidecar.ensure(mysqld, config.sidecarDbName(), TabletType.PRIMARY);
        TabletQueryServer engines = TabletQueryServer.open(config, mysqld.connectionParams(), new SimpleMeterRegistry(),
                TabletExtensions.NONE);
        closeables.add(engines::close);
        engines.twoPc().setPrimary(true);
        tablets.add(engines);
        TabletHealth health = new TabletHealth(alias, keyspace, shard, TabletType.PRIMARY, Optional::empty,
                TabletHealth.Settings.defaults().withInterval(Duration.ofMillis(100))
                        .withHeartbeat(Duration.ofMillis(500))).start();
        closeables.add(0, health::close);
        healths.add(health);
        TabletGrpcServer grpc = TabletGrpcServer.start(engines, health, new InetSocketAddress(0), 4);
        closeables.add(0, grpc::close);
        topo.createTablet(TabletRegistration.record(alias, "localhost", grpc.port(), "127.0.0.1",
                mysqld.connectionParams().port(), keyspace, shard, TabletType.PRIMARY));
        primaries.add(Target.newBuilder().setKeyspace(keyspace).setShard(shard).setTabletType(TabletType.PRIMARY)
                .build());
    }

    /** The MySQL database of {@code keyspace}'s tablets. */
    public static String dbName(String keyspace) {
        return "vt_" + keyspace;
    }

    /**
     * A Connector/J connection to the gate as {@code app}, with {@code db} as its database (may be
     * empty) and {@code properties} ({@code name=value}) added to the URL's defaults.
     */
    public Connection connect(String db, String... properties) throws SQLException {
        StringBuilder url = new StringBuilder("jdbc:mysql://127.0.0.1:").append(gate.port()).append('/').append(db)
                .append('?').append(URL_PROPERTIES);
        for (String p : properties) {
            url.append('&').append(p);
        }
        return DriverManager.getConnection(url.toString());
    }

    /** The MariaDB of the {@code i}-th shard, in start order (for the default layout, {@code SHARDS.get(i)}). */
    public Mysqld mysqld(int i) {
        return cluster.get(i);
    }

    /** The tablet engines of the {@code i}-th shard, in start order. */
    public TabletQueryServer tablet(int i) {
        return tablets.get(i);
    }

    /** The gate's MySQL port. */
    public int port() {
        return gate.port();
    }

    /** The gate's plan cache. */
    public CachingPlanner planner() {
        return gate.planner();
    }

    /** Per shard, in start order, the queries its tablet has served. */
    public long[] served() {
        return healths.stream().mapToLong(h -> h.qpsCounter().total()).toArray();
    }

    /** The value of a counter of the gate's registry (gateway, plan cache, sessions), 0 if it is not registered. */
    public double counter(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    /** The gate's tablet gateway. */
    public TabletGateway gateway() {
        return gate.gateway();
    }

    /** The shards the gate's executor knows, read from the topology at start. */
    public ShardMap shardMap() {
        return gate.shardMap();
    }

    /** The gate's executor. */
    public Executor executor() {
        return gate.executor();
    }

    /** The shard the hash vindex of table {@code t} names for {@code id}. */
    public String shardOf(long id) {
        return shardOf("t", id);
    }

    /** The shard the primary vindex of {@code table} of {@link #KS} (a single-column vindex) names for {@code id}. */
    public String shardOf(String table, long id) {
        SingleColumnVindex v = (SingleColumnVindex) gate.vschema().keyspace(KS).orElseThrow().tables().get(table)
                .primaryVindex().orElseThrow().vindex();
        Destination d = v.map(VindexCursor.NONE, List.of(Value.of(id))).get(0);
        return ((Destination.One) d).id().byteAt(0) < 0x80 ? "-80" : "80-";
    }

    /** Stops the gate, the tablets and the MariaDBs; everything is tried, the first failure thrown. */
    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>();
        all.add(gate);
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
