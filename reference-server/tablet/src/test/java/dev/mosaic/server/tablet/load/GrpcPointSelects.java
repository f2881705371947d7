package dev.mosaic.server.tablet.load;

import com.google.protobuf.ByteString;
import dev.mosaic.proto.query.BindVariable;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.ExecuteRequest;
import dev.mosaic.proto.query.ExecuteResponse;
import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Rows;
import dev.mosaic.proto.query.Type;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Point selects through the tablet's Query service: {@code clients} logical clients, each with
 * one Execute in flight at a time, sending the next from the previous one's callback (the async
 * stub), so a few callback threads drive thousands of clients. Every answer is checked: exactly
 * one row whose {@code c} is the one {@link SbTable} wrote for the id asked.
 */
final class GrpcPointSelects {
    private GrpcPointSelects() {
    }

    /**
     * Runs {@code queries} point selects over {@code channels} (clients spread round robin) and
     * returns the measured result.
     *
     * @throws IllegalStateException if they do not all finish within {@code caseTimeout}
     */
    static LoadResult run(String name, List<? extends Channel> channels, int clients, int queries, int rows,
            Duration callTimeout, Duration caseTimeout, CpuClock cpu) throws InterruptedException {
        CaseMeter meter = new CaseMeter(name, queries, cpu);
        CountDownLatch done = new CountDownLatch(clients);
        Client[] all = new Client[clients];
        for (int i = 0; i < clients; i++) {
            all[i] = new Client(QueryGrpc.newStub(channels.get(i % channels.size())), meter, done, rows, callTimeout);
        }
        meter.start();
        for (Client c : all) {
            c.next();
        }
        if (!done.await(caseTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw meter.timedOut(caseTimeout);
        }
        meter.end();
        return meter.result();
    }

    /** The request for row {@code id}, with its id as an INT64 bind variable, as the gate sends it. */
    static ExecuteRequest request(int id) {
        return ExecuteRequest.newBuilder()
                .setQuery(BoundQuery.newBuilder().setSql(SbTable.POINT_SELECT)
                        .putBindVariables("id", BindVariable.newBuilder().setType(Type.INT64)
                                .setValue(ByteString.copyFromUtf8(Integer.toString(id))).build()))
                .build();
    }

    /** Why {@code result} is not the answer for {@code id}, or null if it is. */
    static String wrongAnswer(int id, QueryResult result) {
        if (result.getRowsCount() != 1) {
            return "expected 1 row for id " + id + ", got " + result.getRowsCount();
        }
        List<byte[]> values = Rows.decode(result.getRows(0));
        if (values.size() != 1 || !Arrays.equals(values.get(0), SbTable.cBytes(id))) {
            return "wrong c for id " + id + ": "
                    + (values.size() != 1 ? values.size() + " columns" : new String(values.get(0), StandardCharsets.US_ASCII));
        }
        return null;
    }

    /** One logical client: sends a query, and from its answer's callback the next. */
    private static final class Client implements StreamObserver<ExecuteResponse> {
        private final QueryGrpc.QueryStub stub;
        private final CaseMeter meter;
        private final CountDownLatch done;
        private final int rows;
        private final long callTimeoutMillis;
        // One call at a time per client, and gRPC runs a call's callbacks one after another.
        private int id;
        private long t0;
        private ExecuteResponse response;

        Client(QueryGrpc.QueryStub stub, CaseMeter meter, CountDownLatch done, int rows, Duration callTimeout) {
            this.stub = stub;
            this.meter = meter;
            this.done = done;
            this.rows = rows;
            this.callTimeoutMillis = callTimeout.toMillis();
        }

        void next() {
            if (!meter.take()) {
                done.countDown();
                return;
            }
            id = 1 + ThreadLocalRandom.current().nextInt(rows);
            response = null;
            ExecuteRequest request = request(id);
            t0 = meter.sent();
            stub.withDeadlineAfter(callTimeoutMillis, TimeUnit.MILLISECONDS).execute(request, this);
        }

        @Override
        public void onNext(ExecuteResponse value) {
            response = value;
        }

        @Override
        public void onError(Throwable t) {
            meter.errors().grpc(t);
            meter.failed();
            next();
        }

        @Override
        public void onCompleted() {
            long t1 = System.nanoTime();
            String wrong = response == null ? "completed without a response" : wrongAnswer(id, response.getResult());
            if (wrong == null) {
                meter.succeeded(t0, t1);
            } else {
                meter.errors().add("wrong answer", wrong);
                meter.failed();
            }
            next();
        }
    }
}
