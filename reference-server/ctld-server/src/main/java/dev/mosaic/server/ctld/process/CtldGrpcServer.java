package dev.mosaic.server.ctld.process;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ctld's gRPC server: the Vtctld service on a grpc-netty server whose calls run on a bounded
 * executor of named daemon threads ({@code ctld-grpc-N}), not on Netty's event loops (verbs block
 * on the topology and on tablet calls). Work beyond the threads waits in a bounded queue of tasks
 * (each call is a few: start, request, half-close); when it is full, gRPC refuses the new call
 * with an error rather than queueing without limit. Every call is counted and timed per verb
 * ({@link GrpcCallMetrics}); the executor's size and queue are in the metrics too.
 */
final class CtldGrpcServer implements AutoCloseable {
    /** How long {@link #close()} lets running verbs finish before cancelling them. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /** Tasks waiting for a thread before new calls are refused: operators' verbs, not a request path. */
    private static final int QUEUE = 1024;

    private final Server server;
    private final ThreadPoolExecutor executor;

    private CtldGrpcServer(Server server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving {@code service} on {@code address} (port 0 = ephemeral).
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    static CtldGrpcServer start(BindableService service, InetSocketAddress address, int threads,
            MeterRegistry registry) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "ctld-grpc-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        new ExecutorServiceMetrics(executor, "ctld-grpc", Tags.empty()).bindTo(registry);
        Server server = NettyServerBuilder.forAddress(address)
                .executor(executor)
                .addService(ServerInterceptors.intercept(service, new GrpcCallMetrics(registry)))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot start the ctld gRPC server on " + address.getHostString() + ":"
                    + address.getPort() + " (grpc.port): " + e.getMessage(), e);
        }
        return new CtldGrpcServer(server, executor);
    }

    /** The bound port (the actual one when started on port 0). */
    int port() {
        return server.getPort();
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
