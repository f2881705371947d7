package dev.mosaic.server.launcher;

import dev.mosaic.api.error.MosaicException;
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
 * A command that runs one server process from its config file ({@code mosaic tablet --config FILE},
 * {@code mosaic gate --config FILE}) until SIGTERM or SIGINT. Exit codes: 0 after a clean
 * shutdown, 1 if startup or shutdown failed, 2 for a bad config file or bad usage (every problem in
 * the file is listed, each naming its key). Subclasses add their {@code @Command} name and
 * description; the help options and the exit-code list come from here.
 *
 * @param <C> the process's validated config
 * @param <P> the running process
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:clean shutdown", "1:startup or shutdown failed", "2:bad config file or usage"})
abstract class ProcessCommand<C, P extends AutoCloseable> implements Callable<Integer> {
    private final String process;
    private final Duration startupAbortWait;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "The ${COMMAND-NAME}'s YAML config file.")
    private Path config;

    /**
     * @param process the process's name in messages and in the shutdown thread's name ({@code tablet})
     * @param startupAbortWait how long a signal during startup waits for the interrupted startup
     *     to stop what it started
     */
    ProcessCommand(String process, Duration startupAbortWait) {
        this.process = process;
        this.startupAbortWait = startupAbortWait;
    }

    /**
     * Reads and validates the config file.
     *
     * @throws ConfigException listing every problem
     * @throws MosaicException if the file cannot be read or is not YAML
     */
    abstract C loadConfig(Path file);

    /** Starts the process; throws whatever failed, after stopping what had started. */
    abstract P start(C config);

    /** Waits until {@code process} has closed; true if it did within {@code timeout}. */
    abstract boolean awaitClosed(P process, Duration timeout) throws InterruptedException;

    @Override
    public final Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        C cfg;
        try {
            cfg = loadConfig(config);
        } catch (ConfigException e) {
            err.println("error: invalid " + process + " config " + config + ":");
            e.problems().forEach(p -> err.println("  " + p.key() + ": " + p.reason()));
            err.flush();
            return 2;
        } catch (MosaicException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        }
        // On SIGTERM/SIGINT the JVM runs its shutdown hooks and would then exit with 128+signal;
        // vttablet and vtgate exit 0 after a clean shutdown, so the hook stops the process and ends
        // the JVM itself with the outcome (halt: exit() may not be called from a shutdown hook). A
        // signal during startup interrupts it; the startup then stops what it had started (a
        // managed mysqld included) and the exit code is 1.
        AtomicReference<P> running = new AtomicReference<>();
        CountDownLatch startupDone = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int code = 0;
            P p = running.get();
            if (p == null) {
                main.interrupt();
                try {
                    startupDone.await(startupAbortWait.toMillis(), TimeUnit.MILLISECONDS);
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
                } catch (Exception e) {
                    err.println("error: the " + process + " did not shut down cleanly: " + e.getMessage());
                    code = 1;
                }
            }
            err.flush();
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        }, process + "-shutdown"));
        P started;
        try {
            started = start(cfg);
            running.set(started);
        } catch (RuntimeException e) {
            err.println("error: the " + process + " failed to start: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            startupDone.countDown();
        }
        while (!awaitClosed(started, Duration.ofDays(1))) {
            // runs until a signal: the shutdown hook closes the process and ends the JVM
        }
        return 0;
    }
}
