package dev.mosaic.server.gate.testing;

import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.RoutingRules;
import dev.mosaic.proto.query.Target;
import dev.mosaic.server.gate.executor.Executor;
import dev.mosaic.server.gate.executor.ShardMap;
import dev.mosaic.server.gate.gateway.GatewayConfig;
import dev.mosaic.server.gate.gateway.TabletGateway;
import dev.mosaic.server.gate.server.GateSessionHandler;
import dev.mosaic.server.mysql.protocol.MysqlServer;
import dev.mosaic.server.mysql.protocol.MysqlServerConfig;
import dev.mosaic.server.mysql.protocol.auth.Account;
import dev.mosaic.server.mysql.protocol.auth.AuthMethod;
import dev.mosaic.server.mysql.protocol.auth.Authentication;
import dev.mosaic.server.mysql.protocol.auth.Authenticator;
import dev.mosaic.server.mysql.protocol.auth.RsaKey;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The gate half of the test clusters: a tablet gateway over the tablets already registered in a
 * (memory) topology of cell {@code zone1}, the plan cache over the given vschemas, an
 * {@link Executor} and the gate's MySQL server (user {@code app}, no password) in front of them,
 * advertising {@link #VERSION}. Close it before the tablets.
 */
public final class GateFront implements AutoCloseable {
    /**
     * The backends are MariaDB 10.x: the gate advertises a version of that flavor so Connector/J
     * asks the shards only for variables they know ({@code transaction_isolation} is MySQL 8's).
     */
    public static final String VERSION = "5.5.5-10.11.0-MariaDB-Mosaic";

    private final TabletGateway gateway;
    private final ThreadPoolExecutor shardCalls;
    private final VSchemaSnapshot vschema;
    private final CachingPlanner planner;
    private final ShardMap shardMap;
    private final Executor executor;
    private final MysqlServer server;

    private GateFront(TabletGateway gateway, ThreadPoolExecutor shardCalls, VSchemaSnapshot vschema,
            CachingPlanner planner, ShardMap shardMap, Executor executor, MysqlServer server) {
        this.gateway = gateway;
        this.shardCalls = shardCalls;
        this.vschema = vschema;
        this.planner = planner;
        this.shardMap = shardMap;
        this.executor = executor;
        this.server = server;
    }

    /**
     * Starts the gateway, waits until every target of {@code healthy} has a healthy tablet, then
     * starts the rest; the gateway, plan cache and sessions publish their metrics to {@code registry}.
     * What started is closed again if a later step fails.
     */
    public static GateFront start(TopoServer topo, Map<String, KeyspaceVSchema> vschemas,
            Collection<Target> healthy, MeterRegistry registry) throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            TabletGateway gateway = TabletGateway.start(topo, GatewayConfig.defaults(List.of("zone1"))
                    .withTabletRefreshInterval(Duration.ofMillis(200)).withHealthCheckTimeout(Duration.ofSeconds(5))
                    .withHealthRetry(Duration.ofMillis(50), Duration.ofMillis(500)), registry);
            started.add(0, gateway);
            ShardedTestCluster.await("every tablet healthy in the gateway",
                    () -> healthy.stream().allMatch(t -> !gateway.healthyTablets(t).isEmpty()));
            VSchemaSnapshot vschema = VSchemaSnapshot.build(vschemas, RoutingRules.EMPTY,
                    Plugins.load(GateFront.class.getClassLoader()));
            CachingPlanner planner = new CachingPlanner(vschema, 1000, registry);
            ShardMap shardMap = ShardMap.fromTopology(topo, List.copyOf(vschemas.keySet()));
            ThreadPoolExecutor shardCalls = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64));
            started.add(0, shardCalls::shutdownNow);
            Executor executor = new Executor(planner, gateway, shardMap, shardCalls, VERSION);
            MysqlServerConfig base = MysqlServerConfig.local(0);
            MysqlServerConfig config = new MysqlServerConfig(base.host(), 0, base.handshake().withServerVersion(VERSION),
                    base.commands(), base.ioThreads(), base.commandThreads(), base.commandQueue(), base.maxConnections());
            Authenticator accounts = Authenticator.of(AuthMethod.MYSQL_NATIVE_PASSWORD,
                    List.of(Account.withPassword("app", "", AuthMethod.MYSQL_NATIVE_PASSWORD)));
            MysqlServer server = new MysqlServer(config, new Authentication(accounts, RsaKey.generate()),
                    new GateSessionHandler(executor, planner, registry)).start();
            return new GateFront(gateway, shardCalls, vschema, planner, shardMap, executor, server);
        } catch (Exception | Error e) {
            for (AutoCloseable c : started) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The gate's MySQL port. */
    public int port() {
        return server.port();
    }

    /** The tablet gateway. */
    public TabletGateway gateway() {
        return gateway;
    }

    /** The vschema the gate plans with. */
    public VSchemaSnapshot vschema() {
        return vschema;
    }

    /** The plan cache. */
    public CachingPlanner planner() {
        return planner;
    }

    /** The keyspaces' shards as read from the topology at start. */
    public ShardMap shardMap() {
        return shardMap;
    }

    /** The executor. */
    public Executor executor() {
        return executor;
    }

    /** Stops the MySQL server, the shard-call pool and the gateway, in that order; all are tried. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable c : List.<AutoCloseable>of(server, shardCalls::shutdownNow, gateway)) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
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
