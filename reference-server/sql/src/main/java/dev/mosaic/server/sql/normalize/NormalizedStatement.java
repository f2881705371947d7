package dev.mosaic.server.sql.normalize;

import dev.mosaic.api.sql.BindVariables;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import net.sf.jsqlparser.statement.Statement;

/**
 * A statement whose literals were replaced by bind variables.
 *
 * @param ast      the parsed statement (not modified by normalization)
 * @param sql      the normalized text: the plan-cache key, with {@code :vtgN} for each literal and
 *                 {@code ::vtgN} for each literal {@code IN} list
 * @param bindVars the values of the generated bind variables (a literal list is a tuple)
 * @param names    which AST node became which bind variable (identity map, read-only): a literal
 *                 node, a {@code ?} parameter, or the value list of an {@code IN}
 * @param paramCount the number of {@code ?} parameters, bound as {@code :v1 .. :vN} at execution
 *                 (their values are not in {@code bindVars})
 */
public record NormalizedStatement(Statement ast, String sql, BindVariables bindVars, Map<Object, String> names,
                                  int paramCount) {
    /** Rejects nulls; wraps {@code names} read-only without copying (it is an identity map). */
    public NormalizedStatement {
        Objects.requireNonNull(ast, "ast");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(bindVars, "bindVars");
        if (!(names instanceof IdentityHashMap<?, ?>) && !names.isEmpty()) {
            throw new IllegalArgumentException("names must be an identity map");
        }
        names = Collections.unmodifiableMap(names);
        if (paramCount < 0) {
            throw new IllegalArgumentException("paramCount must not be negative: " + paramCount);
        }
    }

    /** A statement without {@code ?} parameters. */
    public NormalizedStatement(Statement ast, String sql, BindVariables bindVars, Map<Object, String> names) {
        this(ast, sql, bindVars, names, 0);
    }
}
