package dev.mosaic.server.launcher.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import dev.mosaic.server.tablet.server.testing.TabletTesting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One component of the cluster under test running as its own OS process, stdout and stderr
 * going to one log file that the harness prints when a test fails.
 */
final class OsProcess {
    private final String name;
    private final Process process;
    private final Path log;

    private OsProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with its output appended to {@code log}. */
    static OsProcess start(String name, List<String> command, Path log) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new OsProcess(name, p, log);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + name + ": " + command, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return log;
    }

    /** The whole log so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log " + log + ": " + e + ")";
        }
    }

    /** The last {@code lines} lines of the log. */
    String tail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Fails at once if the process has exited: a dead component makes every wait on it pointless. */
    void assertAlive() {
        if (!process.isAlive()) {
            fail(name + " exited with " + process.exitValue() + ":\n" + tail(80));
        }
    }

    /** Waits until the log contains {@code text}, failing early if the process exits. */
    void awaitLog(String text, Duration deadline) {
        TabletTesting.await(name + " logging '" + text + "'", deadline, () -> {
            assertAlive();
            return log().contains(text);
        });
    }

    /**
     * SIGTERM, as an operator's {@code kill} or a service manager sends it; waits for the exit and
     * returns its code. A process still running after {@code deadline} is killed and the test fails.
     */
    int terminate(Duration deadline) {
        process.destroy();
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(name + " still running " + deadline + " after SIGTERM (killed):\n" + tail(80));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted stopping " + name);
        }
        return process.exitValue();
    }

    /** Cleanup after a failed test: SIGKILL if still running. */
    void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
