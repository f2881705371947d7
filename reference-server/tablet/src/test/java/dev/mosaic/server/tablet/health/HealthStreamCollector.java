package dev.mosaic.server.tablet.health;

import dev.mosaic.proto.query.StreamHealthRequest;
import dev.mosaic.proto.query.StreamHealthResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** A StreamHealth client for tests: collects responses, remembers how the stream ended, waits for a match. */
public final class HealthStreamCollector implements ClientResponseObserver<StreamHealthRequest, StreamHealthResponse> {
    /** Every response, in order. */
    public final LinkedBlockingQueue<StreamHealthResponse> responses = new LinkedBlockingQueue<>();
    /** The error that ended the stream, if one did. */
    public final AtomicReference<Throwable> error = new AtomicReference<>();
    /** Counted down when the stream ends, either way. */
    public final CountDownLatch ended = new CountDownLatch(1);
    /** The call, to cancel it. */
    public volatile ClientCallStreamObserver<StreamHealthRequest> call;
    private final Duration wait;

    /** A collector whose {@link #awaitMatching} waits at most {@code wait}. */
    public HealthStreamCollector(Duration wait) {
        this.wait = wait;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<StreamHealthRequest> requestStream) {
        call = requestStream;
    }

    @Override
    public void onNext(StreamHealthResponse value) {
        responses.add(value);
    }

    @Override
    public void onError(Throwable t) {
        error.set(t);
        ended.countDown();
    }

    @Override
    public void onCompleted() {
        ended.countDown();
    }

    /** Takes responses until one matches {@code p}; fails with {@code what} when the wait runs out. */
    public StreamHealthResponse awaitMatching(String what, Predicate<StreamHealthResponse> p) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            StreamHealthResponse r = responses.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("timed out after " + wait + " waiting for " + what);
            }
            if (p.test(r)) {
                return r;
            }
        }
    }
}
