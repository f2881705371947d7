package dev.mosaic.server.mysqlctl.testfixtures;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.MysqldConfig;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * N managed MariaDB instances for integration tests, initialized and started in parallel in a
 * fresh temporary directory on free ports, with tablet uids (= server ids) 1..N. {@link #close()}
 * shuts them all down and deletes the directory (set {@code MOSAIC_KEEP_MYSQLD=true} to keep it
 * for a post-mortem).
 *
 * <p>Call {@link #requireBinaries()} first (or let {@link #start} do it): without the MariaDB
 * binaries a test is <em>skipped</em> with the reason, except under {@code CI=true}, where it
 * <em>fails</em>, so a CI image that lost its packages cannot go green by skipping.
 *
 * <p>Other modules use it through this module's test-jar:
 * {@code <artifactId>mosaic-mysqlctl</artifactId><type>test-jar</type><scope>test</scope>}.
 */
public final class MysqldCluster implements AutoCloseable {
    /** Startup timeout for each instance. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Shutdown timeout for each instance. */
    public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** How many times one instance is restarted on a new port after losing its port to another process. */
    static final int BIND_RETRIES = 3;

    private final Path root;
    private final List<Mysqld> instances;
    private final Duration initTime;
    private final Duration startTime;
    private final Thread shutdownHook;

    private MysqldCluster(Path root, List<Mysqld> instances, Duration initTime, Duration startTime) {
        this.root = root;
        this.instances = List.copyOf(instances);
        this.initTime = initTime;
        this.startTime = startTime;
        // A test JVM killed by a timeout must not leave mysqld processes behind.
        this.shutdownHook = new Thread(this::stopAll, "mysqld-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Skips the calling test (or fails it under {@code CI=true}) unless MariaDB's server binaries
     * can be found.
     */
    public static void requireBinaries() {
        requireBinaries(missingBinariesReason(), "true".equalsIgnoreCase(System.getenv("CI")));
    }

    /** The decision of {@link #requireBinaries()}: nothing if {@code missing} is null, else fail under CI, else skip. */
    public static void requireBinaries(String missing, boolean ci) {
        if (missing == null) {
            return;
        }
        if (ci) {
            Assertions.fail("CI=true and the MariaDB binaries are missing: " + missing);
        }
        Assumptions.abort("MariaDB binaries missing, skipping: " + missing);
    }

    /** Why managed MariaDB cannot run here, or null if it can. */
    public static String missingBinariesReason() {
        try {
            Mysqld.managed(MysqldConfig.of(Path.of("/tmp"), 1).withFlavor(MysqldConfig.FlavorChoice.MARIADB));
            return null;
        } catch (MosaicException e) {
            return e.getMessage();
        }
    }

    /** Starts {@code n} instances with the default config. */
    public static MysqldCluster start(int n) {
        return start(n, UnaryOperator.identity());
    }

    /**
     * Starts {@code n} instances, each config passed through {@code customize} (e.g. to add
     * my.cnf options) after the fixture chose its directory, uid and port.
     */
    public static MysqldCluster start(int n, UnaryOperator<MysqldConfig> customize) {
        requireBinaries();
        Path root;
        try {
            // Short path under /tmp: the socket path must fit in 107 bytes.
            root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "mysqld");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temp dir", e);
        }
        List<Mysqld> instances = new ArrayList<>();
        for (int uid = 1; uid <= n; uid++) {
            MysqldConfig config = MysqldConfig.of(root, uid)
                    .withFlavor(MysqldConfig.FlavorChoice.MARIADB)
                    .withPort(freePort());
            instances.add(Mysqld.managed(customize.apply(config)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n,
                r -> new Thread(r, "mysqld-cluster-" + THREADS.incrementAndGet()));
        try {
            long t0 = System.nanoTime();
            runAll(pool, instances, Mysqld::init);
            long t1 = System.nanoTime();
            startAll(pool, instances, customize);
            long t2 = System.nanoTime();
            return new MysqldCluster(root, instances, Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1));
        } catch (RuntimeException | Error e) {
            for (Mysqld m : instances) {
                try {
                    m.shutdown(SHUTDOWN_TIMEOUT);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    private interface Step {
        void run(Mysqld m);
    }

    private static void runAll(ExecutorService pool, List<Mysqld> instances, Step step) {
        List<Future<?>> futures = new ArrayList<>();
        for (Mysqld m : instances) {
            futures.add(pool.submit(() -> step.run(m)));
        }
        awaitAll(futures);
    }

    private static void awaitAll(List<Future<?>> futures) {
        RuntimeException failure = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted starting mysqld instances", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Starts every instance; one that dies because another process took its port between the
     * choice and the bind is given a new port and started again (up to {@link #BIND_RETRIES} times).
     */
    private static void startAll(ExecutorService pool, List<Mysqld> instances, UnaryOperator<MysqldConfig> customize) {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                for (int attempt = 1; ; attempt++) {
                    Mysqld m = instances.get(index);
                    try {
                        m.start(START_TIMEOUT);
                        return;
                    } catch (MosaicException e) {
                        if (attempt > BIND_RETRIES || !lostItsPort(e)) {
                            throw e;
                        }
                        MysqldConfig retry = customize.apply(m.config().withPort(freePort()));
                        synchronized (instances) {
                            instances.set(index, Mysqld.managed(retry));
                        }
                    }
                }
            }));
        }
        awaitAll(futures);
    }

    /** True if mysqld's startup failed because its TCP port was taken (MariaDB and MySQL word it alike). */
    static boolean lostItsPort(MosaicException e) {
        String m = e.getMessage();
        return m != null && m.contains("Address already in use");
    }

    /** A port nothing listens on right now, below the ephemeral range ({@link TestPorts#next()}). */
    public static int freePort() {
        return TestPorts.next();
    }

    /** The instances, uid 1 first. */
    public List<Mysqld> instances() {
        return instances;
    }

    /** Instance {@code i} (0-based; its uid is i+1). */
    public Mysqld get(int i) {
        return instances.get(i);
    }

    /** The directory holding every instance's {@code vt_<uid>} directory. */
    public Path root() {
        return root;
    }

    /** Wall time of the parallel init of all instances. */
    public Duration initTime() {
        return initTime;
    }

    /** Wall time of the parallel start of all instances. */
    public Duration startTime() {
        return startTime;
    }

    private void stopAll() {
        List<Thread> stoppers = new ArrayList<>();
        List<RuntimeException> failures = new ArrayList<>();
        for (Mysqld m : instances) {
            Thread t = new Thread(() -> {
                try {
                    m.shutdown(SHUTDOWN_TIMEOUT);
                } catch (RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "mysqld-cluster-stop-" + THREADS.incrementAndGet());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("some mysqld instances did not stop");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Shuts every instance down (in parallel) and deletes the directory. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or ran; stopping again below is harmless
        }
        stopAll();
        if (!"true".equalsIgnoreCase(System.getenv("MOSAIC_KEEP_MYSQLD"))) {
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.delete(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                        Files.delete(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new IllegalStateException("cannot delete " + root, e);
            }
        }
    }
}
