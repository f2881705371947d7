package dev.mosaic.server.tablet.grpc;

import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.health.TabletHealth;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tablet's gRPC server: the {@link QueryService} on a grpc-netty server.
 *
 * <p>The engines block (pool waits, JDBC round trips), so the service's methods do not run on
 * Netty's event loops: the server builder is given a fixed executor of named daemon threads
 * ({@code tablet-grpc-N}). Its default size is {@link #defaultExecutorThreads}: one thread per
 * MySQL connection the engines can use at once (query + stream + transaction pools), since a
 * call holds at most one connection and more threads would only wait in the pools; calls beyond
 * that queue (in memory) until a thread frees up.
 *
 * <p>{@link #close()} stops accepting calls, waits up to the grace period for running ones, then
 * cancels the rest and stops the executor. It does not close the engines.
 */
public final class TabletGrpcServer implements AutoCloseable {
    /** How long {@link #close()} lets running calls finish before cancelling them. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final Server server;
    private final ThreadPoolExecutor executor;

    private TabletGrpcServer(Server server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Threads for the service: the query, stream and transaction pool sizes added up. */
    public static int defaultExecutorThreads(TabletConfig config) {
        return Math.max(1, config.queryPoolSize() + config.streamPoolSize() + config.txPoolSize());
    }

    /** Starts a server for {@code engines} on {@code port} (0 = an ephemeral port) of all interfaces. */
    public static TabletGrpcServer start(TabletQueryServer engines, TabletConfig config, int port) {
        return start(engines, new InetSocketAddress(port), defaultExecutorThreads(config));
    }

    /**
     * Starts a server for {@code engines} on {@code address} (port 0 = ephemeral) with
     * {@code threads} executor threads, and also serving {@code more} (e.g. the tablet manager) on
     * the same executor.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static TabletGrpcServer start(TabletQueryServer engines, InetSocketAddress address, int threads,
                                         BindableService... more) {
        return start(engines, null, address, threads, more);
    }

    /**
     * Like {@link #start(TabletQueryServer, InetSocketAddress, int, BindableService...)}, with
     * StreamHealth served from {@code health} (null: UNIMPLEMENTED). Close the health checker
     * before this server: it ends the health streams, which would otherwise hold {@link #close()}
     * for its grace period.
     */
    public static TabletGrpcServer start(TabletQueryServer engines, TabletHealth health, InetSocketAddress address,
                                         int threads, BindableService... more) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "tablet-grpc-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        Server server = NettyServerBuilder.forAddress(address)
                .executor(executor)
                .addService(new QueryService(engines.queries(), engines.transactions(), health, engines.twoPc()))
                .addServices(Arrays.stream(more).map(BindableService::bindService).toList())
                .build();
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot start the tablet gRPC server on " + address, e);
        }
        return new TabletGrpcServer(server, executor);
    }

    /** The bound port (the actual one when started on port 0). */
    public int port() {
        return server.getPort();
    }

    /** The executor's thread count. */
    public int executorThreads() {
        return executor.getMaximumPoolSize();
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
        }
    }
}
