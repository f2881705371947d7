package dev.mosaic.server.sql.exec;

import dev.mosaic.api.sql.BindVariables;
import dev.mosaic.api.sql.Value;
import java.util.Optional;

/**
 * A shard query for people to read: its bind variables ({@code :name}, {@code ::name}) replaced by
 * their values as SQL literals, as {@code VEXPLAIN QUERIES} shows them. Quoted strings, quoted
 * identifiers and comments are copied unchanged; a variable without a value stays as written.
 */
public final class BoundSql {
    private BoundSql() {
    }

    /** {@code sql} with the variables {@code bindVars} holds written as literals. */
    public static String render(String sql, BindVariables bindVars) {
        if (sql.indexOf(':') < 0 || bindVars.size() == 0) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = quotedEnd(sql, i);
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                int end = close < 0 ? n : close + 2;
                out.append(sql, i, end);
                i = end;
            } else if (c == ':' && (i == 0 || sql.charAt(i - 1) != ':')) {
                int start = i + 1 < n && sql.charAt(i + 1) == ':' ? i + 2 : i + 1;
                int end = start;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                    end++;
                }
                Optional<Value> v = end > start ? bindVars.get(sql.substring(start, end)) : Optional.empty();
                if (v.isPresent()) {
                    out.append(v.get().toSqlLiteral());
                    i = end;
                } else {
                    out.append(sql, i, Math.max(end, i + 1));
                    i = Math.max(end, i + 1);
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The index after the quoted string or identifier that starts at {@code start}. */
    private static int quotedEnd(String sql, int start) {
        char q = sql.charAt(start);
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && q != '`') {
                i += 2;
            } else if (c == q) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == q) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }
}
