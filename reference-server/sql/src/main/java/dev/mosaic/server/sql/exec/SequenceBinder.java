package dev.mosaic.server.sql.exec;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.plan.Primitive;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds an INSERT's auto-increment values ({@code :__seqN}): a row that gave a value keeps it, a
 * row that gave none or NULL takes the next id reserved from the sequence.
 */
public final class SequenceBinder {
    private SequenceBinder() {
    }

    /** How many rows need an id from the sequence. */
    public static int idsNeeded(Primitive.AutoIncrement autoIncrement, BindVariables bindVars) {
        int n = 0;
        for (var e : autoIncrement.rowValues()) {
            if (e.evaluate(bindVars).isNull()) {
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
            if (v.isNull()) {
                v = Value.of(next[0]++);
            } else if (v instanceof Value.Tuple) {
                throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "auto-increment value of row " + (r + 1) + " is a list");
            }
            out.put(Primitive.AutoIncrement.bindName(r), v);
        }
        return BindVariables.of(out);
    }
}
