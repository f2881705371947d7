package dev.mosaic.server.ctld.process;

import dev.mosaic.server.ctld.TabletManagerClients;
import dev.mosaic.server.ctld.VtctldService;
import dev.mosaic.server.process.OrderedShutdown;
import dev.mosaic.server.process.ProcessMetrics;
import dev.mosaic.server.process.config.Listen;
import dev.mosaic.server.process.status.StatusHttpServer;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import dev.mosaic.spi.backup.BackupStorage;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running control daemon (Vitess's {@code vtctld}): the entry point of {@code mosaic ctld
 * --config FILE}, of the local cluster (which runs it in-process) and of the tests.
 *
 * <p>Startup ({@link #start}), in order: metrics registry → topology connection → tablet-manager
 * clients → Vtctld service → gRPC server → status HTTP server → SERVING. A failure at any step
 * closes what was started, in reverse, and is thrown.
 *
 * <p>Shutdown ({@link #close}, run by the CLI on SIGTERM/SIGINT) is the reverse: the status
 * server stops, the gRPC server stops accepting and gives running verbs a short grace, the
 * tablet-manager channels close, the topology connection closes. Every step runs even if an
 * earlier one fails; the first failure is thrown at the end.
 */
public final class CtldProcess implements AutoCloseable {
    private final OrderedShutdown started;
    private final CtldGrpcServer grpc;
    private final StatusHttpServer status;
    private final PrometheusMeterRegistry registry;
    private final VtctldService service;
    private final AtomicReference<CtldStatusPages.State> state;

    private CtldProcess(OrderedShutdown started, CtldGrpcServer grpc, StatusHttpServer status,
            PrometheusMeterRegistry registry, VtctldService service, AtomicReference<CtldStatusPages.State> state) {
        this.started = started;
        this.grpc = grpc;
        this.status = status;
        this.registry = registry;
        this.service = service;
        this.state = state;
    }

    /**
     * Reads and validates a config file with the topology plugins on this class's class loader.
     *
     * @throws dev.mosaic.spi.config.ConfigException listing every problem, each naming its key
     * @throws dev.mosaic.api.error.MosaicException if the file cannot be read or is not YAML
     */
    public static CtldServerConfig loadConfig(Path file) {
        return new CtldServerConfigLoader(plugins()).load(file);
    }

    private static Plugins plugins() {
        return Plugins.load(CtldProcess.class.getClassLoader());
    }

    /** Starts ctld with the plugins on this class's class loader, logging to stderr. */
    public static CtldProcess start(CtldServerConfig config) {
        return start(config, plugins(), System.err);
    }

    /**
     * Starts ctld.
     *
     * @param plugins where the topology plugin is found
     * @param log where startup and shutdown are logged
     * @throws RuntimeException whatever failed, after closing what had started
     */
    public static CtldProcess start(CtldServerConfig config, Plugins plugins, PrintStream log) {
        Objects.requireNonNull(config, "config");
        long t0 = System.nanoTime();
        OrderedShutdown started = new OrderedShutdown(log);
        try {
            PrometheusMeterRegistry registry = ProcessMetrics.registry("component", "ctld", "cell", config.cell());
            started.add("metrics registry", registry::close);
            JvmGcMetrics gc = ProcessMetrics.gcMetrics(registry);
            started.add("GC metrics", gc::close);

            TopoServer topo = config.topo().open(plugins);
            started.add("topology connection", topo::close);

            TabletManagerClients tablets = new TabletManagerClients(config.tabletManagerCallTimeout());
            started.add("tablet-manager clients", tablets::close);

            Optional<BackupStorage> backupStorage = config.backupStorage().map(b -> b.open(plugins, "ctld"));
            backupStorage.ifPresent(b -> started.add("backup storage", b::close));

            VtctldService service = new VtctldService(topo, tablets, plugins, backupStorage);
            Listen g = config.grpc();
            CtldGrpcServer grpc = CtldGrpcServer.start(service, new InetSocketAddress(g.bindAddress(), g.port()),
                    g.threads(), registry);
            started.add("gRPC server", grpc::close);

            AtomicReference<CtldStatusPages.State> state = new AtomicReference<>(CtldStatusPages.State.STARTING);
            CtldStatusPages pages = new CtldStatusPages(service, config.cell(), config.gateLinks(), grpc::port,
                    state::get);
            Listen s = config.status();
            StatusHttpServer status;
            try {
                status = StatusHttpServer.start("ctld", new InetSocketAddress(s.bindAddress(), s.port()), s.threads(),
                        pages.routes(registry));
            } catch (UncheckedIOException e) {
                throw new UncheckedIOException(e.getMessage() + " (status.port): " + e.getCause().getMessage(),
                        e.getCause());
            }
            started.add("status server", status::close);

            CtldProcess p = new CtldProcess(started, grpc, status, registry, service, state);
            state.set(CtldStatusPages.State.SERVING);
            log.println("ctld " + config.cell() + " serving: grpc port " + grpc.port() + ", status port "
                    + status.port() + "; started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            return p;
        } catch (RuntimeException | Error e) {
            started.abortStartup(e);
            throw e;
        }
    }

    /** The bound gRPC port. */
    public int grpcPort() {
        return grpc.port();
    }

    /** The bound status/metrics HTTP port. */
    public int statusPort() {
        return status.port();
    }

    /** The metrics registry served at {@code /metrics}. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The service behind the gRPC port (for in-process callers). */
    public VtctldService service() {
        return service;
    }

    /** Waits until {@link #close} has finished; true if it did within {@code timeout}. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return started.awaitClosed(timeout);
    }

    /** Stops everything in reverse startup order (see the class comment); idempotent. */
    @Override
    public void close() {
        started.close("ctld", () -> state.set(CtldStatusPages.State.STOPPING));
    }
}
