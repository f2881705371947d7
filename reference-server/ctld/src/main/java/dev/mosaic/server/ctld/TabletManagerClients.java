package dev.mosaic.server.ctld;

import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.tabletmanager.TabletManagerGrpc;
import dev.mosaic.proto.topo.Tablet;
import dev.mosaic.server.topo.ProtoConversions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The control daemon's connections to tablets: one gRPC channel per tablet address (the Tablet
 * record's {@code hostname} and its {@code port_map["grpc"]}), opened on first use and kept, and
 * blocking stubs of the TabletManager and Query services on it. Every stub carries a deadline of
 * the call timeout given at construction, so a hung tablet cannot hold a ctld request forever.
 *
 * <p>Thread-safe. {@link #close()} shuts every channel down.
 */
public final class TabletManagerClients implements AutoCloseable {

    /** Opens a channel to host:port; replaceable so tests can use an in-process transport. */
    @FunctionalInterface
    public interface ChannelOpener extends BiFunction<String, Integer, ManagedChannel> {
    }

    /**
     * Largest answer accepted from a tablet: GetSchema of a big schema or ExecuteFetchAsDba's
     * 10,000-row default exceed gRPC's 4 MiB default.
     */
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final Duration callTimeout;
    private final ChannelOpener opener;
    private final Map<String, ManagedChannel> channels = new HashMap<>();
    private boolean closed;

    /** Clients over plaintext Netty channels; every call is bounded by {@code callTimeout}. */
    public TabletManagerClients(Duration callTimeout) {
        this(callTimeout, (host, port) -> NettyChannelBuilder.forAddress(host, port).usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES).build());
    }

    /** Clients over channels from {@code opener}; every call is bounded by {@code callTimeout}. */
    public TabletManagerClients(Duration callTimeout, ChannelOpener opener) {
        Objects.requireNonNull(callTimeout, "callTimeout");
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive: " + callTimeout);
        }
        this.callTimeout = callTimeout;
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /** The deadline each call gets. */
    public Duration callTimeout() {
        return callTimeout;
    }

    /** A TabletManager stub for {@code tablet}, with the call timeout as deadline. */
    public TabletManagerGrpc.TabletManagerBlockingStub tabletManager(Tablet tablet) {
        return tabletManager(tablet, callTimeout);
    }

    /** A TabletManager stub for {@code tablet} with an explicit deadline (for calls that wait). */
    public TabletManagerGrpc.TabletManagerBlockingStub tabletManager(Tablet tablet, Duration deadline) {
        return TabletManagerGrpc.newBlockingStub(channel(tablet))
                .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Runs one TabletManager call on {@code tablet}; a failure keeps its status code and gets the
     * tablet's alias and the call's name in front of its description.
     */
    public <T> T call(Tablet tablet, String callName,
                      Function<TabletManagerGrpc.TabletManagerBlockingStub, T> call) {
        return call(tablet, callTimeout, callName, call);
    }

    /** {@link #call(Tablet, String, Function)} with an explicit deadline. */
    public <T> T call(Tablet tablet, Duration deadline, String callName,
                      Function<TabletManagerGrpc.TabletManagerBlockingStub, T> call) {
        try {
            return call.apply(tabletManager(tablet, deadline));
        } catch (StatusRuntimeException e) {
            throw CtldErrors.fromTablet(tablet.getAlias(), callName, e);
        }
    }

    /** A Query stub for {@code tablet}, with the call timeout as deadline. */
    public QueryGrpc.QueryBlockingStub query(Tablet tablet) {
        return query(tablet, callTimeout);
    }

    /** A Query stub for {@code tablet} with an explicit deadline. */
    public QueryGrpc.QueryBlockingStub query(Tablet tablet, Duration deadline) {
        return QueryGrpc.newBlockingStub(channel(tablet)).withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The channel to the tablet's gRPC address, opened on first use.
     *
     * @throws io.grpc.StatusRuntimeException FAILED_PRECONDITION if the record has no hostname or
     *         no "grpc" port
     */
    ManagedChannel channel(Tablet tablet) {
        String alias = ProtoConversions.fromProto(tablet.getAlias()).toString();
        if (tablet.getHostname().isEmpty()) {
            throw Status.FAILED_PRECONDITION.withDescription("tablet " + alias + " has no hostname in its record")
                    .asRuntimeException();
        }
        Integer port = tablet.getPortMapMap().get("grpc");
        if (port == null || port <= 0) {
            throw Status.FAILED_PRECONDITION.withDescription("tablet " + alias
                    + " has no \"grpc\" port in its record's port_map " + tablet.getPortMapMap()).asRuntimeException();
        }
        String key = tablet.getHostname() + ":" + port;
        synchronized (this) {
            if (closed) {
                throw Status.UNAVAILABLE.withDescription("tablet clients are closed").asRuntimeException();
            }
            ManagedChannel ch = channels.get(key);
            if (ch == null || ch.isShutdown()) {
                ch = opener.apply(tablet.getHostname(), port);
                channels.put(key, ch);
            } else if (ch.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
                // A tablet that was down may be back: try now rather than after gRPC's reconnect
                // backoff (up to two minutes), or a restarted tablet would look dead that long.
                ch.resetConnectBackoff();
            }
            return ch;
        }
    }

    /** Shuts every channel down, waiting briefly for each. Idempotent. */
    @Override
    public void close() {
        List<ManagedChannel> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(channels.values());
            channels.clear();
        }
        toClose.forEach(ManagedChannel::shutdown);
        for (ManagedChannel ch : toClose) {
            try {
                if (!ch.awaitTermination(2, TimeUnit.SECONDS)) {
                    ch.shutdownNow();
                }
            } catch (InterruptedException e) {
                ch.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
