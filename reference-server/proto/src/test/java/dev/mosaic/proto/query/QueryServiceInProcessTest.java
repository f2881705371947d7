package dev.mosaic.proto.query;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.proto.tabletmanager.PingRequest;
import dev.mosaic.proto.tabletmanager.PingResponse;
import dev.mosaic.proto.tabletmanager.TabletManagerGrpc;
import dev.mosaic.proto.topo.TabletType;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generated Query and TabletManager stubs, end to end over the in-process transport. */
class QueryServiceInProcessTest {
    private static final Target TARGET =
            Target.newBuilder().setKeyspace("commerce").setShard("-80").setTabletType(TabletType.PRIMARY).build();
    private static final int STREAM_BATCHES = 3;

    /** A trivial tablet: echoes Execute, streams fixed rows, fails on request. */
    private static final class EchoTablet extends QueryGrpc.QueryImplBase {
        @Override
        public void execute(ExecuteRequest request, StreamObserver<ExecuteResponse> out) {
            String sql = request.getQuery().getSql();
            if (sql.startsWith("insert")) {
                out.onError(Errors.toStatusException(
                        new MosaicException(SqlError.DUP_ENTRY, "Duplicate entry '1' for key 'PRIMARY'")));
                return;
            }
            if (sql.startsWith("delete")) {
                out.onError(Errors.toStatusException(Errors.mysqlError(ErrorCode.FAILED_PRECONDITION, 1451, "23000",
                        "Cannot delete or update a parent row: a foreign key constraint fails", null)));
                return;
            }
            BindVariable id = request.getQuery().getBindVariablesOrThrow("id");
            QueryResult result = QueryResult.newBuilder()
                    .addFields(Field.newBuilder().setName("sql").setType(Type.VARCHAR))
                    .addFields(Field.newBuilder().setName("id").setType(id.getType()))
                    .addFields(Field.newBuilder().setName("nothing").setType(Type.NULL_TYPE))
                    .addRows(Rows.encode(Arrays.asList(sql.getBytes(UTF_8), id.getValue().toByteArray(), null)))
                    .build();
            out.onNext(ExecuteResponse.newBuilder().setResult(result).build());
            out.onCompleted();
        }

        @Override
        public void streamExecute(StreamExecuteRequest request, StreamObserver<StreamExecuteResponse> out) {
            out.onNext(StreamExecuteResponse.newBuilder().setResult(QueryResult.newBuilder()
                    .addFields(Field.newBuilder().setName("n").setType(Type.INT64))).build());
            for (int batch = 0; batch < STREAM_BATCHES; batch++) {
                QueryResult.Builder rows = QueryResult.newBuilder();
                for (int i = 0; i < 2; i++) {
                    rows.addRows(Rows.encode(List.of(Integer.toString(batch * 2 + i).getBytes(UTF_8))));
                }
                out.onNext(StreamExecuteResponse.newBuilder().setResult(rows).build());
            }
            if (request.getQuery().getSql().contains("fail midway")) {
                out.onError(Errors.toStatusException(new MosaicException(SqlError.QUERY_INTERRUPTED,
                        "Query execution was interrupted, maximum statement execution time exceeded")));
                return;
            }
            out.onCompleted();
        }
    }

    private static final class PingTablet extends TabletManagerGrpc.TabletManagerImplBase {
        @Override
        public void ping(PingRequest request, StreamObserver<PingResponse> out) {
            out.onNext(PingResponse.newBuilder().setPayload(request.getPayload()).build());
            out.onCompleted();
        }
    }

    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new EchoTablet()).addService(new PingTablet()).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static ExecuteRequest execute(String sql) {
        return ExecuteRequest.newBuilder().setTarget(TARGET)
                .setQuery(BoundQuery.newBuilder().setSql(sql)
                        .putBindVariables("id", BindVariable.newBuilder().setType(Type.INT64)
                                .setValue(com.google.protobuf.ByteString.copyFromUtf8("42")).build()))
                .build();
    }

    @Test
    void executeEchoesThroughTheStubs() {
        QueryGrpc.QueryBlockingStub stub = QueryGrpc.newBlockingStub(channel);
        QueryResult result = stub.execute(execute("select :id")).getResult();
        assertEquals(List.of("sql", "id", "nothing"), result.getFieldsList().stream().map(Field::getName).toList());
        assertEquals(Type.INT64, result.getFields(1).getType());
        List<byte[]> row = Rows.decode(result.getRows(0));
        assertArrayEquals("select :id".getBytes(UTF_8), row.get(0));
        assertArrayEquals("42".getBytes(UTF_8), row.get(1));
        assertNull(row.get(2));
    }

    @Test
    void streamExecuteDeliversFieldsThenRowBatches() {
        Iterator<StreamExecuteResponse> it = QueryGrpc.newBlockingStub(channel).streamExecute(
                StreamExecuteRequest.newBuilder().setTarget(TARGET)
                        .setQuery(BoundQuery.newBuilder().setSql("select n from numbers")).build());
        QueryResult first = it.next().getResult();
        assertEquals("n", first.getFields(0).getName());
        assertEquals(0, first.getRowsCount());
        List<String> values = new ArrayList<>();
        int batches = 0;
        while (it.hasNext()) {
            QueryResult batch = it.next().getResult();
            assertEquals(0, batch.getFieldsCount());
            batch.getRowsList().forEach(r -> values.add(new String(Rows.decode(r).get(0), UTF_8)));
            batches++;
        }
        assertEquals(STREAM_BATCHES, batches);
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), values);
    }

    @Test
    void errorArrivesWithErrnoAndSqlStateIntact() {
        QueryGrpc.QueryBlockingStub stub = QueryGrpc.newBlockingStub(channel);
        StatusRuntimeException wire = assertThrows(StatusRuntimeException.class, () -> stub.execute(execute("insert into t values (1)")));
        MosaicException e = Errors.fromStatus(wire);
        assertEquals(ErrorCode.ALREADY_EXISTS, e.code());
        assertEquals(1062, e.mysqlErrno());
        assertEquals("23000", e.sqlState());
        assertEquals("Duplicate entry '1' for key 'PRIMARY'", e.getMessage());
    }

    @Test
    void mysqldErrorOutsideTheKnownListArrivesIntact() {
        QueryGrpc.QueryBlockingStub stub = QueryGrpc.newBlockingStub(channel);
        StatusRuntimeException wire = assertThrows(StatusRuntimeException.class, () -> stub.execute(execute("delete from parent")));
        MosaicException e = Errors.fromStatus(wire);
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        assertEquals(1451, e.mysqlErrno());
        assertEquals("23000", e.sqlState());
    }

    @Test
    void errorEndingAStreamArrivesAfterTheRowsSentBeforeIt() {
        Iterator<StreamExecuteResponse> it = QueryGrpc.newBlockingStub(channel).streamExecute(
                StreamExecuteRequest.newBuilder().setTarget(TARGET)
                        .setQuery(BoundQuery.newBuilder().setSql("select n from numbers -- fail midway")).build());
        int messages = 0;
        StatusRuntimeException wire = null;
        try {
            while (it.hasNext()) {
                it.next();
                messages++;
            }
        } catch (StatusRuntimeException e) {
            wire = e;
        }
        assertEquals(1 + STREAM_BATCHES, messages);
        MosaicException e = Errors.fromStatus(java.util.Objects.requireNonNull(wire, "stream should fail"));
        assertEquals(SqlError.QUERY_INTERRUPTED.errno(), e.mysqlErrno());
        assertEquals(SqlError.QUERY_INTERRUPTED.sqlState(), e.sqlState());
        assertEquals(ErrorCode.CANCELED, e.code());
    }

    @Test
    void unimplementedCallIsUnimplemented() {
        StatusRuntimeException wire = assertThrows(StatusRuntimeException.class,
                () -> QueryGrpc.newBlockingStub(channel).begin(BeginRequest.newBuilder().setTarget(TARGET).build()));
        assertEquals(ErrorCode.UNIMPLEMENTED, Errors.fromStatus(wire).code());
    }

    @Test
    void tabletManagerStubsWork() {
        PingResponse pong = TabletManagerGrpc.newBlockingStub(channel).ping(PingRequest.newBuilder().setPayload("hi").build());
        assertEquals("hi", pong.getPayload());
    }
}
