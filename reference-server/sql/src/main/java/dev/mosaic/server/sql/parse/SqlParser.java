package dev.mosaic.server.sql.parse;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.TokenMgrException;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;

/**
 * Parses one SQL statement. Session and administrative statements (transaction control,
 * {@code USE}, {@code SHOW ...}, {@code SELECT NEXT n VALUES}) are recognised by a small
 * tokenizer; everything else goes to JSqlParser.
 *
 * <p>Stateless and thread-safe.
 */
public final class SqlParser {
    private SqlParser() {
    }

    /**
     * Parses {@code sql}.
     *
     * @throws MosaicException {@link SqlError#EMPTY_QUERY} for an empty statement,
     *                         {@link SqlError#PARSE_ERROR} for a syntax error, naming the position
     */
    public static ParsedStatement parse(String sql) {
        String text = stripTerminator(sql);
        if (text.isEmpty()) {
            throw new MosaicException(SqlError.EMPTY_QUERY, "Query was empty");
        }
        ParsedStatement.VExplain vexplain = vexplain(text);
        if (vexplain != null) {
            return vexplain;
        }
        List<String> tokens = tokens(text);
        ParsedStatement special = special(tokens);
        if (special != null) {
            return special;
        }
        Statement st;
        try {
            // Parse on the caller's thread: CCJSqlParserUtil.parse(String) hands every statement to an
            // executor thread to enforce a timeout, which costs more than the parse itself.
            CCJSqlParser parser = CCJSqlParserUtil.newParser(text);
            st = parser.Statement();
        } catch (ParseException | TokenMgrException e) {
            throw new MosaicException(SqlError.PARSE_ERROR, "syntax error in '" + abbreviate(text) + "': "
                    + firstLine(e.getMessage()), e);
        }
        if (st instanceof UnsupportedStatement) {
            throw new MosaicException(SqlError.PARSE_ERROR, "syntax error or unsupported statement: " + abbreviate(text));
        }
        return new ParsedStatement.Ast(st);
    }

    private static final Pattern VEXPLAIN = Pattern.compile(
            "(?is)\\s*vexplain(?:\\s+(plan|queries|all)\\b|(?=\\s))");
    private static final Pattern EXPLAIN_VTEXPLAIN = Pattern.compile("(?is)\\s*explain\\s+format\\s*=\\s*vtexplain\\b");

    /**
     * {@code VEXPLAIN [PLAN|QUERIES|ALL] stmt} or {@code EXPLAIN FORMAT=VTEXPLAIN stmt}: the prefix is
     * recognised here (JSqlParser knows neither) and the rest parsed as a statement of its own;
     * null for any other statement.
     */
    private static ParsedStatement.VExplain vexplain(String text) {
        ParsedStatement.VExplainKind kind;
        int end;
        Matcher m = VEXPLAIN.matcher(text);
        if (m.lookingAt()) {
            kind = m.group(1) == null ? ParsedStatement.VExplainKind.PLAN
                    : ParsedStatement.VExplainKind.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            end = m.end();
        } else {
            m = EXPLAIN_VTEXPLAIN.matcher(text);
            if (!m.lookingAt()) {
                return null;
            }
            kind = ParsedStatement.VExplainKind.QUERIES;
            end = m.end();
        }
        String inner = text.substring(end).strip();
        if (inner.isEmpty()) {
            throw new MosaicException(SqlError.PARSE_ERROR, "syntax error: VEXPLAIN needs a statement: " + abbreviate(text));
        }
        ParsedStatement statement = parse(inner);
        if (statement instanceof ParsedStatement.VExplain) {
            throw new MosaicException(SqlError.PARSE_ERROR, "syntax error: VEXPLAIN of VEXPLAIN: " + abbreviate(text));
        }
        return new ParsedStatement.VExplain(kind, statement);
    }

    private static String stripTerminator(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        return s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** Whitespace-separated words; back-quoted identifiers and quoted strings stay one token each. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '`' || c == '\'' || c == '"') {
                int j = i + 1;
                StringBuilder sb = new StringBuilder().append(c);
                while (j < n) {
                    char d = text.charAt(j);
                    if (d == c && j + 1 < n && text.charAt(j + 1) == c) {
                        sb.append(d);
                        j += 2;
                        continue;
                    }
                    if (d == '\\' && c != '`' && j + 1 < n) {
                        sb.append(text.charAt(j + 1));
                        j += 2;
                        continue;
                    }
                    if (d == c) {
                        break;
                    }
                    sb.append(d);
                    j++;
                }
                out.add(sb.append(c).toString());
                i = j + 1;
            } else if (c == ',' || c == '=' || c == '(' || c == ')') {
                out.add(String.valueOf(c));
                i++;
            } else {
                int j = i;
                while (j < n && !Character.isWhitespace(text.charAt(j)) && "`'\",=()".indexOf(text.charAt(j)) < 0) {
                    j++;
                }
                out.add(text.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    private static boolean is(List<String> t, int i, String word) {
        return i < t.size() && t.get(i).equalsIgnoreCase(word);
    }

    /** An identifier token without back quotes; null if the token is a string literal. */
    private static String ident(String token) {
        if (token.length() >= 2 && token.charAt(0) == '`') {
            return token.substring(1, token.length() - 1);
        }
        if (token.startsWith("'") || token.startsWith("\"")) {
            return null;
        }
        return token;
    }

    private static String literal(String token) {
        if (token.length() >= 2 && (token.charAt(0) == '\'' || token.charAt(0) == '"')) {
            return token.substring(1, token.length() - 1);
        }
        return null;
    }

    private static MosaicException syntax(List<String> t) {
        return new MosaicException(SqlError.PARSE_ERROR, "syntax error at or near '" + String.join(" ", t) + "'");
    }

    private static ParsedStatement special(List<String> t) {
        String first = t.get(0).toLowerCase(Locale.ROOT);
        switch (first) {
            case "begin":
                if (t.size() == 1 || (t.size() == 2 && is(t, 1, "work"))) {
                    return new ParsedStatement.Transaction(ParsedStatement.TxOp.BEGIN, "");
                }
                return null;
            case "start":
                if (is(t, 1, "transaction")) {
                    return new ParsedStatement.Transaction(ParsedStatement.TxOp.BEGIN, "");
                }
                return null;
            case "commit":
                if (t.size() == 1 || (t.size() == 2 && is(t, 1, "work"))) {
                    return new ParsedStatement.Transaction(ParsedStatement.TxOp.COMMIT, "");
                }
                throw syntax(t);
            case "rollback": {
                int i = 1;
                if (is(t, i, "work")) {
                    i++;
                }
                if (i == t.size()) {
                    return new ParsedStatement.Transaction(ParsedStatement.TxOp.ROLLBACK, "");
                }
                if (is(t, i, "to")) {
                    i++;
                    if (is(t, i, "savepoint")) {
                        i++;
                    }
                    if (i == t.size() - 1) {
                        return new ParsedStatement.Transaction(ParsedStatement.TxOp.ROLLBACK_TO_SAVEPOINT, ident(t.get(i)));
                    }
                }
                throw syntax(t);
            }
            case "savepoint":
                if (t.size() == 2) {
                    return new ParsedStatement.Transaction(ParsedStatement.TxOp.SAVEPOINT, ident(t.get(1)));
                }
                throw syntax(t);
            case "release":
                if (t.size() == 3 && is(t, 1, "savepoint")) {
                    return new ParsedStatement.Transaction(ParsedStatement.TxOp.RELEASE_SAVEPOINT, ident(t.get(2)));
                }
                throw syntax(t);
            case "set":
                return setTransaction(t);
            case "use":
                if (t.size() == 2 && ident(t.get(1)) != null) {
                    return new ParsedStatement.Use(ident(t.get(1)));
                }
                throw syntax(t);
            case "show":
                return show(t);
            case "select":
                return next(t);
            default:
                return null;
        }
    }

    /** {@code SET [GLOBAL|SESSION|LOCAL] TRANSACTION ...}, or null for any other SET. */
    private static ParsedStatement setTransaction(List<String> t) {
        int i = 1;
        String scope = "";
        if (is(t, i, "global") || is(t, i, "session") || is(t, i, "local")) {
            scope = t.get(i).toLowerCase(Locale.ROOT).equals("global") ? "global" : "session";
            i++;
        }
        if (!is(t, i, "transaction")) {
            return null;
        }
        i++;
        Optional<String> isolation = Optional.empty();
        Optional<Boolean> readOnly = Optional.empty();
        while (true) {
            if (is(t, i, "isolation") && is(t, i + 1, "level")) {
                i += 2;
                if (is(t, i, "read") && is(t, i + 1, "committed")) {
                    isolation = Optional.of("READ-COMMITTED");
                    i += 2;
                } else if (is(t, i, "read") && is(t, i + 1, "uncommitted")) {
                    isolation = Optional.of("READ-UNCOMMITTED");
                    i += 2;
                } else if (is(t, i, "repeatable") && is(t, i + 1, "read")) {
                    isolation = Optional.of("REPEATABLE-READ");
                    i += 2;
                } else if (is(t, i, "serializable")) {
                    isolation = Optional.of("SERIALIZABLE");
                    i++;
                } else {
                    throw syntax(t);
                }
            } else if (is(t, i, "read") && is(t, i + 1, "only")) {
                readOnly = Optional.of(true);
                i += 2;
            } else if (is(t, i, "read") && is(t, i + 1, "write")) {
                readOnly = Optional.of(false);
                i += 2;
            } else {
                throw syntax(t);
            }
            if (i == t.size()) {
                return new ParsedStatement.SetTransaction(scope, isolation, readOnly);
            }
            if (!t.get(i).equals(",")) {
                throw syntax(t);
            }
            i++;
        }
    }

    private static ParsedStatement next(List<String> t) {
        // select next value from seq | select next N values from seq
        if (!is(t, 1, "next")) {
            return null;
        }
        long count;
        int i;
        if (is(t, 2, "value") && is(t, 3, "from") && t.size() == 5) {
            count = 1;
            i = 4;
        } else if (t.size() == 6 && is(t, 3, "values") && is(t, 4, "from")) {
            try {
                count = Long.parseLong(t.get(2));
            } catch (NumberFormatException e) {
                throw new MosaicException(SqlError.PARSE_ERROR, "syntax error: NEXT needs an integer count, got '" + t.get(2) + "'");
            }
            if (count < 1) {
                throw new MosaicException(SqlError.PARSE_ERROR, "syntax error: NEXT count must be positive, got " + count);
            }
            i = 5;
        } else {
            return null;
        }
        String[] name = qualified(t.get(i));
        return new ParsedStatement.NextValues(Optional.ofNullable(name[0]), name[1], count);
    }

    /** Splits {@code ks.t} / {@code `ks`.`t`} into [keyspace or null, table]. */
    private static String[] qualified(String token) {
        int dot = -1;
        boolean quoted = false;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '`') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                dot = i;
                break;
            }
        }
        if (dot < 0) {
            return new String[]{null, ident(token)};
        }
        return new String[]{ident(token.substring(0, dot)), ident(token.substring(dot + 1))};
    }

    private static ParsedStatement show(List<String> t) {
        int i = 1;
        boolean full = false;
        boolean global = false;
        if (is(t, i, "full")) {
            full = true;
            i++;
        }
        if (is(t, i, "global")) {
            global = true;
            i++;
        } else if (is(t, i, "session")) {
            i++;
        }
        if (i >= t.size()) {
            throw syntax(t);
        }
        String what = t.get(i).toLowerCase(Locale.ROOT);
        i++;
        ParsedStatement.ShowKind kind;
        Optional<String> keyspace = Optional.empty();
        Optional<String> table = Optional.empty();
        switch (what) {
            case "databases", "schemas" -> kind = ParsedStatement.ShowKind.DATABASES;
            case "vitess_shards" -> kind = ParsedStatement.ShowKind.VITESS_SHARDS;
            case "vitess_tablets" -> kind = ParsedStatement.ShowKind.VITESS_TABLETS;
            case "vitess_keyspaces", "keyspaces" -> kind = ParsedStatement.ShowKind.VITESS_KEYSPACES;
            case "warnings" -> kind = ParsedStatement.ShowKind.WARNINGS;
            case "variables" -> kind = ParsedStatement.ShowKind.VARIABLES;
            case "tables" -> {
                kind = ParsedStatement.ShowKind.TABLES;
                if (is(t, i, "from") || is(t, i, "in")) {
                    keyspace = Optional.of(ident(t.get(i + 1)));
                    i += 2;
                }
            }
            case "columns", "fields" -> {
                kind = ParsedStatement.ShowKind.COLUMNS;
                if (!(is(t, i, "from") || is(t, i, "in")) || i + 1 >= t.size()) {
                    throw syntax(t);
                }
                String[] q = qualified(t.get(i + 1));
                keyspace = Optional.ofNullable(q[0]);
                table = Optional.of(q[1]);
                i += 2;
                if (is(t, i, "from") || is(t, i, "in")) {
                    keyspace = Optional.of(ident(t.get(i + 1)));
                    i += 2;
                }
            }
            case "create" -> {
                if (!is(t, i, "table") || i + 1 >= t.size()) {
                    throw new MosaicException(SqlError.NOT_SUPPORTED_YET,
                            "VT12001: unsupported: SHOW CREATE " + (i < t.size() ? t.get(i).toUpperCase(Locale.ROOT) : ""));
                }
                kind = ParsedStatement.ShowKind.CREATE_TABLE;
                String[] q = qualified(t.get(i + 1));
                keyspace = Optional.ofNullable(q[0]);
                table = Optional.of(q[1]);
                i += 2;
            }
            default -> throw new MosaicException(SqlError.NOT_SUPPORTED_YET,
                    "VT12001: unsupported: SHOW " + String.join(" ", t.subList(1, t.size())).toUpperCase(Locale.ROOT));
        }
        Optional<String> like = Optional.empty();
        if (is(t, i, "like") && i + 1 < t.size()) {
            String lit = literal(t.get(i + 1));
            if (lit == null) {
                throw syntax(t);
            }
            like = Optional.of(lit);
            i += 2;
        }
        if (i != t.size()) {
            throw new MosaicException(SqlError.NOT_SUPPORTED_YET,
                    "VT12001: unsupported: SHOW with '" + String.join(" ", t.subList(i, t.size())) + "'");
        }
        return new ParsedStatement.Show(kind, full, global, keyspace, table, like);
    }
}
