package dev.mosaic.server.local;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.Keyspace;
import dev.mosaic.proto.vtctldata.GetClusterStatusRequest;
import dev.mosaic.proto.vtctldata.GetClusterStatusResponse;
import dev.mosaic.proto.vtctldata.KeyspaceStatus;
import dev.mosaic.proto.vtctldata.ShardStatus;
import dev.mosaic.proto.vtctldata.TabletStatus;
import dev.mosaic.proto.vtctldata.VtctldGrpc;
import dev.mosaic.server.ctld.process.CtldProcess;
import dev.mosaic.server.gate.process.GateProcess;
import dev.mosaic.server.mysqlctl.MysqldLayout;
import dev.mosaic.server.process.OrderedShutdown;
import dev.mosaic.server.tablet.server.TabletProcess;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.spi.Plugins;
import dev.mosaic.server.topo.TopoServer;
import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The local cluster's one background JVM ({@code mosaic local up} spawns it): hosts the topology,
 * the tablets with their managed mysqlds, ctld and the gate in-process, sets the walkthrough up
 * through ctld, then runs until SIGTERM, which stops everything in reverse order. Its stdout is
 * {@code DATA/logs/local.log}; lines starting with {@link #PROGRESS} are what {@code up} shows,
 * ending with {@link #READY} or {@link #FAILED}.
 */
public final class LocalSupervisor {
    /** Prefix of the progress lines {@code up} relays. */
    public static final String PROGRESS = "local: ";
    /** The last progress line of a successful start (followed by details). */
    public static final String READY = PROGRESS + "READY";
    /** The last progress line of a failed start (followed by the reason). */
    public static final String FAILED = PROGRESS + "FAILED: ";
    private static final Duration READY_DEADLINE = Duration.ofMinutes(3);
    private static final Duration STARTUP_ABORT_WAIT = Duration.ofMinutes(2);
    /** Tablets started at once: each initializes and starts a mysqld, which is CPU-heavy. */
    private static final int PARALLEL_TABLETS = 3;

    private final ClusterLayout layout;
    private final PrintStream log;
    private final OrderedShutdown started;
    private final long t0 = System.nanoTime();
    private volatile LocalState state;

    private LocalSupervisor(ClusterLayout layout, PrintStream log) {
        this.layout = layout;
        this.log = log;
        this.started = new OrderedShutdown(log);
    }

    /** {@code LocalSupervisor --shards N --replicas R --topo T --data DIR --keep-data B}: see {@link LocalOptions#toArgs()}. */
    public static void main(String[] args) {
        LocalOptions options;
        try {
            options = LocalOptions.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.out.println(FAILED + "bad arguments: " + e.getMessage());
            System.exit(2);
            return;
        }
        LocalSupervisor s = new LocalSupervisor(ClusterLayout.of(options), System.out);
        System.exit(s.run());
    }

    private int run() {
        state = new LocalState(ProcessHandle.current().pid(), layout.options(), "starting", Map.of());
        state.write();
        AtomicReference<Boolean> up = new AtomicReference<>(false);
        CountDownLatch startupDone = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        // SIGTERM (local down) or SIGINT: stop everything in reverse order, then end the JVM with
        // the outcome. During startup the main thread is interrupted and stops what it started.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int code = 0;
            if (!up.get()) {
                main.interrupt();
                try {
                    startupDone.await(STARTUP_ABORT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                code = 1;
            } else {
                progress("stopping (gate, ctld, tablets and their mysqlds, topology)");
                state = state.withPhase("stopping");
                writeStateQuietly();
                try {
                    started.close("local cluster", () -> { });
                } catch (RuntimeException e) {
                    log.println("local cluster did not stop cleanly: " + e);
                    code = 1;
                }
            }
            progress("stopped");
            log.flush();
            Runtime.getRuntime().halt(code);
        }, "local-shutdown"));
        try {
            start();
            up.set(true);
        } catch (Throwable e) {
            log.println(FAILED + describe(e));
            e.printStackTrace(log);
            started.abortStartup(e);
            log.flush();
            return 1;
        } finally {
            startupDone.countDown();
        }
        while (true) {
            try {
                if (started.awaitClosed(Duration.ofDays(1))) {
                    return 0;
                }
            } catch (InterruptedException e) {
                // only the shutdown hook ends this process
            }
        }
    }

    private void start() throws InterruptedException {
        Path data = layout.options().dataDir();
        Path configDir = data.resolve("config");
        try {
            Files.createDirectories(configDir);
            // The file backup storage the tablets and ctld share needs its root to exist.
            Files.createDirectories(ConfigFiles.backupRoot(data));
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.INTERNAL, "cannot create " + configDir + " or "
                    + ConfigFiles.backupRoot(data) + ": " + e.getMessage(), e);
        }

        progress("starting the " + layout.options().topo().flag() + " topology");
        LocalTopo topo = LocalTopo.start(layout.options().topo(), data);
        started.add("topology store", topo::close);
        topo.child().ifPresent(p -> recordChild(layout.options().topo().flag(), p.pid()));
        // The memory store lives as long as a connection to it: this one keeps it for the cluster's life.
        Plugins plugins = Plugins.load(LocalSupervisor.class.getClassLoader());
        TopoServer topoServer = topo.settings(plugins).open(plugins);
        started.add("topology connection", topoServer::close);
        topo.ensureCell(topoServer, ClusterLayout.CELL);
        progress("topology ready (" + layout.options().topo().flag() + "), cell " + ClusterLayout.CELL);
        Optional<ClusterMarker> before = ClusterMarker.read(data);
        if (before.isPresent()) {
            before.get().requireSameShape(layout.options());
            renamePrimaries(topoServer);
        }

        startTablets(topo, data, configDir);

        Path ctldConfig = write(configDir.resolve("ctld.yaml"), ConfigFiles.ctld(data,
                LocalTopo.yamlSection(layout.options().topo())));
        progress("starting ctld (gRPC " + ClusterLayout.CTLD_GRPC_PORT + ", status " + ClusterLayout.CTLD_STATUS_PORT + ")");
        CtldProcess ctld = CtldProcess.start(CtldProcess.loadConfig(ctldConfig));
        started.add("ctld", ctld::close);
        progress("ctld ready");

        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", ClusterLayout.CTLD_GRPC_PORT)
                .usePlaintext().build();
        started.add("ctld client", () -> {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        });
        VtctldGrpc.VtctldBlockingStub stub = VtctldGrpc.newBlockingStub(channel);
        new WalkthroughSetup(stub, layout, this::progress, () -> ClusterMarker.of(layout.options()).write(data)).run();

        Path gateConfig = write(configDir.resolve("gate.yaml"), ConfigFiles.gate(LocalTopo.yamlSection(layout.options().topo())));
        progress("starting the gate (MySQL " + ClusterLayout.GATE_MYSQL_PORT + ", status " + ClusterLayout.GATE_STATUS_PORT + ")");
        GateProcess gate = GateProcess.start(GateProcess.loadConfig(gateConfig));
        started.add("gate", gate::close);

        awaitServing(stub);
        state = state.withPhase("ready");
        state.write();
        log.println(READY + " in " + String.format("%.1f", (System.nanoTime() - t0) / 1e9) + " s: gate MySQL 127.0.0.1:"
                + ClusterLayout.GATE_MYSQL_PORT);
    }

    /**
     * A restart on kept mysqlds: the shard records name the layout's primaries again before the
     * tablets start, so each starts as the type its mysqld already has, and InitShardPrimary finds
     * its work done instead of resetting the primaries' binlogs (which would strand the replicas).
     * With etcd or ZooKeeper the records survived and this changes nothing.
     */
    private void renamePrimaries(TopoServer topo) {
        for (String target : layout.targets()) {
            String[] ksShard = target.split("/", 2);
            ClusterLayout.TabletSpec primary = layout.shard(ksShard[0], ksShard[1]).get(0);
            try {
                topo.createKeyspace(ksShard[0], Keyspace.getDefaultInstance());
            } catch (TopoException e) {
                if (e.error() != TopoError.NODE_EXISTS) {
                    throw e;
                }
            }
            try {
                topo.createShard(ksShard[0], ksShard[1]);
            } catch (TopoException e) {
                if (e.error() != TopoError.NODE_EXISTS) {
                    throw e;
                }
            }
            topo.updateShardFields(ksShard[0], ksShard[1], s -> s.hasPrimaryAlias() ? null
                    : s.toBuilder().setPrimaryAlias(ProtoConversions.toProto(primary.alias())).build());
        }
        progress("kept data: the shards' primaries are the ones of the last run");
    }

    private void startTablets(LocalTopo topo, Path data, Path configDir) throws InterruptedException {
        List<TabletProcess> running = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_TABLETS, r -> new Thread(r, "local-tablet-start"));
        for (ClusterLayout.TabletSpec t : layout.tablets()) {
            Path file = write(configDir.resolve("tablet-" + t.uid() + ".yaml"), ConfigFiles.tablet(t, data, LocalTopo.yamlSection(layout.options().topo())));
            pool.execute(() -> {
                if (!failures.isEmpty()) {
                    return; // one failed: start no more
                }
                long s0 = System.nanoTime();
                progress("starting tablet " + t.alias() + " (" + t.target() + (t.primary() ? ", primary-elect" : ", replica")
                        + ") with mysqld on port " + t.mysqlPort());
                try {
                    TabletProcess p = TabletProcess.start(TabletProcess.loadConfig(file), log);
                    running.add(p);
                    recordMysqld(t, data);
                    progress("tablet " + t.alias() + " ready (gRPC " + p.grpcPort() + ", status " + p.statusPort() + ") in "
                            + String.format("%.1f", (System.nanoTime() - s0) / 1e9) + " s");
                } catch (Throwable e) {
                    failures.add(new MosaicException(ErrorCode.UNAVAILABLE, "tablet " + t.alias() + " (" + t.target()
                            + ") failed to start: " + describe(e), e));
                }
            });
        }
        pool.shutdown();
        InterruptedException interrupted = null;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.DAYS)) {
                    break;
                }
            } catch (InterruptedException e) {
                // A signal: interrupt the starts (each stops what it started), then wait for them.
                interrupted = e;
                pool.shutdownNow();
            }
        }
        // Stopped together (each stop waits for its mysqld): registered as one step.
        List<TabletProcess> all = List.copyOf(running);
        started.add("tablets", () -> closeAll(all));
        if (interrupted != null) {
            throw interrupted;
        }
        if (!failures.isEmpty()) {
            MosaicException first = (MosaicException) failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    private void closeAll(List<TabletProcess> tablets) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, tablets.size()), r -> new Thread(r, "local-tablet-stop"));
        List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
        for (TabletProcess t : tablets) {
            pool.execute(() -> {
                try {
                    t.close();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(3, TimeUnit.MINUTES)) {
            throw new MosaicException(ErrorCode.DEADLINE_EXCEEDED, "tablets still stopping after 3 minutes");
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /**
     * Ready when every tablet serves (ctld's view) and the gate routes to every shard: SHOW
     * VITESS_SHARDS lists them all and a scatter query over each keyspace answers.
     */
    private void awaitServing(VtctldGrpc.VtctldBlockingStub stub) throws InterruptedException {
        progress("waiting until every tablet serves and the gate routes to every shard");
        long end = System.nanoTime() + READY_DEADLINE.toNanos();
        String why = "";
        while (true) {
            try {
                why = notServing(stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getClusterStatus(GetClusterStatusRequest.getDefaultInstance()));
                if (why.isEmpty()) {
                    why = gateNotRouting();
                }
            } catch (RuntimeException e) {
                why = describe(e);
            }
            if (why.isEmpty()) {
                return;
            }
            if (System.nanoTime() - end > 0) {
                throw new MosaicException(ErrorCode.DEADLINE_EXCEEDED, "not ready after " + READY_DEADLINE.toSeconds()
                        + " s: " + why);
            }
            Thread.sleep(250); // polling the cluster as it settles; bounded by READY_DEADLINE
        }
    }

    private String notServing(GetClusterStatusResponse status) {
        Set<String> seen = new HashSet<>();
        for (KeyspaceStatus ks : status.getKeyspacesList()) {
            for (ShardStatus sh : ks.getShardsList()) {
                for (TabletStatus t : sh.getTabletsList()) {
                    String alias = t.getTablet().getAlias().getCell() + "-" + String.format("%010d", t.getTablet().getAlias().getUid());
                    if (!t.getReachable() || !t.getServing()) {
                        return "tablet " + alias + " is not serving" + (t.getHealthError().isEmpty() ? "" : ": " + t.getHealthError());
                    }
                    seen.add(alias);
                }
            }
        }
        for (ClusterLayout.TabletSpec t : layout.tablets()) {
            if (!seen.contains(t.alias().toString())) {
                return "ctld does not see tablet " + t.alias() + " yet";
            }
        }
        return "";
    }

    private String gateNotRouting() {
        String url = "jdbc:mysql://127.0.0.1:" + ClusterLayout.GATE_MYSQL_PORT
                + "/?user=local&password=&useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=5000&socketTimeout=30000";
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            Set<String> shards = new HashSet<>();
            try (ResultSet rs = st.executeQuery("SHOW VITESS_SHARDS")) {
                while (rs.next()) {
                    shards.add(rs.getString(1));
                }
            }
            for (String target : layout.targets()) {
                if (!shards.contains(target)) {
                    return "the gate does not list shard " + target + " yet";
                }
            }
            for (String q : List.of("SELECT COUNT(*) FROM commerce.product", "SELECT COUNT(*) FROM customer.customer")) {
                try (ResultSet rs = st.executeQuery(q)) {
                    rs.next();
                }
            }
            return "";
        } catch (SQLException e) {
            return "the gate: " + e.getMessage();
        }
    }

    private void recordChild(String name, long pid) {
        state = state.withChild(name, pid);
        writeStateQuietly();
    }

    /** The managed mysqld's PID, from its pid file, so that {@code down} can make sure it is gone. */
    private synchronized void recordMysqld(ClusterLayout.TabletSpec t, Path data) {
        Path pidFile = new MysqldLayout(data.resolve("mysql"), t.uid()).pidFile();
        try {
            long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
            recordChild("mysqld " + t.alias(), pid);
        } catch (IOException | NumberFormatException e) {
            progress("warning: cannot read " + pidFile + " (" + e.getMessage() + "); down finds the mysqld by its pid file");
        }
    }

    private void writeStateQuietly() {
        try {
            state.write();
        } catch (RuntimeException e) {
            log.println("cannot write the state file: " + e.getMessage());
        }
    }

    private void progress(String message) {
        log.println(PROGRESS + message);
    }

    private static Path write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.INTERNAL, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : m;
    }
}
