package dev.mosaic.server.tablet.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.proto.query.BindVariable;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.Errors;
import dev.mosaic.proto.query.ExecuteRequest;
import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.query.PrepareRequest;
import dev.mosaic.proto.query.ReleaseRequest;
import dev.mosaic.proto.query.ReserveExecuteRequest;
import dev.mosaic.proto.query.BeginExecuteRequest;
import dev.mosaic.proto.query.StreamExecuteRequest;
import dev.mosaic.proto.query.StreamHealthRequest;
import dev.mosaic.proto.query.Type;
import dev.mosaic.server.mysqlctl.ConnectionParams;
import dev.mosaic.server.tablet.TabletExtensions;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.config.TabletConfig;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The service's answers that need no mysqld, over the in-process transport (the engines' pools
 * connect lazily, so they point at a port nobody listens on).
 */
class QueryServiceTest {
    private TabletQueryServer engines;
    private Server server;
    private ManagedChannel channel;
    private QueryGrpc.QueryBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        engines = TabletQueryServer.open(TabletConfig.defaults().toBuilder().dbName("none").build(),
                new ConnectionParams("127.0.0.1", 1, "nobody", ""), new SimpleMeterRegistry(), TabletExtensions.NONE);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .addService(new QueryService(engines.queries(), engines.transactions())).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        stub = QueryGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        engines.close();
    }

    private static StatusRuntimeException fails(Executable call) {
        return assertThrows(StatusRuntimeException.class, call);
    }

    @Test
    void notYetBuiltCallsAnswerUnimplemented() {
        for (StatusRuntimeException e : new StatusRuntimeException[] {
                fails(() -> stub.streamHealth(StreamHealthRequest.getDefaultInstance()).hasNext()),
                fails(() -> stub.prepare(PrepareRequest.newBuilder().setTransactionId(5).setDtid("d").build()))}) {
            assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("not implemented by this tablet yet"),
                    e.getStatus().getDescription());
            assertEquals(ErrorCode.UNIMPLEMENTED, Errors.fromStatus(e).code());
        }
    }

    @Test
    void releaseWithoutAnyIdIsInvalidArgument() {
        StatusRuntimeException e = fails(() -> stub.release(ReleaseRequest.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("connection ID and transaction ID do not exist"),
                e.getStatus().getDescription());
    }

    @Test
    void differentTransactionAndReservedIdsAreInvalidArgument() {
        for (StatusRuntimeException e : new StatusRuntimeException[] {
                fails(() -> stub.execute(ExecuteRequest.newBuilder().setTransactionId(5).setReservedId(6)
                        .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build())),
                fails(() -> stub.streamExecute(StreamExecuteRequest.newBuilder().setTransactionId(5).setReservedId(6)
                        .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build()).hasNext()),
                fails(() -> stub.release(ReleaseRequest.newBuilder().setTransactionId(5).setReservedId(6).build()))}) {
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("transaction_id (5) and reserved_id (6)"),
                    e.getStatus().getDescription());
        }
    }

    @Test
    void unknownReservedIdIsNotFoundNamingTheId() {
        for (StatusRuntimeException e : new StatusRuntimeException[] {
                fails(() -> stub.execute(ExecuteRequest.newBuilder().setReservedId(987655)
                        .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build())),
                fails(() -> stub.streamExecute(StreamExecuteRequest.newBuilder().setReservedId(987655)
                        .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build()).hasNext()),
                fails(() -> stub.beginExecute(BeginExecuteRequest.newBuilder().setReservedId(987655)
                        .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build())),
                fails(() -> stub.reserveExecute(ReserveExecuteRequest.newBuilder().setTransactionId(987655)
                        .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build())),
                fails(() -> stub.release(ReleaseRequest.newBuilder().setReservedId(987655).build()))}) {
            assertEquals(ErrorCode.NOT_FOUND, Errors.fromStatus(e).code());
            assertTrue(e.getStatus().getDescription().contains("transaction 987655: not found"),
                    e.getStatus().getDescription());
        }
    }

    @Test
    void malformedBindVariableIsInvalidArgument() {
        StatusRuntimeException e = fails(() -> stub.execute(ExecuteRequest.newBuilder()
                .setQuery(BoundQuery.newBuilder().setSql("SELECT :x")
                        .putBindVariables("x", BindVariable.newBuilder().setType(Type.INT64)
                                .setValue(com.google.protobuf.ByteString.copyFromUtf8("nope")).build()))
                .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("bind variable x"), e.getStatus().getDescription());
    }

    @Test
    void unknownTransactionIsNotFound() {
        StatusRuntimeException e = fails(() -> stub.execute(ExecuteRequest.newBuilder().setTransactionId(987654)
                .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build()));
        assertEquals(ErrorCode.NOT_FOUND, Errors.fromStatus(e).code());
    }
}
