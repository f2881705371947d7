package dev.mosaic.server.local;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.CellInfo;
import dev.mosaic.server.mysqlctl.Binaries;
import dev.mosaic.server.topo.TopoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local cluster's topology store: in the supervisor's memory, or an etcd or ZooKeeper child
 * process with its data under {@code DATA/etcd} or {@code DATA/zk} (so it survives down/up). Every
 * process of the cluster reaches it through the same {@code topo:} config section.
 */
final class LocalTopo implements AutoCloseable {
    static final String GLOBAL_ROOT = "/mosaic/global";
    /** The memory backend's name: unique to the local cluster inside the supervisor's JVM. */
    static final String MEMORY_CLUSTER = "mosaic-local";
    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);

    private final TopoKind kind;
    private final Optional<Process> child;

    private LocalTopo(TopoKind kind, Optional<Process> child) {
        this.kind = kind;
        this.child = child;
    }

    /** Starts the store (a child process for etcd and zk) and waits until it answers. */
    static LocalTopo start(TopoKind kind, Path dataDir) {
        return switch (kind) {
            case MEMORY -> new LocalTopo(kind, Optional.empty());
            case ETCD -> new LocalTopo(kind, Optional.of(startEtcd(dataDir)));
            case ZK -> new LocalTopo(kind, Optional.of(startZk(dataDir)));
        };
    }

    /** The child process, if the store is one. */
    Optional<Process> child() {
        return child;
    }

    /** The {@code topo.*} keys of every process's config, flat ({@code topo.type -> etcd}). */
    static java.util.Map<String, String> flatSection(TopoKind kind) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("topo.type", kind.flag());
        m.put("topo.global-server-address", address(kind));
        if (kind != TopoKind.MEMORY) {
            m.put("topo.global-root", GLOBAL_ROOT);
        }
        return m;
    }

    /** {@link #flatSection(TopoKind)} as the YAML lines of a {@code topo:} section. */
    static List<String> yamlSection(TopoKind kind) {
        List<String> l = new java.util.ArrayList<>();
        l.add("topo:");
        flatSection(kind).forEach((k, v) -> l.add("  " + k.substring("topo.".length()) + ": \"" + v + "\""));
        return l;
    }

    /**
     * The supervisor's own connection settings, read from {@link #flatSection(TopoKind)} like every process's.
     *
     * @throws MosaicException INTERNAL if the section does not validate (a bug here)
     */
    dev.mosaic.server.process.config.TopoSettings settings(dev.mosaic.spi.Plugins plugins) {
        List<dev.mosaic.spi.config.ConfigException.Problem> problems = new java.util.ArrayList<>();
        dev.mosaic.server.process.config.TopoSettings s = dev.mosaic.server.process.config.TopoSection.read(
                dev.mosaic.server.process.config.ConfigReader.of(flatSection(kind), problems), plugins);
        if (s == null || !problems.isEmpty()) {
            throw new MosaicException(ErrorCode.INTERNAL, "the local topology settings do not validate: " + problems);
        }
        return s;
    }

    /** Registers the cell (idempotent): its data lives beside the global data, under its own root. */
    void ensureCell(TopoServer topo, String cell) {
        CellInfo info = switch (kind) {
            case MEMORY -> CellInfo.newBuilder().setServerAddress(MEMORY_CLUSTER + "-" + cell).build();
            case ETCD, ZK -> CellInfo.newBuilder().setServerAddress(address(kind)).setRoot("/mosaic/" + cell).build();
        };
        try {
            topo.createCellInfo(cell, info);
        } catch (dev.mosaic.spi.topo.TopoException e) {
            if (e.error() != dev.mosaic.spi.topo.TopoError.NODE_EXISTS) {
                throw e;
            }
        }
    }

    private static String address(TopoKind kind) {
        return switch (kind) {
            case ETCD -> "http://127.0.0.1:" + ClusterLayout.ETCD_CLIENT_PORT;
            case ZK -> "127.0.0.1:" + ClusterLayout.ZK_CLIENT_PORT;
            case MEMORY -> MEMORY_CLUSTER;
        };
    }

    private static Process startEtcd(Path dataDir) {
        Path etcd = Binaries.find(List.of("etcd")).orElseThrow(() -> new MosaicException(
                ErrorCode.FAILED_PRECONDITION, "etcd not found; install it with: apt-get install -y etcd-server etcd-client"));
        Path dir = dataDir.resolve("etcd");
        String client = "http://127.0.0.1:" + ClusterLayout.ETCD_CLIENT_PORT;
        String peer = "http://127.0.0.1:" + ClusterLayout.ETCD_PEER_PORT;
        Process p = spawn(List.of(etcd.toString(), "--name", "local", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "local=" + peer, "--initial-cluster-state", "new"), dir, dataDir.resolve("logs/etcd.log"));
        await("etcd", p, dataDir.resolve("logs/etcd.log"), () -> etcdHealthy(client));
        return p;
    }

    private static Process startZk(Path dataDir) {
        if (!Files.isRegularFile(Prerequisites.ZOOKEEPER_JAR)) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, Prerequisites.ZOOKEEPER_JAR
                    + " not found; install ZooKeeper with: apt-get install -y zookeeper");
        }
        Path dir = dataDir.resolve("zk");
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("zoo.cfg"), String.join("\n",
                    "tickTime=2000",
                    "dataDir=" + dir.resolve("data"),
                    "clientPort=" + ClusterLayout.ZK_CLIENT_PORT,
                    "clientPortAddress=127.0.0.1",
                    "admin.enableServer=false",
                    "4lw.commands.whitelist=ruok,srvr,stat",
                    ""));
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.INTERNAL, "cannot write " + dir.resolve("zoo.cfg") + ": " + e.getMessage(), e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The config directory first on the class path: QuorumPeerMain finds no log4j/logback config there and logs to stdout.
        Process p = spawn(List.of(java, "-Xmx256m", "-cp", dir + ":" + Prerequisites.ZOOKEEPER_JAR,
                "org.apache.zookeeper.server.quorum.QuorumPeerMain", dir.resolve("zoo.cfg").toString()), dir,
                dataDir.resolve("logs/zookeeper.log"));
        await("ZooKeeper", p, dataDir.resolve("logs/zookeeper.log"), () -> "imok".equals(fourLetter("ruok")));
        return p;
    }

    private static Process spawn(List<String> command, Path dir, Path log) {
        try {
            Files.createDirectories(dir);
            Files.createDirectories(log.getParent());
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    private static void await(String what, Process p, Path log, java.util.function.BooleanSupplier ready) {
        long end = System.nanoTime() + READY_DEADLINE.toNanos();
        while (!ready.getAsBoolean()) {
            if (!p.isAlive() || System.nanoTime() - end > 0) {
                stop(p);
                throw new MosaicException(ErrorCode.UNAVAILABLE, what + (p.isAlive() ? " did not answer within "
                        + READY_DEADLINE : " exited with " + p.exitValue()) + "; see " + log);
            }
            try {
                Thread.sleep(100); // polling a server that is starting; bounded by the deadline above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(p);
                throw new MosaicException(ErrorCode.CANCELED, "interrupted waiting for " + what, e);
            }
        }
    }

    private static boolean etcdHealthy(String client) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(client + "/health").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\"health\":\"true\"");
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static String fourLetter(String cmd) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ClusterLayout.ZK_CLIENT_PORT)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write(cmd.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        child.ifPresent(LocalTopo::stop);
    }
}
