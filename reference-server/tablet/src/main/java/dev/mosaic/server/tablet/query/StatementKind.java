package dev.mosaic.server.tablet.query;

import java.util.Locale;

/**
 * What a statement does, judged from its first keyword (after comments and parentheses). Enough
 * for the tablet's own decisions (may it be consolidated? does it need a write permission?); the
 * gate's planner knows far more.
 */
public enum StatementKind {
    /** SELECT, and read-only statements like SHOW, DESCRIBE, EXPLAIN, WITH ... SELECT. */
    READ,
    /** INSERT, UPDATE, DELETE, REPLACE, LOAD DATA. */
    WRITE,
    /** CREATE, ALTER, DROP, TRUNCATE, RENAME. */
    DDL,
    /** Everything else (SET, BEGIN, CALL, ...). */
    OTHER;

    /** Classifies {@code sql}. */
    public static StatementKind of(String sql) {
        String word = firstWord(sql);
        switch (word) {
            case "select": case "show": case "describe": case "desc": case "explain": case "with": case "values":
            case "table":
                return READ;
            case "insert": case "update": case "delete": case "replace": case "load":
                return WRITE;
            case "create": case "alter": case "drop": case "truncate": case "rename":
                return DDL;
            default:
                return OTHER;
        }
    }

    /** The first keyword of {@code sql}, lower case, skipping blanks, comments and opening parentheses. */
    public static String firstWord(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '#' || (c == '-' && sql.startsWith("-- ", i))) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toLowerCase(Locale.ROOT);
    }
}
