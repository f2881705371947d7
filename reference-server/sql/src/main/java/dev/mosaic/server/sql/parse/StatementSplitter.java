package dev.mosaic.server.sql.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the text of a multi-statement COM_QUERY into its statements at the semicolons that are
 * outside string literals ({@code '...'}, {@code "..."}), quoted identifiers ({@code `...`}) and
 * comments ({@code -- }, {@code #}, {@code /* ... *}{@code /}), as MySQL's lexer does. Pieces that
 * hold nothing but white space and comments are dropped, so {@code "SELECT 1;"} is one statement.
 */
public final class StatementSplitter {
    private StatementSplitter() {
    }

    /** The statements of {@code sql}, each without its terminating semicolon; never empty strings. */
    public static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        int start = 0;
        boolean content = false;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
                content = true;
            } else if (c == '#' || (c == '-' && sql.startsWith("--", i)
                    && (i + 2 == n || Character.isWhitespace(sql.charAt(i + 2))))) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                boolean executable = sql.startsWith("/*!", i) || sql.startsWith("/*+", i);
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                content |= executable;
            } else if (c == ';') {
                if (content) {
                    out.add(sql.substring(start, i).strip());
                }
                start = i + 1;
                content = false;
                i++;
            } else {
                if (!Character.isWhitespace(c)) {
                    content = true;
                }
                i++;
            }
        }
        if (content) {
            out.add(sql.substring(start).strip());
        }
        return out;
    }

    /** True if {@code sql} holds more than one statement. */
    public static boolean isMulti(String sql) {
        return sql.indexOf(';') >= 0 && split(sql).size() > 1;
    }

    /** The index just past the quote that closes the one at {@code open}, or the text's end if none does. */
    private static int skipQuoted(String sql, int open, char quote) {
        int end = closingQuote(sql, open, quote);
        return end < 0 ? sql.length() : end;
    }

    /**
     * The index just past the quote that closes the one at {@code open}, or -1 if none does.
     * Doubled quotes stay inside, and so do backslash escapes except in backquoted identifiers.
     */
    public static int closingQuote(String sql, int open, char quote) {
        int i = open + 1;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return -1;
    }
}
