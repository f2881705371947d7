package dev.mosaic.server.tablet.server;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.backup.BackupInfo;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.process.OrderedShutdown;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.backup.TabletBackups;
import dev.mosaic.server.tablet.grpc.TabletGrpcServer;
import dev.mosaic.server.tablet.health.TabletHealth;
import dev.mosaic.server.tablet.health.TabletRegistration;
import dev.mosaic.server.tablet.server.TabletServerConfig.Identity;
import dev.mosaic.server.tablet.status.StatusServer;
import dev.mosaic.server.tablet.status.TabletStatus;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.backup.BackupStorage;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A running tablet process: the entry point both {@code mosaic tablet --config FILE} and the
 * integration tests use.
 *
 * <p>Startup ({@link #start}), in order: mysqld (started if managed; waited for until it answers)
 * → topology connection (keyspace and shard records created if missing, as vttablet does) →
 * with {@code restore-from-backup} and a data directory this start created, the newest backup of
 * the shard restored and replication from the primary started at its position →
 * query pools and engines → {@link TabletComponent}s (sidecar database, heartbeat, schema engine,
 * then any added) →
 * gRPC server (query + tablet manager) → health checker → status HTTP server → tablet record
 * published in the cell's topology → SERVING. A failure at any step closes what was started, in
 * reverse, and is thrown.
 *
 * <p>Shutdown ({@link #close}, run by the CLI on SIGTERM/SIGINT) is the reverse: NOT serving,
 * the record's hostname, MySQL hostname and port map are cleared (what vttablet's
 * {@code TabletManager.Close} does: the record stays, with no stale addresses, and only if this
 * process still owns it), health streams end, the gRPC server drains, components close, open
 * transactions roll back and pools close, the topology connection closes, and a managed mysqld is
 * stopped. Every step runs even if an earlier one fails; the first failure is thrown at the end.
 */
public final class TabletProcess implements AutoCloseable {
    private final Injector injector;
    private final OrderedShutdown started;
    private final TabletStatusSource statusSource;

    private TabletProcess(Injector injector, OrderedShutdown started, TabletStatusSource statusSource) {
        this.injector = injector;
        this.started = started;
        this.statusSource = statusSource;
    }

    /**
     * Reads and validates a config file with the topology plugins on this class's class loader.
     *
     * @throws dev.mosaic.spi.config.ConfigException listing every problem, each naming its key
     * @throws MosaicException INVALID_ARGUMENT if the file is unreadable or not YAML
     */
    public static TabletServerConfig loadConfig(Path file) {
        return new TabletServerConfigLoader(plugins()).load(file);
    }

    private static Plugins plugins() {
        return Plugins.load(TabletProcess.class.getClassLoader());
    }

    /**
     * Starts a tablet with the plugins on the class path, logging progress to stderr.
     *
     * @param extra modules binding more parts (e.g. {@link TabletComponent}s) or overriding none
     * @throws MosaicException (or a topology error) if a step fails; what was started is stopped
     */
    public static TabletProcess start(TabletServerConfig config, Module... extra) {
        return start(config, System.err, extra);
    }

    /** Like {@link #start(TabletServerConfig, Module...)}, logging progress to {@code log}. */
    public static TabletProcess start(TabletServerConfig config, PrintStream log, Module... extra) {
        Objects.requireNonNull(config, "config");
        Module[] modules = new Module[extra.length + 1];
        modules[0] = new TabletServerModule(config, plugins());
        System.arraycopy(extra, 0, modules, 1, extra.length);
        // DEVELOPMENT: singletons are built when first asked for, so this class sets the order.
        Injector injector = Guice.createInjector(Stage.DEVELOPMENT, modules);
        OrderedShutdown started = new OrderedShutdown(log);
        Identity id = config.tablet();
        long t0 = System.nanoTime();
        try {
            PrometheusMeterRegistry registry = injector.getInstance(PrometheusMeterRegistry.class);
            started.add("metrics registry", registry::close);
            JvmGcMetrics gc = injector.getInstance(JvmGcMetrics.class);
            started.add("gc metrics", gc::close);

            Mysqld mysqld = injector.getInstance(Mysqld.class);
            boolean fresh = startMysqld(mysqld, config, log, started);

            TopoServer topo = injector.getInstance(TopoServer.class);
            started.add("topology connection", topo::close);
            ensureKeyspaceAndShard(topo, id);

            Optional<BackupStorage> storage = injector.getInstance(Key.get(new TypeLiteral<Optional<BackupStorage>>() { }));
            if (storage.isPresent()) {
                started.add("backup storage", storage.get()::close);
            }
            if (config.backup().restoreFromBackup()) {
                restoreAtStartup(injector, config, fresh, log);
            }
            if (injector.getInstance(TabletType.class) == TabletType.PRIMARY) {
                // The shard record names this tablet primary (a restarted primary): mysqld starts
                // read-only (my.cnf), and a primary must take writes again, as vttablet makes it.
                log.println("tablet " + id.alias() + ": the shard record names it primary; making mysqld writable");
                mysqld.replication().setReadOnly(false);
            }

            TabletQueryServer engines = injector.getInstance(TabletQueryServer.class);
            started.add("query engines and pools", engines::close);

            for (TabletComponent c : injector.getInstance(Key.get(new TypeLiteral<Set<TabletComponent>>() { }))) {
                log.println("tablet " + id.alias() + ": starting " + c.name());
                c.start();
                started.add(c.name(), c::close);
            }

            // The sidecar exists now: a primary replays the redo log of two-phase commit.
            engines.twoPc().setPrimary(injector.getInstance(TabletType.class) == TabletType.PRIMARY);

            TabletHealth health = injector.getInstance(TabletHealth.class);
            TabletGrpcServer grpc = injector.getInstance(TabletGrpcServer.class);
            started.add("gRPC server", grpc::close);
            // Closed before the gRPC server: ending the health streams lets the server drain at once.
            health.start();
            started.add("health checker", health::close);

            TabletStatusSource source = injector.getInstance(TabletStatusSource.class);
            StatusServer status = injector.getInstance(StatusServer.class);
            started.add("status server", status::close);

            TabletRegistration registration = injector.getInstance(TabletRegistration.class);
            registration.completeRecord(t -> t.toBuilder()
                    .putPortMap("grpc", grpc.port())
                    .putPortMap("vt", status.port())
                    .build());
            registration.start();
            Tablet record = registration.record();
            started.add("tablet record", () -> clearRecord(topo, record));

            source.state(TabletStatus.State.SERVING);
            log.println("tablet " + id.alias() + " (" + id.keyspace() + "/" + id.shard() + " "
                    + record.getType() + ") serving: grpc port " + grpc.port() + ", status port " + status.port()
                    + "; started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            return new TabletProcess(injector, started, source);
        } catch (RuntimeException | Error e) {
            started.abortStartup(e);
            throw e;
        }
    }

    /**
     * {@code restore-from-backup}: a brand-new tablet (its data directory was created by this
     * start) restores the newest backup of its shard and replicates from the primary from the
     * backup's position, before anything serves. A tablet that had data keeps it, as vttablet does.
     */
    private static void restoreAtStartup(Injector injector, TabletServerConfig config, boolean fresh, PrintStream log) {
        TabletAlias alias = config.tablet().alias();
        if (!fresh) {
            log.println("tablet " + alias + ": restore-from-backup: the mysqld data directory already has data; "
                    + "not restoring");
            return;
        }
        TabletBackups backups = injector.getInstance(Key.get(new TypeLiteral<Optional<TabletBackups>>() { }))
                .orElseThrow(() -> new MosaicException(ErrorCode.FAILED_PRECONDITION,
                        "restore-from-backup needs a backup storage (backup.storage.*)"));
        long t0 = System.nanoTime();
        Optional<BackupInfo> restored = backups.restoreAtStartup(config.backup().restoreFromBackupTs(),
                line -> log.println("tablet " + alias + ": " + line));
        restored.ifPresent(b -> log.println("tablet " + alias + ": restored backup " + b.name() + " (" + b.bytes()
                + " bytes, position " + b.position() + ") in " + (System.nanoTime() - t0) / 1_000_000 + " ms"));
    }

    /** Starts (or waits for) mysqld; true if this call created its data directory. */
    private static boolean startMysqld(Mysqld mysqld, TabletServerConfig config, PrintStream log,
            OrderedShutdown started) {
        Duration timeout = config.mysqld().startTimeout();
        if (mysqld.isManaged()) {
            boolean fresh = !mysqld.isInitialized();
            if (fresh) {
                log.println("tablet " + config.tablet().alias() + ": initializing the mysqld data directory "
                        + mysqld.layout().dataDir());
                mysqld.init();
            }
            // Registered before start: a start that times out leaves mysqld running, and it must be stopped.
            started.add("managed mysqld", () -> mysqld.shutdown(config.mysqld().shutdownTimeout()));
            mysqld.start(timeout);
            return fresh;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        log.println("tablet " + config.tablet().alias() + ": waiting for mysqld at " + mysqld.connectionParams());
        while (!mysqld.isRunning()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new MosaicException(ErrorCode.UNAVAILABLE, "mysqld at " + mysqld.connectionParams()
                        + " did not answer within " + timeout + " (mysqld.start-timeout)");
            }
            try {
                Thread.sleep(200); // polling an external server; the deadline above bounds it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MosaicException(ErrorCode.CANCELED, "interrupted waiting for mysqld", e);
            }
        }
        return false;
    }

    /** As vttablet at startup: the keyspace and shard records are created if they do not exist. */
    private static void ensureKeyspaceAndShard(TopoServer topo, Identity id) {
        try {
            topo.createKeyspace(id.keyspace(), Keyspace.getDefaultInstance());
        } catch (TopoException e) {
            if (e.error() != TopoError.NODE_EXISTS) {
                throw e;
            }
        }
        try {
            topo.createShard(id.keyspace(), id.shard());
        } catch (TopoException e) {
            if (e.error() != TopoError.NODE_EXISTS) {
                throw e;
            }
        }
    }

    /**
     * vttablet's shutdown cleanup: if the record is still ours (same hostname and gRPC port), its
     * hostname, MySQL hostname and port map are cleared; the record itself stays.
     */
    private static void clearRecord(TopoServer topo, Tablet mine) {
        TabletAlias alias = dev.mosaic.server.topo.ProtoConversions.fromProto(mine.getAlias());
        try {
            topo.updateTabletFields(alias, t -> {
                if (!t.getHostname().equals(mine.getHostname())
                        || t.getPortMapOrDefault("grpc", -1) != mine.getPortMapOrDefault("grpc", -2)) {
                    throw new NotOwner("tablet " + alias + " is now published by " + t.getHostname() + ":"
                            + t.getPortMapOrDefault("grpc", 0) + "; leaving its record alone");
                }
                return t.toBuilder().setHostname("").setMysqlHostname("").clearPortMap().build();
            });
        } catch (NotOwner e) {
            // another process took the alias over: its record is not ours to clear
        } catch (TopoException e) {
            if (e.error() != TopoError.NO_NODE) {
                throw e;
            }
        }
    }

    private static final class NotOwner extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotOwner(String message) {
            super(message, null, false, false);
        }
    }

    /** The injector (for tests and for wiring extra parts' lookups). */
    public Injector injector() {
        return injector;
    }

    /** The bound gRPC port. */
    public int grpcPort() {
        return injector.getInstance(TabletGrpcServer.class).port();
    }

    /** The bound status/metrics HTTP port. */
    public int statusPort() {
        return injector.getInstance(StatusServer.class).port();
    }

    /** The tablet's alias. */
    public TabletAlias alias() {
        return injector.getInstance(TabletServerConfig.class).tablet().alias();
    }

    /** A status snapshot. */
    public TabletStatus status() {
        return statusSource.snapshot();
    }

    /** Waits until {@link #close} has finished; true if it did within {@code timeout}. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return started.awaitClosed(timeout);
    }

    /** Stops everything in reverse startup order (see the class comment); idempotent. */
    @Override
    public void close() {
        started.close("tablet " + alias(), () -> statusSource.state(TabletStatus.State.STOPPING));
    }
}
