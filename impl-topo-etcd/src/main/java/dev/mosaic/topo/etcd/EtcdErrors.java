package dev.mosaic.topo.etcd;

import dev.mosaic.spi.topo.TopoError;
import dev.mosaic.spi.topo.TopoException;
import io.etcd.jetcd.common.exception.ClosedClientException;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for jetcd futures and turns every jetcd, gRPC or JDK failure into a {@link TopoException}. */
final class EtcdErrors {
    private EtcdErrors() {
    }

    /** Waits at most {@code timeout} for {@code f}; never lets a raw client exception escape. */
    static <T> T await(CompletableFuture<T> f, String path, Duration timeout) {
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new TopoException(TopoError.INTERRUPTED, path, "interrupted while waiting for etcd", e);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new TopoException(TopoError.TIMEOUT, path, "etcd did not answer within " + timeout, e);
        } catch (ExecutionException e) {
            throw map(path, e.getCause());
        } catch (CancellationException e) {
            throw new TopoException(TopoError.INTERRUPTED, path, "request was cancelled", e);
        }
    }

    /** The {@link TopoException} for a failure of a request about {@code path}. */
    static TopoException map(String path, Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TopoException te) {
            return te;
        }
        if (t instanceof CompactedException) {
            return new TopoException(TopoError.UNAVAILABLE, path, "etcd compacted past the needed revision: " + t.getMessage(), t);
        }
        if (t instanceof ClosedClientException) {
            return new TopoException(TopoError.UNAVAILABLE, path, "the etcd client is closed", t);
        }
        if (t instanceof EtcdException ee) {
            return switch (ee.getErrorCode()) {
                case DEADLINE_EXCEEDED -> new TopoException(TopoError.TIMEOUT, path, "etcd: " + ee.getMessage(), ee);
                case CANCELLED -> new TopoException(TopoError.INTERRUPTED, path, "etcd: " + ee.getMessage(), ee);
                case NOT_FOUND -> new TopoException(TopoError.NO_NODE, path, "etcd: " + ee.getMessage(), ee);
                default -> new TopoException(TopoError.UNAVAILABLE, path, "etcd: " + ee.getMessage(), ee);
            };
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new TopoException(TopoError.INTERRUPTED, path, "interrupted", t);
        }
        if (t instanceof CancellationException) {
            return new TopoException(TopoError.INTERRUPTED, path, "request was cancelled", t);
        }
        return new TopoException(TopoError.UNAVAILABLE, path, "etcd request failed: " + t, t);
    }

    /** True if the failure says etcd compacted the history a watch needed. */
    static boolean isCompaction(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof CompactedException
                || (t instanceof EtcdException ee && ee.getMessage() != null && ee.getMessage().contains("compacted"));
    }
}
