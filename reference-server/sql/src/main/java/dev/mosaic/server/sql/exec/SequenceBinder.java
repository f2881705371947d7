package dev.mosaic.server.sql.exec;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.plan.Primitive;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds an INSERT's auto-increment values ({@code :__seqN}): a row that gave a value keeps it, a
 * row that gave none, NULL or 0 takes the next id reserved from the sequence (MySQL treats 0 as
 * "generate" unless {@code NO_AUTO_VALUE_ON_ZERO} is set, and so does Vitess; the gate does not
 * look at the session's sql_mode).
 */
public final class SequenceBinder {
    private SequenceBinder() {
    }

    /** Whether a row that gave {@code v} takes the next id: NULL, or a number equal to 0. */
    public static boolean takesNextId(Value v) {
        if (v.isNull()) {
            return true;
        }
        if (v instanceof Value.Int i) {
            return i.value() == 0;
        }
        if (v instanceof Value.Uint u) {
            return u.bits() == 0;
        }
        if (v instanceof Value.Decimal || v instanceof Value.Float || v instanceof Value.Text) {
            try {
                return new BigDecimal(new String(v.toBytes(), StandardCharsets.UTF_8).strip()).signum() == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    /** How many rows need an id from the sequence. */
    public static int idsNeeded(Primitive.AutoIncrement autoIncrement, BindVariables bindVars) {
        int n = 0;
        for (var e : autoIncrement.rowValues()) {
            if (takesNextId(e.evaluate(bindVars))) {
                n++;
            }
        }
        return n;
    }

    /**
     * The bind variables with {@code __seqN} bound for every row.
     *
     * @param next the first reserved id, advanced as ids are used (ids are consecutive, as a
     *             sequence table hands out a block)
     */
    public static BindVariables bind(Primitive.AutoIncrement autoIncrement, BindVariables bindVars, long[] next) {
        Map<String, Value> out = new LinkedHashMap<>(bindVars.asMap());
        List<dev.mosaic.server.sql.plan.ValueExpr> rows = autoIncrement.rowValues();
        for (int r = 0; r < rows.size(); r++) {
            Value v = rows.get(r).evaluate(bindVars);
            if (takesNextId(v)) {
                v = Value.of(next[0]++);
            } else if (v instanceof Value.Tuple) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "auto-increment value of row " + (r + 1) + " is a list");
            }
            out.put(Primitive.AutoIncrement.bindName(r), v);
        }
        return BindVariables.of(out);
    }
}
