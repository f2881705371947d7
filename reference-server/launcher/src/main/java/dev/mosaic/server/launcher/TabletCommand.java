package dev.mosaic.server.launcher;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.tablet.server.TabletProcess;
import dev.mosaic.server.tablet.server.TabletServerConfig;
import dev.mosaic.spi.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
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
        TabletProcess process;
        try {
            process = TabletProcess.start(cfg);
        } catch (RuntimeException e) {
            err.println("error: the tablet failed to start: " + e.getMessage());
            err.flush();
            return 1;
        }
        // On SIGTERM/SIGINT the JVM runs its shutdown hooks and would then exit with 128+signal;
        // vttablet exits 0 after a clean shutdown, so the hook stops the tablet and ends the JVM
        // itself with the outcome (halt: exit() may not be called from a shutdown hook).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int code = 0;
            try {
                process.close();
            } catch (RuntimeException e) {
                err.println("error: the tablet did not shut down cleanly: " + e.getMessage());
                code = 1;
            }
            err.flush();
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        }, "tablet-shutdown"));
        while (!process.awaitClosed(Duration.ofDays(1))) {
            // runs until a signal: the shutdown hook closes the process and ends the JVM
        }
        return 0;
    }
}
