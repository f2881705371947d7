package dev.mosaic.server.tablet.query;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;

/**
 * Substitutes Vitess-style bind variables ({@code :name}, and {@code ::name} for a list) with SQL
 * literals, as vttablet does before sending a query to MySQL. Quoted strings, quoted identifiers
 * and comments are left alone, so {@code '12:30'} stays a string.
 */
public final class SqlBinder {
    private SqlBinder() {
    }

    /**
     * {@code sql} with every bind variable replaced by its value's literal.
     *
     * @throws MosaicException INVALID_ARGUMENT if the statement names a variable that is not bound
     */
    public static String bind(String sql, BindVariables vars) {
        if (vars == null || vars.size() == 0 || sql.indexOf(':') < 0) {
            return sql;
        }
        return rewriteVariables(sql, (name, list) -> vars.get(name).orElseThrow(() ->
                new MosaicException(ErrorCode.INVALID_ARGUMENT, "missing bind var " + name)).toSqlLiteral());
    }

    /** What to write in place of one bind variable. */
    @FunctionalInterface
    public interface VariableRewriter {
        /**
         * The text to write for the variable {@code name}, or null to keep it as written.
         *
         * @param list whether it was written {@code ::name} (a list variable) rather than {@code :name}
         */
        String rewrite(String name, boolean list);
    }

    /**
     * {@code sql} with every bind variable ({@code :name} or {@code ::name}, outside quoted strings,
     * quoted identifiers and comments) replaced by what {@code rewriter} returns for it. The one
     * scanner behind {@link #bind} and the tablet's statement analysis, so both agree on what a
     * variable is.
     */
    public static String rewriteVariables(String sql, VariableRewriter rewriter) {
        if (sql.indexOf(':') < 0) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length() + 32);
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = skipQuoted(sql, i, c);
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (c == '#' || (c == '-' && sql.startsWith("-- ", i))) {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end + 1;
                out.append(sql, i, end);
                i = end;
            } else if (c == ':') {
                int start = i + 1;
                boolean list = start < n && sql.charAt(start) == ':';
                if (list) {
                    start++;
                }
                int end = start;
                while (end < n && isNameChar(sql.charAt(end), end == start)) {
                    end++;
                }
                if (end == start) {
                    out.append(c); // ':=' and friends
                    i++;
                    continue;
                }
                String replacement = rewriter.rewrite(sql.substring(start, end), list);
                if (replacement == null) {
                    out.append(sql, i, end);
                } else {
                    out.append(replacement);
                }
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && (c >= '0' && c <= '9'));
    }

    /** The index just after the quoted run starting at {@code i}; handles doubled quotes and backslashes. */
    private static int skipQuoted(String sql, int i, char q) {
        int n = sql.length();
        int j = i + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (c == '\\' && q != '`') {
                j += 2;
            } else if (c == q) {
                if (j + 1 < n && sql.charAt(j + 1) == q) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return n;
    }
}
