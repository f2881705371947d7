package dev.mosaic.server.sql.exec;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.plan.Primitive;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of its input for which every comparison holds (a gate-side HAVING). Numeric columns
 * only: integers and DECIMAL compare exactly (as {@link BigDecimal}), FLOAT and DOUBLE as doubles,
 * as MySQL compares a number column with a number. A NULL on either side makes a comparison not
 * true. Any other column type, or a value that is not a number, is rejected with VT12001: MySQL's
 * conversions (a string compared with a number, text under a collation, temporal values) are not
 * reproduced.
 */
public final class FilterStream implements RowStream {
    private final RowStream input;
    private final List<Primitive.Comparison> conditions;
    private final List<Value> values = new ArrayList<>();

    /** Filters {@code input} by {@code conditions}, their values taken from {@code bindVars}. */
    public FilterStream(RowStream input, List<Primitive.Comparison> conditions, BindVariables bindVars) {
        this.input = input;
        this.conditions = List.copyOf(conditions);
        for (Primitive.Comparison c : conditions) {
            Field f = input.fields().get(c.column());
            if (!f.type().isNumber()) {
                throw unsupported("HAVING across shards comparing column " + f.name() + " of type " + f.type()
                        + " (only numeric values are compared at the gate)");
            }
            Value v = c.value().evaluate(bindVars);
            if (!(v.isNull() || v instanceof Value.Int || v instanceof Value.Uint || v instanceof Value.Decimal
                    || v instanceof Value.Float)) {
                throw unsupported("HAVING across shards comparing with " + v.toSqlLiteral()
                        + ", which is not a number (write the number without quotes)");
            }
            values.add(v);
        }
    }

    private static MosaicException unsupported(String what) {
        return new MosaicException(SqlError.NOT_SUPPORTED_YET, "VT12001: unsupported: " + what);
    }

    @Override
    public List<Field> fields() {
        return input.fields();
    }

    @Override
    public Row next() {
        Row r;
        while ((r = input.next()) != null) {
            if (matches(r)) {
                return r;
            }
        }
        return null;
    }

    private boolean matches(Row r) {
        for (int i = 0; i < conditions.size(); i++) {
            Primitive.Comparison c = conditions.get(i);
            Value v = values.get(i);
            if (r.isNull(c.column()) || v.isNull()) {
                return false;
            }
            String text = new String(r.buffer(), r.offset(c.column()), r.length(c.column()), StandardCharsets.US_ASCII);
            SqlType type = input.fields().get(c.column()).type();
            int cmp;
            if (type.isFloat() || v instanceof Value.Float) {
                cmp = Double.compare(Double.parseDouble(text), number(v).doubleValue());
            } else {
                cmp = new BigDecimal(text).compareTo(number(v));
            }
            boolean ok = switch (c.op()) {
                case EQ -> cmp == 0;
                case NE -> cmp != 0;
                case LT -> cmp < 0;
                case LE -> cmp <= 0;
                case GT -> cmp > 0;
                case GE -> cmp >= 0;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal number(Value v) {
        if (v instanceof Value.Int i) {
            return BigDecimal.valueOf(i.value());
        }
        if (v instanceof Value.Uint u) {
            return new BigDecimal(u.toBigInteger());
        }
        if (v instanceof Value.Decimal d) {
            return d.value();
        }
        if (v instanceof Value.Float f) {
            return BigDecimal.valueOf(f.value());
        }
        throw new IllegalStateException("not a number: " + v);
    }

    @Override
    public void close() {
        input.close();
    }
}
