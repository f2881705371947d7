package dev.mosaic.server.sql.planner;

import dev.mosaic.server.sql.plan.Primitive;
import dev.mosaic.server.sql.plan.ValueExpr;
import java.util.Map;
import java.util.Optional;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.Offset;

/**
 * A statement's LIMIT row count and OFFSET as values (literals' bind variables or {@code ?}
 * parameters), or none when the statement has no LIMIT ({@code count} null).
 */
record Limits(ValueExpr count, ValueExpr offset) {
    /** No LIMIT. */
    static final Limits NONE = new Limits(null, null);

    /**
     * Reads {@code LIMIT n}, {@code LIMIT o, n} and {@code LIMIT n OFFSET o}.
     *
     * @throws dev.mosaic.api.error.MosaicException OFFSET without LIMIT (invalid), LIMIT ALL/NULL or a
     *         non-constant expression (unsupported)
     */
    static Limits of(Limit lim, Offset off, Map<Object, String> names) {
        Expression offsetExpr = off == null ? null : off.getOffset();
        if (lim == null) {
            if (offsetExpr != null) {
                throw Errors.invalid("OFFSET without LIMIT");
            }
            return NONE;
        }
        if (lim.isLimitAll() || lim.isLimitNull()) {
            throw Errors.unsupported("LIMIT ALL / LIMIT NULL");
        }
        if (lim.getOffset() != null) {
            offsetExpr = lim.getOffset();
        }
        ValueExpr count = RoutingAnalysis.valueOf(lim.getRowCount(), names);
        ValueExpr offset = offsetExpr == null ? null : RoutingAnalysis.valueOf(offsetExpr, names);
        if (count == null || offsetExpr != null && offset == null) {
            throw Errors.unsupported("LIMIT with a non-constant expression");
        }
        return new Limits(count, offset);
    }

    /** {@code p} under a gate-side Limit, or {@code p} itself without a LIMIT. */
    Primitive wrap(Primitive p) {
        return count == null ? p : new Primitive.Limit(count, Optional.ofNullable(offset), p);
    }
}
