package dev.mosaic.server.sql.exec;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.plan.Primitive;
import java.util.List;

/**
 * Executes the read side of a plan over shard results: routes become shard streams (merge-sorted
 * when the route has an order, concatenated otherwise, helper columns dropped), and Limit,
 * Aggregate and Distinct become streaming operators over them. The network is behind
 * {@link ShardSource}.
 */
public final class ResultMerger {
    /** The name of the bind variable carrying {@code offset + count} to shards under a LIMIT with OFFSET. */
    public static final String UPPER_LIMIT = "__upper_limit";

    /** Runs a route on its shards. */
    @FunctionalInterface
    public interface ShardSource {
        /**
         * One result stream per shard the route reaches (at least one; a route reaching no shard
         * returns one empty stream with the route's fields). For an IN route the source binds
         * {@code ::__vals} per shard to the values that shard owns
         * ({@link ShardResolver#resolveIn}).
         */
        List<RowStream> execute(Primitive.Route route, BindVariables bindVars);
    }

    private ResultMerger() {
    }

    /**
     * Opens the result of {@code plan}.
     *
     * @throws MosaicException {@code UNIMPLEMENTED} for a primitive that is not a read over shards,
     *                         {@code INVALID_ARGUMENT} for a LIMIT value that is not a non-negative integer
     */
    public static RowStream open(Primitive plan, BindVariables bindVars, ShardSource source) {
        if (plan instanceof Primitive.Route r) {
            List<RowStream> shards = source.execute(r, bindVars);
            RowStream merged = shards.size() == 1 ? shards.get(0)
                    : r.orderBy().isEmpty() ? new ConcatStream(shards) : new MergeSortStream(shards, r.orderBy());
            return r.truncateColumns() > 0 ? new TruncateStream(merged, r.truncateColumns()) : merged;
        }
        if (plan instanceof Primitive.Limit l) {
            long count = nonNegative(l.count().evaluate(bindVars), "LIMIT");
            long offset = l.offset().isPresent() ? nonNegative(l.offset().get().evaluate(bindVars), "OFFSET") : 0;
            BindVariables inner = bindVars.with(UPPER_LIMIT, Value.of(count + offset));
            return new LimitStream(open(l.input(), inner, source), count, offset);
        }
        if (plan instanceof Primitive.Aggregate a) {
            RowStream agg = new AggregateStream(open(a.input(), bindVars, source), a.aggregates(), a.groupBy(), a.raw());
            return a.truncateColumns() > 0 ? new TruncateStream(agg, a.truncateColumns()) : agg;
        }
        if (plan instanceof Primitive.MemorySort m) {
            RowStream sorted = new MemorySortStream(open(m.input(), bindVars, source), m.orderBy());
            return m.truncateColumns() > 0 ? new TruncateStream(sorted, m.truncateColumns()) : sorted;
        }
        if (plan instanceof Primitive.Distinct d) {
            RowStream distinct = new DistinctStream(open(d.input(), bindVars, source), d.columns());
            return d.truncateColumns() > 0 ? new TruncateStream(distinct, d.truncateColumns()) : distinct;
        }
        if (plan instanceof Primitive.Filter f) {
            RowStream in = open(f.input(), bindVars, source);
            RowStream filtered;
            try {
                filtered = new FilterStream(in, f.conditions(), bindVars);
            } catch (RuntimeException e) {
                in.close();
                throw e;
            }
            return f.truncateColumns() > 0 ? new TruncateStream(filtered, f.truncateColumns()) : filtered;
        }
        if (plan instanceof Primitive.PulloutSubquery q) {
            return open(q.outer(), pullout(q, bindVars, source), source);
        }
        if (plan instanceof Primitive.Concatenate c) {
            List<RowStream> inputs = new java.util.ArrayList<>();
            try {
                for (Primitive in : c.inputs()) {
                    inputs.add(open(in, bindVars, source));
                }
                checkUnionColumns(inputs);
            } catch (RuntimeException e) {
                inputs.forEach(RowStream::close);
                throw e;
            }
            return new ConcatStream(inputs);
        }
        if (plan instanceof Primitive.Join j) {
            return new JoinStream(j, bindVars, source);
        }
        throw new MosaicException(ErrorCode.UNIMPLEMENTED, plan.getClass().getSimpleName() + " is not a merging primitive");
    }

    /**
     * UNION ALL concatenates values as the shards printed them, which is MySQL's answer only when
     * every branch's column has the same type (MySQL converts to a common type: an INT beside a
     * DECIMAL prints {@code 5.00}); integer types mix freely (their text does not change).
     */
    private static void checkUnionColumns(List<RowStream> inputs) {
        List<Field> first = inputs.get(0).fields();
        for (RowStream in : inputs.subList(1, inputs.size())) {
            List<Field> fields = in.fields();
            if (fields.size() != first.size()) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT,
                        "The used SELECT statements have a different number of columns");
            }
            for (int i = 0; i < fields.size(); i++) {
                Field a = first.get(i);
                Field b = fields.get(i);
                boolean same = a.type() == b.type() || a.type().isIntegral() && b.type().isIntegral();
                if (same && a.type() == SqlType.DECIMAL && a.definition() != null && b.definition() != null
                        && a.definition().decimals() != b.definition().decimals()) {
                    same = false;
                }
                if (same && a.type().isText() && a.definition() != null && b.definition() != null
                        && !a.definition().isComputed() && !b.definition().isComputed()
                        && a.definition().charset() != b.definition().charset()) {
                    // MySQL derives one collation for the union's column (or fails): the gate cannot compare or print both.
                    throw new MosaicException(dev.mosaic.api.error.SqlError.NOT_SUPPORTED_YET, "VT12001: unsupported: UNION"
                            + " across shards of text columns with different collations (column " + (i + 1) + ": ids "
                            + a.definition().charset() + " and " + b.definition().charset() + ")");
                }
                if (!same) {
                    throw new MosaicException(dev.mosaic.api.error.SqlError.NOT_SUPPORTED_YET, "VT12001: unsupported: UNION"
                            + " across shards of columns of different types (column " + (i + 1) + ": " + a.type() + " and " + b.type()
                            + "); MySQL would convert them to a common type");
                }
            }
        }
    }

    /** Runs a pulled-out subquery and binds its result for the outer query. */
    private static BindVariables pullout(Primitive.PulloutSubquery q, BindVariables bindVars, ShardSource source) {
        if (q.opcode() == Primitive.PulloutOpcode.EXISTS) {
            try (RowStream s = open(q.subquery(), bindVars, source)) {
                return bindVars.with(q.hasValuesVar(), Value.of(s.next() != null ? 1 : 0));
            }
        }
        List<Value> values = new java.util.ArrayList<>();
        try (RowStream s = open(q.subquery(), bindVars, source)) {
            if (s.fields().size() != 1) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "Operand should contain 1 column(s)");
            }
            SqlType type = s.fields().get(0).type();
            for (Row r = s.next(); r != null; r = s.next()) {
                values.add(JoinStream.value(r, 0, type));
                if (q.opcode() == Primitive.PulloutOpcode.VALUE && values.size() > 1) {
                    throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "Subquery returns more than 1 row");
                }
            }
        }
        if (q.opcode() == Primitive.PulloutOpcode.VALUE) {
            return bindVars.with(q.valueVar(), values.isEmpty() ? Value.NULL : values.get(0));
        }
        // No rows: the list is never read (":has = 1 AND .." / ":has = 0 OR .."), but must not be empty.
        Value list = values.isEmpty() ? Value.tuple(Value.of(0)) : Value.tuple(values.toArray(Value[]::new));
        return bindVars.with(q.hasValuesVar(), Value.of(values.isEmpty() ? 0 : 1)).with(q.valueVar(), list);
    }

    private static long nonNegative(Value v, String what) {
        if (v instanceof Value.Int i && i.value() >= 0) {
            return i.value();
        }
        if (v instanceof Value.Uint u && u.bits() >= 0) {
            return u.bits();
        }
        throw new MosaicException(ErrorCode.INVALID_ARGUMENT, what + " must be a non-negative integer, got " + v.toSqlLiteral());
    }
}
