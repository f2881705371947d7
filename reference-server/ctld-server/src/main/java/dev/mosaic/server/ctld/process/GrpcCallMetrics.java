package dev.mosaic.server.ctld.process;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts and times every gRPC call per verb: {@code mosaic_ctld_rpc_calls_total{method,code}}
 * (code is the gRPC status: OK, NOT_FOUND, ...) and {@code mosaic_ctld_rpc_duration_seconds{method}}.
 * A call whose deadline passed or that the client cancelled before it was answered counts as
 * DEADLINE_EXCEEDED or CANCELLED, whatever the verb answered after: the client never saw it.
 */
final class GrpcCallMetrics implements ServerInterceptor {
    static final String CALLS = "mosaic.ctld.rpc.calls";
    static final String DURATION = "mosaic.ctld.rpc.duration";

    private final MeterRegistry registry;

    GrpcCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        long t0 = System.nanoTime();
        AtomicBoolean recorded = new AtomicBoolean();
        // The call's context is cancelled on the transport thread the moment the client goes away
        // or the deadline passes; the listener's onCancel only runs after the blocking verb returns.
        Context context = Context.current();
        ServerCall<Q, R> counted = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                record(method, context.isCancelled() ? abandoned(context) : status.getCode(), t0, recorded);
                super.close(status, trailers);
            }
        };
        return new SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
            @Override
            public void onCancel() {
                record(method, abandoned(context), t0, recorded);
                super.onCancel();
            }
        };
    }

    private static Status.Code abandoned(Context context) {
        Deadline d = context.getDeadline();
        return d != null && d.isExpired() ? Status.Code.DEADLINE_EXCEEDED : Status.Code.CANCELLED;
    }

    private void record(String method, Status.Code code, long t0, AtomicBoolean recorded) {
        if (!recorded.compareAndSet(false, true)) {
            return;
        }
        Counter.builder(CALLS).description("Vtctld gRPC calls by verb and status code")
                .tags("method", method, "code", code.name()).register(registry).increment();
        Timer.builder(DURATION).description("Vtctld gRPC call latency by verb")
                .tags("method", method).register(registry).record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }
}
