package dev.mosaic.server.mysql.protocol.testing;

import dev.mosaic.api.error.MosaicException;
import dev.mosaic.api.error.SqlError;
import dev.mosaic.api.sql.SqlType;
import dev.mosaic.api.sql.Value;
import dev.mosaic.server.mysql.protocol.command.PreparedInfo;
import dev.mosaic.server.mysql.protocol.command.PreparedStatement;
import dev.mosaic.server.mysql.protocol.command.ResultSink;
import dev.mosaic.server.mysql.protocol.command.Session;
import dev.mosaic.server.mysql.protocol.command.SessionHandler;
import dev.mosaic.server.mysql.protocol.result.Column;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny server behind the codec for tests: a few fixed queries with fixed rows, the system
 * variables real clients ask for at connect, and prepared statements that echo their parameters
 * back with the types the server decoded.
 *
 * <p>Queries: {@code select 1}; {@code select * from t} (id, name; three rows, one NULL);
 * {@code select typed} (one row of many column types); {@code rows N} (N rows, for streaming);
 * {@code big N} (one N-byte value); {@code insert ...} (1 row, insert id 42); {@code begin},
 * {@code commit}; {@code set ...}; {@code fail} (ER_NO_SUCH_TABLE); {@code select @@...};
 * several separated by {@code ;} when multi-statements are on. Prepared {@code select ?, ?...}
 * echoes: columns p0..pn-1 typed by each parameter's value, plus {@code types}.
 */
public final class FixtureHandler implements SessionHandler {
    /** What happened, in order, for assertions ("open 1", "close 1", "initDb x", ...). */
    public final List<String> events = new CopyOnWriteArrayList<>();
    /** Set to false for load tests: recording copies the whole event list on every call. */
    public volatile boolean recordEvents = true;
    /** Makes closeStatement throw, to check the server survives a failing handler. */
    public volatile boolean failCloseStatement;
    /** Rows handed to the sink by {@code rows N} queries so far (to watch backpressure). */
    public final java.util.concurrent.atomic.AtomicLong streamedRows = new java.util.concurrent.atomic.AtomicLong();

    private static final Map<String, String> VARIABLES = Map.ofEntries(
            Map.entry("version_comment", "Mosaic test server"),
            Map.entry("auto_increment_increment", "1"),
            Map.entry("character_set_client", "utf8mb4"),
            Map.entry("character_set_connection", "utf8mb4"),
            Map.entry("character_set_results", "utf8mb4"),
            Map.entry("character_set_server", "utf8mb4"),
            Map.entry("collation_server", "utf8mb4_general_ci"),
            Map.entry("collation_connection", "utf8mb4_general_ci"),
            Map.entry("init_connect", ""),
            Map.entry("interactive_timeout", "28800"),
            Map.entry("license", "GPL"),
            Map.entry("lower_case_table_names", "0"),
            Map.entry("max_allowed_packet", "67108864"),
            Map.entry("net_write_timeout", "60"),
            Map.entry("performance_schema", "0"),
            Map.entry("query_cache_size", "0"),
            Map.entry("query_cache_type", "OFF"),
            Map.entry("sql_mode", "STRICT_TRANS_TABLES"),
            Map.entry("system_time_zone", "UTC"),
            Map.entry("time_zone", "SYSTEM"),
            Map.entry("transaction_isolation", "REPEATABLE-READ"),
            Map.entry("tx_isolation", "REPEATABLE-READ"),
            Map.entry("transaction_read_only", "0"),
            Map.entry("wait_timeout", "28800"),
            Map.entry("version", "8.0.31-Mosaic"));

    /** The columns and row of {@code select typed}. */
    public static final List<Column> TYPED_COLUMNS = List.of(
            Column.of("tiny", SqlType.INT8), Column.of("small", SqlType.INT16), Column.of("int", SqlType.INT32),
            Column.of("big", SqlType.INT64), Column.of("ubig", SqlType.UINT64), Column.of("f", SqlType.FLOAT32),
            Column.of("d", SqlType.FLOAT64), Column.of("dec", SqlType.DECIMAL), Column.of("day", SqlType.DATE),
            Column.of("ts", SqlType.DATETIME), Column.of("t", SqlType.TIME), Column.of("s", SqlType.VARCHAR),
            Column.of("b", SqlType.BLOB), Column.of("n", SqlType.VARCHAR), Column.of("y", SqlType.YEAR));
    public static final byte[][] TYPED_ROW = texts("-7", "-300", "123456", "-9000000000", "18446744073709551615",
            "1.5", "2.25", "12345.6789", "2024-02-29", "2024-02-29 13:14:15.123456", "-838:59:59", "héllo",
            "\u0000\u0001\u00ff", null, "2024");

    private static final List<Column> T_COLUMNS = List.of(Column.of("id", SqlType.INT64), Column.of("name", SqlType.VARCHAR));
    private static final Pattern VAR = Pattern.compile(
            "@@(?:session\\.|global\\.)?([a-z_]+)(?:\\s+as\\s+([a-z_@.]+))?", Pattern.CASE_INSENSITIVE);

    /** Text values; a null argument is SQL NULL; Latin-1 code points above 0x7f other than é... as UTF-8. */
    public static byte[][] texts(String... values) {
        byte[][] out = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            String v = values[i];
            if (v == null) {
                continue;
            }
            // The blob column keeps raw bytes; everything else is UTF-8.
            out[i] = v.startsWith("\u0000") ? v.getBytes(StandardCharsets.ISO_8859_1) : v.getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    @Override
    public void open(Session session) {
        events.add("open " + session.connectionId());
    }

    @Override
    public void query(Session session, String sql, ResultSink sink) {
        String trimmed = sql.trim();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).trim();
        }
        List<String> statements = Arrays.asList(trimmed.split(";"));
        if (statements.size() > 1 && !session.multiStatements()) {
            throw new MosaicException(SqlError.PARSE_ERROR, "You have an error in your SQL syntax near ';'");
        }
        for (String s : statements) {
            one(session, s.trim(), sink);
        }
    }

    private void one(Session session, String sql, ResultSink sink) {
        String lower = sql.toLowerCase(Locale.ROOT).replaceAll("/\\*.*?\\*/", "").replaceAll("\\s+", " ").trim();
        if (lower.equals("select 1")) {
            sink.columns(List.of(Column.of("1", SqlType.INT64)));
            sink.row(texts("1"));
            sink.endRows();
        } else if (lower.equals("select * from t")) {
            sink.columns(T_COLUMNS);
            sink.row(texts("1", "alice"));
            sink.row(texts("2", "bob"));
            sink.row(texts("3", null));
            sink.endRows();
        } else if (lower.equals("select typed")) {
            sink.columns(TYPED_COLUMNS);
            sink.row(TYPED_ROW);
            sink.endRows();
        } else if (lower.startsWith("rows ")) {
            long n = Long.parseLong(lower.substring(5).trim());
            sink.columns(T_COLUMNS);
            byte[] name = "a-row-of-some-width-to-fill-the-pipe-quickly-0123456789".getBytes(StandardCharsets.US_ASCII);
            for (long i = 0; i < n; i++) {
                sink.row(new byte[][] {Long.toString(i).getBytes(StandardCharsets.US_ASCII), name});
                streamedRows.incrementAndGet();
            }
            sink.endRows();
        } else if (lower.startsWith("big ")) {
            int n = Integer.parseInt(lower.substring(4).trim());
            byte[] v = new byte[n];
            Arrays.fill(v, (byte) 'x');
            sink.columns(List.of(Column.of("big", SqlType.TEXT)));
            sink.row(new byte[][] {v});
            sink.endRows();
        } else if (lower.startsWith("insert")) {
            sink.ok(1, 42, 0, "");
        } else if (lower.equals("begin") || lower.equals("start transaction")) {
            session.setInTransaction(true);
            sink.ok();
        } else if (lower.equals("commit") || lower.equals("rollback")) {
            session.setInTransaction(false);
            sink.ok();
        } else if (lower.startsWith("use ")) {
            String db = sql.trim().substring(4).trim().replace("`", "");
            initDb(session, db);
            session.setSchema(db);
            sink.ok();
        } else if (lower.startsWith("set ")) {
            sink.ok();
        } else if (lower.equals("select packed")) {
            packed(sink);
        } else if (lower.equals("badrow")) {
            sink.columns(T_COLUMNS);
            sink.row(texts("1", "ok"));
            sink.row(texts("2"));
        } else if (lower.equals("fail")) {
            throw new MosaicException(SqlError.NO_SUCH_TABLE, "Table 'test.fail' doesn't exist");
        } else if (lower.startsWith("select @@")) {
            variables(sql, sink);
        } else if (lower.equals("select database()")) {
            sink.columns(List.of(Column.of("database()", SqlType.VARCHAR)));
            sink.row(new byte[][] {session.schema().isEmpty() ? null : session.schema().getBytes(StandardCharsets.UTF_8)});
            sink.endRows();
        } else if (lower.startsWith("show warnings")) {
            sink.columns(List.of(Column.of("Level", SqlType.VARCHAR), Column.of("Code", SqlType.UINT32),
                    Column.of("Message", SqlType.VARCHAR)));
            sink.endRows();
        } else {
            throw new MosaicException(SqlError.PARSE_ERROR, "You have an error in your SQL syntax near '" + sql + "'");
        }
    }

    /** Rows in the packed form the tablet ships: (1, 'alice'), (2, NULL). */
    private static void packed(ResultSink sink) {
        sink.columns(T_COLUMNS);
        io.netty.buffer.ByteBuf values = io.netty.buffer.Unpooled.copiedBuffer("1alice2", StandardCharsets.US_ASCII);
        sink.row(new long[] {1, 5}, values);
        values.skipBytes(6);
        sink.row(new long[] {1, -1}, values);
        sink.endRows();
    }

    private static void variables(String sql, ResultSink sink) {
        Matcher m = VAR.matcher(sql.replaceAll("(?i)\\s+limit\\s+\\d+\\s*$", ""));
        List<Column> cols = new ArrayList<>();
        List<byte[]> row = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1).toLowerCase(Locale.ROOT);
            String alias = m.group(2) != null ? m.group(2) : m.group(0).trim();
            cols.add(Column.of(alias, SqlType.VARCHAR));
            String v = VARIABLES.get(name);
            row.add(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
        }
        sink.columns(cols);
        sink.row(row.toArray(new byte[0][]));
        sink.endRows();
    }

    @Override
    public PreparedInfo prepare(Session session, String sql) {
        int n = (int) sql.chars().filter(c -> c == '?').count();
        String lower = sql.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("select typed")) {
            return PreparedInfo.of(0, TYPED_COLUMNS);
        }
        if (lower.equals("select bad")) {
            return PreparedInfo.of(0, List.of(Column.of("n", SqlType.INT64)));
        }
        if (lower.equals("select packed")) {
            return PreparedInfo.of(0, T_COLUMNS);
        }
        if (lower.startsWith("select")) {
            List<Column> cols = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                cols.add(Column.of("p" + i, SqlType.VARCHAR));
            }
            cols.add(Column.of("types", SqlType.VARCHAR));
            return PreparedInfo.of(n, cols);
        }
        if (lower.startsWith("insert") || lower.startsWith("update") || lower.startsWith("delete")) {
            return PreparedInfo.of(n, List.of());
        }
        throw new MosaicException(SqlError.PARSE_ERROR, "You have an error in your SQL syntax near '" + sql + "'");
    }

    @Override
    public void execute(Session session, PreparedStatement statement, List<Value> params, ResultSink sink) {
        if (recordEvents) {
            events.add("execute " + statement.id() + " " + params);
        }
        String lower = statement.sql().trim().toLowerCase(Locale.ROOT);
        if (lower.equals("select typed")) {
            sink.columns(TYPED_COLUMNS);
            sink.row(TYPED_ROW);
            sink.endRows();
            return;
        }
        if (lower.equals("select packed")) {
            packed(sink);
            return;
        }
        if (lower.equals("select bad")) {
            sink.columns(List.of(Column.of("n", SqlType.INT64)));
            sink.row(texts("1"));
            sink.row(texts("not a number"));
            return;
        }
        if (!lower.startsWith("select")) {
            sink.ok(1, 42, 0, "");
            return;
        }
        List<Column> cols = new ArrayList<>();
        byte[][] row = new byte[params.size() + 1][];
        StringBuilder types = new StringBuilder();
        for (int i = 0; i < params.size(); i++) {
            Value v = params.get(i);
            cols.add(Column.of("p" + i, v.type()));
            row[i] = v.isNull() ? null : v.toBytes();
            types.append(i == 0 ? "" : ",").append(v.type());
        }
        cols.add(Column.of("types", SqlType.VARCHAR));
        row[params.size()] = types.toString().getBytes(StandardCharsets.UTF_8);
        sink.columns(cols);
        sink.row(row);
        sink.endRows();
    }

    @Override
    public void closeStatement(Session session, PreparedStatement statement) {
        events.add("closeStatement " + statement.id());
        if (failCloseStatement) {
            throw new IllegalStateException("closeStatement failed on purpose");
        }
    }

    @Override
    public void initDb(Session session, String schema) {
        if (schema.equals("nosuchdb")) {
            throw new MosaicException(SqlError.BAD_DB, "Unknown database '" + schema + "'");
        }
        events.add("initDb " + schema);
    }

    @Override
    public List<Column> fieldList(Session session, String table, String wildcard) {
        if (!table.equals("t")) {
            throw new MosaicException(SqlError.NO_SUCH_TABLE, "Table 'test." + table + "' doesn't exist");
        }
        return T_COLUMNS;
    }

    @Override
    public void reset(Session session) {
        events.add("reset " + session.connectionId());
        session.setInTransaction(false);
    }

    @Override
    public void close(Session session) {
        events.add("close " + session.connectionId());
    }
}
