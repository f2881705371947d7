package dev.mosaic.server.sql.cache;

import dev.mosaic.api.sql.Value;
import dev.mosaic.server.sql.normalize.Literal;
import dev.mosaic.server.sql.parse.StatementSplitter;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement's text with its literals cut out, found by one pass of a small lexer: the key under
 * which {@link CachingPlanner} finds a text statement's plan without parsing it.
 *
 * <p>The {@link #template} keeps every token verbatim (keywords and identifiers in their case,
 * quoted identifiers, double-quoted strings, comments, operators), with each run of whitespace
 * outside them shrunk to one space, and each <em>simple</em> literal replaced by a marker of its
 * kind: an unsigned integer ({@code 42}), an unsigned decimal or number with an exponent
 * ({@code 4.2}, {@code 4e2}), or a single-quoted string with no backslash and no doubled quote.
 * Anything else that looks like a literal stays in the template as written: a string with escapes
 * or a charset prefix ({@code _utf8mb4'x'}, {@code N'x'}, {@code X'0f'}), {@code 0x0f}, a number
 * after a dot. Two statements with the same template differ only in the values of their simple
 * literals, so they parse to the same tree but for those values.
 *
 * <p>{@link #literals} are the simple literals in text order, each with its text and the value
 * the {@link dev.mosaic.server.sql.normalize.Normalizer normalizer} gives such a literal.
 *
 * <p>{@link #of} returns null when it cannot vouch for the template (an unterminated quote or
 * comment, or a NUL character, which could forge a marker).
 */
record SqlDigest(String template, List<Lit> literals) {
    /** Marks a literal's place in a template; NUL never survives into a digest otherwise. */
    private static final char MARK = '\u0000';

    /** One simple literal: its text as written and its value. */
    record Lit(String text, Value value) {
    }

    /** The digest of {@code sql}, or null if it has none. */
    static SqlDigest of(String sql) {
        if (sql.indexOf(MARK) >= 0) {
            return null;
        }
        int n = sql.length();
        StringBuilder t = new StringBuilder(n);
        List<Lit> literals = new ArrayList<>(4);
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (isSpace(c)) {
                int j = i + 1;
                while (j < n && isSpace(sql.charAt(j))) {
                    j++;
                }
                if (t.length() > 0 && j < n) {
                    t.append(' ');
                }
                i = j;
            } else if (c == '\'') {
                int end = StatementSplitter.closingQuote(sql, i, '\'');
                if (end < 0) {
                    return null;
                }
                boolean prefixed = i > 0 && isWordChar(sql.charAt(i - 1));
                boolean plain = !prefixed && noEscapes(sql, i + 1, end - 1);
                if (plain) {
                    String text = sql.substring(i + 1, end - 1);
                    literals.add(new Lit(text, Value.of(text)));
                    t.append(MARK).append('s');
                } else {
                    t.append(sql, i, end);
                }
                i = end;
            } else if (c == '"' || c == '`') {
                int end = StatementSplitter.closingQuote(sql, i, c);
                if (end < 0) {
                    return null;
                }
                t.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    return null;
                }
                t.append(sql, i, end + 2);
                i = end + 2;
            } else if (c == '#' || c == '-' && i + 2 < n && sql.charAt(i + 1) == '-' && isSpace(sql.charAt(i + 2))) {
                // A line comment runs to the end of the line; the line break is kept, so what
                // follows it is never mistaken for comment text or the other way round.
                int end = i;
                while (end < n && sql.charAt(end) != '\n') {
                    end++;
                }
                t.append(sql, i, Math.min(n, end + 1));
                i = end + 1;
            } else if (isDigit(c)) {
                int end = number(sql, i);
                boolean afterDot = i > 0 && sql.charAt(i - 1) == '.';
                if (end > 0 && !afterDot) {
                    String text = sql.substring(i, end);
                    boolean integer = isAllDigits(text);
                    literals.add(new Lit(text, integer ? Literal.ofInteger(text) : Literal.ofDecimal(text)));
                    t.append(MARK).append(integer ? 'i' : 'd');
                    i = end;
                } else {
                    int j = i;
                    while (j < n && isWordChar(sql.charAt(j))) {
                        j++;
                    }
                    t.append(sql, i, j);
                    i = j;
                }
            } else if (isWordChar(c)) {
                int j = i + 1;
                while (j < n && isWordChar(sql.charAt(j))) {
                    j++;
                }
                t.append(sql, i, j);
                i = j;
            } else {
                t.append(c);
                i++;
            }
        }
        return new SqlDigest(t.toString(), List.copyOf(literals));
    }

    private static boolean noEscapes(String sql, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = sql.charAt(i);
            if (c == '\\' || c == '\'') {
                return false;
            }
        }
        return true;
    }

    /**
     * The end of the number at {@code start} ({@code digits [. digits] [e [+-] digits]}), or -1
     * if the digits run on into a word ({@code 1abc}, {@code 0x1f}, {@code 1e}).
     */
    private static int number(String sql, int start) {
        int n = sql.length();
        int i = start;
        while (i < n && isDigit(sql.charAt(i))) {
            i++;
        }
        if (i < n && sql.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(sql.charAt(i))) {
                i++;
            }
        }
        if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
                j++;
            }
            if (j >= n || !isDigit(sql.charAt(j))) {
                return -1;
            }
            while (j < n && isDigit(sql.charAt(j))) {
                j++;
            }
            i = j;
        }
        if (i < n && (isWordChar(sql.charAt(i)) || sql.charAt(i) == '.')) {
            return -1;
        }
        return i;
    }

    private static boolean isAllDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** A character of an unquoted identifier or keyword (MySQL: letters, digits, _, $, and non-ASCII). */
    private static boolean isWordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }
}
