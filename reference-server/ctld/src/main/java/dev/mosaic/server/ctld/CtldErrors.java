package dev.mosaic.server.ctld;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.Errors;
import dev.mosaic.proto.topo.TabletAlias;
import dev.mosaic.server.topo.ProtoConversions;
import dev.mosaic.spi.topo.TopoException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * How ctld's verbs fail: every error leaves the service as a gRPC status with the code of its
 * class (NOT_FOUND, ALREADY_EXISTS, INVALID_ARGUMENT, FAILED_PRECONDITION, ...) and a message
 * that names what is wrong. Errors from a tablet keep their code and get the tablet's alias in
 * front, so the caller can tell which tablet said it.
 */
final class CtldErrors {
    private CtldErrors() {
    }

    /** Runs a unary verb and answers the observer with its result or its error as a status. */
    static <T> void answer(StreamObserver<T> observer, Supplier<T> verb) {
        T response;
        try {
            response = verb.get();
        } catch (RuntimeException e) {
            observer.onError(toStatus(e));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    /** The status an exception leaves the service as. */
    static StatusRuntimeException toStatus(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            return s;
        }
        if (e instanceof MosaicException m) {
            return Status.fromCode(Errors.grpcCode(m.code())).withDescription(m.getMessage()).withCause(m)
                    .asRuntimeException();
        }
        if (e instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).withCause(e).asRuntimeException();
        }
        return Status.INTERNAL.withDescription("ctld: " + e).withCause(e).asRuntimeException();
    }

    static MosaicException error(ErrorCode code, String message) {
        return new MosaicException(code, message);
    }

    static MosaicException invalid(String message) {
        return new MosaicException(ErrorCode.INVALID_ARGUMENT, message);
    }

    static MosaicException notFound(String message) {
        return new MosaicException(ErrorCode.NOT_FOUND, message);
    }

    static MosaicException precondition(String message) {
        return new MosaicException(ErrorCode.FAILED_PRECONDITION, message);
    }

    /** True if {@code e} is the store's "no such node". */
    static boolean isNoNode(RuntimeException e) {
        return e instanceof TopoException t && t.error() == dev.mosaic.spi.topo.TopoError.NO_NODE;
    }

    /** True if {@code e} is the store's "node exists". */
    static boolean isNodeExists(RuntimeException e) {
        return e instanceof TopoException t && t.error() == dev.mosaic.spi.topo.TopoError.NODE_EXISTS;
    }

    /** A tablet's failure, with its alias in front of the description and its code kept. */
    static StatusRuntimeException fromTablet(TabletAlias alias, String call, StatusRuntimeException e) {
        Status s = e.getStatus();
        String what = "tablet " + ProtoConversions.fromProto(alias) + " " + call + ": "
                + (s.getDescription() == null ? s.getCode().name() : s.getDescription());
        return s.withDescription(what).asRuntimeException();
    }

    /** The one-line text of an error, as shard results and events show it. */
    static String text(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            Status st = s.getStatus();
            return st.getCode() + ": " + (st.getDescription() == null ? "" : st.getDescription());
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
