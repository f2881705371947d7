package dev.mosaic.server.gate.executor;

import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.Target;
import dev.mosaic.server.sql.exec.BoundSql;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The queries one statement sent to shards, recorded for {@code VEXPLAIN QUERIES} (Vitess's
 * query log of a vexplain execution). Queries sent in one call (the shards of one scatter, the rows
 * of one insert split by shard) share a batch number, shown as the {@code #} column; within a batch
 * they are listed by keyspace and shard, so the listing does not depend on which shard answered
 * first. Thread-safe: the shards of one call record from the gate's shard-call pool.
 */
final class QueryLog {
    /**
     * One query sent to a shard.
     *
     * @param batch    the number of the call it was part of, from 0
     * @param keyspace the keyspace
     * @param shard    the shard
     * @param query    the SQL with its bind variables written as literals
     */
    record Entry(int batch, String keyspace, String shard, String query) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private int batch = -1;

    /** Starts the next call: the queries recorded from now on get a new batch number. */
    synchronized void newBatch() {
        batch++;
    }

    /** Records a query sent to {@code target}. */
    synchronized void record(Target target, BoundQuery query) {
        if (batch < 0) {
            batch = 0;
        }
        entries.add(new Entry(batch, target.getKeyspace(), target.getShard(),
                BoundSql.render(query.getSql(), ProtoValues.bindVariables(query))));
    }

    /** The recorded queries, by batch, then keyspace and shard (the order of a batch's calls is kept otherwise). */
    synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>(entries);
        out.sort(Comparator.comparingInt(Entry::batch).thenComparing(Entry::keyspace).thenComparing(Entry::shard));
        return out;
    }

    /** Starts a new batch in the log of {@code session}'s VEXPLAIN, if one is recording. */
    static void newBatch(GateSession session) {
        QueryLog log = session.queryLog();
        if (log != null) {
            log.newBatch();
        }
    }

    /** Records a query in the log of {@code session}'s VEXPLAIN, if one is recording. */
    static void record(GateSession session, Target target, BoundQuery query) {
        QueryLog log = session.queryLog();
        if (log != null) {
            log.record(target, query);
        }
    }
}
