package dev.mosaic.server.gate.executor;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.proto.query.BoundQuery;
import dev.mosaic.proto.query.CallerID;
import dev.mosaic.proto.query.ExecuteOptions;
import dev.mosaic.proto.query.QueryResult;
import dev.mosaic.proto.query.Target;
import dev.mosaic.proto.topo.TabletType;
import dev.mosaic.server.gate.gateway.TabletGateway;
import dev.mosaic.server.sql.exec.RowStream;
import dev.mosaic.server.sql.exec.SequenceBinder;
import dev.mosaic.server.sql.exec.ShardTarget;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Values from sequence tables: {@code SELECT NEXT n VALUES FROM seq} routes, and auto-increment
 * columns filled from a sequence when an INSERT leaves them out or gives NULL or 0
 * ({@link SequenceBinder}). Both go to the primary of the
 * sequence's (unsharded) keyspace, outside any transaction of the session, as Vitess does: ids
 * handed out are never given back, so sequences have gaps but never repeat.
 *
 * <p>Thread-safe.
 */
final class Sequences {
    /** The bind variable carrying the count of a fill's one NEXT call. */
    static final String COUNT_BIND = "__seq_count";
    private static final ExecuteOptions OPTIONS = ExecuteOptions.getDefaultInstance();

    private final TabletGateway gateway;
    private final ShardMap shardMap;

    Sequences(TabletGateway gateway, ShardMap shardMap) {
        this.gateway = gateway;
        this.shardMap = shardMap;
    }

    /** Runs a {@link RouteOpcode#NEXT} route: the sequence's single shard answers with column {@code nextval}. */
    List<RowStream> next(GateSession session, CallerID caller, Primitive.Route route, BindVariables bindVars) {
        Target target = target(route.routing().keyspace());
        BoundQuery query = ProtoValues.boundQuery(route.query(), bindVars);
        QueryLog.newBatch(session);
        QueryLog.record(session, target, query);
        QueryResult r = gateway.execute(target, caller, query, OPTIONS);
        return List.of(ProtoValues.rows(r, shardMap, DatabaseNames.VITESS));
    }

    /**
     * The ids an insert generated: {@code first} is the first of {@code count} consecutive values
     * (0 and 0 when the statement gave every value itself).
     *
     * @param bindVars the statement's bind variables with {@code :__seqN} bound for every row
     */
    record Filled(BindVariables bindVars, long first, long count) {
        /**
         * The shards' results with the statement's insert id: the first generated value when there
         * is one (MySQL's LAST_INSERT_ID() is the first id the statement generated), else what the
         * shards reported.
         */
        List<QueryResult> withInsertId(List<QueryResult> results) {
            if (count == 0) {
                return results;
            }
            List<QueryResult> out = new ArrayList<>(results.size());
            for (QueryResult r : results) {
                out.add(r.toBuilder().setInsertId(first).build());
            }
            return out;
        }
    }

    /**
     * Binds {@code :__seqN} for every row of {@code insert}: the value the row gave, or the next
     * value of the sequence. All the values one statement needs come from one NEXT call, so a
     * multi-row insert gets consecutive ids.
     *
     * @throws MosaicException from the sequence's tablet; INVALID_ARGUMENT if its answer is not one integer
     */
    Filled fill(GateSession session, CallerID caller, Primitive.Insert insert, BindVariables bindVars) {
        Primitive.AutoIncrement auto = insert.autoIncrement().orElseThrow();
        int missing = SequenceBinder.idsNeeded(auto, bindVars);
        long first = 0;
        if (missing > 0) {
            String q = "select next :" + COUNT_BIND + " values from " + quote(auto.sequenceTable());
            Target target = target(auto.sequenceKeyspace());
            BoundQuery query = ProtoValues.boundQuery(q, BindVariables.of(Map.of(COUNT_BIND, Value.of(missing))));
            QueryLog.newBatch(session);
            QueryLog.record(session, target, query);
            QueryResult r = gateway.execute(target, caller, query, OPTIONS);
            first = firstValue(auto, r);
        }
        return new Filled(SequenceBinder.bind(auto, bindVars, new long[]{first}), first, missing);
    }

    private static long firstValue(Primitive.AutoIncrement auto, QueryResult r) {
        if (r.getRowsCount() != 1 || r.getRows(0).getLengthsCount() != 1) {
            throw new MosaicException(ErrorCode.INTERNAL, "sequence " + auto.sequenceKeyspace() + "." + auto.sequenceTable()
                    + " answered NEXT with " + r.getRowsCount() + " rows");
        }
        String text = r.getRows(0).getValues().toStringUtf8();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new MosaicException(ErrorCode.INTERNAL, "sequence " + auto.sequenceTable() + " answered NEXT with '" + text + "'");
        }
    }

    private Target target(String keyspace) {
        List<ShardTarget> shards = shardMap.shards(keyspace);
        if (shards.size() != 1) {
            throw new MosaicException(ErrorCode.FAILED_PRECONDITION, "sequence keyspace " + keyspace + " has "
                    + shards.size() + " shards; sequences live in an unsharded keyspace");
        }
        // Sequences reserve ids by writing their table: always the primary, whatever the session reads from.
        return Target.newBuilder().setKeyspace(keyspace).setShard(shards.get(0).name()).setTabletType(TabletType.PRIMARY).build();
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
