package dev.mosaic.server.local;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.Binaries;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The OS packages a local cluster runs: MariaDB always, etcd or ZooKeeper for those topologies.
 * When one is missing and this is root on Debian (the project's machine kind), it is installed
 * with apt-get, as the README promises; otherwise the error says exactly what to install.
 */
public final class Prerequisites {
    /** Debian's ZooKeeper server jar (package {@code zookeeper}). */
    public static final Path ZOOKEEPER_JAR = Path.of("/usr/share/java/zookeeper.jar");

    private Prerequisites() {
    }

    /** What one topology or server needs: a file that proves it is installed and the packages that provide it. */
    record Need(String what, List<String> anyOf, List<String> packages) {
    }

    static final Need MARIADB = new Need("MariaDB server and client", List.of("mariadbd", "mysqld"),
            List.of("mariadb-server", "mariadb-client"));
    static final Need ETCD = new Need("etcd", List.of("etcd"), List.of("etcd-server", "etcd-client"));
    static final Need ZOOKEEPER = new Need("ZooKeeper", List.of(ZOOKEEPER_JAR.toString()), List.of("zookeeper"));

    /** What {@code topo} needs, MariaDB first. */
    static List<Need> needs(TopoKind topo) {
        return switch (topo) {
            case MEMORY -> List.of(MARIADB);
            case ETCD -> List.of(MARIADB, ETCD);
            case ZK -> List.of(MARIADB, ZOOKEEPER);
        };
    }

    /**
     * Makes sure everything {@code topo} needs is installed, installing it with apt-get when this is
     * root on Debian.
     *
     * @throws MosaicException FAILED_PRECONDITION naming the packages to install
     */
    public static void ensure(TopoKind topo, java.util.function.Consumer<String> progress) {
        ensure(topo, progress, Binaries::find, isRoot() && Files.isRegularFile(Path.of("/etc/debian_version")),
                Prerequisites::run);
    }

    /**
     * {@link #ensure(TopoKind, java.util.function.Consumer)} with its surroundings given: how a
     * file is found, whether apt-get may install, and how a command runs.
     */
    static void ensure(TopoKind topo, java.util.function.Consumer<String> progress,
            java.util.function.Function<List<String>, Optional<Path>> finder, boolean mayInstall,
            java.util.function.Consumer<List<String>> runner) {
        List<String> missing = new ArrayList<>();
        List<String> whats = new ArrayList<>();
        for (Need n : needs(topo)) {
            if (finder.apply(n.anyOf()).isEmpty()) {
                missing.addAll(n.packages());
                whats.add(n.what());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String install = "apt-get install -y " + String.join(" ", missing);
        if (!mayInstall) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, String.join(" and ", whats)
                    + " not installed; install " + String.join(" ", missing) + " (on Debian or Ubuntu: sudo apt-get update && sudo "
                    + install + ") and run this again");
        }
        progress.accept("installing " + String.join(" ", missing) + " (apt-get; this is root on Debian)");
        runner.accept(List.of("apt-get", "update", "-qq"));
        runner.accept(concat(List.of("apt-get", "install", "-y", "-qq"), missing));
        for (Need n : needs(topo)) {
            if (finder.apply(n.anyOf()).isEmpty()) {
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION, n.what() + " still not found after "
                        + install + "; looked for " + n.anyOf() + " in " + Binaries.searchPath());
            }
        }
        progress.accept("installed " + String.join(" ", missing));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void run(List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new MosaicException(ErrorCode.FAILED_PRECONDITION, String.join(" ", command) + " failed"
                        + (p.isAlive() ? " (timed out)" : " with exit code " + p.exitValue()) + ":\n" + out);
            }
        } catch (IOException e) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MosaicException(ErrorCode.CANCELED, "interrupted running " + String.join(" ", command), e);
        }
    }

    /** Whether this process runs as root (uid 0). */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            // not Linux: not the Debian root case either
        }
        return false;
    }
}
