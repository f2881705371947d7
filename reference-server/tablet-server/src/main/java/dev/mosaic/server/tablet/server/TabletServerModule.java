package dev.mosaic.server.tablet.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.backup.Backups;
import dev.mosaic.server.backup.MysqldControls;
import dev.mosaic.server.mysqlctl.ConnectionParams;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.MysqldConfig;
import dev.mosaic.server.mysqlctl.replication.ReplicationSource;
import dev.mosaic.server.process.ProcessMetrics;
import dev.mosaic.server.tablet.TabletExtensions;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.backup.TabletBackups;
import dev.mosaic.server.tablet.sidecar.Sidecar;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.consolidator.Consolidator;
import dev.mosaic.server.tablet.consolidator.ConsolidatorStats;
import dev.mosaic.server.tablet.consolidator.EngineConsolidator;
import dev.mosaic.server.tablet.grpc.TabletGrpcServer;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.health.TabletRegistration;
import dev.mosaic.server.tablet.manager.ReplicationSourceResolver;
import dev.mosaic.server.tablet.manager.TabletManagerService;
import dev.mosaic.server.tablet.manager.TabletState;
import dev.mosaic.server.tablet.query.QueryResult;
import dev.mosaic.server.tablet.server.TabletServerConfig.Identity;
import dev.mosaic.server.tablet.server.TabletServerConfig.MysqldMode;
import dev.mosaic.server.tablet.server.TabletServerConfig.MysqldSettings;
import dev.mosaic.server.tablet.status.StatusServer;
import dev.mosaic.server.tablet.status.ThrottlerPages;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.PluginKind;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.backup.BackupEngine;
import dev.mosaic.spi.backup.BackupStorage;
import dev.mosaic.spi.durability.DurabilityPolicy;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The tablet process's Guice wiring: one provider per part, each built from the validated
 * {@link TabletServerConfig}. Providers only build; {@link TabletProcess} asks for the parts in
 * startup order and closes them in reverse, so nothing here starts work out of turn except where
 * building is starting (the gRPC and status servers are bound as they are built).
 *
 * <p>Wiring points for parts added later, each in one place:
 * <ul>
 * <li>{@link #extensions}: the query-serving protections (table ACLs and hot-row protection from
 *     the {@code query.*} keys, and the consolidator).</li>
 * <li>{@link #components}: a {@link TabletComponent} multibinder, holding the sidecar database,
 *     the heartbeat, the schema engine and the throttler (in that order); more are bound with
 *     {@code TabletServerModule.components(binder()).addBinding().to(...)} in a module passed to
 *     {@link TabletProcess#start(TabletServerConfig, com.google.inject.Module...)} and start after
 *     these.</li>
 * </ul>
 */
public final class TabletServerModule extends AbstractModule {
    /** How long the health check's {@code SELECT 1} may take before a primary's mysqld counts as unreachable. */
    private static final Duration MYSQL_PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final TabletServerConfig config;
    private final Plugins plugins;

    /** A module for {@code config}, finding topology plugins in {@code plugins}. */
    public TabletServerModule(TabletServerConfig config, Plugins plugins) {
        this.config = Objects.requireNonNull(config, "config");
        this.plugins = Objects.requireNonNull(plugins, "plugins");
    }

    /** The multibinder of {@link TabletComponent}s (sidecar, heartbeat, schema engine, and any added). */
    public static Multibinder<TabletComponent> components(com.google.inject.Binder binder) {
        return Multibinder.newSetBinder(binder, TabletComponent.class);
    }

    @Override
    protected void configure() {
        bind(TabletServerConfig.class).toInstance(config);
        bind(Plugins.class).toInstance(plugins);
        bind(MeterRegistry.class).to(PrometheusMeterRegistry.class);
        // Started in this order (after the pools, before gRPC) and closed in reverse: the sidecar
        // names the database the heartbeat writes and the schema engine must leave out.
        Multibinder<TabletComponent> components = components(binder());
        components.addBinding().to(SidecarComponent.class);
        components.addBinding().to(HeartbeatComponent.class);
        components.addBinding().to(SchemaEngineComponent.class);
        components.addBinding().to(ThrottlerComponent.class);
    }

    @Provides
    @Singleton
    TabletConfig queryConfig() {
        return config.query();
    }

    @Provides
    @Singleton
    Identity identity() {
        return config.tablet();
    }

    /** The one registry every component reports to; served at /metrics. */
    @Provides
    @Singleton
    PrometheusMeterRegistry registry() {
        Identity id = config.tablet();
        return ProcessMetrics.registry("alias", id.alias().toString(), "keyspace", id.keyspace(), "shard", id.shard());
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

    /** The mysqld, managed or attached; not started here ({@link TabletProcess} starts it). */
    @Provides
    @Singleton
    Mysqld mysqld() {
        MysqldSettings m = config.mysqld();
        if (m.mode() == MysqldMode.MANAGED) {
            MysqldConfig mc = MysqldConfig.of(m.root(), config.tablet().alias().uid())
                    .withPort(m.port())
                    .withFlavor(m.flavor());
            return Mysqld.managed(mc);
        }
        return Mysqld.attach(new ConnectionParams(m.host(), m.port(), m.user(), m.password()));
    }

    /** The consolidator, when enabled, with its counters in the registry. */
    @Provides
    @Singleton
    Optional<EngineConsolidator> consolidator(MeterRegistry registry) {
        if (!config.consolidator().enabled()) {
            return Optional.empty();
        }
        Consolidator<QueryResult> c = new Consolidator<>(config.consolidator().limits());
        Identity id = config.tablet();
        EngineConsolidator ec = new EngineConsolidator(id.keyspace() + "/" + id.shard() + "/" + config.query().dbName(), c);
        FunctionCounter.builder("mosaic.tablet.consolidator.executions", c, x -> x.stats().executions())
                .description("reads executed by the consolidator (each ran once in MySQL)").register(registry);
        FunctionCounter.builder("mosaic.tablet.consolidator.consolidated", c, x -> x.stats().consolidated())
                .description("reads that shared another read's execution").register(registry);
        Gauge.builder("mosaic.tablet.consolidator.in_flight", c, x -> x.stats().inFlight())
                .description("consolidated executions running now").register(registry);
        return Optional.of(ec);
    }

    /**
     * The protections the query engines run with: table ACLs and hot-row protection as the
     * {@code query.*} keys enable them ({@link TabletExtensions#fromConfig}), plus the consolidator.
     */
    @Provides
    @Singleton
    TabletExtensions extensions(Optional<EngineConsolidator> consolidator, MeterRegistry registry) {
        TabletExtensions e = TabletExtensions.fromConfig(config.query(), registry);
        if (consolidator.isPresent()) {
            e = e.withConsolidator(consolidator.get());
        }
        return e;
    }

    /** The pools and engines (connections open lazily). */
    @Provides
    @Singleton
    TabletQueryServer queryServer(Mysqld mysqld, MeterRegistry registry, TabletExtensions extensions, TopoServer topo) {
        // Two-phase commit keeps its records in the sidecar database the keyspace record names, if any.
        String sidecarDb = Sidecar.resolveName(topo, config.tablet().keyspace(), config.query().sidecarDbName());
        return TabletQueryServer.open(config.query(), mysqld.connectionParams(), registry, extensions, sidecarDb);
    }

    /**
     * The type the tablet starts as: PRIMARY if its shard record names it primary (as vttablet
     * does after a restart of the primary), else {@code tablet.type}.
     */
    @Provides
    @Singleton
    TabletType startType(TopoServer topo) {
        Identity id = config.tablet();
        try {
            var shard = topo.getShard(id.keyspace(), id.shard()).value();
            if (shard.hasPrimaryAlias()
                    && ProtoConversions.fromProto(shard.getPrimaryAlias()).equals(id.alias())) {
                return TabletType.PRIMARY;
            }
        } catch (TopoException e) {
            if (e.error() != TopoError.NO_NODE) {
                throw e;
            }
        }
        return id.initType();
    }

    /**
     * The health checker (not started). Its replication lag comes from the heartbeat when
     * {@code query.heartbeat.enable} is on, else from {@code Seconds_Behind_Master}.
     */
    @Provides
    @Singleton
    TabletHealth health(Mysqld mysqld, TabletType startType, MeterRegistry registry, HeartbeatComponent heartbeat) {
        Identity id = config.tablet();
        TabletHealth h = new TabletHealth(id.alias(), id.keyspace(), id.shard(), startType,
                heartbeat.probe(() -> mysqld.replication().replicationStatus()),
                new MysqldPing(mysqld, MYSQL_PROBE_TIMEOUT), config.health());
        Gauge.builder("mosaic.tablet.serving", h, x -> x.current().serving() ? 1 : 0)
                .description("1 while the health check says the tablet serves").register(registry);
        Gauge.builder("mosaic.tablet.replication.lag", h, x -> x.current().replicationLagSeconds())
                .baseUnit("seconds").description("replication lag at the last health check").register(registry);
        return h;
    }

    /**
     * The tablet manager service. {@code SetReplicationSource} finds the parent's mysqld in its
     * topology record and logs in with this tablet's own mysqld credentials (Vitess uses a
     * separate replication user, {@code --db_repl_user}; Mosaic does not have one yet).
     */
    @Provides
    @Singleton
    TabletManagerService manager(Mysqld mysqld, ReplicationSourceResolver resolver, TabletState state,
            SchemaEngineComponent schema, Optional<TabletBackups> backups, ThrottlerComponent throttler) {
        return new TabletManagerService(mysqld, config.query().dbName(), resolver, state, schema.engine(),
                config.query().semiSyncTimeout(), backups.orElse(null), throttler.throttler());
    }

    /**
     * Where the tablet finds another tablet's mysqld (SetReplicationSource, and the shard's
     * primary after a restore): in its topology record, logging in with this tablet's own mysqld
     * credentials (Vitess uses a separate replication user, {@code --db_repl_user}; Mosaic does
     * not have one yet).
     */
    @Provides
    @Singleton
    ReplicationSourceResolver resolver(TopoServer topo) {
        MysqldSettings m = config.mysqld();
        return alias -> {
            Tablet t;
            try {
                t = topo.getTablet(ProtoConversions.fromProto(alias)).value();
            } catch (TopoException e) {
                if (e.error() == TopoError.NO_NODE) {
                    throw new MosaicException(ErrorCode.NOT_FOUND, "tablet " + alias + " is not in the topology", e);
                }
                throw e;
            }
            if (t.getMysqlHostname().isEmpty() || t.getMysqlPort() == 0) {
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "tablet " + alias
                        + " publishes no mysqld address (is it running?)");
            }
            return ReplicationSource.of(t.getMysqlHostname(), t.getMysqlPort(), m.user(), m.password());
        };
    }

    /** The backup storage, when {@code backup.storage.*} configures one; closed with the process. */
    @Provides
    @Singleton
    Optional<BackupStorage> backupStorage() {
        return config.backup().storage().map(s -> s.open(plugins, "tablet " + config.tablet().alias()));
    }

    /**
     * The tablet's backups ({@code Backup}, {@code RestoreFromBackup}, {@code restore-from-backup}),
     * when a backup storage is configured. Engines are created by name from the plugins, with no
     * keys of their own; the restored tablet replicates from the primary its shard record names.
     */
    @Provides
    @Singleton
    Optional<TabletBackups> backups(Optional<BackupStorage> storage, Mysqld mysqld, TopoServer topo,
            ReplicationSourceResolver resolver, com.google.inject.Provider<TabletState> state, TabletType startType) {
        if (storage.isEmpty()) {
            return Optional.empty();
        }
        Function<String, BackupEngine> engines = name -> plugins.create(PluginKind.BACKUP_ENGINE, name,
                "backup engine " + name, java.util.Map.of());
        Identity id = config.tablet();
        TabletBackups.PrimarySource primary = new TabletBackups.PrimarySource() {
            @Override
            public Optional<ReplicationSource> find() {
                var shard = topo.getShard(id.keyspace(), id.shard()).value();
                if (!shard.hasPrimaryAlias() || ProtoConversions.fromProto(shard.getPrimaryAlias()).equals(id.alias())) {
                    return Optional.empty();
                }
                return Optional.of(resolver.resolve(shard.getPrimaryAlias()));
            }

            @Override
            public boolean replicaSemiSync() {
                return restoredReplicaSemiSync(topo, startType);
            }
        };
        return Optional.of(new TabletBackups(new Backups(storage.get(), engines), engines, config.backup().engine(),
                config.backup().concurrency(), mysqld, MysqldControls.of(mysqld),
                new TabletBackups.Target(id.alias(), id.keyspace(), id.shard()), primary, state::get, Clock.systemUTC()));
    }

    /**
     * Whether this tablet, restored and replicating from its shard's primary as {@code type},
     * acknowledges semi-sync: what the keyspace's durability policy says of the pair, as ctld
     * decides for SetReplicationSource. No policy, or "none" without a plugin, means no.
     */
    private boolean restoredReplicaSemiSync(TopoServer topo, TabletType type) {
        Identity id = config.tablet();
        var shard = topo.getShard(id.keyspace(), id.shard()).value();
        String policyName = topo.getKeyspace(id.keyspace()).value().getDurabilityPolicy();
        if (!shard.hasPrimaryAlias() || policyName.isEmpty()
                || !plugins.types(PluginKind.DURABILITY).contains(policyName)) {
            return false;
        }
        DurabilityPolicy policy = plugins.create(PluginKind.DURABILITY, policyName, id.keyspace(), java.util.Map.of());
        dev.mosaic.api.cluster.Tablet primary = ProtoConversions.fromProto(
                topo.getTablet(ProtoConversions.fromProto(shard.getPrimaryAlias())).value());
        dev.mosaic.api.cluster.Tablet self = new dev.mosaic.api.cluster.Tablet(id.alias(), "", 0, 0, "", 0,
                id.keyspace(), id.shard(), ProtoConversions.fromProto(type), java.util.Map.of());
        return policy.isReplicaSemiSync(primary, self);
    }

    /** The gRPC server (query with StreamHealth, tablet manager), bound as it is built. */
    @Provides
    @Singleton
    TabletGrpcServer grpc(TabletQueryServer engines, TabletHealth health, TabletManagerService manager) {
        var listen = config.grpc();
        return TabletGrpcServer.start(engines, health, new InetSocketAddress(listen.bindAddress(), listen.port()),
                listen.threads(), manager);
    }

    /**
     * The topology record the tablet publishes, without its ports: the tablet manager (served by
     * the gRPC server) needs the registration first, so {@link TabletProcess} completes the record
     * with the ports as bound (port 0 works in tests) before publishing it.
     */
    @Provides
    @Singleton
    Tablet record(TabletType startType) {
        Identity id = config.tablet();
        MysqldSettings m = config.mysqld();
        String mysqlHost = m.mode() == MysqldMode.MANAGED ? id.hostname() : m.host();
        return TabletRegistration.record(id.alias(), id.hostname(), 0, mysqlHost, m.port(), id.keyspace(),
                id.shard(), startType).toBuilder()
                .clearPortMap()
                .setDbNameOverride(config.query().dbName())
                .build();
    }

    @Provides
    @Singleton
    TabletRegistration registration(TopoServer topo, Tablet record) {
        return new TabletRegistration(topo, record);
    }

    /**
     * The tablet's type, kept in step in mysqld, the topology record and the health checker. On
     * every change the heartbeat switches between writing and reading; on a promotion to PRIMARY
     * the tablet's database and the sidecar are created or brought up to date first (so the first
     * heartbeat write finds its table) and the schema engine reloads.
     */
    @Provides
    @Singleton
    TabletState state(Mysqld mysqld, TabletRegistration registration, TabletHealth health, SidecarComponent sidecar,
            HeartbeatComponent heartbeat, SchemaEngineComponent schema, TabletQueryServer engines) {
        TabletState state = new TabletState(mysqld.replication(), registration, health);
        state.addTypeListener(type -> {
            try {
                if (type == TabletType.PRIMARY) {
                    sidecar.becamePrimary();
                }
            } finally {
                heartbeat.setType(type);
                // A new primary replays the redo log of prepared transactions; a demoted one drops them.
                engines.twoPc().setPrimary(type == TabletType.PRIMARY);
            }
            if (type == TabletType.PRIMARY) {
                schema.reloadQuietly();
            }
        });
        return state;
    }

    /** The status and metrics HTTP server, bound as it is built. */
    @Provides
    @Singleton
    StatusServer status(TabletStatusSource source, PrometheusMeterRegistry registry, ThrottlerComponent throttler) {
        var listen = config.status();
        return StatusServer.start(new InetSocketAddress(listen.bindAddress(), listen.port()), listen.threads(),
                source::snapshot, registry, new ThrottlerPages(throttler.throttler()).routes());
    }

    /** For the status page: the consolidator's numbers, or null when it is off. */
    static ConsolidatorStats stats(Optional<EngineConsolidator> c) {
        return c.map(x -> x.consolidator().stats()).orElse(null);
    }
}
