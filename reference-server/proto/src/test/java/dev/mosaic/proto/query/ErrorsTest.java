package dev.mosaic.proto.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorsTest {

    /** The mapping table of Errors' Javadoc: Mosaic class, gRPC code. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(ErrorCode.CANCELED, Status.Code.CANCELLED),
                Arguments.of(ErrorCode.UNKNOWN, Status.Code.UNKNOWN),
                Arguments.of(ErrorCode.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT),
                Arguments.of(ErrorCode.DEADLINE_EXCEEDED, Status.Code.DEADLINE_EXCEEDED),
                Arguments.of(ErrorCode.NOT_FOUND, Status.Code.NOT_FOUND),
                Arguments.of(ErrorCode.ALREADY_EXISTS, Status.Code.ALREADY_EXISTS),
                Arguments.of(ErrorCode.PERMISSION_DENIED, Status.Code.PERMISSION_DENIED),
                Arguments.of(ErrorCode.RESOURCE_EXHAUSTED, Status.Code.RESOURCE_EXHAUSTED),
                Arguments.of(ErrorCode.FAILED_PRECONDITION, Status.Code.FAILED_PRECONDITION),
                Arguments.of(ErrorCode.ABORTED, Status.Code.ABORTED),
                Arguments.of(ErrorCode.OUT_OF_RANGE, Status.Code.OUT_OF_RANGE),
                Arguments.of(ErrorCode.UNIMPLEMENTED, Status.Code.UNIMPLEMENTED),
                Arguments.of(ErrorCode.INTERNAL, Status.Code.INTERNAL),
                Arguments.of(ErrorCode.UNAVAILABLE, Status.Code.UNAVAILABLE),
                Arguments.of(ErrorCode.DATA_LOSS, Status.Code.DATA_LOSS),
                Arguments.of(ErrorCode.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED),
                Arguments.of(ErrorCode.CLUSTER_EVENT, Status.Code.UNAVAILABLE),
                Arguments.of(ErrorCode.READ_ONLY, Status.Code.FAILED_PRECONDITION));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("table")
    void classTravelsAsItsGrpcCodeAndComesBackExactly(ErrorCode code, Status.Code grpc) {
        assertEquals(grpc, Errors.grpcCode(code));
        MosaicException sent = new MosaicException(code, "boom " + code);
        StatusRuntimeException wire = Errors.toStatusException(sent);
        assertEquals(grpc, wire.getStatus().getCode());
        assertEquals(sent.getMessage(), wire.getStatus().getDescription());

        MosaicException got = Errors.fromStatus(wire);
        assertEquals(code, got.code());
        assertEquals(sent.getMessage(), got.getMessage());
        assertEquals(code.mysqlErrno(), got.mysqlErrno());
        assertEquals(code.sqlState(), got.sqlState());
        assertSame(wire, got.getCause());
    }

    @ParameterizedTest(name = "{0} without trailer")
    @MethodSource("table")
    void statusWithoutTrailerMapsByGrpcCode(ErrorCode code, Status.Code grpc) {
        if (code == ErrorCode.CLUSTER_EVENT || code == ErrorCode.READ_ONLY) {
            return; // only the trailer tells these apart from the standard code they travel as
        }
        MosaicException got = Errors.fromStatus(Status.fromCode(grpc).withDescription("from the transport").asRuntimeException());
        assertEquals(code, got.code());
        assertEquals("from the transport", got.getMessage());
        assertEquals(code.mysqlErrno(), got.mysqlErrno());
        assertEquals(code.sqlState(), got.sqlState());
    }

    @ParameterizedTest
    @EnumSource(SqlError.class)
    void everySpecificMysqlErrorKeepsItsNumbers(SqlError sqlError) {
        MosaicException got = Errors.fromStatus(Errors.toStatusException(new MosaicException(sqlError, "x")));
        assertEquals(sqlError.code(), got.code());
        assertEquals(sqlError.errno(), got.mysqlErrno());
        assertEquals(sqlError.sqlState(), got.sqlState());
    }

    @ParameterizedTest
    @EnumSource(SqlError.class)
    void specificErrorComesBackAsItsConstant(SqlError sqlError) {
        MosaicException got = Errors.fromStatus(Errors.toStatusException(new MosaicException(sqlError, "x")));
        assertEquals(sqlError, got.sqlError().orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void classErrorComesBackPlainOrAsTheConstantWithTheSameNumbers(ErrorCode code) {
        // The wire carries numbers: RESOURCE_EXHAUSTED's defaults are ER_TOO_MANY_USER_CONNECTIONS'.
        MosaicException got = Errors.fromStatus(Errors.toStatusException(new MosaicException(code, "x")));
        got.sqlError().ifPresent(s -> {
            assertEquals(code, s.code());
            assertEquals(code.mysqlErrno(), s.errno());
            assertEquals(code.sqlState(), s.sqlState());
        });
    }

    @org.junit.jupiter.api.Test
    void mysqldErrorOutsideSqlErrorKeepsItsNumbers() {
        // ER_NO_REFERENCED_ROW_2, forwarded by a tablet as mysqld returned it.
        MosaicException sent = Errors.mysqlError(ErrorCode.FAILED_PRECONDITION, 1452, "23000",
                "Cannot add or update a child row: a foreign key constraint fails", null);
        assertEquals(1452, sent.mysqlErrno());
        assertEquals("23000", sent.sqlState());

        MosaicException got = Errors.fromStatus(Errors.toStatusException(sent));
        assertEquals(ErrorCode.FAILED_PRECONDITION, got.code());
        assertEquals(1452, got.mysqlErrno());
        assertEquals("23000", got.sqlState());
        assertEquals(sent.getMessage(), got.getMessage());
        assertTrue(got.toString().contains("1452"), got.toString());
    }

    @org.junit.jupiter.api.Test
    void rpcErrorInAResponseBodyRoundTrips() {
        MosaicException sent = new MosaicException(SqlError.LOCK_DEADLOCK, "Deadlock found when trying to get lock");
        RpcError wire = Errors.toRpcError(sent);
        assertEquals(RpcError.Code.ABORTED, wire.getCode());
        assertEquals(1213, wire.getErrno());
        assertEquals("40001", wire.getSqlState());
        MosaicException got = Errors.fromRpcError(wire);
        assertEquals(SqlError.LOCK_DEADLOCK, got.sqlError().orElseThrow());
        assertEquals(sent.getMessage(), got.getMessage());
    }

    @org.junit.jupiter.api.Test
    void rpcErrorWithoutNumbersFallsBackToTheClassDefaults() {
        MosaicException got = Errors.fromRpcError(RpcError.newBuilder().setCode(RpcError.Code.READ_ONLY).setMessage("ro").build());
        assertEquals(ErrorCode.READ_ONLY, got.code());
        assertEquals(ErrorCode.READ_ONLY.mysqlErrno(), got.mysqlErrno());
        assertEquals(ErrorCode.READ_ONLY.sqlState(), got.sqlState());
    }

    @org.junit.jupiter.api.Test
    void unknownWireCodeKeepsTheNumbers() {
        RpcError future = RpcError.newBuilder().setCodeValue(99).setMessage("new").setErrno(4000).setSqlState("HY000").build();
        MosaicException got = Errors.fromRpcError(future);
        assertEquals(ErrorCode.UNKNOWN, got.code());
        assertEquals(4000, got.mysqlErrno());
    }

    @org.junit.jupiter.api.Test
    void okIsNotAnError() {
        assertThrows(IllegalArgumentException.class, () -> Errors.fromStatus(Status.OK.asRuntimeException()));
        assertThrows(IllegalArgumentException.class, () -> Errors.fromRpcError(RpcError.getDefaultInstance()));
    }

    @org.junit.jupiter.api.Test
    void fromThrowableReadsTrailersOfAnyStatusThrowable() {
        MosaicException sent = new MosaicException(SqlError.DUP_ENTRY, "Duplicate entry '1' for key 'PRIMARY'");
        Metadata trailers = new Metadata();
        trailers.put(Errors.ERROR_TRAILER, Errors.toRpcError(sent));
        MosaicException got = Errors.fromThrowable(Errors.toStatus(sent).asException(trailers));
        assertEquals(SqlError.DUP_ENTRY, got.sqlError().orElseThrow());

        MosaicException other = Errors.fromThrowable(new IllegalStateException("not gRPC"));
        assertEquals(ErrorCode.UNKNOWN, other.code());
        assertNotNull(other.getCause());
        assertSame(sent, Errors.fromThrowable(sent));
    }
}
