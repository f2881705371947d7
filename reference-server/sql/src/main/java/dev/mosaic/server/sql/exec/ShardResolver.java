package dev.mosaic.server.sql.exec;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.key.KeyspaceId;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.RouteOpcode;
import dev.mosaic.server.sql.plan.Routing;
import dev.mosaic.server.sql.plan.ValueExpr;
import dev.mosaic.spi.vindex.Destination;
import dev.mosaic.spi.vindex.MultiColumnVindex;
import dev.mosaic.spi.vindex.SingleColumnVindex;
import dev.mosaic.spi.vindex.Vindex;
import dev.mosaic.spi.vindex.VindexCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a plan's routing into shards at execution time: evaluates the vindex value expressions
 * against the bind variables, maps them through the vindex, and picks the shards whose key ranges
 * hold the keyspace ids. Also splits a sharded INSERT's rows by shard.
 *
 * <p>Stateless; thread-safe as the vindexes are.
 */
public final class ShardResolver {
    private ShardResolver() {
    }

    /**
     * The shards a route or DML statement goes to, in shard order.
     *
     * @param routing  the plan's routing
     * @param bindVars the statement's bind variables
     * @param shards   the keyspace's shards, in key-range order
     * @param cursor   the cursor for lookup vindexes ({@link VindexCursor#NONE} for functional ones)
     * @throws MosaicException {@code INVALID_ARGUMENT} for a value the vindex cannot map
     */
    public static List<ShardTarget> resolve(Routing routing, BindVariables bindVars, List<ShardTarget> shards, VindexCursor cursor) {
        switch (routing.opcode()) {
            case SCATTER:
                return shards;
            case UNSHARDED, REFERENCE, NEXT, DBA:
                return shards.isEmpty() ? List.of() : List.of(shards.get(0));
            case NONE:
                // The predicate (vindex column = NULL) matches no row on any shard, but the client
                // still needs the columns, and an aggregate of no rows is a row (COUNT(*) = 0): one
                // shard runs the statement and answers exactly what the whole keyspace would.
                return shards.isEmpty() ? List.of() : List.of(shards.get(0));
            default:
                break;
        }
        Vindex vindex = routing.vindex().orElseThrow(() -> new MosaicException(ErrorCode.INTERNAL,
                "route " + routing.opcode() + " without a vindex")).vindex();
        List<Destination> dests = new ArrayList<>();
        if (vindex instanceof SingleColumnVindex sv) {
            Value v = routing.values().get(0).evaluate(bindVars);
            List<Value> ids = v instanceof Value.Tuple t ? t.values() : List.of(v);
            requireComparable(routing, ids);
            List<Destination> mapped = sv.map(cursor, ids);
            requireMapped(routing, sv, ids, mapped);
            dests.addAll(mapped);
        } else {
            List<Value> row = new ArrayList<>();
            for (ValueExpr e : routing.values()) {
                row.add(e.evaluate(bindVars));
            }
            dests.addAll(((MultiColumnVindex) vindex).map(cursor, List.of(row)));
        }
        boolean[] hit = new boolean[shards.size()];
        for (Destination d : dests) {
            mark(d, shards, hit);
        }
        List<ShardTarget> out = new ArrayList<>();
        for (int i = 0; i < hit.length; i++) {
            if (hit[i]) {
                out.add(shards.get(i));
            }
        }
        return out;
    }

    /**
     * One shard of an {@link RouteOpcode#IN} route and the values it owns, to bind as
     * {@code ::__vals} in its query.
     *
     * @param shard  the shard
     * @param values the IN values whose rows live there, in statement order
     */
    public record ShardValues(ShardTarget shard, Value.Tuple values) {
        /** Rejects nulls. */
        public ShardValues {
            Objects.requireNonNull(shard, "shard");
            Objects.requireNonNull(values, "values");
        }
    }

    /** The name of the list bind variable holding a shard's own values in an IN route's query. */
    public static final String SHARD_VALUES = "__vals";

    /**
     * For an {@link RouteOpcode#IN} route on a single-column vindex: the shards reached, each with
     * the values it owns (a value may reach several shards through a non-unique vindex).
     *
     * @throws MosaicException {@code INVALID_ARGUMENT} if the routing is not an IN on a single-column vindex
     */
    public static List<ShardValues> resolveIn(Routing routing, BindVariables bindVars, List<ShardTarget> shards, VindexCursor cursor) {
        if (routing.opcode() != RouteOpcode.IN || routing.vindex().isEmpty()
                || !(routing.vindex().get().vindex() instanceof SingleColumnVindex sv)) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "not an IN route on a single-column vindex: " + routing.opcode());
        }
        Value list = routing.values().get(0).evaluate(bindVars);
        List<Value> ids = list instanceof Value.Tuple t ? t.values() : List.of(list);
        requireComparable(routing, ids);
        List<Destination> dests = sv.map(cursor, ids);
        requireMapped(routing, sv, ids, dests);
        List<List<Value>> perShard = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            perShard.add(new ArrayList<>());
        }
        for (int v = 0; v < ids.size(); v++) {
            boolean[] hit = new boolean[shards.size()];
            mark(dests.get(v), shards, hit);
            for (int i = 0; i < hit.length; i++) {
                if (hit[i]) {
                    perShard.get(i).add(ids.get(v));
                }
            }
        }
        List<ShardValues> out = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            if (!perShard.get(i).isEmpty()) {
                out.add(new ShardValues(shards.get(i), new Value.Tuple(perShard.get(i))));
            }
        }
        return out;
    }

    /** Vindex types that hash a text (or binary) column's bytes: a number never routes like MySQL compares it. */
    private static final Set<String> TEXT_VINDEX_TYPES = Set.of("unicode_loose_md5", "unicode_loose_xxhash", "binary_md5", "binary");

    /** Vindex types that hash the value's text form and serve integer and text columns alike. */
    private static final Set<String> BYTES_VINDEX_TYPES = Set.of("xxhash");

    /** The text form of an integral number. */
    private static final Pattern INTEGER_TEXT = Pattern.compile("-?[0-9]+");

    /**
     * A number compared with a text column is compared as a number by MySQL: {@code label = 0}
     * matches every label that does not start with a digit, on every shard, while a text vindex
     * hashes the text {@code 0} and reads one shard. The plan is shared with {@code label = '0'}
     * (the literal became a bind variable), so the value's type is only known here: a number given
     * to a text vindex is rejected. An {@code xxhash} vindex hashes the value's text and serves both
     * integer and text columns, and the column's type is not known here: an integral number is
     * accepted (right for an integer column; on a text column {@code label = 0} is still the wrong
     * answer above), but a number whose text is not an integer's ({@code 7.0}, {@code 2.5},
     * {@code 1e20}) is rejected, as on an integer column MySQL matches 7 for {@code 7.0} while the
     * vindex hashes {@code "7.0"}.
     */
    private static void requireComparable(Routing routing, List<Value> ids) {
        Routing.PlannedVindex pv = routing.vindex().orElse(null);
        if (pv == null) {
            return;
        }
        boolean text = TEXT_VINDEX_TYPES.contains(pv.type());
        boolean bytes = BYTES_VINDEX_TYPES.contains(pv.type());
        if (!text && !bytes) {
            return;
        }
        for (Value id : ids) {
            if (!id.type().isNumber()) {
                continue;
            }
            String number = new String(id.toBytes(), StandardCharsets.US_ASCII);
            String column = String.join(", ", pv.columns());
            String vindex = pv.name().equals(pv.type()) ? pv.type() : pv.name() + " of type " + pv.type();
            if (text) {
                throw new MosaicException(SqlError.NOT_SUPPORTED_YET, "VT12001: unsupported: comparing vindex column "
                        + column + " (vindex " + vindex + ", a text vindex) with the number " + number
                        + ": MySQL compares it as a number and may match rows on every shard; write the value as a string ('"
                        + number + "')");
            }
            if (!INTEGER_TEXT.matcher(number).matches()) {
                throw new MosaicException(SqlError.NOT_SUPPORTED_YET, "VT12001: unsupported: comparing vindex column "
                        + column + " (vindex " + vindex + ", which hashes the value's text) with the non-integral number "
                        + number + ": MySQL compares it as a number (on an integer column " + number
                        + " may equal an integer) but the vindex hashes the text '" + number
                        + "' and may read the wrong shard; write the value as an integer, or as a string for a text column");
            }
        }
    }

    /**
     * A functional vindex that cannot compute a keyspace id for a non-NULL value (the {@code hash}
     * vindex given {@code 7.0} or {@code '7.0'}) does not mean no row matches: MySQL compares the
     * column with the value by its own rules and finds row 7. Routing it nowhere would answer
     * wrongly, so the statement is rejected instead. (A lookup vindex's miss is a real "no row".)
     */
    private static void requireMapped(Routing routing, SingleColumnVindex vindex, List<Value> ids, List<Destination> dests) {
        if (vindex.needsCursor()) {
            return;
        }
        for (int i = 0; i < ids.size(); i++) {
            Value id = ids.get(i);
            if (dests.get(i) instanceof Destination.None && !id.isNull()) {
                String name = routing.vindex().map(Routing.PlannedVindex::name).orElse("?");
                throw new MosaicException(SqlError.NOT_SUPPORTED_YET, "VT12001: unsupported: the value "
                        + new String(id.toBytes(), StandardCharsets.UTF_8) + " (" + id.getClass().getSimpleName()
                        + ") of vindex column " + String.join(", ", routing.vindex().map(Routing.PlannedVindex::columns)
                        .orElse(List.of())) + " cannot be mapped by vindex " + name
                        + "; MySQL may still match rows with it: write the value as the column's type");
            }
        }
    }

    private static void mark(Destination d, List<ShardTarget> shards, boolean[] hit) {
        if (d instanceof Destination.One one) {
            hit[shardOf(one.id(), shards)] = true;
        } else if (d instanceof Destination.Many many) {
            for (KeyspaceId id : many.ids()) {
                hit[shardOf(id, shards)] = true;
            }
        } else if (d instanceof Destination.Range r) {
            for (int i = 0; i < shards.size(); i++) {
                if (shards.get(i).range().intersects(r.range())) {
                    hit[i] = true;
                }
            }
        }
    }

    private static int shardOf(KeyspaceId id, List<ShardTarget> shards) {
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).range().contains(id)) {
                return i;
            }
        }
        throw new MosaicException(ErrorCode.UNAVAILABLE, "no shard holds keyspace id " + id.toHex());
    }

    /**
     * The query one shard receives for an INSERT, with the indexes of the rows it holds.
     *
     * @param shard the shard
     * @param query the statement text (rows of this shard only)
     * @param rows  the row indexes, in statement order
     */
    public record ShardInsert(ShardTarget shard, String query, List<Integer> rows) {
        /** Copies the list; rejects nulls. */
        public ShardInsert {
            Objects.requireNonNull(shard, "shard");
            Objects.requireNonNull(query, "query");
            rows = List.copyOf(rows);
        }
    }

    /**
     * Splits an INSERT by shard. An unsharded insert goes whole to the first shard; a sharded one
     * sends each row to the shard of its keyspace id under the primary vindex. Sequence values
     * ({@code __seqN}) must already be bound.
     *
     * @throws MosaicException {@code INVALID_ARGUMENT} when a row's vindex value maps to no keyspace
     *                         id (e.g. NULL), naming the row
     */
    public static List<ShardInsert> splitInsert(Primitive.Insert insert, BindVariables bindVars, List<ShardTarget> shards,
                                                VindexCursor cursor) {
        if (insert.rowVindexValues().isEmpty()) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < insert.rowTemplates().size(); i++) {
                all.add(i);
            }
            return List.of(new ShardInsert(shards.get(0), insert.query(), all));
        }
        List<KeyspaceId> ksids = insertKeyspaceIds(insert, bindVars, cursor);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < ksids.size(); i++) {
            all.add(i);
        }
        return splitInsert(insert, shards, ksids, all);
    }

    /**
     * The keyspace id of each row of a sharded INSERT under its primary vindex. Sequence values
     * ({@code __seqN}) must already be bound.
     *
     * @throws MosaicException {@code INVALID_ARGUMENT} when a row's vindex value maps to no keyspace
     *                         id (e.g. NULL), naming the row
     */
    public static List<KeyspaceId> insertKeyspaceIds(Primitive.Insert insert, BindVariables bindVars, VindexCursor cursor) {
        Vindex vindex = insert.routing().vindex().orElseThrow().vindex();
        List<List<Value>> rows = evaluate(insert.rowVindexValues(), bindVars);
        List<Destination> dests;
        if (vindex instanceof SingleColumnVindex sv) {
            dests = sv.map(cursor, rows.stream().map(r -> r.get(0)).toList());
        } else {
            dests = ((MultiColumnVindex) vindex).map(cursor, rows);
        }
        List<KeyspaceId> out = new ArrayList<>(dests.size());
        for (int r = 0; r < dests.size(); r++) {
            if (!(dests.get(r) instanceof Destination.One one)) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "could not map " + rows.get(r) + " to a keyspace id (row "
                        + (r + 1) + " of the insert into " + insert.table() + ")");
            }
            out.add(one.id());
        }
        return out;
    }

    /** Each row's values of expressions, evaluated with {@code bindVars}. */
    public static List<List<Value>> evaluate(List<List<ValueExpr>> rows, BindVariables bindVars) {
        List<List<Value>> out = new ArrayList<>(rows.size());
        for (List<ValueExpr> row : rows) {
            List<Value> vals = new ArrayList<>(row.size());
            for (ValueExpr e : row) {
                vals.add(e.evaluate(bindVars));
            }
            out.add(vals);
        }
        return out;
    }

    /**
     * Splits the rows {@code keep} (indexes, in statement order) of a sharded INSERT by the shard of
     * their keyspace ids; rows not kept are left out (an INSERT IGNORE whose lookup entry exists).
     */
    public static List<ShardInsert> splitInsert(Primitive.Insert insert, List<ShardTarget> shards, List<KeyspaceId> ksids,
                                                List<Integer> keep) {
        Map<Integer, List<Integer>> byShard = new LinkedHashMap<>();
        for (int r : keep) {
            byShard.computeIfAbsent(shardOf(ksids.get(r), shards), k -> new ArrayList<>()).add(r);
        }
        List<ShardInsert> out = new ArrayList<>();
        for (int s = 0; s < shards.size(); s++) {
            List<Integer> idx = byShard.get(s);
            if (idx == null) {
                continue;
            }
            StringBuilder q = new StringBuilder(insert.prefix());
            for (int i = 0; i < idx.size(); i++) {
                q.append(i == 0 ? "" : ", ").append(insert.rowTemplates().get(idx.get(i)));
            }
            q.append(insert.suffix());
            out.add(new ShardInsert(shards.get(s), q.toString(), idx));
        }
        return out;
    }

    /** The shard of {@code shards} whose key range holds {@code id}. */
    public static ShardTarget shardFor(KeyspaceId id, List<ShardTarget> shards) {
        return shards.get(shardOf(id, shards));
    }
}
