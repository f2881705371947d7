package dev.mosaic.server.gate.process;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import dev.mosaic.server.gate.executor.Executor;
import dev.mosaic.server.gate.gateway.TabletGateway;
import dev.mosaic.server.gate.process.querylog.QueryLog;
import dev.mosaic.server.gate.process.querylog.QueryLoggingHandler;
import dev.mosaic.server.gate.process.status.GateStatusServer;
import dev.mosaic.server.gate.server.GateSessionHandler;
import dev.mosaic.server.mysql.protocol.MysqlServer;
import dev.mosaic.server.mysql.protocol.MysqlServerConfig;
import dev.mosaic.server.mysql.protocol.auth.Account;
import dev.mosaic.server.mysql.protocol.auth.Authentication;
import dev.mosaic.server.mysql.protocol.auth.Authenticator;
import dev.mosaic.server.mysql.protocol.auth.HandshakeConfig;
import dev.mosaic.server.mysql.protocol.auth.RsaKey;
import dev.mosaic.server.mysql.protocol.command.CommandConfig;
import dev.mosaic.server.process.ProcessMetrics;
import dev.mosaic.server.process.config.Listen;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gate process's Guice wiring: one provider per part, each built from the validated
 * {@link GateServerConfig}. Providers build (the gateway, the topology refresher and the status
 * server start as they are built); {@link GateProcess} asks for the parts in startup order, starts
 * the MySQL listener last and closes everything in reverse.
 *
 * <p>The statement path: {@link MysqlServer} → {@link QueryLoggingHandler} (sessions, query log)
 * → {@link GateSessionHandler} → {@link Executor} → {@link TabletGateway}; the executor plans
 * with the {@link TopologyRefresher}'s plan cache and routes with its live shard map.
 */
public final class GateServerModule extends AbstractModule {
    /** The name of the {@link PrintStream} the process logs to. */
    public static final String LOG = "gate.log";
    /** The name of the {@link PrintStream} slow statements go to. */
    public static final String SLOW_LOG = "gate.slowlog";

    private final GateServerConfig config;
    private final Plugins plugins;
    private final PrintStream log;

    /** A module for {@code config}, finding topology plugins and vindex types in {@code plugins}. */
    public GateServerModule(GateServerConfig config, Plugins plugins, PrintStream log) {
        this.config = Objects.requireNonNull(config, "config");
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    protected void configure() {
        bind(GateServerConfig.class).toInstance(config);
        bind(Plugins.class).toInstance(plugins);
        bind(PrintStream.class).annotatedWith(Names.named(LOG)).toInstance(log);
        bind(MeterRegistry.class).to(PrometheusMeterRegistry.class);
    }

    /** The one registry every component reports to; served at /metrics. */
    @Provides
    @Singleton
    PrometheusMeterRegistry registry() {
        return ProcessMetrics.registry("component", "gate", "cell", config.gateway().localCell());
    }

    /** The JVM's GC metrics hold a listener: closed with the process. */
    @Provides
    @Singleton
    JvmGcMetrics gcMetrics(PrometheusMeterRegistry registry) {
        return ProcessMetrics.gcMetrics(registry);
    }

    @Provides
    @Singleton
    TopoServer topo() {
        return config.topo().open(plugins);
    }

    /** Discovery and health of the cells' tablets; started as it is built. */
    @Provides
    @Singleton
    TabletGateway gateway(TopoServer topo, MeterRegistry registry) {
        return TabletGateway.start(topo, config.gateway(), registry);
    }

    /** The vschema and shards, read once now and kept current; started as it is built. */
    @Provides
    @Singleton
    TopologyRefresher refresher(TopoServer topo, MeterRegistry registry) {
        return TopologyRefresher.start(topo, plugins, config.keyspaces(), config.topoRefreshInterval(),
                config.planCacheSize(), registry, log);
    }

    @Provides
    @Singleton
    CachingPlanner planner(TopologyRefresher refresher) {
        return refresher.planner();
    }

    /** The pool running the per-shard calls of multi-shard statements: bounded, named, measured. */
    @Provides
    @Singleton
    ThreadPoolExecutor shardCalls(MeterRegistry registry) {
        GateServerConfig.Pool p = config.shardCalls();
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(p.threads(), p.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(p.queue()), r -> {
                    Thread t = new Thread(r, "gate-shard-call-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        Gauge.builder("mosaic.gate.shard.calls.active", pool, ThreadPoolExecutor::getActiveCount)
                .description("per-shard calls running on the shard-call pool").register(registry);
        Gauge.builder("mosaic.gate.shard.calls.queued", pool, x -> x.getQueue().size())
                .description("per-shard calls waiting for a shard-call thread").register(registry);
        return pool;
    }

    @Provides
    @Singleton
    Executor executor(TopologyRefresher refresher, TabletGateway gateway, ThreadPoolExecutor shardCalls) {
        return new Executor(refresher.planner(), gateway, refresher.shardMap(), shardCalls,
                config.mysql().serverVersion());
    }

    /** Where slow statements go: {@code querylog.slow-log-file} (appended) or the process log. */
    @Provides
    @Singleton
    @Named(SLOW_LOG)
    PrintStream slowLog() {
        if (config.queryLog().slowLogFile().isEmpty()) {
            return log;
        }
        Path file = config.queryLog().slowLogFile().get();
        try {
            return new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open querylog.slow-log-file " + file, e);
        }
    }

    @Provides
    @Singleton
    QueryLog queryLog(@Named(SLOW_LOG) PrintStream slowLog, MeterRegistry registry) {
        return new QueryLog(config.queryLog().slowThreshold(), config.queryLog().maxQueries(), slowLog, registry);
    }

    @Provides
    @Singleton
    QueryLoggingHandler handler(Executor executor, CachingPlanner planner, QueryLog queryLog, MeterRegistry registry) {
        return new QueryLoggingHandler(new GateSessionHandler(executor, planner, registry), planner, queryLog);
    }

    /** Who may log in: anyone ({@code none}) or the config's users ({@code static}). */
    @Provides
    @Singleton
    Authentication authentication() {
        GateServerConfig.Auth auth = config.auth();
        Authenticator authenticator = switch (auth.mode()) {
            case NONE -> Authenticator.none(auth.method());
            case STATIC -> Authenticator.of(auth.method(), auth.users().entrySet().stream()
                    .map(e -> Account.withPassword(e.getKey(), e.getValue(), auth.method())).toList());
        };
        return new Authentication(authenticator, RsaKey.generate());
    }

    /** The MySQL listener, not started ({@link GateProcess} starts it last). */
    @Provides
    @Singleton
    MysqlServer mysqlServer(Authentication authentication, QueryLoggingHandler handler, MeterRegistry registry) {
        GateServerConfig.Mysql m = config.mysql();
        HandshakeConfig handshake = HandshakeConfig.DEFAULT.withServerVersion(m.serverVersion());
        handshake = new HandshakeConfig(handshake.serverVersion(), handshake.charset(), handshake.capabilities(),
                m.handshakeTimeout());
        MysqlServer server = new MysqlServer(new MysqlServerConfig(m.bindAddress(), m.port(), handshake,
                CommandConfig.DEFAULT, m.ioThreads(), m.commandThreads(), m.commandQueue(), m.maxConnections()),
                authentication, handler);
        Gauge.builder("mosaic.gate.connections", server, s -> s.stats().connections())
                .description("open client connections").register(registry);
        Gauge.builder("mosaic.gate.sessions", handler, QueryLoggingHandler::openSessions)
                .description("authenticated client sessions").register(registry);
        Gauge.builder("mosaic.gate.commands.running", server, s -> s.stats().runningCommands())
                .description("client commands executing").register(registry);
        Gauge.builder("mosaic.gate.commands.queued", server, s -> s.stats().queuedCommands())
                .description("client commands waiting for a command thread").register(registry);
        return server;
    }

    /** The status and metrics HTTP server, bound as it is built. */
    @Provides
    @Singleton
    GateStatusServer status(GateStatusSource source, QueryLog queryLog, PrometheusMeterRegistry registry) {
        Listen l = config.status();
        return GateStatusServer.start(new InetSocketAddress(l.bindAddress(), l.port()), l.threads(), source::snapshot,
                queryLog, registry);
    }
}
