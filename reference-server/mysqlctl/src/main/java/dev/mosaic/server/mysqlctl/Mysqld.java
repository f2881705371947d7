package dev.mosaic.server.mysqlctl;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.server.mysqlctl.flavor.Flavor;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * One mysqld, as a tablet sees it (Vitess's {@code mysqlctl.Mysqld}): either <em>managed</em> —
 * Mosaic creates its data directory, writes its my.cnf, starts and stops the process — or
 * <em>attached</em> to a server someone else runs, reached over TCP. Both expose the same
 * {@link Flavor}, SQL helpers and {@link #replication() replication control}.
 *
 * <p>Lifecycle operations are idempotent and safe after a crash: {@link #start} returns at once
 * if the server already answers, waits for one that is still starting, and clears a stale pid
 * file and socket left by a killed one; {@link #shutdown} of a stopped server does nothing.
 * Lifecycle methods are synchronized; the SQL helpers open a connection per call and may be used
 * from any thread.
 *
 * <p>Every failure is a {@link MosaicException}: FAILED_PRECONDITION (binaries missing, not
 * initialized, not managed), UNAVAILABLE (server exited, cannot connect), DEADLINE_EXCEEDED,
 * or the SQL error's class.
 */
public final class Mysqld {
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(25);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int LOG_TAIL_LINES = 25;
    private static final Pattern PASSWORD_LITERAL = Pattern.compile("(?i)(PASSWORD\\s*=\\s*)'(?:[^'\\\\]|''|\\\\.)*'");

    private final MysqldConfig config; // null when attached
    private final ConnectionParams params;
    private final Path serverBinary; // null when attached
    private final Path installBinary; // null when attached
    private volatile Flavor flavor; // probed lazily when attached
    private Process process; // the last mysqld this object spawned, if any

    private Mysqld(MysqldConfig config, ConnectionParams params, Path serverBinary, Path installBinary, Flavor flavor) {
        this.config = config;
        this.params = params;
        this.serverBinary = serverBinary;
        this.installBinary = installBinary;
        this.flavor = flavor;
    }

    /**
     * A managed mysqld. Finds the binaries and determines the flavor now (from {@code --version}),
     * so a missing installation is reported here, naming the packages to install.
     *
     * @throws MosaicException FAILED_PRECONDITION if no suitable binary is found
     */
    public static Mysqld managed(MysqldConfig config) {
        Objects.requireNonNull(config, "config");
        List<Path> dirs = Binaries.searchPath(config.binDirs());
        Path server;
        switch (config.flavor()) {
            case MARIADB -> server = Binaries.require(List.of("mariadbd", "mysqld"), dirs, mariaDbHint());
            case MYSQL8 -> server = Binaries.require(List.of("mysqld"), dirs,
                    "install MySQL 8.0.26+ (mysql-community-server); Debian 12 does not package it");
            default -> server = Binaries.find(List.of("mariadbd"), dirs)
                    .or(() -> Binaries.find(List.of("mysqld"), dirs))
                    .orElseThrow(() -> new MosaicException(ErrorCode.FAILED_PRECONDITION,
                            "no mysqld found (looked for mariadbd, mysqld in " + dirs + "); " + mariaDbHint()));
        }
        Flavor flavor = Flavor.forVersion(versionOf(binaryVersion(server)));
        boolean wrongKind = config.flavor() == MysqldConfig.FlavorChoice.MARIADB && !flavor.name().equals("mariadb")
                || config.flavor() == MysqldConfig.FlavorChoice.MYSQL8 && !flavor.name().equals("mysql8");
        if (wrongKind) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, server + " is " + flavor.serverVersion()
                    + ", not the configured " + config.flavor() + "; " + flavor.packagesHint());
        }
        Path install = Binaries.require(flavor.installBinaryNames(), dirs, flavor.packagesHint());
        ConnectionParams params = new ConnectionParams(
                config.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : config.bindAddress(), config.port(), "root", "");
        return new Mysqld(config, params, server, install, flavor);
    }

    /** A mysqld run by someone else; its flavor is probed with {@code SELECT VERSION()} on first use. */
    public static Mysqld attach(ConnectionParams params) {
        return new Mysqld(null, Objects.requireNonNull(params, "params"), null, null, null);
    }

    /** A mysqld run by someone else, of a known flavor. */
    public static Mysqld attach(ConnectionParams params, Flavor flavor) {
        return new Mysqld(null, Objects.requireNonNull(params, "params"), null, null, Objects.requireNonNull(flavor, "flavor"));
    }

    private static String mariaDbHint() {
        return "install the MariaDB server packages, e.g. on Debian/Ubuntu: "
                + "apt-get install -y mariadb-server mariadb-client mariadb-backup";
    }

    // "mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu ..." -> "10.11.19-MariaDB-0+deb12u1"
    static String versionOf(String versionOutput) {
        java.util.regex.Matcher m = Pattern.compile("\\bVer\\s+(\\S+)").matcher(versionOutput);
        return m.find() ? m.group(1) : versionOutput;
    }

    private static String binaryVersion(Path server) {
        try {
            Process p = new ProcessBuilder(server.toString(), "--version").redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION, server + " --version failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "cannot run " + server + " --version: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MosaicException(ErrorCode.CANCELED, "interrupted running " + server + " --version", e);
        }
    }

    // ------------------------------------------------------------------ identity

    /** True if Mosaic runs this mysqld's process. */
    public boolean isManaged() {
        return config != null;
    }

    /** The managed configuration. @throws MosaicException FAILED_PRECONDITION when attached */
    public MysqldConfig config() {
        requireManaged("config");
        return config;
    }

    /** The managed file layout. @throws MosaicException FAILED_PRECONDITION when attached */
    public MysqldLayout layout() {
        return config().layout();
    }

    /** How to reach this server over TCP as its administrative user. */
    public ConnectionParams connectionParams() {
        return params;
    }

    /** The server's flavor; probes the server for an attached one the first time. */
    public Flavor flavor() {
        Flavor f = flavor;
        if (f == null) {
            synchronized (this) {
                if (flavor == null) {
                    String version = fetchValue("SELECT VERSION()").orElse("");
                    flavor = Flavor.forVersion(version);
                }
                f = flavor;
            }
        }
        return f;
    }

    /** Replication control of this server. */
    public Replication replication() {
        return new Replication(this);
    }

    // ------------------------------------------------------------------ lifecycle (managed)

    /** True if the data directory has been created. */
    public boolean isInitialized() {
        return Files.isDirectory(layout().dataDir());
    }

    /**
     * Creates the data directory (and the tablet directory, tmpdir, my.cnf) if it does not exist
     * yet. The datadir is built in a staging directory and moved into place, so an interrupted
     * init is redone, never mistaken for a finished one.
     *
     * @throws MosaicException UNAVAILABLE if the install tool fails (its output is in the message)
     */
    public synchronized void init() {
        requireManaged("init");
        MysqldLayout l = config.layout();
        if (isInitialized()) {
            return;
        }
        try {
            Files.createDirectories(l.tmpDir());
            writeMyCnf();
            deleteRecursively(l.stagingDataDir());
            Files.createDirectories(l.stagingDataDir());
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot prepare " + l.dir() + ": " + e.getMessage(), e);
        }
        List<String> cmd = flavor.initDatadirCommand(installBinary, l.stagingDataDir(), l.tmpDir(), runningAsRoot());
        String output;
        int exit;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            // Drain output on a thread so a chatty tool cannot block on a full pipe while we wait.
            var drained = new java.util.concurrent.CompletableFuture<String>();
            Thread drainer = new Thread(() -> {
                try (InputStream in = p.getInputStream()) {
                    drained.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    drained.complete("(output unreadable: " + e.getMessage() + ")");
                }
            }, "mysqlctl-init-output-" + l.uid());
            drainer.setDaemon(true);
            drainer.start();
            if (!p.waitFor(config.initTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new MosaicException(ErrorCode.DEADLINE_EXCEEDED, String.join(" ", cmd)
                        + " did not finish within " + config.initTimeout());
            }
            exit = p.exitValue();
            output = drained.get(10, TimeUnit.SECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MosaicException(ErrorCode.CANCELED, "interrupted while initializing " + l.dataDir(), e);
        }
        if (exit != 0) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, String.join(" ", cmd) + " failed with exit code " + exit
                    + ":\n" + tail(output, LOG_TAIL_LINES));
        }
        try {
            Files.move(l.stagingDataDir(), l.dataDir(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot move " + l.stagingDataDir() + " to " + l.dataDir(), e);
        }
    }

    /**
     * Starts mysqld and waits until it answers on its socket. Returns at once if it already
     * answers; waits (without spawning another) for a live process that is still starting.
     *
     * @throws MosaicException FAILED_PRECONDITION if not initialized; UNAVAILABLE if mysqld exits
     *     during startup; DEADLINE_EXCEEDED if it does not answer in time (the process is left
     *     running, {@link #shutdown} stops it). Both carry the error log written during this start.
     */
    public synchronized void start(Duration timeout) {
        requireManaged("start");
        MysqldLayout l = config.layout();
        long deadline = System.nanoTime() + timeout.toNanos();
        if (Handshake.answers(l.socket(), PROBE_TIMEOUT)) {
            return;
        }
        if (!isInitialized()) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "data directory " + l.dataDir()
                    + " does not exist; init() the mysqld first");
        }
        long logOffset = fileSize(l.errorLog());
        Optional<ProcessHandle> live = livePidProcess();
        if (live.isPresent()) {
            awaitAnswer(live.get(), deadline, timeout, logOffset);
            return;
        }
        try {
            // Left behind by a killed mysqld: nothing runs under this pid file any more.
            Files.deleteIfExists(l.pidFile());
            Files.deleteIfExists(l.socket());
            Files.createDirectories(l.tmpDir());
            writeMyCnf();
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot prepare " + l.dir() + ": " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of(serverBinary.toString(), "--defaults-file=" + l.myCnf()));
        if (runningAsRoot()) {
            cmd.add("--user=root");
        }
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(l.errorLog().toFile()))
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        }
        awaitAnswer(process.toHandle(), deadline, timeout, logOffset);
    }

    private void awaitAnswer(ProcessHandle handle, long deadline, Duration timeout, long logOffset) {
        MysqldLayout l = config.layout();
        while (true) {
            if (Handshake.answers(l.socket(), PROBE_TIMEOUT)) {
                return;
            }
            if (!handle.isAlive()) {
                String exit = process != null && process.toHandle().equals(handle) && !process.isAlive()
                        ? " with exit code " + process.exitValue() : "";
                throw new MosaicException(ErrorCode.UNAVAILABLE, "mysqld (pid " + handle.pid() + ") exited" + exit
                        + " during startup; " + l.errorLog() + " says:\n" + errorLogSince(logOffset));
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new MosaicException(ErrorCode.DEADLINE_EXCEEDED, "mysqld (pid " + handle.pid()
                        + ") did not answer on " + l.socket() + " within " + timeout + "; it is left running. "
                        + l.errorLog() + " says:\n" + errorLogSince(logOffset));
            }
            pause();
        }
    }

    /**
     * Stops mysqld cleanly ({@code SHUTDOWN}, or SIGTERM if it cannot be reached) and waits for the
     * process to exit. Does nothing if it is not running; removes a stale pid file and socket.
     *
     * @throws MosaicException DEADLINE_EXCEEDED if it is still running after {@code timeout}
     */
    public synchronized void shutdown(Duration timeout) {
        requireManaged("shutdown");
        MysqldLayout l = config.layout();
        long deadline = System.nanoTime() + timeout.toNanos();
        long logOffset = fileSize(l.errorLog());
        Optional<ProcessHandle> handle = livePidProcess()
                .or(() -> process != null && process.isAlive() ? Optional.of(process.toHandle()) : Optional.empty());
        boolean answers = Handshake.answers(l.socket(), PROBE_TIMEOUT);
        if (!answers && handle.isEmpty()) {
            removeStaleFiles();
            return;
        }
        MosaicException sqlFailure = null;
        if (answers) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException | MosaicException e) {
                sqlFailure = e instanceof MosaicException me ? me : sqlError("SHUTDOWN", (SQLException) e);
            }
        }
        if ((sqlFailure != null || !answers) && handle.isPresent()) {
            handle.get().destroy(); // SIGTERM: mysqld shuts down cleanly on it
        }
        try {
            if (handle.isPresent()) {
                long left = Math.max(0, deadline - System.nanoTime());
                handle.get().onExit().get(left, TimeUnit.NANOSECONDS);
            }
            while (Handshake.answers(l.socket(), PROBE_TIMEOUT)) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new TimeoutException();
                }
                pause();
            }
        } catch (TimeoutException e) {
            throw new MosaicException(ErrorCode.DEADLINE_EXCEEDED, "mysqld " + handle.map(h -> "(pid " + h.pid() + ") ").orElse("")
                    + "did not stop within " + timeout + (sqlFailure != null ? " (SHUTDOWN failed: " + sqlFailure.getMessage() + ")" : "")
                    + "; " + l.errorLog() + " says:\n" + errorLogSince(logOffset));
        } catch (ExecutionException e) {
            throw new MosaicException(ErrorCode.INTERNAL, "waiting for mysqld to exit failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MosaicException(ErrorCode.CANCELED, "interrupted while stopping mysqld", e);
        }
        removeStaleFiles();
    }

    /** True if the server answers: on its socket when managed, with a login and {@code SELECT 1} when attached. */
    public boolean isRunning() {
        if (isManaged()) {
            return Handshake.answers(config.layout().socket(), PROBE_TIMEOUT);
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException | MosaicException e) {
            return false;
        }
    }

    /** The pid of the managed mysqld if its pid file names a live process. */
    public OptionalLong pid() {
        requireManaged("pid");
        return livePidProcess().map(h -> OptionalLong.of(h.pid())).orElse(OptionalLong.empty());
    }

    private Optional<ProcessHandle> livePidProcess() {
        Path pidFile = config.layout().pidFile();
        String text;
        try {
            text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return Optional.empty(); // half-written or garbage: treat as stale
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::looksLikeOurServer);
    }

    // A recycled pid may belong to something else entirely; only trust a mysqld binary.
    private boolean looksLikeOurServer(ProcessHandle h) {
        return h.info().command()
                .map(cmd -> {
                    String name = Path.of(cmd).getFileName().toString();
                    return name.equals(serverBinary.getFileName().toString()) || name.contains("mysqld") || name.contains("mariadbd");
                })
                .orElse(true); // not allowed to see it: assume the pid file is right
    }

    private void removeStaleFiles() {
        try {
            Files.deleteIfExists(config.layout().pidFile());
            Files.deleteIfExists(config.layout().socket());
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot remove stale files in " + config.layout().dir(), e);
        }
    }

    private void writeMyCnf() throws IOException {
        Files.createDirectories(config.layout().dir());
        Path tmp = config.layout().dir().resolve("my.cnf.tmp");
        Files.writeString(tmp, MyCnf.render(config, flavor), StandardCharsets.UTF_8);
        Files.move(tmp, config.layout().myCnf(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void requireManaged(String operation) {
        if (config == null) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION,
                    operation + " needs a managed mysqld; " + params + " is attached (run by someone else)");
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    // ------------------------------------------------------------------ SQL

    /**
     * A new JDBC connection as the administrative user over TCP, no default schema, TLS off. The
     * caller closes it.
     *
     * @throws MosaicException UNAVAILABLE if the server cannot be reached, UNAUTHENTICATED if the login is refused
     */
    public Connection connect() {
        Properties p = new Properties();
        p.setProperty("user", params.user());
        p.setProperty("password", params.password());
        p.setProperty("sslMode", "DISABLED");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_MILLIS));
        p.setProperty("useUnicode", "true");
        p.setProperty("characterEncoding", "UTF-8");
        String url = "jdbc:mysql://" + params.host() + ":" + params.port() + "/";
        try {
            return DriverManager.getConnection(url, p);
        } catch (SQLException e) {
            if (e.getErrorCode() == SqlError.ACCESS_DENIED.errno()) {
                throw new MosaicException(SqlError.ACCESS_DENIED, "cannot log in to " + params + ": " + e.getMessage(), e);
            }
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot connect to mysqld at " + params + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code statements} in order on one connection; stops at the first failure. */
    public void executeAll(List<String> statements) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                try {
                    s.execute(sql);
                } catch (SQLException e) {
                    throw sqlError(sql, e);
                }
            }
        } catch (SQLException e) {
            throw sqlError("(closing connection)", e);
        }
    }

    /** The rows of {@code query}, each a map from column label to text value (null for NULL), in column order. */
    public List<Map<String, String>> fetch(String query) {
        return fetch(query, Duration.ZERO);
    }

    /** Like {@link #fetch(String)}, with a client-side timeout (zero for none) after which the query is killed. */
    public List<Map<String, String>> fetch(String query, Duration timeout) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            if (!timeout.isZero()) {
                s.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
            }
            try (ResultSet rs = s.executeQuery(query)) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, String>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), rs.getString(i));
                    }
                    rows.add(row);
                }
                return rows;
            } catch (SQLException e) {
                throw sqlError(query, e);
            }
        } catch (SQLException e) {
            throw sqlError(query, e);
        }
    }

    /** The first column of the first row of {@code query}; empty if there is no row or the value is NULL. */
    public Optional<String> fetchValue(String query) {
        List<Map<String, String>> rows = fetch(query);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0).values().iterator().next());
    }

    private MosaicException sqlError(String sql, SQLException e) {
        String shown = PASSWORD_LITERAL.matcher(sql).replaceAll("$1'****'");
        String msg = "mysqld at " + params + ": " + shown + " failed: " + e.getMessage()
                + " (errno " + e.getErrorCode() + ", SQLSTATE " + e.getSQLState() + ")";
        for (SqlError known : SqlError.values()) {
            if (known.errno() == e.getErrorCode()) {
                return new MosaicException(known, msg, e);
            }
        }
        String state = e.getSQLState();
        return new MosaicException(state != null && state.startsWith("08") ? ErrorCode.UNAVAILABLE : ErrorCode.UNKNOWN, msg, e);
    }

    // ------------------------------------------------------------------ helpers

    private String errorLogSince(long offset) {
        Path log = config.layout().errorLog();
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(offset, len - 64 * 1024);
            f.seek(Math.min(from, len));
            byte[] buf = new byte[(int) (len - Math.min(from, len))];
            f.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8);
            return text.isBlank() ? "(nothing)" : tail(text, LOG_TAIL_LINES);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    static String tail(String text, int lines) {
        String[] all = text.strip().split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MosaicException(ErrorCode.CANCELED, "interrupted while waiting for mysqld");
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public String toString() {
        return "Mysqld[" + (isManaged() ? "managed uid " + config.layout().uid() + ", " : "attached, ") + params + "]";
    }
}
