package dev.mosaic.server.tablet.tx;

import static dev.mosaic.server.tablet.TabletTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.query.BeginExecuteRequest;
import dev.mosaic.proto.query.BeginExecuteResponse;
import dev.mosaic.proto.query.BeginRequest;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.CommitRequest;
import dev.mosaic.proto.query.Errors;
import dev.mosaic.proto.query.ExecuteRequest;
import dev.mosaic.proto.query.QueryGrpc;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.ReleaseRequest;
import dev.mosaic.proto.query.ReserveBeginExecuteRequest;
import dev.mosaic.proto.query.ReserveBeginExecuteResponse;
import dev.mosaic.proto.query.ReserveExecuteRequest;
import dev.mosaic.proto.query.ReserveExecuteResponse;
import dev.mosaic.proto.query.RollbackRequest;
import dev.mosaic.proto.query.Rows;
import dev.mosaic.proto.query.StreamExecuteRequest;
import dev.mosaic.proto.query.StreamExecuteResponse;
import dev.mosaic.server.mysqlctl.Mysqld;
import dev.mosaic.server.mysqlctl.testfixtures.MysqldCluster;
import dev.mosaic.server.tablet.TabletQueryServer;
import dev.mosaic.server.tablet.TabletTestSupport;
import dev.mosaic.server.tablet.config.TabletConfig;
import dev.mosaic.server.tablet.grpc.TabletGrpcServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reserved connections through the Query gRPC service on a real port, against a real MariaDB:
 * session state kept across calls, transactions on a reserved connection, Release closing the
 * MySQL connection, the idle timeout and the shared transaction-pool cap.
 */
class ReservedConnectionIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static MysqldCluster cluster;
    private static Mysqld mysqld;

    /** The engines, a gRPC server on an ephemeral port and a client, for one config. */
    private static final class Tablet implements AutoCloseable {
        final SimpleMeterRegistry registry = TabletTestSupport.registry();
        final TabletQueryServer engines;
        final TabletGrpcServer server;
        final ManagedChannel channel;
        final QueryGrpc.QueryBlockingStub stub;

        Tablet(TabletConfig config) {
            engines = TabletTestSupport.open(mysqld, config, registry);
            server = TabletGrpcServer.start(engines, config, 0);
            channel = NettyChannelBuilder.forAddress("localhost", server.port()).usePlaintext().build();
            stub = QueryGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.MINUTES);
        }

        double counter(String name, String reason) {
            var c = registry.find(name).tag("reason", reason).counter();
            return c == null ? 0 : c.count();
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.close();
            engines.close();
        }
    }

    private Tablet tablet;
    private QueryGrpc.QueryBlockingStub stub;

    @BeforeAll
    static void start() {
        cluster = MysqldCluster.start(1);
        mysqld = cluster.get(0);
        TabletTestSupport.prepare(mysqld);
        mysqld.executeAll(List.of("CREATE TABLE vt_test.acct (id INT PRIMARY KEY, v INT)"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void openTablet() {
        // Two tx-pool connections, so a test can use them all; timeouts far above a test's length.
        tablet = new Tablet(TabletConfig.defaults().toBuilder().txPoolSize(2).maxOpenTransactions(2)
                .txTimeout(Duration.ofMinutes(5)).reservedIdleTimeout(Duration.ofMinutes(5)).build());
        stub = tablet.stub;
    }

    @AfterEach
    void closeTablet() throws InterruptedException {
        if (tablet != null) {
            tablet.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static BoundQuery q(String sql) {
        return BoundQuery.newBuilder().setSql(sql).build();
    }

    private static String value(QueryResult r) {
        assertEquals(1, r.getRowsCount(), r.toString());
        byte[] v = Rows.decode(r.getRows(0)).get(0);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    private String onReserved(long reservedId, String sql) {
        return value(stub.execute(ExecuteRequest.newBuilder().setReservedId(reservedId).setQuery(q(sql)).build())
                .getResult());
    }

    private String onTx(long txId, String sql) {
        return value(stub.execute(ExecuteRequest.newBuilder().setTransactionId(txId).setQuery(q(sql)).build())
                .getResult());
    }

    private String pooled(String sql) {
        return value(stub.execute(ExecuteRequest.newBuilder().setQuery(q(sql)).build()).getResult());
    }

    /** The first column of every streamed row. */
    private List<String> stream(StreamExecuteRequest request) {
        List<String> out = new ArrayList<>();
        stub.streamExecute(request).forEachRemaining((StreamExecuteResponse s) -> s.getResult().getRowsList()
                .forEach(row -> out.add(new String(Rows.decode(row).get(0), StandardCharsets.UTF_8))));
        return out;
    }

    private ReserveExecuteResponse reserve(String sql, String... preQueries) {
        ReserveExecuteResponse r = stub.reserveExecute(ReserveExecuteRequest.newBuilder()
                .addAllPreQueries(List.of(preQueries)).setQuery(q(sql)).build());
        assertFalse(r.hasError(), () -> r.getError().toString());
        assertNotEquals(0, r.getReservedId());
        return r;
    }

    private void release(long reservedId) {
        stub.release(ReleaseRequest.newBuilder().setReservedId(reservedId).build());
    }

    private static MosaicException error(StatusRuntimeException e) {
        return Errors.fromStatus(e);
    }

    private static boolean connectionAlive(long mysqlConnectionId) {
        return !mysqld.fetchValue("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + mysqlConnectionId)
                .orElse("0").equals("0");
    }

    // ------------------------------------------------------------------ tests

    @Test
    void preQuerySessionVariableIsKeptOnTheReservedConnectionOnly() {
        ReserveExecuteResponse r = reserve("SELECT @@session.group_concat_max_len",
                "SET SESSION group_concat_max_len = 12345");
        long id = r.getReservedId();
        assertEquals("12345", value(r.getResult()), "the pre-query ran before the statement");
        assertEquals("12345", onReserved(id, "SELECT @@session.group_concat_max_len"), "kept across calls");
        assertNotEquals("12345", pooled("SELECT @@session.group_concat_max_len"), "not on pooled queries");

        assertEquals(List.of("12345"), stream(StreamExecuteRequest.newBuilder().setReservedId(id)
                .setQuery(q("SELECT @@session.group_concat_max_len")).build()), "StreamExecute on the reserved connection");

        release(id);
        // The dirty connection was closed, not returned: every tx-pool connection is clean.
        long tx1 = stub.begin(BeginRequest.getDefaultInstance()).getTransactionId();
        long tx2 = stub.begin(BeginRequest.getDefaultInstance()).getTransactionId();
        assertNotEquals("12345", onTx(tx1, "SELECT @@session.group_concat_max_len"));
        assertNotEquals("12345", onTx(tx2, "SELECT @@session.group_concat_max_len"));
        stub.rollback(RollbackRequest.newBuilder().setTransactionId(tx1).build());
        stub.rollback(RollbackRequest.newBuilder().setTransactionId(tx2).build());
    }

    @Test
    void streamingOnAReservedConnectionHasNoRowLimitButHonoursTheSessionsOwnSelectLimit() {
        int rows = TabletConfig.defaults().maxResultRows() * 2;
        String limit = Long.toString(TabletConfig.defaults().maxResultRows() + 1L);
        long id = reserve("SELECT 1").getReservedId();
        assertEquals(rows, stream(StreamExecuteRequest.newBuilder().setReservedId(id)
                .setQuery(q("SELECT seq FROM seq_1_to_" + rows)).build()).size(), "a stream is not cut at the row limit");
        assertEquals(limit, onReserved(id, "SELECT @@session.sql_select_limit"), "the tablet's limit is back");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> onReserved(id, "SELECT seq FROM seq_1_to_" + rows));
        assertTrue(e.getStatus().getDescription().contains("Row count exceeded"), e.getStatus().getDescription());
        release(id);

        long own = reserve("SELECT 1", "SET SESSION sql_select_limit = 5").getReservedId();
        assertEquals(List.of("1", "2", "3", "4", "5"), stream(StreamExecuteRequest.newBuilder().setReservedId(own)
                .setQuery(q("SELECT seq FROM seq_1_to_100")).build()), "the session's own limit applies");
        assertEquals("5", onReserved(own, "SELECT @@session.sql_select_limit"));
        release(own);
    }

    @Test
    void temporaryTableSurvivesAcrossCalls() {
        long id = reserve("CREATE TEMPORARY TABLE tmp_r (id INT)").getReservedId();
        stub.execute(ExecuteRequest.newBuilder().setReservedId(id).setQuery(q("INSERT INTO tmp_r VALUES (1), (2)")).build());
        assertEquals("2", onReserved(id, "SELECT COUNT(*) FROM tmp_r"));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pooled("SELECT COUNT(*) FROM tmp_r"));
        assertEquals(1146, error(e).mysqlErrno(), "another session does not see the temporary table");
        release(id);
    }

    @Test
    void getLockIsHeldAcrossCallsAndFreedByRelease() {
        ReserveExecuteResponse r = reserve("SELECT GET_LOCK('mosaic_reserved_lock', 0)");
        long id = r.getReservedId();
        assertEquals("1", value(r.getResult()));
        assertEquals("1", onReserved(id, "SELECT IS_USED_LOCK('mosaic_reserved_lock') = CONNECTION_ID()"),
                "a later call is on the session that holds the lock");
        assertEquals("0", mysqld.fetchValue("SELECT IS_FREE_LOCK('mosaic_reserved_lock')").orElseThrow(),
                "held, seen from another connection");

        release(id);
        await("the lock to be freed by closing the reserved connection", WAIT,
                () -> mysqld.fetchValue("SELECT IS_FREE_LOCK('mosaic_reserved_lock')").orElseThrow().equals("1"));
    }

    @Test
    void transactionOnAReservedConnectionCommitsAndTheConnectionStaysReserved() {
        ReserveBeginExecuteResponse rb = stub.reserveBeginExecute(ReserveBeginExecuteRequest.newBuilder()
                .addPreQueries("SET SESSION group_concat_max_len = 777")
                .addPostBeginQueries("SAVEPOINT mosaic_sp")
                .setQuery(q("INSERT INTO acct VALUES (10, 1)")).build());
        assertFalse(rb.hasError(), () -> rb.getError().toString());
        long txId = rb.getTransactionId();
        assertEquals(txId, rb.getReservedId(), "reserve-and-begin: one id");
        String conn = onTx(txId, "SELECT CONNECTION_ID()");
        assertEquals("0", pooled("SELECT COUNT(*) FROM acct WHERE id = 10"), "not visible before commit");
        assertEquals(List.of("1"), stream(StreamExecuteRequest.newBuilder().setTransactionId(txId)
                .setQuery(q("SELECT COUNT(*) FROM acct WHERE id = 10")).build()), "StreamExecute inside the transaction");

        long reservedId = stub.commit(CommitRequest.newBuilder().setTransactionId(txId).build()).getReservedId();
        assertNotEquals(0, reservedId, "the connection stays reserved");
        assertNotEquals(txId, reservedId, "under a new id");
        assertEquals("1", pooled("SELECT COUNT(*) FROM acct WHERE id = 10"), "committed");
        assertEquals(conn, onReserved(reservedId, "SELECT CONNECTION_ID()"), "the same MySQL connection");
        assertEquals("777", onReserved(reservedId, "SELECT @@session.group_concat_max_len"), "with its session state");

        StatusRuntimeException stale = assertThrows(StatusRuntimeException.class, () -> onTx(txId, "SELECT 1"));
        assertEquals(ErrorCode.ABORTED, error(stale).code());
        assertTrue(stale.getStatus().getDescription().contains("transaction " + txId + ": ended at "),
                stale.getStatus().getDescription());
        assertTrue(stale.getStatus().getDescription().contains("continues as " + reservedId),
                stale.getStatus().getDescription());

        // Begin again on the reserved connection; roll back; it stays reserved again.
        BeginExecuteResponse b = stub.beginExecute(BeginExecuteRequest.newBuilder().setReservedId(reservedId)
                .setQuery(q("INSERT INTO acct VALUES (11, 1)")).build());
        assertFalse(b.hasError(), () -> b.getError().toString());
        assertEquals(reservedId, b.getTransactionId(), "a transaction on a reserved connection has its id");
        assertEquals(1, tablet.engines.transactions().openTransactions());
        long afterRollback = stub.rollback(RollbackRequest.newBuilder().setTransactionId(reservedId).build())
                .getReservedId();
        assertNotEquals(0, afterRollback);
        assertEquals("0", pooled("SELECT COUNT(*) FROM acct WHERE id = 11"), "rolled back");
        assertEquals(conn, onReserved(afterRollback, "SELECT CONNECTION_ID()"));
        assertEquals(0, tablet.engines.transactions().openTransactions());
        assertEquals(1, tablet.engines.transactions().openReservedConnections());

        release(afterRollback);
        assertEquals(0, tablet.engines.transactions().openReservedConnections());
        assertEquals(1.0, tablet.counter("mosaic.tablet.tx.ended", "commit"));
        assertEquals(1.0, tablet.counter("mosaic.tablet.tx.ended", "rollback"));
        assertEquals(1.0, tablet.counter("mosaic.tablet.reserved.ended", "release"));
    }

    @Test
    void reservingAnOpenTransactionKeepsItsIdAndItsWork() {
        long txId = stub.begin(BeginRequest.getDefaultInstance()).getTransactionId();
        stub.execute(ExecuteRequest.newBuilder().setTransactionId(txId).setQuery(q("INSERT INTO acct VALUES (20, 1)")).build());
        ReserveExecuteResponse r = stub.reserveExecute(ReserveExecuteRequest.newBuilder().setTransactionId(txId)
                .addPreQueries("SET @mosaic_user_var = 'kept'").setQuery(q("SELECT COUNT(*) FROM acct WHERE id = 20")).build());
        assertEquals(txId, r.getReservedId());
        assertEquals("1", value(r.getResult()), "inside the same transaction");

        long reservedId = stub.commit(CommitRequest.newBuilder().setTransactionId(txId).build()).getReservedId();
        assertNotEquals(0, reservedId);
        assertEquals("1", pooled("SELECT COUNT(*) FROM acct WHERE id = 20"));
        assertEquals("kept", onReserved(reservedId, "SELECT @mosaic_user_var"));
        release(reservedId);
    }

    @Test
    void aFailingPreQueryFailsTheCallAndReservesNothing() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.reserveExecute(
                ReserveExecuteRequest.newBuilder().addPreQueries("SET SESSION no_such_variable = 1")
                        .setQuery(q("SELECT 1")).build()));
        assertEquals(1193, error(e).mysqlErrno(), "ER_UNKNOWN_SYSTEM_VARIABLE");
        assertEquals(0, tablet.engines.transactions().openReservedConnections());
        assertEquals(0, tablet.engines.pools().tx().inUse(), "the connection went away");

        // A failing statement after a successful reserve: the error in the body, the id valid.
        ReserveExecuteResponse r = stub.reserveExecute(ReserveExecuteRequest.newBuilder()
                .setQuery(q("SELECT * FROM no_such_table")).build());
        assertTrue(r.hasError());
        assertEquals(1146, Errors.fromRpcError(r.getError()).mysqlErrno());
        assertEquals("1", onReserved(r.getReservedId(), "SELECT 1"));
        release(r.getReservedId());
    }

    @Test
    void releaseClosesTheMysqlConnection() {
        ReserveExecuteResponse r = reserve("SELECT CONNECTION_ID()");
        long id = r.getReservedId();
        long mysqlId = Long.parseLong(value(r.getResult()));
        assertTrue(connectionAlive(mysqlId));
        assertEquals(1.0, tablet.registry.get("mosaic.tablet.reserved.open").gauge().value());

        long t0 = System.nanoTime();
        release(id);
        await("MySQL connection " + mysqlId + " to leave the processlist", WAIT, () -> !connectionAlive(mysqlId));
        System.out.println("reserved release: MySQL connection gone from the processlist "
                + (System.nanoTime() - t0) / 1_000_000 + " ms after Release was sent");
        assertEquals(0, tablet.engines.pools().tx().inUse());
        assertEquals(0.0, tablet.registry.get("mosaic.tablet.reserved.open").gauge().value());
        assertEquals(1.0, tablet.registry.get("mosaic.tablet.reserved.created").counter().count());
        assertEquals(1.0, tablet.counter("mosaic.tablet.reserved.ended", "release"));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> onReserved(id, "SELECT 1"));
        assertEquals(ErrorCode.ABORTED, error(e).code());
        assertTrue(e.getStatus().getDescription().matches("transaction " + id + ": ended at .* \\(released\\)"),
                e.getStatus().getDescription());
    }

    @Test
    void anIdleReservedConnectionIsClosedAfterTheIdleTimeout() throws InterruptedException {
        tablet.close();
        tablet = new Tablet(TabletConfig.defaults().toBuilder().txPoolSize(2).maxOpenTransactions(2)
                .reservedIdleTimeout(Duration.ofMillis(1500)).build());
        stub = tablet.stub;

        ReserveExecuteResponse r = reserve("SELECT CONNECTION_ID()");
        long id = r.getReservedId();
        long mysqlId = Long.parseLong(value(r.getResult()));
        // Used more often than the idle timeout, it lives longer than the timeout: the timeout is idle time.
        long until = System.nanoTime() + Duration.ofMillis(3000).toNanos();
        long lastUse = 0;
        while (System.nanoTime() < until) {
            assertEquals(Long.toString(mysqlId), onReserved(id, "SELECT CONNECTION_ID()"));
            lastUse = System.nanoTime();
            Thread.sleep(100); // pacing the client; the assertion does not depend on it
        }

        await("the killer to close the idle reserved connection", WAIT,
                () -> tablet.engines.transactions().openReservedConnections() == 0);
        System.out.println("reserved idle timeout: closed " + (System.nanoTime() - lastUse) / 1_000_000
                + " ms after its last use (timeout 1500ms)");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> onReserved(id, "SELECT 1"));
        assertEquals(ErrorCode.ABORTED, error(e).code());
        assertEquals(Status.Code.ABORTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().matches(
                "transaction " + id + ": ended at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} UTC \\(exceeded timeout: 1500ms\\)"),
                e.getStatus().getDescription());
        await("MySQL connection " + mysqlId + " to leave the processlist", WAIT, () -> !connectionAlive(mysqlId));
        assertEquals(1.0, tablet.counter("mosaic.tablet.reserved.ended", "timeout"));
        assertEquals(0, tablet.engines.pools().tx().inUse());
    }

    @Test
    void aTransactionPastTheTransactionTimeoutEndsItsReservedConnection() throws InterruptedException {
        tablet.close();
        tablet = new Tablet(TabletConfig.defaults().toBuilder().txPoolSize(2).maxOpenTransactions(2)
                .txTimeout(Duration.ofSeconds(1)).reservedIdleTimeout(Duration.ofMinutes(5)).build());
        stub = tablet.stub;

        ReserveBeginExecuteResponse r = stub.reserveBeginExecute(ReserveBeginExecuteRequest.newBuilder()
                .setQuery(q("SELECT CONNECTION_ID()")).build());
        long id = r.getReservedId();
        long mysqlId = Long.parseLong(value(r.getResult()));
        await("the killer to end the transaction and its reserved connection", WAIT,
                () -> tablet.engines.transactions().openReservedConnections() == 0);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> onReserved(id, "SELECT 1"));
        assertEquals(ErrorCode.ABORTED, error(e).code());
        assertTrue(e.getStatus().getDescription().endsWith("(exceeded timeout: 1s)"), e.getStatus().getDescription());
        await("MySQL connection " + mysqlId + " to leave the processlist", WAIT, () -> !connectionAlive(mysqlId));
        assertEquals(1.0, tablet.counter("mosaic.tablet.tx.ended", "timeout"));
        assertEquals(1.0, tablet.counter("mosaic.tablet.reserved.ended", "timeout"));
    }

    @Test
    void closingTheTabletClosesReservedConnections() throws InterruptedException {
        long mysqlId = Long.parseLong(value(reserve("SELECT CONNECTION_ID()").getResult()));
        tablet.engines.transactions().close();
        assertEquals(1.0, tablet.counter("mosaic.tablet.reserved.ended", "shutdown"));
        await("MySQL connection " + mysqlId + " to leave the processlist", WAIT, () -> !connectionAlive(mysqlId));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> reserve("SELECT 1"));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
    }

    @Test
    void reservedConnectionsComeFromTheTransactionPoolCapacity() {
        long a = reserve("SELECT 1").getReservedId();
        long b = reserve("SELECT 1").getReservedId();

        long t0 = System.nanoTime();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.reserveExecute(
                ReserveExecuteRequest.newBuilder().setQuery(q("SELECT 1")).build()));
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("reserved cap: refused after " + waitedMs + " ms (pool.tx.wait-timeout 1000 ms)");
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("transaction pool connection limit exceeded"),
                e.getStatus().getDescription());
        assertTrue(waitedMs >= TabletConfig.defaults().txPoolWaitTimeout().toMillis(),
                "waited the pool's wait timeout first: " + waitedMs + "ms");
        StatusRuntimeException begin = assertThrows(StatusRuntimeException.class,
                () -> stub.begin(BeginRequest.getDefaultInstance()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, begin.getStatus().getCode(), "transactions share the cap");

        release(a);
        long c = reserve("SELECT 1").getReservedId();
        release(b);
        release(c);
        assertEquals(0, tablet.engines.pools().tx().inUse());
    }
}
