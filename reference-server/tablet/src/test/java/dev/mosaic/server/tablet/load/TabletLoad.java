package dev.mosaic.server.tablet.load;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mosaic.server.mysqlctl.ConnectionParams;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.tablet.TabletExtensions;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.grpc.TabletGrpcServer;
import dev.mosaic.server.tablet.pool.ConnectionPool;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tablet load test: the same point selects against one mysqld three ways, one after another
 * in one run, each warmed up first:
 * <ol>
 * <li>through a tablet (gRPC Query service, query pool of {@code poolSize} connections), by
 *     {@code clients} concurrent async clients on a shared channel;</li>
 * <li>straight over JDBC by {@code clients} threads sharing a HikariCP pool of {@code poolSize}
 *     connections (the same concurrency and capacity);</li>
 * <li>straight over JDBC by {@code poolSize} threads with one connection each (the raw ceiling).</li>
 * </ol>
 * Client and server share this JVM and the machine with mysqld, as the JDBC cases do.
 */
public final class TabletLoad {
    private final Mysqld mysqld;
    private final LoadSettings settings;
    private final PrintStream out;
    private final CpuClock cpu;

    public TabletLoad(Mysqld mysqld, LoadSettings settings, PrintStream out) {
        this.mysqld = mysqld;
        this.settings = settings;
        this.out = out;
        this.cpu = new CpuClock(mysqld.pid());
    }

    /** What one run measured. */
    public record Report(LoadSettings settings, int grpcThreads, LoadResult tabletWarmup, LoadResult tablet,
            int poolPeakInUse, int poolPeakWaiting, LoadResult pooledWarmup, LoadResult pooled,
            LoadResult dedicatedWarmup, LoadResult dedicated) {

        /** Every case, warm-ups included. */
        public List<LoadResult> all() {
            return List.of(tabletWarmup, tablet, pooledWarmup, pooled, dedicatedWarmup, dedicated);
        }

        /** The measured cases. */
        public List<LoadResult> measured() {
            return List.of(tablet, pooled, dedicated);
        }

        /** The report as text: settings, a Markdown table, ratios and any errors. */
        public String format() {
            LoadSettings s = settings;
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "tablet load: %d clients, %d point selects per case (after %d warm-up), "
                    + "%d rows, query pool %d, %d gRPC channel(s), tablet gRPC executor %d threads, %d client callback threads%n",
                    s.clients(), s.queries(), s.warmupQueries(), s.rows(), s.poolSize(), s.channels(), grpcThreads,
                    s.callbackThreads()));
            b.append(LoadResult.header()).append('\n');
            for (LoadResult r : measured()) {
                b.append(r.row()).append('\n');
            }
            b.append(String.format(Locale.ROOT, "tablet/JDBC-pool: throughput %.2f, p99 %.2f; tablet/JDBC-raw: throughput %.2f, p99 %.2f%n",
                    tablet.throughput() / pooled.throughput(), tablet.millisAt(99) / pooled.millisAt(99),
                    tablet.throughput() / dedicated.throughput(), tablet.millisAt(99) / dedicated.millisAt(99)));
            b.append(String.format(Locale.ROOT, "CPU per query: tablet case (gRPC clients + tablet) / JDBC-pool case %.2f, / JDBC-raw case %.2f (JVM); mysqld %.2f, %.2f%n",
                    tablet.jvmCpuMicrosPerQuery() / pooled.jvmCpuMicrosPerQuery(),
                    tablet.jvmCpuMicrosPerQuery() / dedicated.jvmCpuMicrosPerQuery(),
                    tablet.mysqldCpuMicrosPerQuery() / pooled.mysqldCpuMicrosPerQuery(),
                    tablet.mysqldCpuMicrosPerQuery() / dedicated.mysqldCpuMicrosPerQuery()));
            b.append(String.format(Locale.ROOT, "tablet query pool: peak %d in use, peak %d callers waiting%n",
                    poolPeakInUse, poolPeakWaiting));
            for (LoadResult r : all()) {
                if (r.errors().total() > 0) {
                    b.append("errors in ").append(r.name()).append(":\n").append(r.errors()).append('\n');
                }
            }
            return b.toString();
        }
    }

    /** Creates and fills the table, then runs the three cases. */
    public Report run() throws Exception {
        TabletTestSupport.prepare(mysqld);
        long t0 = System.nanoTime();
        try (Connection c = jdbcConnection()) {
            SbTable.create(c, settings.rows());
        }
        out.printf(Locale.ROOT, "tablet load: %s with %d rows in %d ms%n", SbTable.NAME, settings.rows(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        TabletCase t = runTablet();
        LoadResult[] pooled = runPooled();
        LoadResult[] dedicated = runDedicated();
        return new Report(settings, t.grpcThreads, t.warmup, t.measured, t.peakInUse, t.peakWaiting,
                pooled[0], pooled[1], dedicated[0], dedicated[1]);
    }

    private record TabletCase(int grpcThreads, LoadResult warmup, LoadResult measured, int peakInUse, int peakWaiting) {
    }

    private TabletCase runTablet() throws Exception {
        TabletConfig config = TabletConfig.defaults().toBuilder().dbName(TabletTestSupport.DB)
                .queryPoolSize(settings.poolSize()).build();
        int threads = settings.grpcThreads() > 0 ? settings.grpcThreads() : TabletGrpcServer.defaultExecutorThreads(config);
        AtomicInteger n = new AtomicInteger();
        ExecutorService callbacks = Executors.newFixedThreadPool(settings.callbackThreads(), r -> {
            Thread th = new Thread(r, "load-grpc-callback-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        try (TabletQueryServer engines = TabletQueryServer.open(config, mysqld.connectionParams(), new SimpleMeterRegistry(),
                TabletExtensions.NONE);
             TabletGrpcServer server = TabletGrpcServer.start(engines, null,
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), threads)) {
            List<ManagedChannel> channels = new ArrayList<>();
            try {
                for (int i = 0; i < settings.channels(); i++) {
                    channels.add(NettyChannelBuilder.forAddress(InetAddress.getLoopbackAddress().getHostAddress(),
                            server.port()).usePlaintext().executor(callbacks).build());
                }
                LoadResult warmup = GrpcPointSelects.run("tablet gRPC (warm-up)", channels, settings.clients(),
                        settings.warmupQueries(), settings.rows(), settings.callTimeout(), settings.caseTimeout(), cpu);
                try (PoolSampler sampler = new PoolSampler(engines.pools().query())) {
                    LoadResult measured = GrpcPointSelects.run("tablet gRPC", channels, settings.clients(),
                            settings.queries(), settings.rows(), settings.callTimeout(), settings.caseTimeout(), cpu);
                    out.println(measured.row());
                    return new TabletCase(threads, warmup, measured, sampler.peakInUse(), sampler.peakWaiting());
                }
            } finally {
                for (ManagedChannel ch : channels) {
                    ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        } finally {
            callbacks.shutdownNow();
        }
    }

    private LoadResult[] runPooled() throws Exception {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("load-jdbc");
        hc.setJdbcUrl(jdbcUrl());
        hc.setUsername(mysqld.connectionParams().user());
        hc.setPassword(mysqld.connectionParams().password());
        hc.setMaximumPoolSize(settings.poolSize());
        hc.setMinimumIdle(settings.poolSize());
        hc.setConnectionTimeout(settings.callTimeout().toMillis());
        hc.setDataSourceProperties(driverProperties());
        try (HikariDataSource pool = new HikariDataSource(hc)) {
            LoadResult warmup = JdbcPointSelects.pooled("JDBC, HikariCP (warm-up)", pool, settings.clients(),
                    settings.warmupQueries(), settings.rows(), settings.caseTimeout(), cpu);
            LoadResult measured = JdbcPointSelects.pooled("JDBC, " + settings.clients() + " thr / HikariCP "
                    + settings.poolSize(), pool, settings.clients(), settings.queries(), settings.rows(),
                    settings.caseTimeout(), cpu);
            out.println(measured.row());
            return new LoadResult[] {warmup, measured};
        }
    }

    private LoadResult[] runDedicated() throws Exception {
        LoadResult warmup = JdbcPointSelects.dedicated("JDBC raw (warm-up)", this::jdbcConnection, settings.poolSize(),
                settings.warmupQueries(), settings.rows(), settings.caseTimeout(), cpu);
        LoadResult measured = JdbcPointSelects.dedicated("JDBC raw, " + settings.poolSize() + " thr / "
                + settings.poolSize() + " conn", this::jdbcConnection, settings.poolSize(), settings.queries(),
                settings.rows(), settings.caseTimeout(), cpu);
        out.println(measured.row());
        return new LoadResult[] {warmup, measured};
    }

    private String jdbcUrl() {
        ConnectionParams p = mysqld.connectionParams();
        return "jdbc:mysql://" + p.host() + ":" + p.port() + "/" + TabletTestSupport.DB;
    }

    /** The driver settings the tablet's own pools use, so both paths speak the same protocol. */
    private static Properties driverProperties() {
        Properties p = new Properties();
        p.setProperty("sslMode", "DISABLED");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("useUnicode", "true");
        p.setProperty("characterEncoding", "UTF-8");
        p.setProperty("useLocalSessionState", "true");
        p.setProperty("tcpKeepAlive", "true");
        return p;
    }

    private Connection jdbcConnection() throws SQLException {
        Properties p = driverProperties();
        p.setProperty("user", mysqld.connectionParams().user());
        p.setProperty("password", mysqld.connectionParams().password());
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    /** Samples a pool's in-use and waiting counts every millisecond, keeping the peaks. */
    private static final class PoolSampler implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stop;
        private volatile int peakInUse;
        private volatile int peakWaiting;

        PoolSampler(ConnectionPool pool) {
            thread = new Thread(() -> {
                while (!stop) {
                    peakInUse = Math.max(peakInUse, pool.inUse());
                    peakWaiting = Math.max(peakWaiting, pool.waiting());
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load-pool-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        int peakInUse() {
            return peakInUse;
        }

        int peakWaiting() {
            return peakWaiting;
        }

        @Override
        public void close() {
            stop = true;
            thread.interrupt();
        }
    }
}
