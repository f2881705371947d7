package dev.mosaic.server.launcher.e2e;

import static dev.mosaic.server.gate.testing.ShardedTestCluster.requireBinary;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.server.mysqlctl.MysqldLayout;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.server.testing.EtcdProcess;
import dev.mosaic.server.tablet.server.testing.TabletTesting;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A cluster whose every component is a separate OS process of the shaded launcher jar (the one
 * {@code bin/mosaic} runs) on a real etcd: the control daemon, tablets with managed mysqlds, a
 * gate, and {@code mosaic ctl} invocations as an operator types them. Ports are free ephemeral
 * ones; each process logs to its own file under the test's directory, and {@link #printLogs}
 * shows their tails when a test fails. {@link #close()} kills whatever is still running.
 */
final class ProcessCluster implements AutoCloseable {
    static final String CELL = "zone1";
    /** How long a component may take to start or stop on a shared 2-core machine. */
    static final Duration PROCESS_DEADLINE = Duration.ofSeconds(120);
    private static final Path JAR = Path.of("target", "mosaic.jar");
    private static final Duration CTL_DEADLINE = Duration.ofSeconds(120);

    private final Path dir;
    private final EtcdProcess etcd;
    private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<OsProcess> processes = new ArrayList<>();
    private final List<Tablet> tablets = new ArrayList<>();
    private final Set<Integer> usedPorts = new HashSet<>();
    private Ctld ctld;

    private ProcessCluster(Path dir, EtcdProcess etcd) {
        this.dir = dir;
        this.etcd = etcd;
    }

    /**
     * Starts etcd (the cell is registered later through ctld, with {@code mosaic ctl AddCellInfo},
     * as Vitess's etcd-up.sh does). A missing binary skips the test, or fails it under {@code CI=true}.
     */
    static ProcessCluster start(Path dir) {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " missing: the package phase builds it");
        MysqldCluster.requireBinaries();
        requireBinary("mariadb");
        return new ProcessCluster(dir, EtcdProcess.start());
    }

    EtcdProcess etcd() {
        return etcd;
    }

    /** A free loopback port not handed out before in this cluster. */
    int freePort() {
        int p;
        do {
            p = EtcdProcess.freePort();
        } while (!usedPorts.add(p));
        return p;
    }

    /** The {@code topo.*} keys every process shares. */
    private String topoYaml() {
        return String.join("\n",
                "topo:",
                "  type: etcd",
                "  global-server-address: " + etcd.endpoint(),
                "  global-root: " + TabletTesting.GLOBAL_ROOT,
                "");
    }

    private Path write(String file, String yaml) {
        Path p = dir.resolve(file);
        try {
            Files.writeString(p, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private OsProcess launch(String name, String subcommand, Path config) {
        OsProcess p = OsProcess.start(name, List.of(javaBin, "-Xmx256m", "-jar", JAR.toString(), subcommand,
                "--config", config.toString()), dir.resolve(name + ".log"));
        processes.add(p);
        return p;
    }

    // ---- control daemon -------------------------------------------------------------------

    /** The control daemon process and its ports. */
    record Ctld(OsProcess process, int grpcPort, int statusPort) {
        String server() {
            return "127.0.0.1:" + grpcPort;
        }
    }

    /** Starts {@code mosaic ctld} and waits until its gRPC port accepts and its {@code /healthz} is 200. */
    Ctld startCtld() {
        int grpc = freePort();
        int status = freePort();
        Path config = write("ctld.yaml", topoYaml() + String.join("\n",
                "cell: " + CELL,
                "grpc: {bind-address: 127.0.0.1, port: " + grpc + "}",
                "status: {bind-address: 127.0.0.1, port: " + status + "}",
                ""));
        OsProcess p = launch("ctld", "ctld", config);
        awaitPort(p, grpc);
        awaitHealthz(p, status);
        ctld = new Ctld(p, grpc, status);
        return ctld;
    }

    // ---- tablets ----------------------------------------------------------------------------

    /** A tablet process with its managed mysqld. */
    record Tablet(OsProcess process, TabletAlias alias, String keyspace, String shard, int grpcPort, int statusPort,
                  int mysqlPort, MysqldLayout mysqld) {
        /** The managed mysqld's pid, from its pid file; empty when the file is absent (mysqld stopped). */
        Optional<Long> mysqldPid() {
            try {
                return Optional.of(Long.parseLong(Files.readString(mysqld.pidFile()).trim()));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Starts {@code mosaic tablet} as a replica of {@code keyspace/shard} with a managed mysqld
     * (initialized on this first start) under this cluster's directory. Does not wait: call
     * {@link #awaitServing(Tablet)}, so several tablets start side by side.
     */
    Tablet startTablet(int uid, String keyspace, String shard) {
        TabletAlias alias = new TabletAlias(CELL, uid);
        int grpc = freePort();
        int status = freePort();
        int mysql = freePort();
        Path root = dir.resolve("vtdataroot");
        Path config = write("tablet-" + uid + ".yaml", String.join("\n",
                "tablet:",
                "  alias: " + alias,
                "  keyspace: " + keyspace,
                "  shard: \"" + shard + "\"",
                "  type: replica",
                "  hostname: 127.0.0.1",
                "ports: {grpc: " + grpc + ", status: " + status + ", mysql: " + mysql + "}",
                "grpc.bind-address: 127.0.0.1",
                "status.bind-address: 127.0.0.1",
                "mysqld:",
                "  mode: managed",
                "  root: " + root,
                "  flavor: mariadb",
                // first start initializes the data directory: slower than a plain start
                "  start-timeout: 2m",
                // small pools: four tablets share two cores
                "query.pool: {query.size: 4, stream.size: 4, tx.size: 4}",
                "health.interval: 500ms",
                "") + topoYaml());
        OsProcess p = launch("tablet-" + uid, "tablet", config);
        Tablet t = new Tablet(p, alias, keyspace, shard, grpc, status, mysql, new MysqldLayout(root, uid));
        tablets.add(t);
        return t;
    }

    /** Waits until the tablet logged that it serves (mysqld up, record published). */
    void awaitServing(Tablet t) {
        t.process().awaitLog("serving: grpc port " + t.grpcPort(), PROCESS_DEADLINE);
    }

    /** Waits until the tablet's {@code /healthz} is 200: serving, and a replica replicating. */
    void awaitHealthy(Tablet t) {
        awaitHealthz(t.process(), t.statusPort());
    }

    // ---- gate -------------------------------------------------------------------------------

    /** The gate process and its ports. */
    record Gate(OsProcess process, int mysqlPort, int statusPort) {
    }

    /**
     * Starts {@code mosaic gate}, re-reading vschemas and shards every second and tablet records
     * every second (the defaults, 10 s and 1 min, would make the test wait for them), and waits
     * until it serves MySQL.
     */
    Gate startGate() {
        int mysql = freePort();
        int status = freePort();
        Path config = write("gate.yaml", topoYaml() + String.join("\n",
                "  refresh-interval: 1s",
                "cell: " + CELL,
                "gateway.tablet-refresh-interval: 1s",
                "mysql: {bind-address: 127.0.0.1, port: " + mysql + "}",
                "status: {bind-address: 127.0.0.1, port: " + status + "}",
                ""));
        OsProcess p = launch("gate", "gate", config);
        p.awaitLog("serving: mysql port " + mysql, PROCESS_DEADLINE);
        awaitHealthz(p, status);
        return new Gate(p, mysql, status);
    }

    // ---- mosaic ctl -------------------------------------------------------------------------

    /** One {@code mosaic ctl} run: exit code and what it printed on each stream. */
    record CtlResult(List<String> args, int exit, String out, String err) {
        /** Asserts exit 0 with nothing on stderr (scripts read ctl's errors there) and returns stdout. */
        String ok() {
            if (exit != 0 || !err.isEmpty()) {
                fail(describe("exit 0 and an empty stderr"));
            }
            return out;
        }

        String describe(String expected) {
            return "mosaic ctl " + String.join(" ", args) + ": expected " + expected + ", got exit " + exit
                    + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    /** Runs {@code mosaic ctl --server <ctld> ARGS...} as its own process and waits for it. */
    CtlResult ctl(String... args) {
        if (ctld == null) {
            throw new IllegalStateException("start the control daemon first");
        }
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-jar",
                JAR.toString(), "ctl", "--server", ctld.server()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(dir, "ctl-", ".out");
            Path err = Files.createTempFile(dir, "ctl-", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(CTL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("mosaic ctl " + String.join(" ", args) + " still running after " + CTL_DEADLINE
                        + "\n--- stdout:\n" + Files.readString(out) + "--- stderr:\n" + Files.readString(err));
            }
            CtlResult r = new CtlResult(List.of(args), p.exitValue(), Files.readString(out), Files.readString(err));
            // kept in a log of its own, so a failure's printout shows the operator's session
            Files.writeString(dir.resolve("ctl.log"), "$ mosaic ctl " + String.join(" ", args) + "  -> exit " + r.exit()
                    + "\n" + r.out() + r.err(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running mosaic ctl", e);
        }
    }

    // ---- readiness --------------------------------------------------------------------------

    static void awaitPort(OsProcess p, int port) {
        TabletTesting.await(p.name() + " accepting on port " + port, PROCESS_DEADLINE, () -> {
            p.assertAlive();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    static void awaitHealthz(OsProcess p, int statusPort) {
        TabletTesting.await(p.name() + " /healthz answering 200", PROCESS_DEADLINE, () -> {
            p.assertAlive();
            try {
                return TabletTesting.get(statusPort, "/healthz").code() == 200;
            } catch (UncheckedIOException e) {
                return false;
            }
        });
    }

    // ---- shutdown ---------------------------------------------------------------------------

    /** What SIGTERM did to one process. */
    record Stopped(String name, int exit, String log) {
    }

    /**
     * SIGTERMs every process still running, last started first (the gate before the tablets it
     * routes to, the control daemon last), each waited for before the next.
     */
    List<Stopped> terminateAll() {
        List<Stopped> out = new ArrayList<>();
        for (int i = processes.size() - 1; i >= 0; i--) {
            OsProcess p = processes.get(i);
            if (p.isAlive()) {
                int exit = p.terminate(PROCESS_DEADLINE);
                out.add(new Stopped(p.name(), exit, p.tail(40)));
            }
        }
        return out;
    }

    /** The tablets started, in order. */
    List<Tablet> tablets() {
        return List.copyOf(tablets);
    }

    // ---- failure report and cleanup ---------------------------------------------------------

    /** Prints the tail of every process's log and of the ctl session, for a failed test. */
    void printLogs(PrintStream out) {
        for (OsProcess p : processes) {
            out.println("===== " + p.name() + " (pid " + p.pid() + (p.isAlive() ? ", running" : ", exited")
                    + "), log " + p.logFile() + ", last lines:");
            out.println(p.tail(150));
        }
        Path ctlLog = dir.resolve("ctl.log");
        if (Files.exists(ctlLog)) {
            try {
                List<String> lines = Files.readAllLines(ctlLog);
                out.println("===== mosaic ctl session " + ctlLog + ", last lines:");
                out.println(String.join("\n", lines.subList(Math.max(0, lines.size() - 150), lines.size())));
            } catch (IOException e) {
                out.println("(cannot read " + ctlLog + ": " + e + ")");
            }
        }
        out.flush();
    }

    /**
     * Kills whatever still runs (a test that passed has stopped everything itself), then the
     * mysqlds a killed tablet could not stop, then etcd.
     */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).kill();
        }
        for (Tablet t : tablets) {
            // only a mysqld: a stale pid file's number may belong to another process by now
            t.mysqldPid().flatMap(ProcessHandle::of)
                    .filter(h -> h.info().command().map(c -> c.endsWith("mysqld") || c.endsWith("mariadbd")).orElse(false))
                    .ifPresent(h -> {
                h.destroyForcibly();
                h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> h).join();
            });
        }
        etcd.close();
    }
}
