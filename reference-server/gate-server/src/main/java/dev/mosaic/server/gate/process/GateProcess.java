package dev.mosaic.server.gate.process;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.name.Names;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.gate.gateway.TabletGateway;
import dev.mosaic.server.gate.tx.TransactionResolver;
import dev.mosaic.server.gate.process.querylog.QueryLog;
import dev.mosaic.server.gate.process.status.GateStatus;
import dev.mosaic.server.gate.process.status.GateStatusServer;
import dev.mosaic.server.mysql.protocol.MysqlServer;
import dev.mosaic.server.process.OrderedShutdown;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.Plugins;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A running gate process (Vitess's {@code vtgate}): the entry point both {@code mosaic gate
 * --config FILE} and the integration tests use.
 *
 * <p>Startup ({@link #start}), in order: metrics registry → topology connection → tablet gateway
 * (tablets of the configured cells discovered, health streams opened) → topology refresher
 * (vschemas, routing rules and shards read; a failure here fails the startup) → shard-call pool →
 * query log → status HTTP server → MySQL listener → SERVING. A failure at any step closes what was
 * started, in reverse, and is thrown.
 *
 * <p>Shutdown ({@link #close}, run by the CLI on SIGTERM/SIGINT) is the reverse: the MySQL
 * listener stops accepting and closes every client connection (running statements finish or are
 * cut off after a short grace), the status server stops, the shard-call pool drains, the
 * refresher stops, the gateway closes its health streams and channels, the topology connection
 * closes. Every step runs even if an earlier one fails; the first failure is thrown at the end.
 */
public final class GateProcess implements AutoCloseable {
    /** How long running per-shard calls get to finish at shutdown. */
    private static final Duration SHARD_CALL_DRAIN = Duration.ofSeconds(5);

    private final Injector injector;
    private final OrderedShutdown started;
    private final GateStatusSource statusSource;

    private GateProcess(Injector injector, OrderedShutdown started, GateStatusSource statusSource) {
        this.injector = injector;
        this.started = started;
        this.statusSource = statusSource;
    }

    /**
     * Reads and validates a config file with the topology plugins on this class's class loader.
     *
     * @throws dev.mosaic.spi.config.ConfigException listing every problem, each naming its key
     * @throws MosaicException if the file cannot be read or is not YAML
     */
    public static GateServerConfig loadConfig(Path file) {
        return new GateServerConfigLoader(Plugins.load(GateProcess.class.getClassLoader())).load(file);
    }

    /** Starts a gate logging to stderr, with the plugins on this class's class loader. */
    public static GateProcess start(GateServerConfig config, Module... extra) {
        return start(config, Plugins.load(GateProcess.class.getClassLoader()), System.err, extra);
    }

    /**
     * Starts a gate.
     *
     * @param plugins where topology plugins and vindex types are found
     * @param log where startup, shutdown, topology changes and (by default) slow statements are logged
     * @param extra modules overriding or adding bindings
     * @throws RuntimeException whatever failed, after closing what had started
     */
    public static GateProcess start(GateServerConfig config, Plugins plugins, PrintStream log, Module... extra) {
        Objects.requireNonNull(config, "config");
        long t0 = System.nanoTime();
        Module[] modules = new Module[extra.length + 1];
        modules[0] = new GateServerModule(config, plugins, log);
        System.arraycopy(extra, 0, modules, 1, extra.length);
        Injector injector = Guice.createInjector(Stage.PRODUCTION, com.google.inject.util.Modules.override(modules[0])
                .with(java.util.Arrays.copyOfRange(modules, 1, modules.length)));
        OrderedShutdown started = new OrderedShutdown(log);
        String cell = config.gateway().localCell();
        try {
            injector.getInstance(PrometheusMeterRegistry.class);
            JvmGcMetrics gc = injector.getInstance(JvmGcMetrics.class);
            started.add("GC metrics", gc::close);

            TopoServer topo = injector.getInstance(TopoServer.class);
            started.add("topology connection", topo::close);

            TabletGateway gateway = injector.getInstance(TabletGateway.class);
            started.add("tablet gateway", gateway::close);

            TopologyRefresher refresher = injector.getInstance(TopologyRefresher.class);
            started.add("topology refresher", refresher::close);
            log.println("gate " + cell + ": serving keyspaces " + refresher.state().keyspaces() + " from cells "
                    + config.gateway().cells());

            // Finishes distributed transactions their gate left (this gate's or another's).
            TransactionResolver resolver = TransactionResolver.start(gateway, config.twoPcResolver(),
                    injector.getInstance(io.micrometer.core.instrument.MeterRegistry.class));
            started.add("two-phase commit resolver", resolver::close);

            ThreadPoolExecutor shardCalls = injector.getInstance(ThreadPoolExecutor.class);
            started.add("shard-call pool", () -> drain(shardCalls));

            PrintStream slowLog = injector.getInstance(Key.get(PrintStream.class, Names.named(GateServerModule.SLOW_LOG)));
            if (slowLog != log) {
                started.add("slow log", slowLog::close);
            }
            injector.getInstance(QueryLog.class);

            GateStatusSource source = injector.getInstance(GateStatusSource.class);
            GateStatusServer status = injector.getInstance(GateStatusServer.class);
            started.add("status server", status::close);

            MysqlServer mysql = injector.getInstance(MysqlServer.class);
            try {
                mysql.start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MosaicException(ErrorCode.CANCELED, "interrupted binding the MySQL port", e);
            } catch (Exception e) {
                // Netty rethrows the bind failure (an IOException) undeclared.
                throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot listen for MySQL clients on "
                        + config.mysql().bindAddress() + ":" + config.mysql().port() + " (mysql.port): " + e.getMessage(),
                        e);
            }
            started.add("MySQL listener", mysql::close);
            source.mysqlPort(mysql.port());

            source.state(GateStatus.State.SERVING);
            log.println("gate " + cell + " serving: mysql port " + mysql.port() + " (version "
                    + config.mysql().serverVersion() + ", auth " + config.auth().mode().name().toLowerCase(
                    java.util.Locale.ROOT) + "), status port " + status.port() + "; started in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            return new GateProcess(injector, started, source);
        } catch (RuntimeException | Error e) {
            started.abortStartup(e);
            throw e;
        }
    }

    private static void drain(ThreadPoolExecutor pool) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(SHARD_CALL_DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
            pool.shutdownNow();
        }
    }

    /** The injector (for tests and for wiring extra parts' lookups). */
    public Injector injector() {
        return injector;
    }

    /** The bound MySQL port. */
    public int mysqlPort() {
        return injector.getInstance(MysqlServer.class).port();
    }

    /** The bound status/metrics HTTP port. */
    public int statusPort() {
        return injector.getInstance(GateStatusServer.class).port();
    }

    /** A status snapshot. */
    public GateStatus status() {
        return statusSource.snapshot();
    }

    /** Waits until {@link #close} has finished; true if it did within {@code timeout}. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return started.awaitClosed(timeout);
    }

    /** Stops everything in reverse startup order (see the class comment); idempotent. */
    @Override
    public void close() {
        started.close("gate", () -> statusSource.state(GateStatus.State.STOPPING));
    }
}
