package dev.mosaic.server.local;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.vtctldata.GetClusterStatusRequest;
import dev.mosaic.proto.vtctldata.GetClusterStatusResponse;
import dev.mosaic.proto.vtctldata.VtctldGrpc;
import dev.mosaic.server.mysqlctl.Binaries;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code mosaic local up|down|status}: the foreground side. {@code up} spawns the
 * {@link LocalSupervisor} detached, relays its progress until it is ready, and returns; {@code down}
 * stops it by PID and makes sure no process it started is left; {@code status} asks ctld.
 */
public final class LocalClusterControl {
    /** How long {@code up} waits for the READY line. */
    static final Duration UP_DEADLINE = Duration.ofMinutes(10);
    /** How long {@code down} gives the supervisor's ordered shutdown. */
    static final Duration DOWN_DEADLINE = Duration.ofMinutes(3);
    private static final int LOG_TAIL_LINES = 60;

    private final Path home;

    /** @param home where the pointer to the running cluster's data directory is kept ({@code ~/.mosaic}) */
    public LocalClusterControl(Path home) {
        this.home = home;
    }

    /** The control for this user: {@code ~/.mosaic}. */
    public static LocalClusterControl forUser() {
        return new LocalClusterControl(Path.of(System.getProperty("user.home"), ".mosaic"));
    }

    /** The default data directory, removed again by {@code down}. */
    public Path defaultDataDir() {
        return home.resolve("local");
    }

    private Path pointer() {
        return home.resolve("local-cluster");
    }

    /**
     * Starts a cluster and returns once it is ready (0) or failed (1, with the log's tail printed).
     *
     * @throws MosaicException FAILED_PRECONDITION when a cluster runs already, a port is taken or a
     *     package is missing
     */
    public int up(LocalOptions options, PrintWriter out) throws InterruptedException {
        Optional<LocalState> running = runningState(options.dataDir());
        if (running.isEmpty()) {
            running = currentDataDir().flatMap(this::runningState);
        }
        if (running.isPresent()) {
            LocalState s = running.get();
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "a local cluster is already running (supervisor PID "
                    + s.supervisorPid() + ", data " + s.options().dataDir() + "); stop it first with: mosaic local down");
        }
        ClusterMarker.read(options.dataDir()).ifPresent(m -> m.requireSameShape(options));
        ClusterLayout layout = ClusterLayout.of(options);
        checkPortsFree(layout);
        Prerequisites.ensure(options.topo(), msg -> {
            out.println(msg);
            out.flush();
        });

        Path data = options.dataDir();
        Path log = data.resolve("logs").resolve("local.log");
        long from;
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(home);
            Files.writeString(pointer(), data + "\n");
            from = Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "cannot prepare " + data + ": " + e.getMessage(), e);
        }
        out.println("starting a local cluster: keyspace commerce (shard 0) and customer (" + options.shards() + " shard"
                + (options.shards() == 1 ? "" : "s") + ": " + String.join(" ", ClusterLayout.customerShards(options.shards()))
                + "), " + options.replicas() + " replica" + (options.replicas() == 1 ? "" : "s") + " per shard, "
                + options.topo().flag() + " topology");
        out.println("data " + data + ", log " + log);
        out.flush();
        Process supervisor = spawnSupervisor(options, log);
        return follow(supervisor, log, from, out);
    }

    private Process spawnSupervisor(LocalOptions options, Path log) {
        List<String> cmd = new ArrayList<>();
        // Its own session: a Ctrl-C in the terminal that ran `up` does not reach the cluster.
        Binaries.find(List.of("setsid")).ifPresent(p -> cmd.add(p.toString()));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv("MOSAIC_LOCAL_JAVA_OPTS");
        cmd.addAll(List.of((opts == null || opts.isBlank() ? "-Xmx1g" : opts).trim().split("\\s+")));
        cmd.addAll(List.of("-cp", supervisorClassPath(options.dataDir()), LocalSupervisor.class.getName()));
        cmd.addAll(options.toArgs());
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot start the local cluster's supervisor: " + e.getMessage(), e);
        }
    }

    /**
     * The supervisor runs from its own copy of the launcher jar: bin/mosaic rebuilds the jar in
     * place when sources change, and a JVM whose jar is rewritten under it fails at its next
     * class load. A class path of several entries (an IDE, tests) is used as it is.
     */
    private static String supervisorClassPath(Path dataDir) {
        String cp = System.getProperty("java.class.path");
        Path jar = Path.of(cp);
        if (cp.contains(File.pathSeparator) || !cp.endsWith(".jar") || !Files.isRegularFile(jar)) {
            return cp;
        }
        Path copy = dataDir.resolve("mosaic.jar");
        try {
            Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "cannot copy " + jar + " to " + copy + ": " + e.getMessage(), e);
        }
        return copy.toString();
    }

    /** Relays progress lines from the log until READY (0), FAILED or the supervisor's death (1). */
    private int follow(Process supervisor, Path log, long from, PrintWriter out) throws InterruptedException {
        long t0 = System.nanoTime();
        long end = t0 + UP_DEADLINE.toNanos();
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            f.seek(from);
            StringBuilder partial = new StringBuilder();
            byte[] buf = new byte[8192];
            while (true) {
                int n = f.read(buf);
                if (n > 0) {
                    partial.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        String line = partial.substring(0, nl);
                        partial.delete(0, nl + 1);
                        if (!line.startsWith(LocalSupervisor.PROGRESS)) {
                            continue;
                        }
                        String msg = line.substring(LocalSupervisor.PROGRESS.length());
                        out.printf("[%5.1fs] %s%n", (System.nanoTime() - t0) / 1e9, msg);
                        out.flush();
                        if (line.startsWith(LocalSupervisor.READY)) {
                            printConnectHint(out);
                            return 0;
                        }
                        if (line.startsWith(LocalSupervisor.FAILED)) {
                            supervisor.waitFor(DOWN_DEADLINE.toSeconds(), TimeUnit.SECONDS);
                            printTail(log, out);
                            return 1;
                        }
                    }
                    continue;
                }
                if (!supervisor.isAlive()) {
                    if (f.getFilePointer() < f.length()) {
                        continue; // its last lines are still to read
                    }
                    out.println("the local cluster's supervisor exited with code " + supervisor.exitValue() + " before it was ready");
                    printTail(log, out);
                    return 1;
                }
                if (System.nanoTime() - end > 0) {
                    out.println("the local cluster was not ready after " + UP_DEADLINE.toMinutes() + " minutes; stopping it");
                    supervisor.destroy();
                    supervisor.waitFor(DOWN_DEADLINE.toSeconds(), TimeUnit.SECONDS);
                    printTail(log, out);
                    return 1;
                }
                Thread.sleep(100); // following a growing file; the loop ends on READY, FAILED, exit or the deadline
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    private static void printConnectHint(PrintWriter out) {
        out.println();
        out.println("The cluster runs in the background. Connect with:");
        out.println("  mariadb -h127.0.0.1 -P" + ClusterLayout.GATE_MYSQL_PORT);
        out.println("  (JDBC: jdbc:mysql://127.0.0.1:" + ClusterLayout.GATE_MYSQL_PORT + "/commerce?useSSL=false; any user, no password)");
        out.println("ctld: 127.0.0.1:" + ClusterLayout.CTLD_GRPC_PORT + " (mosaic ctl), status pages http://127.0.0.1:"
                + ClusterLayout.CTLD_STATUS_PORT + "/ and http://127.0.0.1:" + ClusterLayout.GATE_STATUS_PORT + "/debug/status");
        out.println("mosaic local status   shows keyspaces, shards and tablets; mosaic local down   stops everything");
        out.flush();
    }

    private static void printTail(Path log, PrintWriter out) {
        out.println("--- last lines of " + log + " ---");
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            Deque<String> tail = new ArrayDeque<>();
            lines.forEach(l -> {
                tail.addLast(l);
                if (tail.size() > LOG_TAIL_LINES) {
                    tail.removeFirst();
                }
            });
            tail.forEach(out::println);
        } catch (IOException | UncheckedIOException e) {
            out.println("(cannot read it: " + e.getMessage() + ")");
        }
        out.flush();
    }

    /**
     * Fails naming the first port of the layout that something listens on already.
     *
     * @throws MosaicException FAILED_PRECONDITION naming the port and what the cluster wanted it for
     */
    static void checkPortsFree(ClusterLayout layout) {
        for (Map.Entry<Integer, String> p : layout.ports().entrySet()) {
            if (!portFree(p.getKey())) {
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "port " + p.getKey() + " (for the " + p.getValue()
                        + ") is already in use; stop what listens there (see: ss -ltnp 'sport = :" + p.getKey()
                        + "'), or if it is a local cluster left behind: mosaic local down");
            }
        }
    }

    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Stops the running cluster: SIGTERM to the supervisor (its ordered shutdown stops the gate,
     * ctld, the tablets and their mysqlds, the topology), then any recorded child still alive is
     * stopped by PID; the default data directory is removed. Returns 0, or 1 if something could not
     * be stopped.
     */
    public int down(Optional<Path> dataDir, PrintWriter out) throws InterruptedException {
        Optional<Path> dir = dataDir.map(p -> p.toAbsolutePath().normalize()).or(this::currentDataDir);
        Optional<LocalState> state = dir.flatMap(LocalState::read);
        if (state.isEmpty()) {
            out.println("no local cluster is running" + dir.map(d -> " (no " + d.resolve(LocalState.FILE) + ")").orElse(""));
            clearPointer(dir);
            return 0;
        }
        LocalState s = state.get();
        long t0 = System.nanoTime();
        Optional<ProcessHandle> sup = live(s.supervisorPid(), List.of("java"));
        if (sup.isPresent()) {
            out.println("stopping the local cluster (supervisor PID " + s.supervisorPid() + ")...");
            out.flush();
            sup.get().destroy();
            if (!await(sup.get(), DOWN_DEADLINE)) {
                out.println("the supervisor did not stop within " + DOWN_DEADLINE.toMinutes() + " minutes; killing it");
                sup.get().destroyForcibly();
                await(sup.get(), Duration.ofSeconds(30));
            }
        } else {
            out.println("the supervisor (PID " + s.supervisorPid() + ") is not running; cleaning up after it");
        }
        // Re-read: the supervisor may have recorded more children after `up` returned.
        s = LocalState.read(s.options().dataDir()).orElse(s);
        // Whatever the supervisor left (it was killed, or a stop failed): SIGTERM all, then wait for each.
        Map<String, ProcessHandle> leftovers = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Long> c : children(s).entrySet()) {
            live(c.getValue(), expectedCommand(c.getKey())).ifPresent(h -> {
                out.println(c.getKey() + " (PID " + c.getValue() + ") still runs; stopping it");
                h.destroy();
                leftovers.put(c.getKey(), h);
            });
        }
        int left = 0;
        for (Map.Entry<String, ProcessHandle> c : leftovers.entrySet()) {
            ProcessHandle h = c.getValue();
            if (!await(h, Duration.ofSeconds(60))) {
                h.destroyForcibly();
                if (!await(h, Duration.ofSeconds(10))) {
                    out.println("cannot stop " + c.getKey() + " (PID " + h.pid() + ")");
                    left++;
                }
            }
        }
        List<String> busy = new ArrayList<>();
        ClusterLayout layout = ClusterLayout.of(s.options());
        long portDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Map.Entry<Integer, String> p : layout.ports().entrySet()) {
            while (!portFree(p.getKey()) && System.nanoTime() - portDeadline < 0) {
                Thread.sleep(100); // a closing listener frees its port shortly after its process exits
            }
            if (!portFree(p.getKey())) {
                busy.add(p.getKey() + " (" + p.getValue() + ")");
            }
        }
        if (left > 0 || !busy.isEmpty()) {
            out.println("the local cluster did not stop completely" + (busy.isEmpty() ? "" : "; ports still in use: "
                    + String.join(", ", busy)));
            return 1;
        }
        try {
            Files.deleteIfExists(s.options().dataDir().resolve(LocalState.FILE));
            if (!s.options().keepData()) {
                deleteTree(s.options().dataDir());
            }
        } catch (IOException e) {
            out.println("stopped, but cannot clean " + s.options().dataDir() + " up: " + e.getMessage());
            return 1;
        }
        clearPointer(Optional.of(s.options().dataDir()));
        out.printf("local cluster stopped in %.1f s; %s%n", (System.nanoTime() - t0) / 1e9,
                s.options().keepData() ? "data kept in " + s.options().dataDir() : "data removed");
        return 0;
    }

    /** What the command of the child recorded as {@code name} contains. */
    static List<String> expectedCommand(String name) {
        if (name.startsWith("mysqld")) {
            return List.of("mariadbd", "mysqld");
        }
        return switch (name) {
            case "etcd" -> List.of("etcd");
            case "zk" -> List.of("java");
            default -> List.of();
        };
    }

    /** Every child PID: those recorded, plus each mysqld's pid file (a mysqld started after the last record). */
    private static Map<String, Long> children(LocalState s) {
        Map<String, Long> all = new java.util.LinkedHashMap<>(s.children());
        for (ClusterLayout.TabletSpec t : ClusterLayout.of(s.options()).tablets()) {
            Path pidFile = new dev.mosaic.server.mysqlctl.MysqldLayout(s.options().dataDir().resolve("mysql"), t.uid()).pidFile();
            try {
                if (Files.isRegularFile(pidFile)) {
                    all.putIfAbsent("mysqld " + t.alias(), Long.parseLong(Files.readString(pidFile).strip()));
                }
            } catch (IOException | NumberFormatException e) {
                // an unreadable pid file names no process to stop
            }
        }
        return all;
    }

    /**
     * Prints the cluster as ctld sees it. Returns 0, or 1 when no cluster runs or ctld does not answer.
     */
    public int status(Optional<Path> dataDir, PrintWriter out) {
        Optional<LocalState> state = dataDir.map(p -> p.toAbsolutePath().normalize()).or(this::currentDataDir)
                .flatMap(this::runningState);
        if (state.isEmpty()) {
            out.println("no local cluster is running (start one with: mosaic local up)");
            return 1;
        }
        LocalState s = state.get();
        out.println("local cluster " + s.phase() + ": supervisor PID " + s.supervisorPid() + ", data " + s.options().dataDir()
                + ", " + s.options().topo().flag() + " topology");
        out.println("gate MySQL 127.0.0.1:" + ClusterLayout.GATE_MYSQL_PORT + ", ctld gRPC 127.0.0.1:" + ClusterLayout.CTLD_GRPC_PORT);
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", ClusterLayout.CTLD_GRPC_PORT).usePlaintext().build();
        try {
            GetClusterStatusResponse r = VtctldGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
            out.print(StatusReport.format(r));
            return 0;
        } catch (StatusRuntimeException e) {
            out.println("ctld does not answer: " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()));
            return 1;
        } finally {
            ch.shutdownNow();
        }
    }

    /** The data directory the pointer names, if there is a pointer. */
    private Optional<Path> currentDataDir() {
        try {
            if (!Files.isRegularFile(pointer())) {
                return Optional.empty();
            }
            String text = Files.readString(pointer(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(Path.of(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pointer(), e);
        }
    }

    private void clearPointer(Optional<Path> dataDir) {
        try {
            if (dataDir.isPresent() && currentDataDir().equals(dataDir)) {
                Files.deleteIfExists(pointer());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + pointer(), e);
        }
    }

    /** The state in {@code dataDir} if its supervisor is alive. */
    private Optional<LocalState> runningState(Path dataDir) {
        return LocalState.read(dataDir).filter(s -> live(s.supervisorPid(), List.of("java")).isPresent());
    }

    /**
     * The live process with {@code pid}, if its command contains one of {@code commandParts} (a PID
     * reused by an unrelated process since the state was written is left alone); empty accepts any.
     */
    static Optional<ProcessHandle> live(long pid, List<String> commandParts) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> commandParts.isEmpty()
                || h.info().command().map(c -> commandParts.stream().anyMatch(c::contains)).orElse(true));
    }

    private static boolean await(ProcessHandle h, Duration timeout) throws InterruptedException {
        try {
            h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return !h.isAlive();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
