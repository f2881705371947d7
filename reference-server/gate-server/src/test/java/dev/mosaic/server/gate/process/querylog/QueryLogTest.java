package dev.mosaic.server.gate.process.querylog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.Value;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.RoutingRules;
import dev.mosaic.server.mysql.protocol.command.PreparedInfo;
import dev.mosaic.server.mysql.protocol.command.PreparedStatement;
import dev.mosaic.server.mysql.protocol.command.ResultSink;
import dev.mosaic.server.mysql.protocol.command.Session;
import dev.mosaic.server.mysql.protocol.command.SessionHandler;
import dev.mosaic.server.mysql.protocol.result.Column;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.planner.Planner;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import dev.mosaic.spi.Plugins;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryLogTest {
    private final ByteArrayOutputStream slowBytes = new ByteArrayOutputStream();
    private final PrintStream slow = new PrintStream(slowBytes, true, StandardCharsets.UTF_8);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private String slowLog() {
        return slowBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aggregatesPerNormalizedStatementAndSortsByTotalTime() {
        QueryLog log = new QueryLog(Duration.ofSeconds(1), 100, slow, registry);
        log.record("select * from t where id = :v1", "ks", 2_000_000, 1, null);
        log.record("select * from t where id = :v1", "ks", 4_000_000, 0, null);
        log.record("insert into t values (:v1)", "ks", 10_000_000, 1, "duplicate key");
        List<QueryLog.QueryStats> top = log.top(10);
        assertEquals(List.of("insert into t values (:v1)", "select * from t where id = :v1"),
                top.stream().map(QueryLog.QueryStats::query).toList());
        QueryLog.QueryStats select = top.get(1);
        assertEquals(2, select.count());
        assertEquals(Duration.ofMillis(6), select.total());
        assertEquals(Duration.ofMillis(3), select.mean());
        assertEquals(Duration.ofMillis(4), select.max());
        assertEquals(1, select.rows());
        assertEquals(0, select.errors());
        assertEquals(1, top.get(0).errors());
        assertEquals(3.0, registry.get("mosaic.gate.queries").tag("keyspace", "ks").counter().count());
        assertEquals(1.0, registry.get("mosaic.gate.query.errors").tag("keyspace", "ks").counter().count());
        assertEquals(Map.of("ks", 3L), Map.of("ks", log.totalsByKeyspace().get("ks")[0]));
        assertEquals("", slowLog(), "nothing reached the slow threshold");
    }

    @Test
    void slowStatementsGoToTheSlowLogWithTheirNormalizedText() {
        QueryLog log = new QueryLog(Duration.ofMillis(100), 100, slow, registry);
        log.record("select sleep(:v1) from dual", "", 99_000_000, 1, null);
        assertEquals("", slowLog());
        log.record("select sleep(:v1) from dual", "", 150_000_000, 1, null);
        log.record("update t set\nx = :v1", "ks", 200_000_000, 7, "lock \"wait\" timeout");
        String[] lines = slowLog().split("\n");
        assertEquals(2, lines.length, slowLog());
        assertTrue(lines[0].contains("latency_ms=150.000") && lines[0].contains("rows=1")
                && lines[0].contains("keyspace=-") && lines[0].endsWith("query=\"select sleep(:v1) from dual\""), lines[0]);
        assertTrue(lines[1].contains("rows=7") && lines[1].contains("keyspace=ks")
                && lines[1].contains("error=\"lock \\\"wait\\\" timeout\"") && lines[1].contains("update t set x = :v1"),
                lines[1]);
        assertEquals(2.0, registry.get("mosaic.gate.slow.queries").counter().count());
    }

    @Test
    void keepsAtMostMaxQueriesDroppingTheLeastRun() {
        QueryLog log = new QueryLog(Duration.ofSeconds(1), 2, slow, registry);
        log.record("a", "", 1, 0, null);
        log.record("a", "", 1, 0, null);
        log.record("b", "", 1, 0, null);
        log.record("c", "", 1, 0, null);
        assertEquals(List.of("a", "c"), log.top(10).stream().map(QueryLog.QueryStats::query).sorted().toList());
    }

    @Test
    void slidingRateCountsTheLastWholeSeconds() {
        long[] now = {1000};
        SlidingRate rate = new SlidingRate(10, () -> now[0]);
        for (int i = 0; i < 30; i++) {
            rate.increment();
        }
        assertEquals(0.0, rate.perSecond(), "the current second is not complete");
        now[0]++;
        assertEquals(3.0, rate.perSecond());
        rate.increment();
        now[0] += 10;
        assertEquals(0.1, rate.perSecond(), 1e-9, "the first second fell out of the window");
        now[0] += 30;
        assertEquals(0.0, rate.perSecond());
    }

    /** A handler that plans like the executor does and answers one row per statement. */
    private static final class PlanningHandler implements SessionHandler {
        final CachingPlanner planner;

        PlanningHandler(CachingPlanner planner) {
            this.planner = planner;
        }

        @Override
        public void query(Session session, String sql, ResultSink sink) {
            for (String stmt : sql.split(";")) {
                planner.plan(stmt, new Planner.Session("ks", "primary"));
                sink.columns(List.of());
                sink.row(new byte[0][]);
                sink.endRows();
            }
            if (sql.contains("fail")) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "it failed");
            }
        }

        @Override
        public PreparedInfo prepare(Session session, String sql) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void execute(Session session, PreparedStatement statement, List<Value> params, ResultSink sink) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void initDb(Session session, String schema) {
        }

        @Override
        public List<Column> fieldList(Session session, String table, String wildcard) {
            return List.of();
        }

        @Override
        public void reset(Session session) {
        }

        @Override
        public void close(Session session) {
        }
    }

    private static final class NullSink implements ResultSink {
        final List<String> calls = new ArrayList<>();

        @Override
        public void ok(long affectedRows, long lastInsertId, int warnings, String info) {
            calls.add("ok");
        }

        @Override
        public void columns(List<Column> columns) {
            calls.add("columns");
        }

        @Override
        public void row(byte[][] values) {
            calls.add("row");
        }

        @Override
        public void row(long[] lengths, ByteBuf values) {
            calls.add("row");
        }

        @Override
        public void endRows(int warnings) {
            calls.add("end");
        }
    }

    @Test
    void theHandlerLogsThePlannersNormalizedTextRowsErrorsAndSessions() {
        VSchemaSnapshot vschema = VSchemaSnapshot.build(Map.of("ks", KeyspaceVSchema.EMPTY), RoutingRules.EMPTY,
                Plugins.of(List.of()));
        CachingPlanner planner = new CachingPlanner(vschema, 10, registry);
        QueryLog log = new QueryLog(Duration.ofHours(1), 10, slow, registry);
        QueryLoggingHandler handler = new QueryLoggingHandler(new PlanningHandler(planner), planner, log);
        Session session = new Session(1, "app", null, 0, 45, Map.of(), "ks");
        handler.open(session);
        assertEquals(1, handler.openSessions());

        NullSink sink = new NullSink();
        handler.query(session, "SELECT a FROM t WHERE id = 5", sink);
        handler.query(session, "select a from t where id = 6", sink);
        assertEquals(List.of("columns", "row", "end", "columns", "row", "end"), sink.calls, "results pass through");
        assertThrows(MosaicException.class, () -> handler.query(session, "SELECT 1 FROM fail", sink));
        handler.query(session, "SELECT a FROM t WHERE id = 1; SELECT b FROM u", sink);

        List<QueryLog.QueryStats> top = log.top(10);
        QueryLog.QueryStats point = top.stream().filter(s -> s.count() == 2).findFirst().orElseThrow(() -> new AssertionError(top.toString()));
        assertEquals("select a from t where id = :vtg1", point.query().toLowerCase(java.util.Locale.ROOT)
                .replace("`", ""), "literals are bind variables: one entry for both");
        assertEquals("ks", point.keyspace());
        assertEquals(2, point.rows());
        assertEquals(1, top.stream().filter(s -> s.errors() == 1).count(), top.toString());
        assertTrue(top.stream().anyMatch(s -> s.query().contains("; ")), "a multi-statement query is one entry: " + top);

        handler.close(session);
        assertEquals(0, handler.openSessions());
    }
}
