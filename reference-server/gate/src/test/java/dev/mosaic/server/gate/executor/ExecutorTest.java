package dev.mosaic.server.gate.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.api.vschema.KeyspaceVSchema;
import dev.mosaic.api.vschema.RoutingRules;
import dev.mosaic.proto.query.BindVariable;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.proto.query.Type;
import dev.mosaic.server.mysql.protocol.command.ResultSink;
import dev.mosaic.server.mysql.protocol.result.Column;
import dev.mosaic.server.sql.cache.CachingPlanner;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.sql.planner.VSchemaSnapshot;
import dev.mosaic.spi.Plugins;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the executor answers or rejects without reaching a tablet (no gateway: a call to one
 * would fail the test), and the conversion of bind variables to the tablet's messages.
 */
class ExecutorTest {
    private static final String VSCHEMA = """
            {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
             "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
            """;
    private static final CallerID CALLER = CallerID.newBuilder().setPrincipal("app").build();

    private final Executor executor = new Executor(
            new CachingPlanner(VSchemaSnapshot.build(Map.of("customer", KeyspaceVSchema.fromJson(VSCHEMA)),
                    RoutingRules.EMPTY, Plugins.load(ExecutorTest.class.getClassLoader())), 100, new SimpleMeterRegistry()),
            null, new ShardMap(Map.of("customer", List.of(ShardTarget.named("-80"), ShardTarget.named("80-")))),
            null, "8.0.31-Mosaic");

    /** Records what the executor writes, as text. */
    static final class Recording implements ResultSink {
        final List<String> columns = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        int oks;

        @Override
        public void ok(long affectedRows, long lastInsertId, int warnings, String info) {
            oks++;
        }

        @Override
        public void columns(List<Column> cols) {
            cols.forEach(c -> columns.add(c.name()));
        }

        @Override
        public void row(byte[][] values) {
            rows.add(Arrays.stream(values).map(v -> v == null ? null : new String(v, StandardCharsets.UTF_8)).toList());
        }

        @Override
        public void row(long[] lengths, ByteBuf values) {
            throw new AssertionError("no shard rows expected");
        }

        @Override
        public void endRows(int warnings) {
        }
    }

    private Recording run(GateSession session, String sql) {
        Recording r = new Recording();
        executor.execute(session, CALLER, sql, r);
        return r;
    }

    @Test
    void useAndGateAnsweredSelects() {
        GateSession s = new GateSession(42);
        assertNull(run(s, "SELECT DATABASE()").rows.get(0).get(0));
        assertEquals(1, run(s, "USE customer").oks);
        assertEquals("customer", s.keyspace());
        assertEquals("primary", s.tabletType());
        Recording r = run(s, "SELECT @@version, DATABASE(), CONNECTION_ID()");
        assertEquals(List.of(List.of("8.0.31-Mosaic", "customer", "42")), r.rows);
        assertEquals(3, r.columns.size());
        run(s, "USE customer@replica");
        assertEquals("replica", s.tabletType());
    }

    @Test
    void rejectsWithMysqlErrors() {
        GateSession s = new GateSession(1);
        record Case(String sql, int errno) {
        }
        for (Case c : List.of(
                new Case("USE nosuch", 1049),
                new Case("SET autocommit = 'maybe'", 1231),
                new Case("SET NAMES koi8r", 1115),
                new Case("SET no_such_variable = 1", 1193),
                new Case("SET GLOBAL sql_mode = ''", 1235),
                new Case("SET @@transaction_isolation = 'CHAOS'", 1231),
                new Case("ROLLBACK TO SAVEPOINT nowhere", 1305),
                new Case("RELEASE SAVEPOINT nowhere", 1305),
                new Case("USE customer/-90", 1049),
                new Case("USE nosuch/-80", 1049),
                new Case("USE `customer/-80@nosuchtype`", 1049))) {
            MosaicException e = assertThrows(MosaicException.class, () -> run(s, c.sql()), c.sql());
            assertEquals(c.errno(), e.mysqlErrno(), c.sql() + ": " + e.getMessage());
        }
        assertEquals(1, run(s, "COMMIT").oks, "COMMIT with nothing open is accepted");
        assertEquals(1, run(s, "SET autocommit = 1, NAMES utf8mb4").oks);
        assertTrue(s.variables().containsKey("SESSION:autocommit"), s.variables().toString());
        assertEquals(1, run(s, "SET character_set_results = NULL, wait_timeout = 60").oks);
        assertEquals(1, run(s, "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci").oks);
        assertEquals(1, run(s, "SET NAMES 'latin1'").oks);
        assertEquals(1, run(s, "SET collation_connection = utf8mb4_general_ci").oks);
        assertEquals(1, run(s, "SAVEPOINT outside").oks, "a savepoint outside a transaction is a no-op, as in MySQL");
    }

    /** Transaction state the gate keeps before any shard joins (no gateway: reaching a shard would fail). */
    @Test
    void transactionStateAtTheGate() {
        GateSession s = new GateSession(7);
        List<String> flags = new ArrayList<>();
        s.statusListener((autocommit, inTx) -> flags.add((autocommit ? "ac" : "noac") + (inTx ? "+tx" : "")));
        assertEquals(List.of("ac"), flags);

        run(s, "BEGIN");
        assertTrue(s.inTransaction());
        assertEquals(1, executor.stats().openTransactions());
        run(s, "SAVEPOINT a");
        run(s, "SAVEPOINT b");
        run(s, "ROLLBACK TO a");
        MosaicException released = assertThrows(MosaicException.class, () -> run(s, "RELEASE SAVEPOINT b"));
        assertEquals(1305, released.mysqlErrno(), "ROLLBACK TO a removed the later savepoint b");
        run(s, "RELEASE SAVEPOINT a");
        assertEquals(1305, assertThrows(MosaicException.class, () -> run(s, "ROLLBACK TO a")).mysqlErrno());
        MosaicException characteristics = assertThrows(MosaicException.class,
                () -> run(s, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED"));
        assertEquals(1568, characteristics.mysqlErrno());
        MosaicException replica = assertThrows(MosaicException.class, () -> run(s, "USE customer@replica"));
        assertEquals("primary", s.tabletType(), replica.getMessage());
        run(s, "BEGIN"); // commits the open transaction (no shard joined) and begins another
        assertEquals(1, executor.stats().openTransactions());
        run(s, "COMMIT");
        assertTrue(!s.inTransaction());
        assertEquals(0, executor.stats().openTransactions());
        run(s, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED");

        run(s, "SET @@autocommit = OFF");
        assertEquals(List.of(List.of("0")), run(s, "SELECT @@autocommit").rows);
        assertTrue(!s.inTransaction(), "autocommit off opens a transaction only when a statement reaches a shard");
        run(s, "SET SESSION autocommit = 1");
        assertEquals(List.of(List.of("1")), run(s, "SELECT @@session.autocommit").rows);
        assertEquals(List.of("ac", "ac+tx", "ac", "ac+tx", "ac", "noac", "ac"), flags);

        run(s, "SET autocommit = 0");
        run(s, "BEGIN");
        executor.closeSession(s, CALLER);
        assertTrue(!s.inTransaction());
        assertEquals(0, executor.stats().openTransactions());
        executor.resetSession(s, CALLER);
        assertTrue(s.autocommit(), "COM_RESET_CONNECTION turns autocommit back on");
    }

    @Test
    void showAnswersFromTheShardMap() {
        GateSession s = new GateSession(1);
        Recording dbs = run(s, "SHOW DATABASES");
        assertEquals(List.of("Database"), dbs.columns);
        assertEquals(List.of(List.of("customer"), List.of("information_schema"), List.of("mysql"), List.of("sys"),
                List.of("performance_schema")), dbs.rows);
        Recording shards = run(s, "SHOW VITESS_SHARDS LIKE '%/80-'");
        assertEquals(List.of("Shards"), shards.columns);
        assertEquals(List.of(List.of("customer/80-")), shards.rows);
        assertEquals(List.of(List.of("customer")), run(s, "SHOW VITESS_KEYSPACES").rows);
        Recording warnings = run(s, "SHOW WARNINGS");
        assertEquals(List.of("Level", "Code", "Message"), warnings.columns);
        assertEquals(List.of(), warnings.rows);
    }

    @Test
    void useKeyspaceSlashShardTargetsTheShardUntilThePlainUse() {
        GateSession s = new GateSession(1);
        assertEquals(1, run(s, "USE customer/-80").oks);
        assertEquals("customer", s.keyspace());
        assertEquals("-80", s.shard());
        assertEquals(List.of(List.of("customer")), run(s, "SELECT DATABASE()").rows, "still answered by the gate");
        run(s, "use `customer/80-@replica`");
        assertEquals("80-", s.shard());
        assertEquals("replica", s.tabletType());
        run(s, "USE customer");
        assertNull(s.shard());
        assertEquals("primary", s.tabletType());
    }

    @Test
    void bindVariablesReachTabletsAsMysqlText() {
        BoundQuery q = ProtoValues.boundQuery("SELECT :a, :b, :c, :d", BindVariables.of(Map.of(
                "a", Value.of(-7L), "b", Value.of("x'y"), "c", Value.NULL,
                "d", Value.tuple(Value.of(1L), Value.of(2L)))));
        Map<String, BindVariable> bv = q.getBindVariablesMap();
        assertEquals(Type.INT64, bv.get("a").getType());
        assertEquals("-7", bv.get("a").getValue().toStringUtf8());
        assertEquals("x'y", bv.get("b").getValue().toStringUtf8());
        assertEquals(Type.NULL_TYPE, bv.get("c").getType());
        assertEquals(Type.TUPLE, bv.get("d").getType());
        assertEquals(List.of("1", "2"), bv.get("d").getValuesList().stream().map(v -> v.getValue().toStringUtf8()).toList());
    }
}
