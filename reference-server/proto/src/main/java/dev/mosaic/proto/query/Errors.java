package dev.mosaic.proto.query;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import java.util.Objects;

/**
 * Mosaic's error model across gRPC, between gate and tablet (and ctld/orc and tablet).
 *
 * <p>A failed call ends with a gRPC status whose code is the error's class and whose
 * description is its message; the trailer {@link #ERROR_TRAILER} ({@code mosaic-error-bin}, an
 * {@link RpcError}) carries the exact {@link ErrorCode} and the MySQL error number and SQLSTATE,
 * so a MySQL error raised on a tablet reaches the application unchanged. Calls that answer with
 * both an outcome and an error (BeginExecute, Reserve*) put the same {@link RpcError} in the
 * response body.
 *
 * <pre>
 * ErrorCode            gRPC Status.Code      RpcError.Code (wire)
 * CANCELED             CANCELLED             1
 * UNKNOWN              UNKNOWN               2
 * INVALID_ARGUMENT     INVALID_ARGUMENT      3
 * DEADLINE_EXCEEDED    DEADLINE_EXCEEDED     4
 * NOT_FOUND            NOT_FOUND             5
 * ALREADY_EXISTS       ALREADY_EXISTS        6
 * PERMISSION_DENIED    PERMISSION_DENIED     7
 * RESOURCE_EXHAUSTED   RESOURCE_EXHAUSTED    8
 * FAILED_PRECONDITION  FAILED_PRECONDITION   9
 * ABORTED              ABORTED               10
 * OUT_OF_RANGE         OUT_OF_RANGE          11
 * UNIMPLEMENTED        UNIMPLEMENTED         12
 * INTERNAL             INTERNAL              13
 * UNAVAILABLE          UNAVAILABLE           14
 * DATA_LOSS            DATA_LOSS             15
 * UNAUTHENTICATED      UNAUTHENTICATED       16
 * CLUSTER_EVENT        UNAVAILABLE           17   retry after the reparent/resharding settles
 * READ_ONLY            FAILED_PRECONDITION   18   the tablet is not (or no longer) writable
 * </pre>
 *
 * <p>gRPC has no codes for the last two (Vitess sends 17 and 18 as raw status codes, which Java's
 * {@code Status} cannot hold), so the status carries the nearest standard code and the trailer
 * the exact one. A status without the trailer (raised by the transport: deadline, unreachable
 * peer, cancelled call) maps back by the gRPC column, with the class's default errno/SQLSTATE.
 * Stateless and thread-safe.
 */
public final class Errors {
    /** The trailer that carries the exact error. */
    public static final Metadata.Key<RpcError> ERROR_TRAILER =
            Metadata.Key.of("mosaic-error-bin", ProtoUtils.metadataMarshaller(RpcError.getDefaultInstance()));

    private Errors() {
    }

    /**
     * An error with an explicit MySQL error number and SQLSTATE, e.g. one mysqld returned, that
     * keeps them across gRPC and at the gate's protocol edge. When a {@link SqlError} has exactly
     * this class, number and SQLSTATE, the result carries that constant.
     */
    public static MosaicException mysqlError(ErrorCode code, int errno, String sqlState, String message,
                                             Throwable cause) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(sqlState, "sqlState");
        SqlError known = knownSqlError(code, errno, sqlState);
        if (known != null) {
            return new MosaicException(known, message, cause);
        }
        if (errno == code.mysqlErrno() && sqlState.equals(code.sqlState())) {
            return new MosaicException(code, message, cause);
        }
        return new MysqlErrorException(code, errno, sqlState, message, cause);
    }

    /** The gRPC code a Mosaic error class travels as (the table above). */
    public static Status.Code grpcCode(ErrorCode code) {
        return switch (code) {
            case CANCELED -> Status.Code.CANCELLED;
            case UNKNOWN -> Status.Code.UNKNOWN;
            case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
            case DEADLINE_EXCEEDED -> Status.Code.DEADLINE_EXCEEDED;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
            case PERMISSION_DENIED -> Status.Code.PERMISSION_DENIED;
            case RESOURCE_EXHAUSTED -> Status.Code.RESOURCE_EXHAUSTED;
            case FAILED_PRECONDITION, READ_ONLY -> Status.Code.FAILED_PRECONDITION;
            case ABORTED -> Status.Code.ABORTED;
            case OUT_OF_RANGE -> Status.Code.OUT_OF_RANGE;
            case UNIMPLEMENTED -> Status.Code.UNIMPLEMENTED;
            case INTERNAL -> Status.Code.INTERNAL;
            case UNAVAILABLE, CLUSTER_EVENT -> Status.Code.UNAVAILABLE;
            case DATA_LOSS -> Status.Code.DATA_LOSS;
            case UNAUTHENTICATED -> Status.Code.UNAUTHENTICATED;
        };
    }

    /**
     * The Mosaic class of a status that carries no trailer.
     *
     * @throws IllegalArgumentException for {@code OK}, which is not an error
     */
    public static ErrorCode errorCode(Status.Code code) {
        return switch (code) {
            case OK -> throw new IllegalArgumentException("OK is not an error");
            case CANCELLED -> ErrorCode.CANCELED;
            case UNKNOWN -> ErrorCode.UNKNOWN;
            case INVALID_ARGUMENT -> ErrorCode.INVALID_ARGUMENT;
            case DEADLINE_EXCEEDED -> ErrorCode.DEADLINE_EXCEEDED;
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case ALREADY_EXISTS -> ErrorCode.ALREADY_EXISTS;
            case PERMISSION_DENIED -> ErrorCode.PERMISSION_DENIED;
            case RESOURCE_EXHAUSTED -> ErrorCode.RESOURCE_EXHAUSTED;
            case FAILED_PRECONDITION -> ErrorCode.FAILED_PRECONDITION;
            case ABORTED -> ErrorCode.ABORTED;
            case OUT_OF_RANGE -> ErrorCode.OUT_OF_RANGE;
            case UNIMPLEMENTED -> ErrorCode.UNIMPLEMENTED;
            case INTERNAL -> ErrorCode.INTERNAL;
            case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            case DATA_LOSS -> ErrorCode.DATA_LOSS;
            case UNAUTHENTICATED -> ErrorCode.UNAUTHENTICATED;
        };
    }

    /** The error as the wire message: exact class, message, errno and SQLSTATE. */
    public static RpcError toRpcError(MosaicException e) {
        return RpcError.newBuilder()
                .setCode(RpcError.Code.valueOf(e.code().name()))
                .setMessage(e.getMessage())
                .setErrno(e.mysqlErrno())
                .setSqlState(e.sqlState())
                .build();
    }

    /**
     * The error a wire message describes.
     *
     * @throws IllegalArgumentException if {@code error} is {@code OK} (no error)
     */
    public static MosaicException fromRpcError(RpcError error) {
        return fromRpcError(error, null);
    }

    private static MosaicException fromRpcError(RpcError error, Throwable cause) {
        ErrorCode code = switch (error.getCode()) {
            case OK -> throw new IllegalArgumentException("RpcError with code OK is not an error");
            // A newer peer's class we do not know: keep its numbers, lose only the class.
            case UNRECOGNIZED -> ErrorCode.UNKNOWN;
            default -> ErrorCode.valueOf(error.getCode().name());
        };
        // An old or partial peer may leave the numbers out; fall back to the class's.
        int errno = error.getErrno() != 0 ? error.getErrno() : code.mysqlErrno();
        String sqlState = !error.getSqlState().isEmpty() ? error.getSqlState() : code.sqlState();
        return mysqlError(code, errno, sqlState, error.getMessage(), cause);
    }

    /** The status without trailers: the class's gRPC code and the message. */
    public static Status toStatus(MosaicException e) {
        return Status.fromCode(grpcCode(e.code())).withDescription(e.getMessage());
    }

    /**
     * What a server passes to {@code StreamObserver.onError}: {@link #toStatus} plus the
     * {@link #ERROR_TRAILER}.
     */
    public static StatusRuntimeException toStatusException(MosaicException e) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_TRAILER, toRpcError(e));
        return toStatus(e).asRuntimeException(trailers);
    }

    /**
     * The error a failed call ended with, from its trailer if present, else from its status
     * code. The exception is kept as the cause.
     *
     * @throws IllegalArgumentException if the status is {@code OK}
     */
    public static MosaicException fromStatus(StatusRuntimeException e) {
        return from(e.getStatus(), e.getTrailers(), e);
    }

    /**
     * Like {@link #fromStatus} for any throwable a client stub reports (e.g. to
     * {@code StreamObserver.onError}); a throwable that is not a gRPC status becomes
     * {@link ErrorCode#UNKNOWN}.
     */
    public static MosaicException fromThrowable(Throwable t) {
        if (t instanceof MosaicException m) {
            return m;
        }
        return from(Status.fromThrowable(t), Status.trailersFromThrowable(t), t);
    }

    private static MosaicException from(Status status, Metadata trailers, Throwable cause) {
        RpcError error = trailers == null ? null : trailers.get(ERROR_TRAILER);
        if (error != null && error.getCode() != RpcError.Code.OK) {
            return fromRpcError(error, cause);
        }
        ErrorCode code = errorCode(status.getCode());
        String message = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        return new MosaicException(code, message, cause);
    }

    private static SqlError knownSqlError(ErrorCode code, int errno, String sqlState) {
        // The wire carries numbers, not Java constants: an exact match names the MySQL error,
        // even when the sender only gave the class whose default numbers these are.
        for (SqlError s : SqlError.values()) {
            if (s.code() == code && s.errno() == errno && s.sqlState().equals(sqlState)) {
                return s;
            }
        }
        return null;
    }
}
