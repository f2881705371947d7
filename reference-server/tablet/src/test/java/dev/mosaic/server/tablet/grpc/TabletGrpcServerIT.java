package dev.mosaic.server.tablet.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.BeginExecuteRequest;
import dev.mosaic.proto.query.BeginExecuteResponse;
import dev.mosaic.proto.query.BeginRequest;
import dev.mosaic.proto.query.BindVariable;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.CommitRequest;
import dev.mosaic.proto.query.Errors;
import dev.mosaic.proto.query.ExecuteRequest;
import dev.mosaic.proto.query.Field;
import dev.mosaic.proto.query.PrepareRequest;
import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.RollbackRequest;
import dev.mosaic.proto.query.Row;
import dev.mosaic.proto.query.Rows;
import dev.mosaic.proto.query.StreamExecuteRequest;
import dev.mosaic.proto.query.StreamExecuteResponse;
import dev.mosaic.proto.query.Type;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.config.TabletConfig;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Query gRPC service over a real grpc-netty server and channel, against a real MariaDB. */
class TabletGrpcServerIT {
    private static final int STREAM_ROWS = 5000;

    private static MysqldCluster cluster;
    private static Mysqld mysqld;
    private static TabletQueryServer engines;
    private static TabletGrpcServer server;
    private static ManagedChannel channel;
    private static QueryGrpc.QueryBlockingStub stub;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(1);
        mysqld = cluster.get(0);
        TabletTestSupport.prepare(mysqld);
        mysqld.executeAll(List.of(
                "CREATE TABLE vt_test.t (id INT PRIMARY KEY, s VARCHAR(20), b VARBINARY(8))",
                "INSERT INTO vt_test.t VALUES (1, '', X'00FF'), (2, NULL, NULL), (3, 'héllo', X'')",
                "CREATE TABLE vt_test.acct (id INT PRIMARY KEY, v INT)"));
        // A small stream buffer, so a few thousand rows arrive in many batches.
        TabletConfig config = TabletConfig.defaults().toBuilder().streamBufferSize(4 * 1024).build();
        engines = TabletTestSupport.open(mysqld, config, TabletTestSupport.registry());
        server = TabletGrpcServer.start(engines, config, 0);
        channel = NettyChannelBuilder.forAddress("localhost", server.port()).usePlaintext().build();
        stub = QueryGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.MINUTES);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (engines != null) {
            engines.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static BoundQuery q(String sql) {
        return BoundQuery.newBuilder().setSql(sql).build();
    }

    private static QueryResult execute(String sql, long txId) {
        return stub.execute(ExecuteRequest.newBuilder().setQuery(q(sql)).setTransactionId(txId).build()).getResult();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void executeReturnsFieldsAndByteExactRows() {
        BoundQuery query = BoundQuery.newBuilder().setSql("SELECT id, s, b FROM t WHERE id BETWEEN :min AND 3 ORDER BY id")
                .putBindVariables("min", BindVariable.newBuilder().setType(Type.INT64)
                        .setValue(ByteString.copyFromUtf8("1")).build())
                .build();
        QueryResult r = stub.execute(ExecuteRequest.newBuilder().setQuery(query).build()).getResult();

        assertEquals(List.of("id", "s", "b"), r.getFieldsList().stream().map(Field::getName).toList());
        assertEquals(List.of(Type.INT32, Type.VARCHAR, Type.VARBINARY),
                r.getFieldsList().stream().map(Field::getType).toList());
        Field id = r.getFields(0);
        assertEquals("t", id.getOrgTable());
        assertEquals("vt_test", id.getDatabase());
        assertTrue((id.getFlags() & 2) != 0, "PRI_KEY_FLAG");

        assertEquals(3, r.getRowsCount());
        List<byte[]> row1 = Rows.decode(r.getRows(0));
        assertArrayEquals(utf8("1"), row1.get(0));
        assertArrayEquals(new byte[0], row1.get(1), "empty string, not NULL");
        assertArrayEquals(new byte[] {0, (byte) 0xff}, row1.get(2));
        List<byte[]> row2 = Rows.decode(r.getRows(1));
        assertNull(row2.get(1), "NULL, not empty");
        assertNull(row2.get(2));
        assertEquals(List.of(1L, -1L, -1L), r.getRows(1).getLengthsList());
        List<byte[]> row3 = Rows.decode(r.getRows(2));
        assertArrayEquals(utf8("héllo"), row3.get(1));
        assertArrayEquals(new byte[0], row3.get(2));
    }

    @Test
    void duplicateKeyArrivesAsErrno1062() {
        execute("INSERT INTO t VALUES (100, 'a', NULL)", 0);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> execute("INSERT INTO t VALUES (100, 'b', NULL)", 0));
        MosaicException m = Errors.fromStatus(e);
        assertEquals(1062, m.mysqlErrno());
        assertEquals("23000", m.sqlState());
        assertEquals(ErrorCode.ALREADY_EXISTS, m.code(), m.toString());
    }

    @Test
    void streamExecuteStreamsManyBatches() {
        Iterator<StreamExecuteResponse> it = stub.streamExecute(StreamExecuteRequest.newBuilder()
                .setQuery(q("SELECT seq, REPEAT('x', 20) FROM seq_1_to_" + STREAM_ROWS)).build());
        List<StreamExecuteResponse> responses = new ArrayList<>();
        it.forEachRemaining(responses::add);

        assertTrue(responses.size() > 10, "many batches: " + responses.size());
        assertEquals(2, responses.get(0).getResult().getFieldsCount());
        for (StreamExecuteResponse r : responses.subList(1, responses.size())) {
            assertEquals(0, r.getResult().getFieldsCount(), "fields only in the first response");
        }
        long expected = 1;
        for (StreamExecuteResponse r : responses) {
            for (Row row : r.getResult().getRowsList()) {
                List<byte[]> v = Rows.decode(row);
                assertEquals(Long.toString(expected++), new String(v.get(0), StandardCharsets.US_ASCII));
                assertEquals("x".repeat(20), new String(v.get(1), StandardCharsets.US_ASCII));
            }
        }
        assertEquals(STREAM_ROWS + 1, expected);
    }

    @Test
    void beginExecuteCommitMakesTheWriteVisible() {
        long tx = stub.begin(BeginRequest.getDefaultInstance()).getTransactionId();
        assertNotEquals(0, tx);
        execute("INSERT INTO acct VALUES (1, 10)", tx);
        assertEquals(0, execute("SELECT v FROM acct WHERE id = 1", 0).getRowsCount(), "not visible before commit");
        assertEquals(1, execute("SELECT v FROM acct WHERE id = 1", tx).getRowsCount(), "visible inside");
        stub.commit(CommitRequest.newBuilder().setTransactionId(tx).build());
        assertEquals(1, execute("SELECT v FROM acct WHERE id = 1", 0).getRowsCount());

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> execute("SELECT 1", tx));
        assertEquals(ErrorCode.ABORTED, Errors.fromStatus(e).code(), "the transaction ended");
    }

    @Test
    void rollbackDiscardsTheWrite() {
        long tx = stub.begin(BeginRequest.getDefaultInstance()).getTransactionId();
        execute("INSERT INTO acct VALUES (2, 20)", tx);
        stub.rollback(RollbackRequest.newBuilder().setTransactionId(tx).build());
        assertEquals(0, execute("SELECT v FROM acct WHERE id = 2", 0).getRowsCount());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.commit(CommitRequest.newBuilder().setTransactionId(tx).build()));
        assertNotEquals(ErrorCode.UNKNOWN, Errors.fromStatus(e).code());
    }

    @Test
    void beginExecuteOfAFailingStatementReturnsTheTransactionAndTheError() {
        execute("INSERT INTO acct VALUES (3, 30)", 0);
        BeginExecuteResponse r = stub.beginExecute(BeginExecuteRequest.newBuilder()
                .setQuery(q("INSERT INTO acct VALUES (3, 31)")).build());
        assertNotEquals(0, r.getTransactionId());
        assertTrue(r.hasError());
        MosaicException m = Errors.fromRpcError(r.getError());
        assertEquals(1062, m.mysqlErrno());
        assertEquals("23000", m.sqlState());
        assertTrue(engines.transactions().openTransactionIds().contains(r.getTransactionId()), "still open");
        stub.rollback(RollbackRequest.newBuilder().setTransactionId(r.getTransactionId()).build());
        assertFalse(engines.transactions().openTransactionIds().contains(r.getTransactionId()));
    }

    @Test
    void beginExecuteSuccess() {
        BeginExecuteResponse r = stub.beginExecute(BeginExecuteRequest.newBuilder()
                .setQuery(q("SELECT id FROM t WHERE id = 1")).build());
        assertFalse(r.hasError());
        assertEquals(1, r.getResult().getRowsCount());
        stub.rollback(RollbackRequest.newBuilder().setTransactionId(r.getTransactionId()).build());
    }

    @Test
    void twoPhaseCommitIsServedByAPrimaryOnly() {
        // These engines were never told they are PRIMARY (a tablet process does that on its type).
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.prepare(PrepareRequest.newBuilder().setDtid("d").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("served by a PRIMARY tablet only"),
                e.getStatus().getDescription());
    }

    @Test
    void aSlowThenCancellingClientHoldsTheStreamBackAndKillsTheQuery() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        AtomicInteger received = new AtomicInteger();
        AtomicReference<ClientCallStreamObserver<StreamExecuteRequest>> call = new AtomicReference<>();
        QueryGrpc.newStub(channel).streamExecute(StreamExecuteRequest.newBuilder()
                        .setQuery(q("SELECT seq, REPEAT('y', 1000) FROM seq_1_to_10000000 /* grpc-slow-stream */")).build(),
                new ClientResponseObserver<StreamExecuteRequest, StreamExecuteResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamExecuteRequest> requestStream) {
                        call.set(requestStream);
                        // Ask for one message only: the server must stop when the window fills.
                        requestStream.disableAutoRequestWithInitial(1);
                    }

                    @Override
                    public void onNext(StreamExecuteResponse value) {
                        received.incrementAndGet();
                        first.countDown();
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        assertTrue(first.await(30, TimeUnit.SECONDS), "first batch");
        TabletTestSupport.await("the stream to run in MySQL", Duration.ofSeconds(10),
                () -> TabletTestSupport.processesRunning(mysqld, "grpc-slow-stream") > 0);
        Thread.sleep(500);
        // Flow control held the query back: it is still running, far from 10 GB sent.
        assertEquals(1, received.get());
        assertTrue(TabletTestSupport.processesRunning(mysqld, "grpc-slow-stream") > 0, "still running, held back");
        call.get().cancel("test cancels", null);
        TabletTestSupport.await("the cancelled stream's query to be killed", Duration.ofSeconds(10),
                () -> TabletTestSupport.processesRunning(mysqld, "grpc-slow-stream") == 0);
    }
}
