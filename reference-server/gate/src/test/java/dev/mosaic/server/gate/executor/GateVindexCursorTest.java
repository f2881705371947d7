package dev.mosaic.server.gate.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.Field;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Row;
import dev.mosaic.proto.query.Type;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.spi.vindex.VindexCursor.CommitOrder;
import dev.mosaic.spi.vindex.VindexCursor.ReadLock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateVindexCursorTest {
    /** A call the cursor made: where, how, what. */
    private record Call(String keyspace, String shard, boolean inSession, CommitOrder order, BoundQuery query) {
        Call(String keyspace, String shard, boolean inSession, BoundQuery query) {
            this(keyspace, shard, inSession, null, query);
        }
    }

    /** Records calls; every call answers {@code answer}. */
    private static final class Recorder implements GateVindexCursor.ShardCalls {
        final List<Call> calls = new ArrayList<>();
        QueryResult answer = QueryResult.getDefaultInstance();

        @Override
        public QueryResult inSession(String keyspace, ShardTarget shard, BoundQuery query) {
            calls.add(new Call(keyspace, shard.name(), true, query));
            return answer;
        }

        @Override
        public QueryResult standalone(String keyspace, ShardTarget shard, BoundQuery query) {
            calls.add(new Call(keyspace, shard.name(), false, query));
            return answer;
        }

        @Override
        public QueryResult inOrder(CommitOrder order, String keyspace, ShardTarget shard, BoundQuery query) {
            calls.add(new Call(keyspace, shard.name(), false, order, query));
            held.add(order + "/" + keyspace + "/" + shard.name());
            return answer;
        }

        @Override
        public boolean holdsOrdered(CommitOrder order, String keyspace, ShardTarget shard) {
            return held.contains(order + "/" + keyspace + "/" + shard.name());
        }

        final java.util.Set<String> held = new java.util.HashSet<>();
    }

    private static final ShardMap SHARDS = new ShardMap(Map.of(
            "lookups", List.of(ShardTarget.named("0")),
            "sharded", List.of(ShardTarget.named("-80"), ShardTarget.named("80-"))));

    private static GateVindexCursor cursor(Recorder r, boolean dmlInTx) {
        return new GateVindexCursor(() -> null, SHARDS, r, "sharded", "primary", dmlInTx);
    }

    /** Rows of (index INT64, keyspace_id VARBINARY). */
    private static QueryResult rows(Object[]... rows) {
        QueryResult.Builder b = QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("0").setType(Type.INT64))
                .addFields(Field.newBuilder().setName("keyspace_id").setType(Type.VARBINARY));
        for (Object[] row : rows) {
            byte[] index = String.valueOf(row[0]).getBytes(StandardCharsets.US_ASCII);
            byte[] ksid = (byte[]) row[1];
            Row.Builder rb = Row.newBuilder().addLengths(index.length);
            ByteString values = ByteString.copyFrom(index);
            if (ksid == null) {
                rb.addLengths(-1);
            } else {
                rb.addLengths(ksid.length);
                values = values.concat(ByteString.copyFrom(ksid));
            }
            b.addRows(rb.setValues(values));
        }
        return b.build();
    }

    @Test
    void selectReadsEveryKeyInOneQueryAndSortsRowsByKey() {
        Recorder r = new Recorder();
        r.answer = rows(new Object[] {1, new byte[] {(byte) 0x90}}, new Object[] {0, new byte[] {0x10}},
                new Object[] {1, new byte[] {(byte) 0xa0}});
        List<List<List<Value>>> got = cursor(r, false).select("lookups.email_lkp", List.of("email"),
                List.of(List.of(Value.of("a@x")), List.of(Value.of("b`x")), List.of(Value.of("none"))),
                List.of("keyspace_id"), ReadLock.NONE, CommitOrder.NORMAL);
        assertEquals(1, r.calls.size());
        Call c = r.calls.get(0);
        assertEquals("lookups", c.keyspace());
        assertEquals("0", c.shard());
        assertTrue(c.inSession());
        assertEquals("select 0, `keyspace_id` from `email_lkp` where `email` = :__lk0_0 union all "
                + "select 1, `keyspace_id` from `email_lkp` where `email` = :__lk1_0 union all "
                + "select 2, `keyspace_id` from `email_lkp` where `email` = :__lk2_0", c.query().getSql());
        assertEquals("b`x", c.query().getBindVariablesMap().get("__lk1_0").getValue().toStringUtf8());
        assertEquals(3, got.size());
        assertEquals(List.of(List.of(Value.of(new byte[] {0x10}))), got.get(0));
        assertEquals(List.of(List.of(Value.of(new byte[] {(byte) 0x90})), List.of(Value.of(new byte[] {(byte) 0xa0}))),
                got.get(1));
        assertEquals(List.of(), got.get(2));
    }

    @Test
    void preOrderReadsWithoutLockRunOutsideTheSession() {
        Recorder r = new Recorder();
        cursor(r, false).select("lookups.email_lkp", List.of("email"), List.of(List.of(Value.of("a@x"))),
                List.of("keyspace_id"), ReadLock.NONE, CommitOrder.PRE);
        assertEquals(1, r.calls.size());
        assertEquals(false, r.calls.get(0).inSession());
    }

    @Test
    void lockingReadsOfDmlInATransactionRunInTheirCommitOrderSessionOneQueryPerKey() {
        Recorder r = new Recorder();
        GateVindexCursor cursor = cursor(r, true);
        assertTrue(cursor.inTransactionAndIsDml());
        cursor.select("lookups.email_lkp", List.of("email", "keyspace_id"),
                List.of(List.of(Value.of("a@x"), Value.NULL), List.of(Value.of("b@x"), Value.of(new byte[] {1}))),
                List.of("email"), ReadLock.EXCLUSIVE, CommitOrder.PRE);
        assertEquals(2, r.calls.size());
        assertTrue(r.calls.stream().allMatch(c -> c.order() == CommitOrder.PRE));
        assertEquals("select 0, `email` from `email_lkp` where `email` = :__lk0_0 and `keyspace_id` is null for update",
                r.calls.get(0).query().getSql());
        assertEquals("select 1, `email` from `email_lkp` where `email` = :__lk1_0 and `keyspace_id` = :__lk1_1 for update",
                r.calls.get(1).query().getSql());
    }

    @Test
    void selectGoesToEveryShardOfAShardedLookupKeyspaceAndSelectAtToTheOwner() {
        Recorder r = new Recorder();
        GateVindexCursor cursor = cursor(r, false);
        cursor.select("sharded.t", List.of("c"), List.of(List.of(Value.of(1))), List.of("k"), ReadLock.NONE,
                CommitOrder.NORMAL);
        assertEquals(List.of("-80", "80-"), r.calls.stream().map(Call::shard).toList());
        r.calls.clear();
        cursor.selectAt(KeyspaceId.wrap(new byte[] {(byte) 0xc0}), "sharded.user", List.of("email"),
                List.of(List.of(Value.of("a@x"))), List.of("email"), ReadLock.SHARED, CommitOrder.NORMAL);
        assertEquals(1, r.calls.size());
        assertEquals("80-", r.calls.get(0).shard());
        assertTrue(r.calls.get(0).query().getSql().endsWith(" lock in share mode"));
    }

    @Test
    void writesGoToTheirCommitOrderSessionWithBoundValues() {
        Recorder r = new Recorder();
        GateVindexCursor cursor = cursor(r, true);
        cursor.insert("lookups.email_lkp", List.of("email", "keyspace_id"),
                List.of(List.of(Value.of("a@x"), Value.of(new byte[] {1})), List.of(Value.of("b@x"), Value.of(new byte[] {2}))),
                dev.mosaic.spi.vindex.VindexCursor.OnDuplicate.IGNORE, CommitOrder.PRE);
        cursor.delete("lookups.email_lkp", List.of("email", "keyspace_id"), List.of(Value.of("a@x"), Value.NULL),
                CommitOrder.POST);
        cursor.update("lookups.email_lkp", List.of("keyspace_id"), List.of(Value.of(new byte[] {3})), List.of("email"),
                List.of(Value.of("b@x")), CommitOrder.NORMAL);
        cursor.insert("lookups.phone_lkp", List.of("phone", "keyspace_id"), List.of(List.of(Value.of("5"), Value.of(new byte[] {1}))),
                dev.mosaic.spi.vindex.VindexCursor.OnDuplicate.UPDATE, CommitOrder.AUTOCOMMIT);
        assertEquals(4, r.calls.size());
        Call ins = r.calls.get(0);
        assertEquals(CommitOrder.PRE, ins.order());
        assertEquals("insert ignore into `email_lkp`(`email`, `keyspace_id`) values (:__lkins0_0, :__lkins0_1), "
                + "(:__lkins1_0, :__lkins1_1)", ins.query().getSql());
        assertEquals("b@x", ins.query().getBindVariablesMap().get("__lkins1_0").getValue().toStringUtf8());
        Call del = r.calls.get(1);
        assertEquals(CommitOrder.POST, del.order());
        assertEquals("delete from `email_lkp` where `email` = :__lkkey0 and `keyspace_id` is null", del.query().getSql());
        Call upd = r.calls.get(2);
        assertTrue(upd.inSession());
        assertEquals("update `email_lkp` set `keyspace_id` = :__lkset0 where `email` = :__lkkey0", upd.query().getSql());
        Call auto = r.calls.get(3);
        assertEquals(false, auto.inSession());
        assertEquals(null, auto.order());
        assertTrue(auto.query().getSql().endsWith(" on duplicate key update `phone` = values(`phone`), "
                + "`keyspace_id` = values(`keyspace_id`)"), auto.query().getSql());
    }

    @Test
    void plainReadsInACommitOrderJoinItsSessionOnceItExists() {
        Recorder r = new Recorder();
        GateVindexCursor cursor = cursor(r, true);
        cursor.select("lookups.email_lkp", List.of("email"), List.of(List.of(Value.of("a@x"))), List.of("keyspace_id"),
                ReadLock.NONE, CommitOrder.PRE);
        assertEquals(null, r.calls.get(0).order());
        cursor.insert("lookups.email_lkp", List.of("email", "keyspace_id"), List.of(List.of(Value.of("a@x"),
                Value.of(new byte[] {1}))), dev.mosaic.spi.vindex.VindexCursor.OnDuplicate.FAIL, CommitOrder.PRE);
        cursor.select("lookups.email_lkp", List.of("email"), List.of(List.of(Value.of("a@x"))), List.of("keyspace_id"),
                ReadLock.NONE, CommitOrder.PRE);
        assertEquals(CommitOrder.PRE, r.calls.get(2).order());
    }

    @Test
    void textProtocolValuesKeepTheirType() {
        assertEquals(Value.of(-5), GateVindexCursor.value(SqlType.INT64, "-5".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Value.ofUnsigned(-1L), GateVindexCursor.value(SqlType.UINT64,
                "18446744073709551615".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(new byte[] {0, (byte) 0xff}, GateVindexCursor.value(SqlType.VARBINARY, new byte[] {0, (byte) 0xff})
                .toBytes());
        assertEquals(Value.of("é"), GateVindexCursor.value(SqlType.VARCHAR, "é".getBytes(StandardCharsets.UTF_8)));
    }
}
