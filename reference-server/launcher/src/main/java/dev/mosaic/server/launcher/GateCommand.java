package dev.mosaic.server.launcher;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.gate.process.GateProcess;
import dev.mosaic.server.gate.process.GateServerConfig;
import dev.mosaic.spi.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mosaic gate --config FILE}: runs one gate (Vitess's {@code vtgate}) until SIGTERM or
 * SIGINT. Exit codes: 0 after a clean shutdown, 1 if startup or shutdown failed, 2 for a bad
 * config file or bad usage (every problem in the file is listed, each naming its key).
 */
@Command(name = "gate", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = {"Run a gate: the MySQL-protocol server that plans each statement against the "
                + "vschema and sends it to the tablets of the shards it reaches; serves /debug/status, "
                + "/debug/query_stats and /metrics.",
            "Stops cleanly on SIGTERM or SIGINT. See docs/gate.md for the config file."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:clean shutdown", "1:startup or shutdown failed", "2:bad config file or usage"})
final class GateCommand implements Callable<Integer> {
    /** How long a signal during startup waits for the interrupted startup to stop what it started. */
    private static final Duration STARTUP_ABORT_WAIT = Duration.ofSeconds(60);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The gate's YAML config file.")
    private Path config;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        GateServerConfig cfg;
        try {
            cfg = GateProcess.loadConfig(config);
        } catch (ConfigException e) {
            err.println("error: invalid gate config " + config + ":");
            e.problems().forEach(p -> err.println("  " + p.key() + ": " + p.reason()));
            err.flush();
            return 2;
        } catch (MosaicException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        }
        // As `mosaic tablet`: the shutdown hook stops the gate and ends the JVM with the outcome
        // (0 after a clean shutdown, as vtgate), since the JVM would otherwise exit 128+signal.
        AtomicReference<GateProcess> running = new AtomicReference<>();
        CountDownLatch startupDone = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int code = 0;
            GateProcess p = running.get();
            if (p == null) {
                main.interrupt();
                try {
                    startupDone.await(STARTUP_ABORT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                p = running.get();
                code = 1;
            }
            if (p != null) {
                try {
                    p.close();
                    code = 0;
                } catch (RuntimeException e) {
                    err.println("error: the gate did not shut down cleanly: " + e.getMessage());
                    code = 1;
                }
            }
            err.flush();
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        }, "gate-shutdown"));
        GateProcess process;
        try {
            process = GateProcess.start(cfg);
            running.set(process);
        } catch (RuntimeException e) {
            err.println("error: the gate failed to start: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            startupDone.countDown();
        }
        while (!process.awaitClosed(Duration.ofDays(1))) {
            // runs until a signal: the shutdown hook closes the process and ends the JVM
        }
        return 0;
    }
}
