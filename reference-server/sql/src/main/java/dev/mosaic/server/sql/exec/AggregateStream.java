package dev.mosaic.server.sql.exec;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.plan.AggregateParam;
import dev.mosaic.server.sql.plan.OrderBy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Combines per-shard partial aggregates at the gate, with MySQL's semantics: COUNT adds the
 * partial counts (0 for no rows); SUM adds the partial sums ignoring NULLs (NULL when all are
 * NULL), exactly as DECIMAL unless the column is floating point, so a SUM of integers is DECIMAL
 * as in MySQL; MIN and MAX ignore NULLs and compare by type (text through its weight-string
 * column when the plan has one, so the collation decides); AVG divides the summed sums by the
 * summed counts, as DECIMAL with four more digits of scale than the sums
 * ({@code div_precision_increment}), or as a double for floating-point columns, and is NULL when
 * the count is 0. COUNT(DISTINCT), SUM(DISTINCT) and AVG(DISTINCT) count, add or average the
 * distinct non-NULL values the shards returned (see
 * {@link AggregateParam.AggregateFunction#COUNT_DISTINCT}).
 *
 * <p>In raw mode (aggregation over a cross-shard join's rows) the input holds base values, not
 * partial aggregates: COUNT counts the non-NULL values, AVG divides the sum by that count, and SUM
 * and AVG take only numbers other than FLOAT (anything else fails with VT12001, since MySQL's
 * conversions are not reproduced here).
 *
 * <p>With grouping keys, the input must arrive sorted by them (the route's merge order); each
 * group is emitted as soon as the next begins, so memory holds one group. Without keys, it emits
 * exactly one row, even for an empty input. Columns that are not aggregates take the group's
 * first value.
 */
public final class AggregateStream implements RowStream {
    private final RowStream input;
    private final List<AggregateParam> aggregates;
    private final RowComparator groupEquality;
    private final boolean scalar;
    private final boolean raw;
    private final List<Field> fields;
    private Row pending;
    private boolean done;

    /** Aggregates partial aggregates {@code input} by {@code groupBy} (empty for scalar aggregation). */
    public AggregateStream(RowStream input, List<AggregateParam> aggregates, List<OrderBy> groupBy) {
        this(input, aggregates, groupBy, false);
    }

    /**
     * Aggregates {@code input} by {@code groupBy}; with {@code raw}, the input holds base values
     * (one per row) rather than partial aggregates: COUNT counts the non-NULL values, and AVG
     * divides the sum by that count (its count column is its own column).
     */
    public AggregateStream(RowStream input, List<AggregateParam> aggregates, List<OrderBy> groupBy, boolean raw) {
        this.raw = raw;
        this.input = input;
        this.aggregates = List.copyOf(aggregates);
        this.groupEquality = new RowComparator(groupBy, input.fields());
        this.scalar = groupBy.isEmpty();
        List<Field> out = new ArrayList<>(input.fields());
        for (AggregateParam a : aggregates) {
            Field f = input.fields().get(a.column());
            boolean sumOfValues = (raw && (a.function() == AggregateParam.AggregateFunction.SUM
                    || a.function() == AggregateParam.AggregateFunction.AVG))
                    || a.function() == AggregateParam.AggregateFunction.SUM_DISTINCT
                    || a.function() == AggregateParam.AggregateFunction.AVG_DISTINCT;
            if (sumOfValues && (f.type() == SqlType.FLOAT32 || !f.type().isNumber() && f.type() != SqlType.NULL_TYPE)) {
                // MySQL adds a FLOAT's exact binary value as a double (its printed text is another
                // value) and converts text and temporal values to numbers its own way.
                throw new MosaicException(SqlError.NOT_SUPPORTED_YET, "VT12001: unsupported: " + a.alias()
                        + " of a " + f.type() + " value at the gate");
            }
            out.set(a.column(), a.function() == AggregateParam.AggregateFunction.SUM_DISTINCT
                    ? rawResultField(AggregateParam.AggregateFunction.SUM, f)
                    : a.function() == AggregateParam.AggregateFunction.AVG_DISTINCT
                    ? rawResultField(AggregateParam.AggregateFunction.AVG, f)
                    : raw ? rawResultField(a.function(), f) : resultField(a.function(), f));
        }
        this.fields = List.copyOf(out);
    }

    /**
     * The field of an aggregate over the shards' partial results in column {@code f}. The shards
     * ran the aggregate (COUNT, SUM, MIN, MAX; SUM for AVG), so when the combined value keeps the
     * partial value's type, MySQL's own description of the partial aggregate holds for it and is
     * kept. AVG keeps it with MySQL's four more digits of scale ({@code div_precision_increment};
     * at most 30 for DECIMAL, 31 "not fixed" for floats) and four more of length. When the type
     * changes (a SUM over raw values), the result is a computed column, with the input's scale
     * when the input has a definition.
     */
    static Field resultField(AggregateParam.AggregateFunction fn, Field f) {
        if (fn == AggregateParam.AggregateFunction.COUNT_DISTINCT) {
            // The shards returned the distinct values themselves; the count is a computed BIGINT.
            return f.computedAs(SqlType.INT64, f.definition() == null ? -1 : 0);
        }
        SqlType type = resultType(fn, f.type());
        Field.Definition d = f.definition();
        if (type != f.type() || d == null || d.isComputed()) {
            int decimals = d == null || type == SqlType.INT64 ? -1
                    : fn == AggregateParam.AggregateFunction.AVG ? avgDecimals(type, d.decimals()) : d.decimals();
            return f.computedAs(type, decimals);
        }
        if (fn != AggregateParam.AggregateFunction.AVG) {
            return f;
        }
        return new Field(f.name(), type, new Field.Definition(d.schema(), d.table(), d.orgTable(), d.orgName(),
                d.columnLength() + 4, d.charset(), avgDecimals(type, d.decimals()), d.flags()));
    }

    /**
     * The field of an aggregate over base values in column {@code f}: MIN and MAX keep the
     * column's; COUNT, SUM and AVG are computed columns (SUM keeps the argument's scale, AVG adds
     * four digits).
     */
    static Field rawResultField(AggregateParam.AggregateFunction fn, Field f) {
        if (fn == AggregateParam.AggregateFunction.MIN || fn == AggregateParam.AggregateFunction.MAX) {
            return f;
        }
        SqlType type = resultType(fn, f.type());
        Field.Definition d = f.definition();
        int decimals = d == null ? -1 : type == SqlType.INT64 ? 0
                : fn == AggregateParam.AggregateFunction.AVG ? avgDecimals(type, d.decimals()) : d.decimals();
        return f.computedAs(type, decimals);
    }

    private static int avgDecimals(SqlType type, int decimals) {
        return type.isFloat() ? Math.min(decimals + 4, 31) : Math.min(decimals + 4, 30);
    }

    static SqlType resultType(AggregateParam.AggregateFunction fn, SqlType input) {
        return switch (fn) {
            case COUNT, COUNT_DISTINCT -> SqlType.INT64;
            case SUM, AVG, SUM_DISTINCT, AVG_DISTINCT -> input.isFloat() ? SqlType.FLOAT64 : SqlType.DECIMAL;
            case MIN, MAX -> input;
        };
    }

    @Override
    public List<Field> fields() {
        return fields;
    }

    @Override
    public Row next() {
        if (done) {
            return null;
        }
        Row first = pending != null ? pending : input.next();
        pending = null;
        if (first == null) {
            done = true;
            return scalar ? emptyResult() : null;
        }
        Accumulator acc = new Accumulator(first);
        Row r;
        while ((r = input.next()) != null) {
            if (!scalar && groupEquality.compare(first, r) != 0) {
                pending = r;
                return acc.result();
            }
            acc.add(r);
        }
        done = true;
        return acc.result();
    }

    private Row emptyResult() {
        byte[][] vals = new byte[fields.size()][];
        for (AggregateParam a : aggregates) {
            if (a.function() == AggregateParam.AggregateFunction.COUNT
                    || a.function() == AggregateParam.AggregateFunction.COUNT_DISTINCT) {
                vals[a.column()] = "0".getBytes(StandardCharsets.US_ASCII);
            }
        }
        return Row.ofBytes(vals);
    }

    @Override
    public void close() {
        input.close();
    }

    /** The running state of one group. */
    private final class Accumulator {
        private final Row first;
        private final long[] counts;
        private final BigDecimal[] decimals;
        private final double[] doubles;
        private final boolean[] seen;
        private final Row[] best;

        Accumulator(Row first) {
            this.first = first;
            int n = aggregates.size();
            counts = new long[n];
            decimals = new BigDecimal[n];
            doubles = new double[n];
            seen = new boolean[n];
            best = new Row[n];
            add(first);
        }

        void add(Row r) {
            for (int i = 0; i < aggregates.size(); i++) {
                AggregateParam a = aggregates.get(i);
                int col = a.column();
                SqlType type = input.fields().get(col).type();
                switch (a.function()) {
                    case COUNT -> {
                        if (!r.isNull(col)) {
                            counts[i] += raw ? 1 : ValueComparator.parseLong(r.buffer(), r.offset(col), r.length(col));
                        }
                    }
                    case SUM, AVG -> {
                        if (!r.isNull(col)) {
                            if (type.isFloat()) {
                                doubles[i] += Double.parseDouble(r.string(col));
                            } else {
                                BigDecimal v = ValueComparator.decimal(r.buffer(), r.offset(col), r.length(col));
                                decimals[i] = decimals[i] == null ? v : decimals[i].add(v);
                            }
                            seen[i] = true;
                        }
                        if (a.function() == AggregateParam.AggregateFunction.AVG && !r.isNull(a.countColumn())) {
                            int cc = a.countColumn();
                            counts[i] += raw ? 1 : ValueComparator.parseLong(r.buffer(), r.offset(cc), r.length(cc));
                        }
                    }
                    case COUNT_DISTINCT -> {
                        // Sorted input: a value differing from the last counted one is new.
                        if (!r.isNull(col)) {
                            if (best[i] == null || compare(a, type, r, best[i]) != 0) {
                                counts[i]++;
                            }
                            best[i] = r;
                        }
                    }
                    case SUM_DISTINCT, AVG_DISTINCT -> {
                        // Sorted input, as for COUNT_DISTINCT: each new value is added once.
                        if (!r.isNull(col) && (best[i] == null || compare(a, type, r, best[i]) != 0)) {
                            if (type.isFloat()) {
                                doubles[i] += Double.parseDouble(r.string(col));
                            } else {
                                BigDecimal v = ValueComparator.decimal(r.buffer(), r.offset(col), r.length(col));
                                decimals[i] = decimals[i] == null ? v : decimals[i].add(v);
                            }
                            counts[i]++;
                            seen[i] = true;
                        }
                        if (!r.isNull(col)) {
                            best[i] = r;
                        }
                    }
                    case MIN, MAX -> {
                        if (!r.isNull(col)) {
                            if (best[i] == null) {
                                best[i] = r;
                            } else {
                                int c = compare(a, type, r, best[i]);
                                if (a.function() == AggregateParam.AggregateFunction.MIN ? c < 0 : c > 0) {
                                    best[i] = r;
                                }
                            }
                        }
                    }
                }
            }
        }

        private int compare(AggregateParam a, SqlType type, Row r, Row other) {
            int col = a.column();
            int ws = a.weightStringColumn();
            return ws >= 0 && type.isText() && !r.isNull(ws) && !other.isNull(ws)
                    ? ValueComparator.compareBytes(r.buffer(), r.offset(ws), r.length(ws),
                            other.buffer(), other.offset(ws), other.length(ws))
                    : ValueComparator.compare(type, r, col, other, col);
        }

        Row result() {
            byte[][] vals = new byte[first.size()][];
            for (int c = 0; c < vals.length; c++) {
                vals[c] = first.bytes(c);
            }
            for (int i = 0; i < aggregates.size(); i++) {
                AggregateParam a = aggregates.get(i);
                int col = a.column();
                boolean isFloat = input.fields().get(col).type().isFloat();
                vals[col] = switch (a.function()) {
                    case COUNT, COUNT_DISTINCT -> Long.toString(counts[i]).getBytes(StandardCharsets.US_ASCII);
                    case SUM, SUM_DISTINCT -> !seen[i] ? null : isFloat ? Value.of(doubles[i]).toBytes()
                            : decimals[i].toPlainString().getBytes(StandardCharsets.US_ASCII);
                    case AVG, AVG_DISTINCT -> !seen[i] || counts[i] == 0 ? null : isFloat ? Value.of(doubles[i] / counts[i]).toBytes()
                            : decimals[i].divide(BigDecimal.valueOf(counts[i]), Math.max(0, decimals[i].scale()) + 4,
                            RoundingMode.HALF_UP).toPlainString().getBytes(StandardCharsets.US_ASCII);
                    case MIN, MAX -> best[i] == null ? null : best[i].bytes(col);
                };
                if (a.function() == AggregateParam.AggregateFunction.AVG && a.countColumn() != col) {
                    vals[a.countColumn()] = Long.toString(counts[i]).getBytes(StandardCharsets.US_ASCII);
                }
                if (a.weightStringColumn() >= 0 && (a.function() == AggregateParam.AggregateFunction.MIN
                        || a.function() == AggregateParam.AggregateFunction.MAX)) {
                    vals[a.weightStringColumn()] = best[i] == null ? null : best[i].bytes(a.weightStringColumn());
                }
            }
            return Row.ofBytes(vals);
        }
    }
}
