package dev.mosaic.server.launcher;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.tablet.server.TabletProcess;
import dev.mosaic.server.tablet.server.TabletServerConfig;
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
 * {@code mosaic tablet --config FILE}: runs one tablet (Vitess's {@code vttablet}) until SIGTERM or
 * SIGINT. Exit codes: 0 after a clean shutdown, 1 if startup or shutdown failed, 2 for a bad
 * config file or bad usage (every problem in the file is listed, each naming its key).
 */
@Command(name = "tablet", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = {"Run a tablet: the agent beside one mysqld that serves its queries over gRPC, "
                + "registers it in the topology and serves /debug/status and /metrics.",
            "Stops cleanly on SIGTERM or SIGINT. See docs/tablet.md for the config file."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:clean shutdown", "1:startup or shutdown failed", "2:bad config file or usage"})
final class TabletCommand implements Callable<Integer> {
    /** How long a signal during startup waits for the interrupted startup to stop what it started. */
    private static final Duration STARTUP_ABORT_WAIT = Duration.ofSeconds(90);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The tablet's YAML config file.")
    private Path config;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        TabletServerConfig cfg;
        try {
            cfg = TabletProcess.loadConfig(config);
        } catch (ConfigException e) {
            err.println("error: invalid tablet config " + config + ":");
            e.problems().forEach(p -> err.println("  " + p.key() + ": " + p.reason()));
            err.flush();
            return 2;
        } catch (MosaicException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        }
        // On SIGTERM/SIGINT the JVM runs its shutdown hooks and would then exit with 128+signal;
        // vttablet exits 0 after a clean shutdown, so the hook stops the tablet and ends the JVM
        // itself with the outcome (halt: exit() may not be called from a shutdown hook). A signal
        // during startup interrupts it; the startup then stops what it had started (a managed
        // mysqld included) and the exit code is 1.
        AtomicReference<TabletProcess> running = new AtomicReference<>();
        CountDownLatch startupDone = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int code = 0;
            TabletProcess p = running.get();
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
                    err.println("error: the tablet did not shut down cleanly: " + e.getMessage());
                    code = 1;
                }
            }
            err.flush();
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        }, "tablet-shutdown"));
        TabletProcess process;
        try {
            process = TabletProcess.start(cfg);
            running.set(process);
        } catch (RuntimeException e) {
            err.println("error: the tablet failed to start: " + e.getMessage());
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
