package dev.mosaic.server.backup.engine;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.backup.MysqldControl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of a server tool ({@code mariabackup}, {@code mariadb-dump}, {@code mariadb}) found
 * through {@link MysqldControl#tool}. Its stderr goes to a temporary file whose tail is put in the
 * error when the tool fails; the caller streams stdin/stdout.
 */
final class ToolProcess implements AutoCloseable {
    private static final int TAIL_LINES = 20;

    private final List<String> command;
    private final Process process;
    private final Path stderr;

    private ToolProcess(List<String> command, Process process, Path stderr) {
        this.command = command;
        this.process = process;
        this.stderr = stderr;
    }

    /** The path of {@code name}, or FAILED_PRECONDITION naming the package to install. */
    static Path require(MysqldControl mysqld, String name, String packageHint) {
        return mysqld.tool(name).orElseThrow(() -> new MosaicException(ErrorCode.FAILED_PRECONDITION,
                "the backup tool '" + name + "' is not installed; install " + packageHint));
    }

    /**
     * The options that make a client tool reach {@code mysqld} as its administrative user: the
     * socket if there is one, TCP otherwise.
     */
    static List<String> connectionOptions(MysqldControl mysqld) {
        MysqldControl.ConnectionParams p = mysqld.connectionParams();
        List<String> out = new ArrayList<>();
        if (p.socket() != null && !p.socket().isEmpty()) {
            out.add("--socket=" + p.socket());
        } else {
            out.add("--protocol=TCP");
            out.add("--host=" + p.host());
            out.add("--port=" + p.port());
        }
        out.add("--user=" + p.user());
        return out;
    }

    /** Starts {@code command}; stdout is a pipe unless {@code stdoutTo} is given. */
    static ToolProcess start(List<String> command, Path stdoutTo) {
        Path err;
        try {
            err = Files.createTempFile("mosaic-backup-tool", ".err");
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot create a temporary file: " + e, e);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
        if (stdoutTo != null) {
            pb.redirectOutput(stdoutTo.toFile());
        }
        try {
            return new ToolProcess(List.copyOf(command), pb.start(), err);
        } catch (IOException e) {
            deleteQuietly(err);
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot run " + String.join(" ", command) + ": " + e, e);
        }
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    InputStream stdout() {
        return process.getInputStream();
    }

    /**
     * Waits for the tool to exit.
     *
     * @throws MosaicException UNAVAILABLE with the tail of its stderr if it exits non-zero,
     *                         DEADLINE_EXCEEDED (after killing it) if it runs longer than {@code timeout}
     */
    void waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new MosaicException(ErrorCode.DEADLINE_EXCEEDED, commandName() + " did not finish within " + timeout);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new MosaicException(ErrorCode.CANCELED, "interrupted while waiting for " + commandName(), e);
        }
        if (process.exitValue() != 0) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, String.join(" ", command) + " failed with exit code "
                    + process.exitValue() + ":\n" + stderrTail());
        }
    }

    String stderrTail() {
        try {
            String[] lines = Files.readString(stderr, StandardCharsets.UTF_8).strip().split("\n");
            int from = Math.max(0, lines.length - TAIL_LINES);
            return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
        } catch (IOException e) {
            return "(cannot read its stderr: " + e + ")";
        }
    }

    private String commandName() {
        return Path.of(command.get(0)).getFileName().toString();
    }

    /** Kills the tool if it still runs, and deletes its stderr file. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteQuietly(stderr);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temp file is harmless; the tool's result is what matters
        }
    }
}
